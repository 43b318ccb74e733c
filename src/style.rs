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

/// The width the text report is wrapped to: `explicit` (`--width`) if given; on a terminal
/// its width as the shell states it (`COLUMNS`); otherwise (piped, or no width known)
/// [`ngd_report::render::DEFAULT_WIDTH`], so piped output does not depend on the terminal.
pub fn report_width(explicit: Option<usize>) -> usize {
    use std::io::IsTerminal;
    let terminal = std::io::stdout().is_terminal();
    // The terminal's own width first; COLUMNS where the size cannot be read.
    let columns = terminal
        .then(|| terminal_size::terminal_size().map(|(w, _)| w.0.to_string()))
        .flatten()
        .or_else(|| std::env::var("COLUMNS").ok());
    width_from(explicit, terminal, columns.as_deref())
}

/// [`report_width`] from its inputs (separate, so the rule is tested without a terminal).
fn width_from(explicit: Option<usize>, terminal: bool, columns: Option<&str>) -> usize {
    let from_terminal = || {
        columns
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&w| w > 0)
    };
    explicit
        .or_else(|| terminal.then(from_terminal).flatten())
        .unwrap_or(ngd_report::render::DEFAULT_WIDTH)
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
    fn the_width_is_explicit_else_the_terminal_else_100() {
        assert_eq!(width_from(Some(72), true, Some("200")), 72);
        assert_eq!(width_from(None, true, Some("132")), 132);
        // Piped: the terminal's width does not count.
        assert_eq!(width_from(None, false, Some("132")), 100);
        assert_eq!(width_from(None, true, None), 100);
        assert_eq!(width_from(None, true, Some("wide")), 100);
        assert_eq!(width_from(None, true, Some("0")), 100);
    }

    #[test]
    fn the_longest_word_wins() {
        let out = highlight("C9: NOT CHECKED YET\n");
        assert_eq!(out.matches("\u{1b}[0m").count(), 1, "{out:?}");
    }
}
