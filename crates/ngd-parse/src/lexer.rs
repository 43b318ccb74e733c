//! Tokenizer: one linear pass over the source, producing tokens with byte spans.

use crate::error::ParseError;
use std::ops::Range;

/// The kinds of token of the expression language.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Tok {
    Num,
    Ident,
    Plus,
    Minus,
    Star,
    Slash,
    /// `^` or `**`.
    Caret,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Eq,
    DotDot,
    Eof,
}

impl Tok {
    /// True for tokens that can begin an operand (used to diagnose juxtaposition).
    pub(crate) fn starts_operand(self) -> bool {
        matches!(self, Tok::Num | Tok::Ident | Tok::LParen)
    }
}

/// A token and its byte span.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub(crate) fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

pub(crate) fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

pub(crate) fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// An error for the (possibly non-ASCII) character starting at byte `i`.
pub(crate) fn bad_char(src: &str, i: usize) -> ParseError {
    let c = src[i..].chars().next().unwrap_or('\u{fffd}');
    let span = i..i + c.len_utf8();
    if c.is_ascii() {
        ParseError::new(format!("unexpected character `{}`", c.escape_debug()), span)
    } else {
        ParseError::new(
            format!("unexpected non-ASCII character `{}`", c.escape_debug()),
            span,
        )
        .with_help("expressions use ASCII only: write `*` for products, `sqrt(x)` for roots")
    }
}

/// Splits `src` into tokens; the last token is always `Eof` with the empty span at the end.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let b = src.as_bytes();
    let n = b.len();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < n {
        let c = b[i];
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'0'..=b'9' => {
                i = scan_number(b, i);
                Tok::Num
            }
            b'.' => {
                if i + 1 < n && b[i + 1] == b'.' {
                    i += 2;
                    Tok::DotDot
                } else if i + 1 < n && b[i + 1].is_ascii_digit() {
                    i = scan_number(b, i);
                    Tok::Num
                } else {
                    return Err(ParseError::new("unexpected `.`", i..i + 1)
                        .with_help("write decimals as `0.5` and index ranges as `1..n`"));
                }
            }
            c if is_ident_start(c) => {
                while i < n && is_ident_continue(b[i]) {
                    i += 1;
                }
                Tok::Ident
            }
            b'+' => {
                i += 1;
                Tok::Plus
            }
            b'-' => {
                i += 1;
                Tok::Minus
            }
            b'*' => {
                if i + 1 < n && b[i + 1] == b'*' {
                    i += 2;
                    Tok::Caret
                } else {
                    i += 1;
                    Tok::Star
                }
            }
            b'/' => {
                i += 1;
                Tok::Slash
            }
            b'^' => {
                i += 1;
                Tok::Caret
            }
            b'(' => {
                i += 1;
                Tok::LParen
            }
            b')' => {
                i += 1;
                Tok::RParen
            }
            b'[' => {
                i += 1;
                Tok::LBracket
            }
            b']' => {
                i += 1;
                Tok::RBracket
            }
            b',' => {
                i += 1;
                Tok::Comma
            }
            b'=' => {
                i += 1;
                Tok::Eq
            }
            _ => return Err(bad_char(src, i)),
        };
        toks.push(Token {
            kind,
            start,
            end: i,
        });
    }
    toks.push(Token {
        kind: Tok::Eof,
        start: n,
        end: n,
    });
    Ok(toks)
}

/// Scans `digits ['.' digits] [(e|E) [+-] digits]` from `i` (which is a digit, or a `.`
/// followed by a digit) and returns the end. A `.` followed by `.` is left for `..`; an `e`
/// not followed by an exponent is left for the next token.
fn scan_number(b: &[u8], mut i: usize) -> usize {
    let n = b.len();
    while i < n && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < n && b[i] == b'.' && !(i + 1 < n && b[i + 1] == b'.') {
        i += 1;
        while i < n && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < n && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < n && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < n && b[j].is_ascii_digit() {
            while j < n && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers_ranges_and_powers() {
        use Tok::*;
        assert_eq!(kinds("1..n"), vec![Num, DotDot, Ident, Eof]);
        assert_eq!(kinds("1.5..2"), vec![Num, DotDot, Num, Eof]);
        assert_eq!(kinds("2.5E2"), vec![Num, Eof]);
        assert_eq!(kinds("1e-3"), vec![Num, Eof]);
        assert_eq!(kinds("2e"), vec![Num, Ident, Eof]);
        assert_eq!(kinds("2ex"), vec![Num, Ident, Eof]);
        assert_eq!(kinds(".5"), vec![Num, Eof]);
        assert_eq!(kinds("x**2"), vec![Ident, Caret, Num, Eof]);
        assert_eq!(kinds("x * *2"), vec![Ident, Star, Star, Num, Eof]);
        let t = tokenize("1e+3x").unwrap();
        assert_eq!((t[0].start, t[0].end), (0, 4));
    }

    #[test]
    fn bad_characters() {
        let e = tokenize("x + é").unwrap_err();
        assert_eq!(e.span, 4..6);
        let e = tokenize("x $ y").unwrap_err();
        assert_eq!(e.span, 2..3);
        let e = tokenize("x . y").unwrap_err();
        assert_eq!(e.span, 2..3);
    }
}
