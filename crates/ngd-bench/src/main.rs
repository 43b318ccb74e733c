//! `ngd-bench`: ngd-verify's side of the peer benchmark in `bench/` (run it through
//! `bash bench/run.sh`, which also runs the peers and prints the tables).
//!
//! ```text
//! ngd-bench identity  CASE [--reps N] [--budget SECONDS]
//! ngd-bench discovery CASE [--reps N] [--budget SECONDS] [--full-reps N]
//! ngd-bench ngd       CASE [--reps N] [--budget SECONDS] [--iters N] [--threads N]
//!                          [--simd portable|avx2|avx512]
//! ngd-bench sos       CASE [--reps N] [--budget SECONDS] [--once]
//! ngd-bench spawn [--reps N] [--warmup N] [--label TEXT] -- CMD ARGS...
//! ngd-bench list {identity|discovery|ngd|sos}
//! ```
//!
//! Every command prints one JSON line. Cases come from `bench/cases.json` (embedded at
//! compile time), the file the Python peers read too. Times are wall clock: one untimed
//! warm-up, then the median of `--reps` timed repetitions (default 5; fewer when they add
//! up to more than `--budget` seconds, default 60). `peak_rss_kib` is this process's
//! `ru_maxrss` at the end, so run one case per process (as `bench/run.sh` does). `spawn`
//! times whole processes (spawn to exit) and reports the child's own peak RSS. `sos CASE
//! --once` proves the case once and prints the outcome (no JSON): the process `spawn` times.

mod cases;
mod discovery;
mod identity;
mod ngd;
mod sos;
mod spawn;
mod stats;

use cases::{find, Cases};
use stats::Plan;
use std::process::ExitCode;

const USAGE: &str = "usage:
  ngd-bench identity  CASE [--reps N] [--budget SECONDS]
  ngd-bench discovery CASE [--reps N] [--budget SECONDS] [--full-reps N]
  ngd-bench ngd       CASE [--reps N] [--budget SECONDS] [--iters N] [--threads N]
                           [--simd portable|avx2|avx512]
  ngd-bench sos       CASE [--reps N] [--budget SECONDS] [--once]
  ngd-bench spawn [--reps N] [--warmup N] [--label TEXT] -- CMD ARGS...
  ngd-bench list {identity|discovery|ngd|sos}";

/// Parsed command line: the positional words and the `--name value` options.
struct Args {
    words: Vec<String>,
    reps: usize,
    budget_s: f64,
    full_reps: usize,
    warmup: usize,
    iters: Option<u64>,
    threads: usize,
    simd: Option<String>,
    label: String,
    once: bool,
    command: Vec<String>,
}

fn parse_args(raw: &[String]) -> Result<Args, String> {
    let mut a = Args {
        words: Vec::new(),
        reps: 5,
        budget_s: 60.0,
        full_reps: 3,
        warmup: 1,
        iters: None,
        threads: 1,
        simd: None,
        label: String::new(),
        once: false,
        command: Vec::new(),
    };
    let mut it = raw.iter();
    while let Some(w) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let num = |name: &str, v: String| {
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| format!("{name}: not a non-negative number: {v}"))
        };
        match w.as_str() {
            "--reps" => a.reps = num("--reps", value("--reps")?)? as usize,
            "--budget" => a.budget_s = num("--budget", value("--budget")?)?,
            "--full-reps" => a.full_reps = num("--full-reps", value("--full-reps")?)? as usize,
            "--warmup" => a.warmup = num("--warmup", value("--warmup")?)? as usize,
            "--iters" => a.iters = Some(num("--iters", value("--iters")?)? as u64),
            "--threads" => a.threads = (num("--threads", value("--threads")?)? as usize).max(1),
            "--simd" => a.simd = Some(value("--simd")?),
            "--label" => a.label = value("--label")?,
            "--once" => a.once = true,
            "--" => {
                a.command = it.cloned().collect();
                break;
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => a.words.push(w.clone()),
        }
    }
    Ok(a)
}

fn run(raw: &[String]) -> Result<String, String> {
    let a = parse_args(raw)?;
    let plan = Plan {
        reps: a.reps,
        budget_s: a.budget_s,
    };
    let cases = || Cases::embedded();
    let case_name = || a.words.get(1).cloned().ok_or_else(|| USAGE.to_string());
    let record = match a.words.first().map(String::as_str) {
        Some("identity") => {
            let all = cases();
            identity::run(find(&all.identity, &case_name()?, |c| &c.name)?, plan)
        }
        Some("discovery") => {
            let all = cases();
            let c = find(&all.discovery, &case_name()?, |c| &c.name)?;
            let full = (a.full_reps > 0).then_some(Plan {
                reps: a.full_reps,
                ..plan
            });
            discovery::run(c, plan, full)
        }
        Some("ngd") => {
            let all = cases();
            let c = find(&all.ngd, &case_name()?, |c| &c.name)?;
            let setup = ngd::Setup {
                iterations: a.iters,
                threads: a.threads,
                simd: ngd::simd_level(a.simd.as_deref())?,
            };
            ngd::run(c, plan, setup)?
        }
        Some("sos") => {
            let all = cases();
            let c = find(&all.sos, &case_name()?, |c| &c.name)?;
            if a.once {
                return Ok(sos::once(c));
            }
            sos::run(c, plan)?
        }
        Some("spawn") => spawn::run(&a.command, a.warmup, a.reps, &a.label)?,
        Some("list") => {
            let all = cases();
            let names: Vec<&str> = match a.words.get(1).map(String::as_str) {
                Some("identity") => all.identity.iter().map(|c| c.name.as_str()).collect(),
                Some("discovery") => all.discovery.iter().map(|c| c.name.as_str()).collect(),
                Some("ngd") => all.ngd.iter().map(|c| c.name.as_str()).collect(),
                Some("sos") => all.sos.iter().map(|c| c.name.as_str()).collect(),
                _ => return Err(USAGE.into()),
            };
            return Ok(names.join("\n"));
        }
        _ => return Err(USAGE.into()),
    };
    Ok(record.to_string())
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    match run(&raw) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ngd-bench: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_and_command_tail_are_parsed() {
        let a = parse_args(&strings(&[
            "spawn", "--reps", "7", "--label", "x", "--", "echo", "--reps",
        ]))
        .unwrap();
        assert_eq!(a.words, ["spawn"]);
        assert_eq!((a.reps, a.label.as_str()), (7, "x"));
        assert_eq!(a.command, ["echo", "--reps"]);
        assert!(parse_args(&strings(&["ngd", "--iters"])).is_err());
        assert!(parse_args(&strings(&["ngd", "--bogus", "1"])).is_err());
    }

    #[test]
    fn list_and_usage() {
        assert!(run(&strings(&["list", "identity"]))
            .unwrap()
            .contains("mat6"));
        assert!(run(&strings(&["nope"])).is_err());
        assert!(run(&strings(&["identity", "nope"])).is_err());
        assert!(run(&strings(&["list", "sos"]))
            .unwrap()
            .contains("product6"));
        assert!(run(&strings(&["sos", "product9"])).is_err());
        assert_eq!(
            run(&strings(&["sos", "product3", "--once"])).unwrap(),
            "proved"
        );
    }
}
