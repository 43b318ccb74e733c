//! Line layout of the text and Markdown reports: word wrapping at a given width with a
//! hanging indent. Lines break only at spaces, so a number or a formula token (anything
//! without a space) is never split; a token longer than the width stays whole on its own line.

/// The width of the text report when the caller states none (and of a piped report).
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest width honoured: below it the indents alone would fill the line.
pub const MIN_WIDTH: usize = 40;

/// How the text and Markdown reports are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextOptions {
    /// Lines are wrapped to at most this many characters (a single token longer than the
    /// line is the only exception); values below [`MIN_WIDTH`] count as [`MIN_WIDTH`].
    pub width: usize,
    /// Print the explanations of the rules (the same in every report) once, in a section of
    /// their own, instead of a one-line pointer to `--explain`.
    pub explain: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            width: DEFAULT_WIDTH,
            explain: false,
        }
    }
}

impl TextOptions {
    /// The width actually used (at least [`MIN_WIDTH`]).
    pub fn effective_width(&self) -> usize {
        self.width.max(MIN_WIDTH)
    }
}

/// `text` wrapped to `width` columns: the first line starts with `first`, every further line
/// with `rest` (the hanging indent); each line ends with a newline. Runs of spaces inside a
/// line are kept (they align columns); a break consumes the spaces at it.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut line = String::from(first);
    let mut line_len = first.chars().count();
    // Whether `line` holds a word yet (an indent alone is no content).
    let mut has_word = false;
    for (gap, word) in words_with_gaps(text) {
        let word_len = word.chars().count();
        let gap_len = if has_word { gap.chars().count() } else { 0 };
        if has_word && line_len + gap_len + word_len > width {
            out.push_str(&line);
            out.push('\n');
            line = String::from(rest);
            line_len = rest.chars().count();
            has_word = false;
        }
        if has_word {
            line.push_str(gap);
            line_len += gap_len;
        }
        line.push_str(word);
        line_len += word_len;
        has_word = true;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// The words of `text` (runs without a space), each with the spaces before it.
fn words_with_gaps(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let word_start = rest.find(|c| c != ' ').unwrap_or(rest.len());
        let (gap, tail) = rest.split_at(word_start);
        if tail.is_empty() {
            break;
        }
        let word_end = tail.find(' ').unwrap_or(tail.len());
        let (word, after) = tail.split_at(word_end);
        out.push((gap, word));
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_line(s: &str) -> usize {
        s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    #[test]
    fn wraps_at_spaces_with_a_hanging_indent() {
        let text = "Q < 0 from (-0.335015, -2.984945) to (-0.973141, -1.027600) (75 points)";
        let out = wrap(text, 30, "  - ", "    ");
        assert!(max_line(&out) <= 30, "{out}");
        for line in out.lines().skip(1) {
            assert!(
                line.starts_with("    ") && !line.starts_with("     "),
                "{out}"
            );
        }
        // Nothing lost, nothing split: the words joined back give the text.
        let words: Vec<&str> = out.split_whitespace().collect();
        let mut expected = vec!["-"];
        expected.extend(text.split_whitespace());
        assert_eq!(words, expected);
    }

    #[test]
    fn a_token_longer_than_the_width_stays_whole_on_its_own_line() {
        let long = "1.23456789012345678901234567890e-140";
        let out = wrap(&format!("value {long} end"), 20, "", "  ");
        assert_eq!(out, format!("value\n  {long}\n  end\n"));
    }

    #[test]
    fn a_short_line_is_unchanged_and_keeps_inner_spacing() {
        assert_eq!(wrap("a  b", 80, "  ", "    "), "  a  b\n");
        assert_eq!(wrap("", 80, "  key:", "    "), "  key:\n");
    }

    #[test]
    fn options_never_go_below_the_minimum_width() {
        let o = TextOptions {
            width: 3,
            explain: false,
        };
        assert_eq!(o.effective_width(), MIN_WIDTH);
        assert_eq!(TextOptions::default().effective_width(), DEFAULT_WIDTH);
    }
}
