//! One function per subcommand: read the input, call the library (`ngd-report`), render.
//! Each returns the text for stdout and the exit status, or an input error (exit status 2).

mod discover;
mod generate;
mod harness;
mod recheck;
mod report;

pub use discover::discover;
pub use generate::{completions, man, schema};
pub use harness::{merge, run};
pub use recheck::recheck;
pub use report::{check_identity, report};

/// What a command writes to stdout, and its exit status.
pub struct Output {
    /// The rendered result.
    pub text: String,
    /// The process exit status.
    pub status: u8,
    /// Whether the text is a rendered report whose status words may be coloured (text format).
    pub colourable: bool,
    /// Whether a signal stopped the harness and the output holds the runs finished by then.
    pub interrupted: bool,
}

impl Output {
    /// A rendered result in `format`; colourable when the format is text.
    pub fn rendered(text: String, status: u8, format: ngd_report::render::Format) -> Output {
        Output {
            text,
            status,
            colourable: format == ngd_report::render::Format::Text,
            interrupted: false,
        }
    }
}
