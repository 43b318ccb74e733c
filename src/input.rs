//! Input files, where `-` means standard input (a case piped from another program, or a
//! report piped into `recheck`).

use ngd_case::{Case, InputError};
use std::io::Read;

/// The path that means standard input.
pub const STDIN_PATH: &str = "-";

/// The name of standard input in messages and in a report's `source`.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads and validates the case file `path`, or the case on standard input for `-`.
pub fn load_case(path: &str) -> Result<Case, InputError> {
    if path != STDIN_PATH {
        return ngd_case::load_case(path);
    }
    let bytes = read_stdin("case file", ngd_case::MAX_CASE_BYTES)?;
    let src = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        let (line, col) = ngd_case::line_col(&valid, at);
        InputError::plain(
            format!(
                "the case on {STDIN_NAME} is not valid UTF-8: invalid byte at line {line}, \
                 column {col} (byte offset {at})"
            ),
            Some("case files are UTF-8 text".into()),
        )
    })?;
    ngd_case::parse_case(STDIN_NAME, &src)
}

/// The bytes of the file `path` (a regular file, at most `limit` bytes), or of standard input
/// for `-`; `what` names the input in messages.
pub fn read_input(path: &str, what: &str, limit: usize) -> Result<Vec<u8>, InputError> {
    if path == STDIN_PATH {
        read_stdin(what, limit)
    } else {
        ngd_case::read_input_file(path, what, limit)
    }
}

/// The name of `path` in messages and titles.
pub fn display_name(path: &str) -> &str {
    if path == STDIN_PATH {
        STDIN_NAME
    } else {
        path
    }
}

/// Standard input to its end, at most `limit` bytes (at most `limit + 1` are read).
fn read_stdin(what: &str, limit: usize) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            InputError::plain(format!("cannot read the {what} on {STDIN_NAME}: {e}"), None)
        })?;
    if bytes.len() > limit {
        return Err(InputError::plain(
            format!("the {what} on {STDIN_NAME} is larger than the limit of {limit} bytes"),
            None,
        ));
    }
    Ok(bytes)
}
