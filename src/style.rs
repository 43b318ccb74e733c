//! Colour in text output: only the status words (PROVED, REFUTED, ...) of the lines that are
//! not indented (section headings, summary rows), only when stdout takes colour: `--color
//! always`, or `--color auto` on a terminal without `NO_COLOR` (anstream's rules, as clap's).
//! Without colour the text is written untouched.

use crate::cli::ColorWhen;
use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};
use ngd_report::render::summary::RowEvidence;

/// Makes `when` the choice of every stream (also clap's messages).
pub fn set_color_choice(when: ColorWhen) {
    let choice = match when {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    };
    choice.write_global();
}

/// Whether standard output takes colour under the global choice.
pub fn stdout_takes_color() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != ColorChoice::Never
}

/// The status words and their colours, longest first (so `NOT CHECKED YET` wins over `NOT
/// CHECKED`).
fn status_words() -> Vec<(String, Style)> {
    let colour = |c: AnsiColor| Style::new().fg_color(Some(c.into())).bold();
    let mut words: Vec<(String, Style)> = [
        (RowEvidence::Proved, colour(AnsiColor::Green)),
        (RowEvidence::Matched, colour(AnsiColor::Green)),
        (RowEvidence::Refuted, colour(AnsiColor::Red)),
        (RowEvidence::Failed, colour(AnsiColor::Red)),
        (RowEvidence::Inconclusive, colour(AnsiColor::Yellow)),
        (RowEvidence::NotReached, colour(AnsiColor::Yellow)),
        (RowEvidence::NumericalEvidence, colour(AnsiColor::Cyan)),
        (RowEvidence::NotChecked, Style::new().dimmed()),
    ]
    .into_iter()
    .map(|(e, s)| (e.label().to_string(), s))
    .collect();
    let not_checked_yet = ngd_check::Evidence::NotCheckedYet.label().to_uppercase();
    words.push((not_checked_yet, Style::new().dimmed()));
    words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    words
}

/// `text` with the status words of its unindented lines coloured.
pub fn highlight(text: &str) -> String {
    let words = status_words();
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.split_inclusive('\n') {
        if line.starts_with(char::is_whitespace) {
            out.push_str(line);
        } else {
            highlight_line(line, &words, &mut out);
        }
    }
    out
}

/// Appends `line` with every whole-word occurrence of `words` styled.
fn highlight_line(line: &str, words: &[(String, Style)], out: &mut String) {
    let mut rest = line;
    let mut after_word_char = false;
    while let Some(c) = rest.chars().next() {
        let hit = (!after_word_char)
            .then(|| {
                words.iter().find(|(w, _)| {
                    rest.starts_with(w.as_str())
                        && !rest[w.len()..].starts_with(|n: char| n.is_alphanumeric())
                })
            })
            .flatten();
        if let Some((w, style)) = hit {
            out.push_str(&format!("{style}{w}{style:#}"));
            rest = &rest[w.len()..];
            after_word_char = true;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            after_word_char = c.is_alphanumeric();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_status_words_of_unindented_lines_are_coloured() {
        let text = "C1 conservation: PROVED - exact\n  - PROVED in an item\nUNPROVED\n";
        let out = highlight(text);
        assert!(out.starts_with("C1 conservation: \u{1b}["), "{out:?}");
        assert!(out.contains("  - PROVED in an item\nUNPROVED\n"), "{out:?}");
        let plain = anstream::adapter::strip_str(&out).to_string();
        assert_eq!(plain, text);
    }

    #[test]
    fn the_longest_word_wins() {
        let out = highlight("C9: NOT CHECKED YET\n");
        assert_eq!(out.matches("\u{1b}[0m").count(), 1, "{out:?}");
    }
}
