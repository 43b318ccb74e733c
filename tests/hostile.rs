//! Hostile input (issue #13, "Bounded resources on hostile input" and "Every dimension from 1
//! up"): every bad input must end with exit status 2 and a clear message on stderr, never a
//! panic (exit status 101), an abort, a signal, a hang or gigabytes of memory.
//!
//! Each child runs under a wall-clock limit ([`TIME_LIMIT`], killed and failed beyond it) and,
//! on Linux, an address-space limit ([`MEMORY_LIMIT_KB`], through `ulimit -v` in `sh`), so
//! that an allocation of gigabytes fails (an abort, caught here) instead of succeeding.
//! Case files are written into `CARGO_TARGET_TMPDIR`; the one-variable cases run with few
//! starts and steps to keep the suite fast.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::Duration;
use support::run_limited;

mod support;

/// Wall-clock limit of one child.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Address-space limit of one child, in KiB (2 GiB; a debug build needs about 200 MiB).
const MEMORY_LIMIT_KB: u64 = 2 << 20;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh scratch folder for one test function.
fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch folder");
    d
}

struct Run {
    /// `None` when the child was killed at the time limit.
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.and_then(|s| s.code())
    }

    /// The status in words, for failure messages (a signal on Unix).
    fn describe(&self) -> String {
        match self.status {
            None => format!("killed after {:?} (time limit)", self.elapsed),
            Some(s) => {
                #[cfg(unix)]
                {
                    use std::os::unix::process::ExitStatusExt;
                    if let Some(sig) = s.signal() {
                        return format!("killed by signal {sig}");
                    }
                }
                format!("exit status {:?}", s.code())
            }
        }
    }
}

/// Runs the binary with `args` in the repository root, under the time and memory limits.
fn run(args: &[&str]) -> Run {
    let bin = env!("CARGO_BIN_EXE_ngd-verify");
    let mut cmd = if cfg!(target_os = "linux") {
        // `exec` keeps the pid, so a kill at the time limit reaches the binary itself.
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("ulimit -v {MEMORY_LIMIT_KB} && exec \"$0\" \"$@\""))
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.current_dir(root())
        .args(args)
        .env_remove("RUST_BACKTRACE");
    let f = run_limited(cmd, TIME_LIMIT);
    let text = |v: Vec<u8>| String::from_utf8_lossy(&v).into_owned();
    Run {
        status: f.status,
        stdout: text(f.stdout),
        stderr: text(f.stderr),
        elapsed: f.elapsed,
    }
}

/// Text that must never appear on stderr.
const PANIC_MARKS: [&str; 3] = ["panicked", "RUST_BACKTRACE", "stack backtrace"];

/// One hostile input: the arguments (`{}` is replaced by the path of the file written from
/// `file`, if any) and the words expected in the message (all of them, case-insensitive).
struct Hostile {
    name: &'static str,
    file: Option<Vec<u8>>,
    args: Vec<String>,
    expect: Vec<&'static str>,
}

/// A case file with this text, passed to the default command (the report).
fn case(name: &'static str, text: &str, expect: &[&'static str]) -> Hostile {
    case_with(name, text.as_bytes().to_vec(), &["{}"], expect)
}

/// A file with these bytes, passed as `{}` among `args`.
fn case_with(
    name: &'static str,
    bytes: Vec<u8>,
    args: &[&str],
    expect: &[&'static str],
) -> Hostile {
    Hostile {
        name,
        file: Some(bytes),
        args: args.iter().map(|s| s.to_string()).collect(),
        expect: expect.to_vec(),
    }
}

/// Command-line arguments only.
fn cli(name: &'static str, args: &[&str], expect: &[&'static str]) -> Hostile {
    Hostile {
        name,
        file: None,
        args: args.iter().map(|s| s.to_string()).collect(),
        expect: expect.to_vec(),
    }
}

/// A valid case whose `[ngd]` section is `ngd` (the one under attack).
fn with_ngd(ngd: &str) -> String {
    format!("variables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\n[ngd]\n{ngd}\n")
}

