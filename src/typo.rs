//! Mistyped subcommands. The report is the default command, so clap reads `ngd-verify discovr
//! x.case` as the case path `discovr` plus a stray argument; this looks at the first positional
//! argument before clap does and, when it is no subcommand, no existing file and close to a
//! subcommand's name, answers with clap's own "unrecognized subcommand" error and a tip.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::Command;
use std::ffi::OsString;
use std::path::Path;

/// Similarity above which a word is taken for a subcommand (clap's own threshold).
const SIMILAR: f64 = 0.7;

/// The error for a mistyped subcommand in `argv` (with the program name first), if any.
pub fn mistyped_subcommand(cmd: &mut Command, argv: &[OsString]) -> Option<clap::Error> {
    let word = first_positional(cmd, argv)?.to_str()?.to_owned();
    if !looks_like_a_subcommand(&word) || Path::new(&word).exists() {
        return None;
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .flat_map(|s| std::iter::once(s.get_name()).chain(s.get_all_aliases()))
        .map(str::to_owned)
        .collect();
    if names.contains(&word) {
        return None;
    }
    let (score, best) = names
        .iter()
        .map(|n| (strsim::jaro(&word, n), n))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    if score <= SIMILAR {
        return None;
    }
    let usage = cmd.render_usage();
    let mut err = clap::Error::new(ErrorKind::InvalidSubcommand).with_cmd(cmd);
    err.insert(
        ContextKind::InvalidSubcommand,
        ContextValue::String(word.clone()),
    );
    err.insert(
        ContextKind::SuggestedSubcommand,
        ContextValue::String(best.clone()),
    );
    err.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(vec![format!(
            "no case file '{word}' exists either (a case path for the default report command)"
        )
        .into()]),
    );
    err.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
    Some(err)
}

/// A plain word, as subcommand names are (a path has a `.` or a `/`).
fn looks_like_a_subcommand(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !word.starts_with('-')
}

/// The first argument that is neither a flag nor a flag's value (`None` after `--`).
fn first_positional<'a>(cmd: &Command, argv: &'a [OsString]) -> Option<&'a OsString> {
    let mut args = argv.iter().skip(1);
    while let Some(a) = args.next() {
        let Some(s) = a.to_str() else {
            return Some(a);
        };
        if s == "--" {
            return None;
        }
        if let Some(long) = s.strip_prefix("--") {
            if !long.contains('=') && takes_value(cmd, long) {
                args.next();
            }
            continue;
        }
        if s.starts_with('-') && s != "-" {
            continue;
        }
        return Some(a);
    }
    None
}

/// Whether the top-level flag `--long` takes a value.
fn takes_value(cmd: &Command, long: &str) -> bool {
    cmd.get_arguments()
        .find(|a| a.get_long() == Some(long))
        .is_some_and(|a| a.get_action().takes_values())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    fn typo(args: &[&str]) -> Option<String> {
        let argv: Vec<OsString> = std::iter::once("ngd-verify")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        mistyped_subcommand(&mut Cli::command(), &argv).map(|e| e.to_string())
    }

    #[test]
    fn close_words_suggest_the_subcommand() {
        let e = typo(&["discovr", "x.case"]).expect("a typo");
        assert!(e.contains("unrecognized subcommand 'discovr'"), "{e}");
        assert!(e.contains("'discover'"), "{e}");
        assert!(e.contains("no case file 'discovr'"), "{e}");
        let e = typo(&["--format", "json", "rum", "x.case"]).expect("a typo after a flag");
        assert!(e.contains("'run'"), "{e}");
        assert!(typo(&["--threads=2", "mrege"]).is_some());
    }

    #[test]
    fn subcommands_paths_and_far_words_are_left_to_clap() {
        for args in [
            &["discover", "x.case"][..],
            &["cases/cubic.case"],
            &["cubic.case"],
            &["-"],
            &["--", "discovr"],
            &["zzzzzz"],
            &["--format", "json"],
        ] {
            assert_eq!(typo(args), None, "{args:?}");
        }
    }
}
