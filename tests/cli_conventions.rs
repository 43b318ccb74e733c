//! The command-line conventions: global flags in any position, subcommand typos, shell
//! completions and the man page, `-` for standard input, checks of flag values and output paths
//! before the work, `--summary`, colour only where wanted, and partial results on SIGINT /
//! SIGTERM.

mod support;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::{run_binary, run_limited, stdout_text, temp_case};

const XY: &str = "cases/xy.case";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ngd-verify"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn stderr_text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs the binary with `input` on its standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_vec();
    // Written from a thread: the child may answer before it has read everything.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("the binary ends");
    let _ = writer.join();
    out
}

/// Asserts exit status 2, a message starting with `error: ` that contains every `needle`, and
/// nothing on stdout.
fn assert_usage_error(o: &Output, needles: &[&str]) {
    let err = stderr_text(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    for n in needles {
        assert!(err.contains(n), "no `{n}` in: {err}");
    }
    assert!(o.stdout.is_empty(), "{}", stdout_text(o));
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout_text(o), stderr_text(o)))
}

#[test]
fn global_flags_work_before_and_after_the_subcommand() {
    let run = ["run", XY, "--starts", "4", "--iterations", "300"];
    let before = run_binary(&[&["--format", "json"][..], &run].concat());
    let after = run_binary(&[&run[..], &["--format", "json"]].concat());
    assert_eq!(before.status.code(), Some(0), "{}", stderr_text(&before));
    assert_eq!(before.stdout, after.stdout);
    assert_eq!(json(&before)["runs"].as_array().map(Vec::len), Some(4));
    // The thread count never changes the numbers.
    let one = run_binary(&[&["--threads", "1"][..], &run, &["--format", "json"]].concat());
    let three = run_binary(&[&run[..], &["--threads", "3", "--format", "json"]].concat());
    assert_eq!(one.stdout, before.stdout);
    assert_eq!(three.stdout, before.stdout);
    let identity = ["check-identity", "(x*y - 1)^2", "(x^2 - y^2)^2"];
    let a = run_binary(&[&["--format", "json"][..], &identity].concat());
    let b = run_binary(&[&identity[..], &["--format", "json"]].concat());
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    json(&a);
}

#[test]
fn report_flags_do_not_go_with_another_subcommand() {
    let o = run_binary(&["--max-boxes", "10", "run", XY]);
    assert_usage_error(&o, &["--max-boxes", "'run'"]);
    let o = run_binary(&[XY, "run", XY]);
    assert_usage_error(&o, &["<CASE>", "'run'"]);
}

#[test]
fn mistyped_subcommands_suggest_the_right_one() {
    for (args, want) in [
        (&["discovr", XY][..], "'discover'"),
        (&["discovr"], "'discover'"),
        (&["--format", "json", "rum", XY], "'run'"),
        (&["mrege", "a.json"], "'merge'"),
        (&["check-identiy", "x", "y"], "'check-identity'"),
    ] {
        let o = run_binary(args);
        let typed = args.iter().find(|a| !a.starts_with('-') && **a != "json");
        let typed = typed.expect("a word");
        assert_usage_error(
            &o,
            &[
                &format!("unrecognized subcommand '{typed}'"),
                want,
                &format!("no case file '{typed}'"),
            ],
        );
    }
    // A missing case path that is no near subcommand stays a missing file.
    let o = run_binary(&["cases/no-such.case"]);
    assert_usage_error(&o, &["cannot read case file `cases/no-such.case`"]);
}

#[test]
fn completions_generate_for_every_shell_and_the_man_page_renders() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run_binary(&["completions", shell]);
        let script = stdout_text(&o);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr_text(&o));
        // Long flags without their dashes: fish writes `-l summary`.
        for word in [
            "ngd-verify",
            "check-identity",
            "discover",
            "summary",
            "threads",
        ] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    let o = run_binary(&["completions", "tcsh"]);
    assert_usage_error(&o, &["invalid value 'tcsh'"]);
    let o = run_binary(&["man"]);
    let page = stdout_text(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(page.contains(".TH ngd-verify 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "no {section}: {page}");
    }
    assert!(page.contains("check\\-identity"), "{page}");
    // A page `man` can typeset, where it is installed.
    if let Ok(mut man) = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        let mut stdin = man.stdin.take().expect("piped");
        stdin
            .write_all(page.as_bytes())
            .expect("man reads the page");
        drop(stdin);
        let shown = man.wait_with_output().expect("man ends");
        if shown.status.success() {
            assert!(String::from_utf8_lossy(&shown.stdout).contains("SUBCOMMANDS"));
        }
    }
}

