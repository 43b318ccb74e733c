//! Input errors with a source location, rendered as `file:line:col` with the offending text
//! underlined, in the style of compiler diagnostics.
//!
//! The renderer is our own because it must survive hostile input: a 10 MB single-line
//! expression is shown as a window around the error, never in full (a general-purpose
//! diagnostic crate we tried panicked on such lines).

use std::fmt::Write as _;
use std::ops::Range;

/// Characters of a source line shown on each side of the error.
const WINDOW: usize = 60;

/// A bad-input error: exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// What is wrong.
    pub message: String,
    location: Option<Box<Location>>,
    help: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Location {
    name: String,
    line: usize,
    col: usize,
    /// The shown part of the line, and the underline's start and length in characters.
    excerpt: String,
    mark_start: usize,
    mark_len: usize,
    label: String,
}

impl InputError {
    /// An error located at `span` (byte range) of the named source text.
    pub fn at(
        name: &str,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> InputError {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.min(source.len()).max(start));
        let (line, col) = line_col(source, start);
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let text = &source[line_start..line_end];
        let chars: Vec<char> = text.chars().collect();
        let col0 = col - 1;
        let span_chars = source[start..end.min(line_end)].chars().count().max(1);
        let from = col0.saturating_sub(WINDOW);
        let to = (col0 + span_chars.min(WINDOW) + WINDOW).min(chars.len());
        let mut excerpt: String = chars[from..to.max(from)]
            .iter()
            .map(|&c| if c == '\t' { ' ' } else { c })
            .collect();
        let mut mark_start = col0 - from;
        if from > 0 {
            excerpt.insert_str(0, "...");
            mark_start += 3;
        }
        if to < chars.len() {
            excerpt.push_str("...");
        }
        InputError {
            message: message.into(),
            location: Some(Box::new(Location {
                name: name.to_string(),
                line,
                col,
                excerpt,
                mark_start,
                mark_len: span_chars.min(WINDOW),
                label: label.into(),
            })),
            help,
        }
    }

    /// An error without a location in any text (e.g. an unreadable file).
    pub fn plain(message: impl Into<String>, help: Option<String>) -> InputError {
        InputError {
            message: message.into(),
            location: None,
            help,
        }
    }

    /// The message with the location and the underlined text, ready for stderr.
    pub fn render(&self) -> String {
        let mut out = format!("error: {}\n", self.message);
        if let Some(l) = &self.location {
            let num = l.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, "{pad}--> {}:{}:{}", l.name, l.line, l.col);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {}", l.excerpt);
            let _ = writeln!(
                out,
                "{pad} | {}{} {}",
                " ".repeat(l.mark_start),
                "^".repeat(l.mark_len),
                l.label
            );
        }
        if let Some(h) = &self.help {
            let _ = writeln!(out, "help: {h}");
        }
        out
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

/// 1-based line and column of a byte offset (columns count characters).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_and_caret() {
        let src = "a = 1\nobjective = \"x*z\"\n";
        let e = InputError::at(
            "t.case",
            src,
            20..21,
            "unknown variable `z`",
            "not declared",
            None,
        );
        let r = e.render();
        assert!(r.contains("unknown variable `z`"), "{r}");
        assert!(r.contains("t.case:2:15"), "{r}");
        assert!(
            r.contains("2 | objective = \"x*z\"\n  |               ^ not declared"),
            "{r}"
        );
        assert_eq!(line_col(src, 20), (2, 15));
    }

    #[test]
    fn long_lines_are_windowed() {
        let src = format!("x = \"{}z{}\"", "a".repeat(5000), "b".repeat(5000));
        let e = InputError::at("t", &src, 5005..5006, "bad", "here", None);
        let r = e.render();
        assert!(r.len() < 600, "{r}");
        assert!(r.contains("t:1:5006"), "{r}");
        let line = r.lines().find(|l| l.contains('z')).unwrap();
        let caret = r.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(line.find('z'), caret.find('^'), "{r}");
    }
}