/// A valid case whose `[search]` section is `search`.
fn with_search(search: &str) -> String {
    format!("variables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\n[search]\n{search}\n")
}

/// A case with this objective.
fn with_objective(objective: &str) -> String {
    format!(
        "variables = [\"x\", \"y\"]\nobjective = \"{}\"\n",
        objective.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// Runs every input and collects all failures into one panic message.
fn check_all(dir: &Path, inputs: Vec<Hostile>) {
    let mut failures = Vec::new();
    let count = inputs.len();
    for h in inputs {
        let path = dir.join(format!("{}.case", h.name));
        if let Some(bytes) = &h.file {
            std::fs::write(&path, bytes).expect("write the case file");
        }
        let p = path.to_string_lossy().into_owned();
        let args: Vec<String> = h.args.iter().map(|a| a.replace("{}", &p)).collect();
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&argv);
        let mut why = Vec::new();
        if r.code() != Some(2) {
            why.push(format!("{} (want exit status 2)", r.describe()));
        }
        if let Some(m) = PANIC_MARKS.iter().find(|m| r.stderr.contains(*m)) {
            why.push(format!("`{m}` on stderr"));
        }
        if !r.stderr.starts_with("error: ") {
            why.push("stderr does not start with `error: `".into());
        }
        let lower = r.stderr.to_lowercase();
        for w in &h.expect {
            if !lower.contains(&w.to_lowercase()) {
                why.push(format!("no `{w}` in the message"));
            }
        }
        if !r.stdout.is_empty() {
            why.push(format!("{} bytes on stdout", r.stdout.len()));
        }
        if !why.is_empty() {
            let shown: String = r.stderr.chars().take(600).collect();
            failures.push(format!(
                "[{}] {}: {}\n  stderr: {shown}",
                h.name,
                args.join(" ").chars().take(200).collect::<String>(),
                why.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} hostile inputs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn malformed_case_files() {
    let dir = scratch("files");
    let mut binary: Vec<u8> = (0..=255u8).rev().cycle().take(4096).collect();
    binary.splice(0..0, b"variables = [\"x\"]\n".iter().copied());
    let inputs = vec![
        case("empty", "", &["missing field", "variables"]),
        case(
            "unclosed-array",
            "variables = [\"x\"\nobjective = \"x^2\"\n",
            &["invalid case file", "unclosed-array.case:"],
        ),
        case("not-toml", "this is not toml at all\n", &["invalid case file"]),
        case(
            "duplicate-key",
            "variables = [\"x\"]\nobjective = \"x^2\"\nobjective = \"x^4\"\n",
            &["duplicate key"],
        ),
        case(
            "unknown-field",
            "variables = [\"x\"]\nobjective = \"x^2\"\nregulariser = \"x\"\n",
            &["unknown field", "regulariser"],
        ),
        case(
            "wrong-type",
            "variables = \"x\"\nobjective = \"x^2\"\n",
            &["invalid type"],
        ),
        case_with("binary-bytes", binary, &["{}"], &["not valid UTF-8", "byte"]),
        case_with(
            "nul-byte-in-toml",
            b"variables = [\"x\"]\x00\nobjective = \"x^2\"\n".to_vec(),
            &["{}"],
            &["invalid case file"],
        ),
        case(
            "nul-char-in-objective",
            "variables = [\"x\"]\nobjective = \"x^2\\u0000\"\n",
            &["objective", "unexpected character"],
        ),
        case(
            "deep-toml-arrays",
            &format!(
                "variables = {}{}\nobjective = \"x\"\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            &["invalid case file", "recurs"],
        ),
        case(
            "deep-toml-tables",
            &format!(
                "variables = [\"x\"]\nobjective = \"x\"\n[parameters]\np = {}1{}\n",
                "{a=".repeat(20_000),
                "}".repeat(20_000)
            ),
            &["invalid case file"],
        ),
        case("no-variables", "variables = []\nobjective = \"1\"\n", &["no variables"]),
        case(
            "zero-size-vector",
            "variables = [\"x[0]\"]\nobjective = \"1\"\n",
            &["size", "at least 1"],
        ),
        case(
            "too-many-variables",
            "variables = [\"x[100000]\"]\nobjective = \"x[1]\"\n",
            &["variables"],
        ),
        case(
            "reserved-variable",
            "variables = [\"exp\"]\nobjective = \"1\"\n",
            &["reserved"],
        ),
        case(
            "duplicate-variable",
            "variables = [\"x\", \"x\"]\nobjective = \"x^2\"\n",
            &["declared twice"],
        ),
        case_with(
            "oversized-file",
            {
                let mut v = b"variables = [\"x\"]\nobjective = \"x^2\"\n".to_vec();
                v.resize(16 * 1024 * 1024 + 10, b'#');
                v
            },
            &["{}"],
            &["larger than the limit", "16777216"],
        ),
        case(
            "float-parameter",
            "variables = [\"x\"]\nobjective = \"(x - a)^2\"\n[parameters]\na = 0.1\n",
            &["parameter `a`", "strings"],
        ),
        case(
            "parameter-clash",
            "variables = [\"x\"]\nobjective = \"x^2\"\n[parameters]\nx = 1\n",
            &["both a variable and a parameter"],
        ),
        case(
            "flat-minimum-arity",
            "variables = [\"x\", \"y\"]\nobjective = \"(x*y-1)^2\"\n[expect]\nflat_minima = [[\"1\"]]\n",
            &["needs 2 coordinates"],
        ),
        case(
            "flat-minimum-not-constant",
            "variables = [\"x\"]\nobjective = \"(x-1)^2\"\n[expect]\nflat_minima = [[\"x\"]]\n",
            &["constant cannot depend"],
        ),
    ];
    check_all(&dir, inputs);
}

#[test]
fn hostile_expressions() {
    let dir = scratch("expressions");
    let big_int = "9".repeat(30_000);
    let inputs = vec![
        case(
            "deep-parentheses",
            &with_objective(&format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000))),
            &["nested too deeply", "objective"],
        ),
        case(
            "deep-unclosed-parentheses",
            &with_objective(&"(".repeat(100_000)),
            &["nested too deeply"],
        ),
        case(
            "deep-calls",
            &with_objective(&format!("{}x{}", "exp(".repeat(5_000), ")".repeat(5_000))),
            &["nested too deeply"],
        ),
        case(
            "deep-powers",
            &with_objective(&"x^".repeat(5_000).to_string()),
            &["nested too deeply"],
        ),
        case(
            "huge-integer-literal",
            &with_objective(&format!("x*{big_int}")),
            &["number too large"],
        ),
        case(
            "huge-decimal-exponent",
            &with_objective("x*1e100000"),
            &["too large"],
        ),
        case(
            "tiny-decimal",
            &with_objective("x*1e-100000"),
            &["too precise"],
        ),
        case(
            "huge-constant-power",
            &with_objective("x*(10^4096)^4096"),
            &["too large"],
        ),
        case(
            "exponent-1e11",
            &with_objective("x^(99999999999)"),
            &["exponent too large", "10000"],
        ),
        case(
            "exponent-6e11",
            &with_objective("x^(600000000000)"),
            &["exponent too large"],
        ),
        case(
            "root-index-1e11",
            &with_objective("x^(1/99999999999)"),
            &["exponent too large", "root index"],
        ),
        case(
            "combined-exponent",
            &with_objective("x^6000*x^6000 + y"),
            &["exponent too large", "combine"],
        ),
        case(
            "combined-root-index",
            &with_objective("x^(1/999)*x^(1/998)"),
            &["root index 997002"],
        ),
        case(
            "exponent-googol",
            &with_objective("(x+y)^(10^100)"),
            &["exponent too large"],
        ),
        case(
            "unknown-function",
            &with_objective("foo(x)"),
            &["unknown function `foo`"],
        ),
        case(
            "wrong-arity",
            &with_objective("exp(x, y)"),
            &["takes 1 argument"],
        ),
        case(
            "max-one-argument",
            &with_objective("max(x)"),
            &["at least 2 arguments"],
        ),
        case(
            "mismatched-variable",
            "variables = [\"x\"]\nobjective = \"(x*y - 1)^2\"\n",
            &["unknown variable `y`"],
        ),
        case(
            "regularizer-mismatch",
            "variables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\nregularizer = \"z^2\"\n",
            &["regularizer", "unknown variable `z`"],
        ),
        case(
            "empty-objective",
            &with_objective(""),
            &["empty expression"],
        ),
        case(
            "division-by-zero",
            &with_objective("x/(y - y)"),
            &["division by zero"],
        ),
        case(
            "huge-sum",
            &with_objective("sum(i = 1..1000000000, x^2)"),
            &["more than"],
        ),
        case(
            "long-expression",
            &with_objective(&"x+".repeat(600_000).to_string()),
            &["too long"],
        ),
        case("non-ascii", &with_objective("x·y"), &["non-ASCII"]),
        case(
            "juxtaposition",
            &with_objective("2x"),
            &["expected an operator"],
        ),
        case(
            "index-out-of-range",
            "variables = [\"u[3]\"]\nobjective = \"u[4]^2\"\n",
            &["out of range"],
        ),
    ];
    check_all(&dir, inputs);
}

#[test]
fn hostile_ngd_settings_and_boxes() {
    let dir = scratch("settings");
    let inputs = vec![
        case(
            "starts-1e12",
            &with_ngd("starts = 1000000000000"),
            &["starts", "above the limit of 1000000"],
        ),
        case(
            "iterations-1e12",
            &with_ngd("iterations = 1000000000000"),
            &["iterations", "above the limit of 1000000000"],
        ),
        case(
            "too-many-steps",
            &with_ngd("starts = 100000\niterations = 1000000000"),
            &["limit", "steps", "--shard"],
        ),
        case(
            "starts-zero",
            &with_ngd("starts = 0"),
            &["positive integer"],
        ),
        case(
            "starts-negative",
            &with_ngd("starts = -5"),
            &["positive integer"],
        ),
        case(
            "iterations-float",
            &with_ngd("iterations = 1e12"),
            &["invalid type"],
        ),
        case(
            "starts-string",
            &with_ngd("starts = \"many\""),
            &["invalid type"],
        ),
        case(
            "starts-beyond-i64",
            &with_ngd("starts = 99999999999999999999"),
            &["invalid case file"],
        ),
        case(
            "seed-negative",
            &with_ngd("seed = -1"),
            &["seed", "non-negative"],
        ),
        case(
            "a0-nan",
            &with_ngd("step = { a0 = nan }"),
            &["a0", "finite"],
        ),
        case("a0-zero", &with_ngd("step = { a0 = 0.0 }"), &["a0", "> 0"]),
        case("a0-negative", &with_ngd("step = { a0 = -1.0 }"), &["a0"]),
        case(
            "power-negative",
            &with_ngd("step = { power = -0.5 }"),
            &["power", ">= 0"],
        ),
        case(
            "power-inf",
            &with_ngd("step = { power = inf }"),
            &["power", "finite"],
        ),
        case(
            "a0-overflow",
            &with_ngd("step = { a0 = 1e999 }"),
            &["invalid case file"],
        ),
        case(
            "box-inverted",
            &with_search("box = { x = [3, -3] }"),
            &["inverted"],
        ),
        case(
            "box-empty",
            &with_search("box = { x = [1, 1] }"),
            &["empty"],
        ),
        case(
            "box-three-bounds",
            &with_search("box = { x = [1, 2, 3] }"),
            &["interval [lo, hi]"],
        ),
        case(
            "box-unknown-variable",
            &with_search("box = { z = [1, 2] }"),
            &["`z` is not a declared variable"],
        ),
        case(
            "box-nan",
            &with_search("box = { x = [nan, 1] }"),
            &["not a finite number"],
        ),
        case(
            "box-float-overflow",
            &with_search("box = { x = [-1e400, 1] }"),
            &["invalid case file"],
        ),
        case(
            "box-huge",
            &with_search("box = { default = [\"-1e19999\", \"1e19999\"] }"),
            &["beyond the range of floating-point numbers"],
        ),
        case(
            "box-bad-string",
            &with_search("box = { x = [\"abc\", 1] }"),
            &["box bound"],
        ),
        case(
            "box-too-precise",
            &with_search(&format!(
                "box = {{ x = [\"0.{}\", 1] }}",
                "1".repeat(30_000)
            )),
            &["box bound", "too large or too precise"],
        ),
        case(
            "start-box-inverted",
            &with_ngd("start_box = { default = [2, -2] }"),
            &["start box", "inverted"],
        ),
        case(
            "start-box-huge",
            &with_ngd("start_box = { default = [\"-1e400\", 1] }"),
            &["start box", "floating-point"],
        ),
        case(
            "limits-zero-boxes",
            &format!(
                "{}\n[limits]\nmax_boxes = 0\n",
                with_search("box = { default = [-3, 3] }")
            ),
            &["max_boxes", "box count"],
        ),
        case(
            "limits-unknown-key",
            &format!(
                "{}\n[limits]\nseconds = 10\n",
                with_search("box = { default = [-3, 3] }")
            ),
            &["unknown field"],
        ),
        case(
            "thousand-variables",
            "variables = [\"x[1000]\"]\nobjective = \"sum(i = 1..1000, (x[i] - 1)^2)\"\n",
            &["1000 scalar variables", "at most 256"],
        ),
    ];
    check_all(&dir, inputs);
}

#[test]
fn hostile_file_types() {
    let dir = scratch("types");
    let mut inputs = vec![
        cli(
            "missing-file",
            &["tests/hostile-no-such-file.case"],
            &["cannot read"],
        ),
        cli(
            "directory",
            &["tests"],
            &["directory", "not a regular file"],
        ),
        cli("run-directory", &["run", "cases"], &["directory"]),
        cli(
            "merge-directory",
            &["merge", "cases"],
            &["shard file", "directory"],
        ),
        case_with(
            "merge-not-json",
            b"variables = [\"x\"]\n".to_vec(),
            &["merge", "{}"],
            &["not a shard file"],
        ),
        case_with(
            "merge-wrong-json",
            b"{\"config\": 1}".to_vec(),
            &["merge", "{}"],
            &["not a shard file"],
        ),
        case_with(
            "merge-binary",
            vec![0xff, 0xfe, 0x00, 0x80],
            &["merge", "{}"],
            &["not a shard file", "UTF-8"],
        ),
    ];
    if cfg!(unix) {
        inputs.push(cli(
            "dev-zero",
            &["/dev/zero"],
            &["character device", "not a regular file"],
        ));
        inputs.push(cli("dev-null", &["/dev/null"], &["not a regular file"]));
        inputs.push(cli(
            "discover-dev-zero",
            &["discover", "/dev/zero"],
            &["not a regular file"],
        ));
        inputs.push(cli(
            "merge-dev-zero",
            &["merge", "/dev/zero"],
            &["not a regular file"],
        ));
        // A FIFO with no writer: opening it would block forever.
        let fifo = dir.join("no-writer.fifo");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let f: &'static str = Box::leak(fifo.to_string_lossy().into_owned().into_boxed_str());
            inputs.push(cli("fifo", &[f], &["named pipe", "not a regular file"]));
            inputs.push(cli("run-fifo", &["run", f], &["named pipe"]));
        }
    }
    check_all(&dir, inputs);
}

#[test]
fn hostile_command_lines() {
    let dir = scratch("cli");
    let xy = "cases/xy.case";
    let inputs = vec![
        cli(
            "identity-exponent-1e11",
            &["check-identity", "(x+y)^2", "x^(99999999999)"],
            &["exponent too large", "phi:1:3"],
        ),
        cli(
            "identity-exponent-6e11",
            &["check-identity", "(x+y)^2", "x^(600000000000)"],
            &["exponent too large"],
        ),
        cli(
            "identity-root-1e11",
            &["check-identity", "(x+y)^2", "x^(1/99999999999)"],
            &["exponent too large", "root index"],
        ),
        cli(
            "identity-deep",
            &["check-identity", &"(".repeat(100_000), "x"],
            &["nested too deeply", "f:1:"],
        ),
        cli(
            "identity-constants",
            &["check-identity", "1", "2"],
            &["no variables"],
        ),
        cli(
            "identity-undeclared",
            &["check-identity", "x^2", "y^2", "--var", "x"],
            &["unknown variable `y`"],
        ),
        cli(
            "identity-bad-var",
            &["check-identity", "x^2", "x", "--var", "x[0]"],
            &["--var"],
        ),
        cli(
            "identity-radius-zero",
            &["check-identity", "x^2", "x", "--radius", "0"],
            &["--radius must be positive"],
        ),
        cli(
            "identity-radius-negative",
            &["check-identity", "x^2", "x", "--radius=-1"],
            &["--radius must be positive"],
        ),
        cli(
            "identity-radius-junk",
            &["check-identity", "x^2", "x", "--radius", "abc"],
            &["--radius"],
        ),
        cli(
            "identity-radius-huge-literal",
            &["check-identity", "x^2", "x", "--radius", "1e100000"],
            &["too large"],
        ),
        cli(
            "identity-missing-phi",
            &["check-identity", "x"],
            &["required"],
        ),
        cli(
            "run-starts-1e12",
            &["run", xy, "--starts", "1000000000000"],
            &["--starts", "limit"],
        ),
        cli(
            "run-iterations-1e12",
            &["run", xy, "--iterations", "1000000000000"],
            &["--iterations", "limit"],
        ),
        cli(
            "run-starts-zero",
            &["run", xy, "--starts", "0"],
            &["positive"],
        ),
        cli(
            "run-starts-negative",
            &["run", xy, "--starts", "-5"],
            &["unexpected argument"],
        ),
        cli(
            "run-starts-junk",
            &["run", xy, "--starts", "many"],
            &["invalid value"],
        ),
        cli(
            "run-starts-overflow",
            &["run", xy, "--starts", "99999999999999999999999"],
            &["invalid value"],
        ),
        cli("run-a0-nan", &["run", xy, "--a0", "nan"], &["a0"]),
        cli("run-a0-inf", &["run", xy, "--a0", "inf"], &["a0"]),
        cli("run-a0-negative", &["run", xy, "--a0=-0.1"], &["a0"]),
        cli("run-power-negative", &["run", xy, "--power=-1"], &["power"]),
        cli("run-power-nan", &["run", xy, "--power", "nan"], &["power"]),
        cli(
            "run-precision-1",
            &["run", xy, "--precision", "1"],
            &["precision"],
        ),
        cli(
            "run-precision-huge",
            &["run", xy, "--precision", "4294967296"],
            &["invalid value"],
        ),
        cli(
            "run-shard-zero",
            &["run", xy, "--shard", "0/4"],
            &["--shard"],
        ),
        cli(
            "run-shard-beyond",
            &["run", xy, "--shard", "5/4"],
            &["--shard"],
        ),
        cli("run-shard-junk", &["run", xy, "--shard", "x"], &["--shard"]),
        cli(
            "run-steps-beyond-limit",
            &[
                "run",
                xy,
                "--starts",
                "1000000",
                "--iterations",
                "1000000000",
            ],
            &["steps", "--shard"],
        ),
        cli(
            "run-plots-too-many-starts",
            &[
                "run",
                xy,
                "--starts",
                "100000",
                "--iterations",
                "10",
                "--plots",
                "/nonexistent-dir-ngd",
            ],
            &["trajectories", "starts"],
        ),
        cli(
            "discover-degree-zero",
            &["discover", xy, "--degree", "0"],
            &["--degree"],
        ),
        cli(
            "discover-degree-13",
            &["discover", xy, "--degree", "13"],
            &["--degree"],
        ),
        cli("format-xml", &[xy, "--format", "xml"], &["invalid value"]),
        cli("merge-nothing", &["merge"], &["required"]),
        cli("unknown-flag", &[xy, "--bogus"], &["unexpected argument"]),
    ];
    check_all(&dir, inputs);
}

/// One-variable cases: every command finishes with 0, 1 or 3 (a verdict), never a panic.
#[test]
fn one_variable_problems_run_everywhere() {
    let dir = scratch("one-variable");
    let cases = [
        ("parabola", "(x - 1)^2", Some("x^2")),
        ("no-phi", "(x - 1)^2", None),
        ("double-well", "(x^2 - 1)^2", Some("x^2")),
        ("vector-of-one", "(u[1] - 1)^2", Some("u[1]^4")),
    ];
    let mut failures = Vec::new();
    for (name, f, phi) in cases {
        let decl = if f.contains("u[1]") { "u[1]" } else { "x" };
        let mut text = format!("variables = [\"{decl}\"]\nobjective = \"{f}\"\n");
        if let Some(p) = phi {
            text.push_str(&format!("regularizer = \"{p}\"\n"));
        }
        text.push_str("[ngd]\nstarts = 8\niterations = 2000\n");
        let path = dir.join(format!("{name}.case"));
        std::fs::write(&path, text).expect("write the case");
        let p = path.to_string_lossy().into_owned();
        let plots = dir.join(format!("{name}-plots"));
        let plots = plots.to_string_lossy().into_owned();
        let commands: Vec<Vec<&str>> = vec![
            vec![&p],
            vec![&p, "--format", "json"],
            vec!["run", &p, "--precision", "80", "--plots", &plots],
            vec!["run", &p, "--shard", "1/2"],
            vec!["discover", &p],
            vec!["discover", &p, "--laurent", "--check"],
        ];
        for args in commands {
            let r = run(&args);
            let ok = matches!(r.code(), Some(0 | 1 | 3))
                && !PANIC_MARKS.iter().any(|m| r.stderr.contains(m))
                && !r.stdout.is_empty();
            if !ok {
                failures.push(format!(
                    "{name}: {}: {}\n  stderr: {}",
                    args.join(" "),
                    r.describe(),
                    r.stderr.chars().take(600).collect::<String>()
                ));
            }
        }
    }
    for (f, phi) in [
        ("(x-1)^2", "x^2"),
        ("(x-1)^2", "(x-1)^4"),
        ("exp(x)", "log(x^2 + 1)"),
    ] {
        let r = run(&["check-identity", f, phi, "--var", "x"]);
        if !matches!(r.code(), Some(0 | 1 | 3)) || PANIC_MARKS.iter().any(|m| r.stderr.contains(m))
        {
            failures.push(format!(
                "check-identity {f} {phi}: {}\n  stderr: {}",
                r.describe(),
                r.stderr.chars().take(600).collect::<String>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The sum-of-squares routes on large polynomials: refused before they are built, or given up
/// within the budgets, never a hang or an abort; never proved (the identities are not sums of
/// squares), so the answer is inconclusive (exit 3).
#[test]
fn sum_of_squares_routes_stay_bounded_on_large_polynomials() {
    let motzkin = "x^4*y^2 + x^2*y^4 - 3*x^2*y^2*z^2 + z^6";
    for (f, phi) in [
        // Degree 30 in 3 variables: <grad f, grad phi> = 60 M^5, a large Gram program.
        ("x^2 + y^2 + z^2", format!("({motzkin})^5")),
        // Six variables: a Gram basis of hundreds of monomials, refused.
        (
            "x^2 + y^2 + z^2 + w^2 + v^2 + u^2",
            format!("({motzkin} + w^6 + v^6 + u^6 - 3*w^2*v^2*u^2)^3"),
        ),
    ] {
        let r = run(&["check-identity", f, &phi, "--max-boxes", "2000"]);
        assert!(r.status.is_some(), "killed after {:?}: {phi}", r.elapsed);
        for mark in PANIC_MARKS {
            assert!(!r.stderr.contains(mark), "{phi}: {}", r.stderr);
        }
        assert_eq!(r.status.and_then(|s| s.code()), Some(3), "{}", r.stdout);
        assert!(r.stdout.contains("(SOS)"), "{}", r.stdout);
    }
}