#[test]
fn a_dash_reads_the_case_or_the_report_from_standard_input() {
    let case = std::fs::read(XY).expect("the shipped case");
    let run = [
        "run",
        "-",
        "--starts",
        "4",
        "--iterations",
        "300",
        "--format",
        "json",
    ];
    let piped = run_with_stdin(&run, &case);
    let mut from_file = run;
    from_file[1] = XY;
    let direct = run_binary(&from_file);
    assert_eq!(piped.status.code(), Some(0), "{}", stderr_text(&piped));
    assert_eq!(piped.stdout, direct.stdout);

    let report = run_with_stdin(&["-", "--format", "json"], &case);
    assert_eq!(report.status.code(), Some(0), "{}", stderr_text(&report));
    let v = json(&report);
    assert_eq!(v["case"]["source"], "<stdin>");
    let recheck = run_with_stdin(&["recheck", "-"], &report.stdout);
    assert_eq!(recheck.status.code(), Some(0), "{}", stderr_text(&recheck));
    assert!(stdout_text(&recheck).contains("<stdin>"));

    let discover = run_with_stdin(&["discover", "-"], &case);
    assert_eq!(
        discover.status.code(),
        Some(0),
        "{}",
        stderr_text(&discover)
    );
    assert_eq!(
        stdout_text(&discover).replace("source: <stdin>", &format!("source: {XY}")),
        stdout_text(&run_binary(&["discover", XY]))
    );

    let bad = run_with_stdin(&["-"], b"variables = [\"x\"]\nobjective = \"x^2 +\"\n");
    assert_usage_error(&bad, &["<stdin>:2"]);
    let bytes = run_with_stdin(&["-"], b"variables = [\"x\"]\n\xff\n");
    assert_usage_error(&bytes, &["<stdin>", "not valid UTF-8", "line 2"]);
}

/// A case whose harness would run for hours: `starts` runs of 10^6 steps (NGD and GD); its
/// checks take a fraction of a second.
fn endless_case(group: &str, starts: u64) -> String {
    let body = format!(
        "title = \"endless (xy - 1)^2\"\nvariables = [\"x\", \"y\"]\n\
         objective = \"(x*y - 1)^2\"\nregularizer = \"(x^2 - y^2)^2\"\n\
         [ngd]\nstarts = {starts}\niterations = 1000000\n"
    );
    let path = temp_case(group, &format!("endless-{starts}.case"), &body);
    path.to_string_lossy().into_owned()
}

