//! The error type of the crate.

use std::fmt;
use std::ops::Range;

/// A parse or semantic error in an expression or a variable declaration.
///
/// `span` is a byte range into the text that was parsed; it always lies within that text and
/// on UTF-8 character boundaries (it may be empty, e.g. `len..len` at the end of the input).
/// `help`, when present, is one line suggesting a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, in one line (no trailing period).
    pub message: String,
    /// The offending text, as a byte range into the parsed source.
    pub span: Range<usize>,
    /// An optional one-line suggestion.
    pub help: Option<String>,
}

impl ParseError {
    pub(crate) fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        ParseError {
            message: message.into(),
            span,
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for ParseError {
    /// Writes the message only (the caller renders span and help).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}
