//! `completions SHELL`, `man` and `schema OUTPUT`: generated from the command line's definition, so they always
//! match it.

use super::Output;
use crate::cli::Cli;
use clap::CommandFactory;

/// The completion script of `shell`.
pub fn completions(shell: clap_complete::Shell) -> Output {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "ngd-verify", &mut script);
    plain(script)
}

/// The manual page, in roff.
pub fn man() -> Output {
    let mut page = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut page);
    plain(page)
}

/// The JSON Schema of the output `name` (one of the names `schema` accepts).
pub fn schema(name: &str) -> Output {
    let file = format!("{name}.json");
    let text = ngd_report::schema::schemas()
        .into_iter()
        .find(|(f, _)| *f == file)
        .map(|(_, text)| text)
        .unwrap_or_default();
    plain(text.into_bytes())
}

fn plain(bytes: Vec<u8>) -> Output {
    Output {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        status: 0,
        colourable: false,
        interrupted: false,
    }
}