#[test]
fn a_bad_plot_folder_fails_before_the_runs() {
    // The most starts whose trajectories may be recorded: 3 * 10^10 steps.
    let case = endless_case("plots", 15_000);
    let dir = std::env::temp_dir().join(format!("ngd-verify-plots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let file = dir.join("a-file.svg");
    std::fs::write(&file, "not a folder").expect("a file");
    let under_file = file.join("plots");
    for (plots, why) in [(&file, "not a folder"), (&under_file, "cannot write plots")] {
        let mut cmd = bin();
        cmd.args(["run", &case, "--plots"]).arg(plots);
        // Hours of runs if the folder were checked after them.
        let r = run_limited(cmd, Duration::from_secs(300));
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.and_then(|s| s.code()), Some(2), "{err}");
        assert!(err.contains("--plots") && err.contains(why), "{err}");
        assert!(r.stdout.is_empty());
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
    let fresh = dir.join("new").join("plots");
    let o = run_binary(
        &["run", XY, "--starts", "2", "--iterations", "100", "--plots"]
            .iter()
            .copied()
            .chain([fresh.to_str().unwrap()])
            .collect::<Vec<_>>(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr_text(&o));
    assert!(fresh.join("values.svg").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(&fresh)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn flag_values_are_checked_with_the_rule_they_break() {
    let cases: [(&[&str], &[&str]); 8] = [
        (&["run", XY, "--starts", "0"], &["--starts", ">= 1"]),
        (&["run", XY, "--iterations", "0"], &["--iterations", ">= 1"]),
        (
            &["run", XY, "--a0", "-1"],
            &["--a0", "positive finite number"],
        ),
        (
            &["run", XY, "--a0", "0"],
            &["--a0", "positive finite number"],
        ),
        (
            &["run", XY, "--a0", "nan"],
            &["--a0", "positive finite number"],
        ),
        (
            &["run", XY, "--power", "-1"],
            &["--power", "finite number >= 0"],
        ),
        (
            &["run", XY, "--power", "inf"],
            &["--power", "finite number >= 0"],
        ),
        (&["--threads", "0", XY], &["--threads", ">= 1"]),
    ];
    for (args, needles) in cases {
        let o = run_binary(args);
        assert_usage_error(&o, needles);
        // No advice to pass the value after `--`: that would make it a positional argument.
        assert!(
            !stderr_text(&o).contains("tip: to pass"),
            "{}",
            stderr_text(&o)
        );
    }
}

#[test]
fn summary_gives_one_row_per_check() {
    let text = run_binary(&[XY, "--summary"]);
    let out = stdout_text(&text);
    assert_eq!(text.status.code(), Some(0), "{}", stderr_text(&text));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("ngd-verify ") && lines[0].contains("summary"));
    assert!(lines[1].starts_with("check") && lines[1].contains("evidence"));
    for check in [
        "C1 conservation",
        "C3 flat minima",
        "C6 strictness",
        "verdict",
    ] {
        let row = lines.iter().find(|l| l.starts_with(check)).expect(check);
        assert!(!row.contains('\u{1b}'), "{row}");
    }
    assert!(out.contains("C1 conservation         PROVED"), "{out}");

    let js = run_binary(&["report", XY, "--summary", "--format", "json"]);
    let v = json(&js);
    let rows = v["rows"].as_array().expect("rows");
    assert!(rows.len() >= 9, "{v}");
    assert_eq!(rows[0]["check"], "C1 conservation");
    assert_eq!(rows[0]["evidence"], "proved");
    for r in rows {
        assert!(r["result"].is_string() && r["evidence"].is_string(), "{r}");
    }
    assert_eq!(v["exit_status"], js.status.code().unwrap());

    let id = run_binary(&[
        "check-identity",
        "(x*y - 1)^2",
        "(x^2 + y^2 - 2)^2",
        "--summary",
    ]);
    assert_eq!(id.status.code(), Some(1));
    assert!(stdout_text(&id).contains("REFUTED"), "{}", stdout_text(&id));
    let o = run_binary(&["--summary", "run", XY]);
    assert_usage_error(&o, &["--summary", "'run'"]);
}

#[test]
fn colour_only_on_request_and_never_in_a_pipe_or_with_no_color() {
    let plain = run_binary(&[XY]);
    assert!(
        !plain.stdout.contains(&0x1b),
        "piped output has escape codes"
    );
    let never = run_binary(&[XY, "--color", "never"]);
    assert_eq!(plain.stdout, never.stdout);
    let no_color = bin()
        .args([XY, "--summary", "--color", "auto"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!no_color.stdout.contains(&0x1b));
    let always = run_binary(&[XY, "--summary", "--color", "always"]);
    let coloured = stdout_text(&always);
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    let stripped = strip_escapes(&coloured);
    assert_eq!(stripped, stdout_text(&run_binary(&[XY, "--summary"])));
    // JSON is never coloured.
    let js = run_binary(&[XY, "--summary", "--format", "json", "--color", "always"]);
    json(&js);
    assert!(!js.stdout.contains(&0x1b));
}

/// `s` without its SGR escape sequences (`ESC [ ... m`).
fn strip_escapes(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Interruption: SIGINT / SIGTERM while the harness runs.
#[cfg(unix)]
mod interrupt {
    use super::*;
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;

    /// A child process stopped by a signal sent once it has been running for `wait`.
    struct Stopped {
        status: std::process::ExitStatus,
        stdout: Vec<u8>,
        stderr: String,
    }

    /// Runs the binary with `args`, sends `signal` (e.g. `-INT`) after `wait`, and collects it
    /// (killing it after five minutes, which fails the test).
    fn run_and_signal(
        args: &[&str],
        env: &[(&str, &str)],
        signal: &str,
        wait: Duration,
    ) -> Stopped {
        let mut child = bin()
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut out = child.stdout.take().expect("piped");
        let mut err = child.stderr.take().expect("piped");
        let t_out = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = out.read_to_end(&mut v);
            v
        });
        let t_err = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = err.read_to_end(&mut v);
            v
        });
        std::thread::sleep(wait);
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill {signal}");
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("try_wait") {
                break s;
            }
            if start.elapsed() > Duration::from_secs(300) {
                let _ = child.kill();
                panic!("still running five minutes after {signal}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Stopped {
            status,
            stdout: t_out.join().unwrap_or_default(),
            stderr: String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned(),
        }
    }

    /// Signals the command until the signal reaches its harness: a signal that came before the
    /// handlers were installed (the process died of it) is retried with a longer wait.
    fn interrupt_harness(args: &[&str], signal: &str) -> Stopped {
        let mut wait = Duration::from_secs(2);
        for _ in 0..5 {
            let s = run_and_signal(args, &[], signal, wait);
            if s.status.signal().is_none() {
                return s;
            }
            wait *= 2;
        }
        panic!("the signal never reached the harness of {args:?}");
    }

    #[test]
    fn sigint_stops_run_with_a_parseable_partial_result() {
        let case = endless_case("sigint", 100_000);
        let s = interrupt_harness(&["run", &case, "--format", "json"], "-INT");
        assert_eq!(s.status.code(), Some(130), "{}", s.stderr);
        let v: serde_json::Value =
            serde_json::from_slice(&s.stdout).expect("the partial result is JSON");
        assert_eq!(v["interrupted"], true);
        let runs = v["runs"].as_array().expect("runs").len();
        assert!(runs < 100_000, "{runs} runs");
        assert_eq!(v["config"]["starts"], 100_000);
        assert!(s.stderr.contains("SIGINT"), "{}", s.stderr);
    }

    #[test]
    fn sigterm_stops_run_and_the_text_says_incomplete() {
        let case = endless_case("sigterm", 100_000);
        let s = interrupt_harness(&["run", &case], "-TERM");
        assert_eq!(s.status.code(), Some(143), "{}", s.stderr);
        let text = String::from_utf8_lossy(&s.stdout);
        assert!(text.contains("INTERRUPTED"), "{text}");
    }

    /// The grace period ends the process with the signal's status whatever stage it is in
    /// (the checks before the harness do not read the flag): with a grace of 0 s, at once.
    #[test]
    fn the_grace_period_ends_the_process_with_the_signal_status() {
        let case = endless_case("grace", 100_000);
        for _ in 0..5 {
            let s = run_and_signal(
                &[&case, "--format", "json"],
                &[("NGD_VERIFY_SIGNAL_GRACE", "0")],
                "-TERM",
                Duration::from_millis(700),
            );
            if s.status.signal().is_some() {
                continue; // the signal came before the handlers: try again
            }
            assert_eq!(s.status.code(), Some(143), "{}", s.stderr);
            return;
        }
        panic!("the signal never reached the handlers");
    }

    #[test]
    fn an_interrupted_report_and_shard_are_marked() {
        let case = endless_case("report", 100_000);
        let s = interrupt_harness(&[&case, "--format", "json"], "-INT");
        assert_eq!(s.status.code(), Some(130), "{}", s.stderr);
        let v: serde_json::Value = serde_json::from_slice(&s.stdout).expect("JSON report");
        assert_eq!(v["harness"]["interrupted"], true);
        assert_eq!(v["conservation"]["conserved"], "proved");

        let s = interrupt_harness(&["run", &case, "--shard", "1/2"], "-INT");
        assert_eq!(s.status.code(), Some(130), "{}", s.stderr);
        let shard =
            std::env::temp_dir().join(format!("ngd-verify-shard-{}.json", std::process::id()));
        std::fs::write(&shard, &s.stdout).expect("shard written");
        let v: serde_json::Value = serde_json::from_slice(&s.stdout).expect("JSON shard");
        assert_eq!(v["interrupted"], true);
        // An interrupted shard lacks runs: merge refuses it, or flags the result.
        let merged = run_binary(&["merge", shard.to_str().unwrap(), "--format", "json"]);
        let complete = merged.status.code() == Some(0) && json(&merged)["interrupted"] != true;
        assert!(!complete, "{}", stdout_text(&merged));
    }
}
