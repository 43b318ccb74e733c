//! End-to-end tests of the `ngd-verify` binary: shipped cases, the soundness suite, bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ngd-verify"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .current_dir(root())
        .args(args)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

const CASES: [&str; 8] = [
    "xy",
    "product3",
    "parabola",
    "cubic",
    "ellipse",
    "hyperbola",
    "abs-xy",
    "matfact2",
];

#[test]
fn every_shipped_case_is_proved_conserved() {
    for name in CASES {
        let path = format!("cases/{name}.case");
        let o = run(&[&path]);
        let out = stdout(&o);
        // Every shipped case states its claims, and every claim is matched.
        assert_eq!(o.status.code(), Some(0), "{name}: {out}{}", stderr(&o));
        assert!(
            out.contains("C1 conservation: PROVED - <grad f, grad phi> == 0 (exact)"),
            "{name}: {out}"
        );
        let c4 = if name == "matfact2" {
            "near S REFUTED"
        } else {
            "near S PROVED"
        };
        assert!(
            out.contains(&format!(
                "C4 second-order decrease (d-Lyapunov, Prop 2.6): {c4}"
            )),
            "{name}: {out}"
        );
        assert!(out.contains("C5 coercivity of f + phi: "), "{name}");
        let json = run(&[&path, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
        assert_eq!(v["conservation"]["conserved"], "proved", "{name}");
        assert_fits(&out, 100, name);
        insta::assert_snapshot!(format!("{name}_text"), out);
        insta::assert_json_snapshot!(format!("{name}_c1_json"), v["conservation"]);
    }
}

/// Every line of `out` fits in `width` columns, unless it holds a single token longer than
/// the line (wrapping never splits a number or a formula token).
fn assert_fits(out: &str, width: usize, name: &str) {
    for line in out.lines() {
        let longest_token = line
            .split(' ')
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0);
        assert!(
            line.chars().count() <= width || longest_token > width / 2,
            "{name}: a line of {} columns over {width}:\n{line}",
            line.chars().count()
        );
    }
}

#[test]
fn the_text_report_starts_with_the_summary_table_and_wraps_at_the_width_asked_for() {
    let o = run(&["cases/cubic.case", "--width", "60"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_fits(&out, 60, "cubic --width 60");
    // Title (wrapped too), its underline, then the table's header and one row per check.
    let lines: Vec<&str> = out.lines().collect();
    let underline = lines
        .iter()
        .position(|l| l.starts_with("==="))
        .expect("{out}");
    let (header, first_row) = (lines[underline + 1], lines[underline + 2]);
    assert!(
        header.starts_with("check") && header.contains("evidence"),
        "{out}"
    );
    assert!(
        first_row.starts_with("C1 conservation") && first_row.contains("PROVED"),
        "{out}"
    );
    let table_end = out.find("\n\n").expect("a blank line after the table");
    let first_section = out.find("C1 conservation: PROVED").expect("the C1 section");
    assert!(table_end < first_section, "{out}");
    for row in [
        "C4 near S",
        "C5 coercivity",
        "C6 strictness",
        "harness",
        "verdict",
    ] {
        assert!(out[..table_end].contains(row), "{row} in the table:\n{out}");
    }
    // The same report at 100 columns carries the same words: wrapping only moves breaks.
    let wide = stdout(&run(&["cases/cubic.case"]));
    assert_fits(&wide, 100, "cubic");
    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace()
            .filter(|w| !w.starts_with("=="))
            .collect()
    }
    assert_eq!(words(&out), words(&wide));
    let bad = run(&["cases/cubic.case", "--width", "0"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[test]
fn explain_prints_each_rule_once_and_a_pointer_replaces_them_otherwise() {
    // Compared with the line breaks undone: a rule is wrapped like any text.
    fn joined(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
    let rule = "A run never freezes on g = 0.";
    let plain = joined(&stdout(&run(&["cases/xy.case"])));
    assert!(!plain.contains(rule), "{plain}");
    let pointer = "run with --explain for the rules";
    assert_eq!(plain.matches(pointer).count(), 1, "{plain}");
    let explained = joined(&stdout(&run(&["cases/xy.case", "--explain"])));
    assert!(!explained.contains(pointer), "{explained}");
    assert_eq!(
        explained
            .matches("Rules (the same in every report)")
            .count(),
        1
    );
    // Each rule once, after the verdict, in the section of its own.
    let rules_at = explained.find("Rules (the same").unwrap();
    assert!(explained.find("Verdict (exit status").unwrap() < rules_at);
    for text in [
        rule,
        "flat points are the local minima of s on M inside the box",
        "Q = -<grad phi, grad s>/(2 s)",
    ] {
        assert_eq!(explained.matches(text).count(), 1, "{text}:\n{explained}");
        assert!(explained.find(text).unwrap() > rules_at, "{text}");
    }
    let markdown = stdout(&run(&["cases/xy.case", "--format", "markdown"]));
    assert!(
        markdown.contains("| check | evidence | result |"),
        "{markdown}"
    );
    assert!(markdown.find("| check |").unwrap() < markdown.find("## C1").unwrap());
    assert!(!markdown.contains(rule), "{markdown}");
}

#[test]
fn cubic_names_its_structure() {
    let out = stdout(&run(&["cases/cubic.case"]));
    assert!(out.contains("structure: f = g^2"), "{out}");
    assert!(out.contains("g: x^3 + y^3 - 1"), "{out}");
    assert!(out.contains("terms): 0"), "{out}");
}

#[test]
fn markdown_report_has_sections() {
    let o = run(&["cases/xy.case", "--format", "markdown"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(out.starts_with("# ngd-verify"), "{out}");
    assert!(out.contains("## C1 conservation: PROVED"), "{out}");
}

#[test]
fn output_is_deterministic() {
    for case in ["cases/parabola.case", "cases/matfact2.case"] {
        let a = run(&[case, "--format", "json"]);
        let b = run(&[case, "--format", "json"]);
        assert_eq!(a.stdout, b.stdout, "{case}");
    }
}

/// Known-false candidates: each must be refuted with a witness, none ever proved.
#[test]
fn soundness_suite_refutes_every_false_candidate() {
    let dir = root().join("tests/soundness");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("soundness dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 5,
        "the soundness suite needs at least 5 cases"
    );
    for p in names {
        let o = run(&[p.to_str().unwrap(), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|_| panic!("{}: {}", p.display(), stderr(&o)));
        let c1 = &v["conservation"];
        assert_eq!(o.status.code(), Some(1), "{}: {c1}", p.display());
        assert_eq!(c1["evidence"], "refuted", "{}: {c1}", p.display());
        assert_ne!(c1["conserved"], "proved", "{}", p.display());
        assert_eq!(c1["conserved"], "refuted", "{}", p.display());
        let w = &c1["lyapunov"]["outcome"]["witness"];
        assert_eq!(w["sign"], -1, "{}: {c1}", p.display());
        assert!(w["point"].as_array().is_some_and(|a| !a.is_empty()));
    }
}

/// Candidates whose second-order decrease fails (or that give nothing to certify): C4 never
/// says "proved", and where `Q > 0` it shows an interval-checked witness of increase.
#[test]
fn c4_soundness_suite_never_certifies_a_failing_decrease() {
    let mut names: Vec<_> = ["tests/soundness-c4", "tests/c4-rigorous"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root().join(d)).expect("C4 soundness dir"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 5,
        "the C4 soundness suite needs at least 5 cases"
    );
    for p in names {
        let o = run(&[p.to_str().unwrap(), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|_| panic!("{}: {}", p.display(), stderr(&o)));
        let c4 = &v["decrease"];
        assert_ne!(o.status.code(), Some(0), "{}: {c4}", p.display());
        assert_ne!(c4["evidence"], "proved", "{}: {c4}", p.display());
        assert_ne!(c4["local"], "proved", "{}: {c4}", p.display());
        let conclusion = &v["verdict"]["table"]["conclusion"]["kind"];
        assert_ne!(conclusion, "global", "{}", p.display());
        assert_ne!(conclusion, "global_restricted", "{}", p.display());
        assert_ne!(
            v["verdict"]["table"]["local"]["reach"],
            "proved",
            "{}",
            p.display()
        );
        if c4["counts"]["positive"].as_u64().unwrap_or(0) > 0 {
            assert_eq!(c4["evidence"], "refuted", "{}: {c4}", p.display());
            let w = &c4["refutation"];
            assert!(
                w["increase_at_least"].as_f64().is_some_and(|d| d > 0.0),
                "{}: {w}",
                p.display()
            );
            let after = w["phi_after"][0].as_f64().unwrap();
            let before = w["phi_before"][1].as_f64().unwrap();
            assert!(after > before, "{}: {w}", p.display());
        }
    }
}

#[test]
fn c4_refutes_a_conserved_phi_where_it_increases() {
    let o = run(&["tests/soundness-c4/xy-linear.case"]);
    let out = stdout(&o);
    // The claim `d_lyapunov = true` is about a neighbourhood of S, which lies on the box
    // boundary here: undecided (3) is the honest answer; it must never be "matched" (0).
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(out.contains("on M \\ S REFUTED"), "{out}");
    assert!(
        out.contains("refutation: one NGD step of size a = "),
        "{out}"
    );
    insta::assert_snapshot!("xy_linear_c4_refuted", out);
}

#[test]
fn wrong_candidate_gets_an_exact_rational_witness() {
    let o = run(&["tests/soundness/xy-circle.case"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("C1 conservation: REFUTED"), "{out}");
    assert!(out.contains("exactly, negative"), "{out}");
    insta::assert_snapshot!("xy_circle_refuted", out);
}

#[test]
fn check_identity_without_a_case_file() {
    let o = run(&["check-identity", "x*y - 1", "(x^2 - y^2)^2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("PROVED"));
    let o = run(&["check-identity", "(x*y - 1)^2", "(x^2 + y^2 - 2)^2"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[
        "check-identity",
        "--var",
        "x[3]",
        "(prod(i=1..3, x[i]) - 1)^2",
        "x[1]^2 - x[2]^2",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn non_conserved_lyapunov_is_proved_and_undecidable_is_inconclusive() {
    // <grad f, grad phi> = 4(x^2 + y^2) >= 0: phi is a Lyapunov function, not conserved.
    let o = run(&["check-identity", "x^2 + y^2", "x^2 + y^2"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("PROVED - <grad f, grad phi> >= 0 on the search box"),
        "{out}"
    );
    assert!(out.contains("conserved: no: REFUTED"), "{out}");
    // <grad f, grad phi> = x^2 - 2xy + y^2 vanishes on a line: intervals cannot close the
    // gap (branch and bound is inconclusive), but it is the square (x - y)^2: proved
    // everywhere by a sum-of-squares certificate.
    let o = run(&[
        "check-identity",
        "x^3/3 - x^2*y + x*y^2",
        "x",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["conservation"]["evidence"], "proved");
    let l = &v["conservation"]["lyapunov"];
    assert_eq!(l["outcome"]["outcome"], "inconclusive");
    assert_eq!(l["sos"]["kind"], "proved");
    // <grad f, grad phi> = 12 times the Motzkin form: nonnegative, vanishing on lines, not a
    // sum of squares: inconclusive (exit 3), never proved and never refuted.
    let o = run(&[
        "check-identity",
        "x^2 + y^2 + z^2",
        "x^4*y^2 + x^2*y^4 - 3*x^2*y^2*z^2 + z^6",
        "--max-boxes",
        "2000",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["conservation"]["evidence"], "inconclusive");
    assert_ne!(v["conservation"]["lyapunov"]["sos"]["kind"], "proved");
}

fn write_case(name: &str, body: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ngd-verify-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn bad(name: &str, body: &[u8]) -> String {
    let p = write_case(name, body);
    let o = run(&[p.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{name}: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert!(o.stdout.is_empty(), "{name}");
    err
}

fn located(err: &str, name: &str, line_col: &str) {
    assert!(
        err.contains(&format!("{name}:{line_col}")),
        "expected {name}:{line_col} in\n{err}"
    );
}

#[test]
fn bad_input_is_located_and_exits_2() {
    let e = bad(
        "syntax.case",
        b"variables = [\"x\"]\nobjective = \"(x + \"\n",
    );
    located(&e, "syntax.case", "2:");
    let e = bad(
        "unknown.case",
        b"variables = [\"x\", \"y\"]\nobjective = \"(x*z - 1)^2\"\n",
    );
    assert!(e.contains("unknown variable"), "{e}");
    located(&e, "unknown.case", "2:17");
    let e = bad(
        "reg.case",
        b"variables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\nregularizer = \"w^2\"\n",
    );
    located(&e, "reg.case", "3:16");
    let e = bad(
        "inverted.case",
        b"variables = [\"x\"]\nobjective = \"x^2\"\n[search]\nbox = { x = [2, -2] }\n",
    );
    assert!(e.contains("inverted"), "{e}");
    located(&e, "inverted.case", "4:");
    let e = bad(
        "empty.case",
        b"variables = [\"x\"]\nobjective = \"x^2\"\n[search]\nbox = { x = [1, 1] }\n",
    );
    assert!(e.contains("empty"), "{e}");
    let e = bad("missing.case", b"variables = [\"x\"]\n");
    assert!(e.contains("objective"), "{e}");
    let e = bad(
        "typo.case",
        b"variables = [\"x\"]\nobjective = \"x^2\"\nregulariser = \"x\"\n",
    );
    assert!(e.contains("regulariser"), "{e}");
    let e = bad(
        "pole.case",
        b"variables = [\"x\"]\nobjective = \"x^2 + 0^-1\"\n",
    );
    assert!(e.contains("division by zero"), "{e}");
    let e = bad("utf8.case", b"variables = [\"x\"]\nobjective = \"x\xff\"\n");
    assert!(e.contains("UTF-8") && e.contains("line 2"), "{e}");
    let e = bad("novars.case", b"variables = []\nobjective = \"1\"\n");
    assert!(e.contains("no variables"), "{e}");
}

#[test]
fn hostile_sizes_fail_cleanly() {
    let deep = format!(
        "variables = [\"x\"]\nobjective = \"{}x{}\"\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let e = bad("deep.case", deep.as_bytes());
    assert!(e.contains("nest"), "{e}");
    let mut huge = String::from("variables = [\"x\"]\nobjective = \"x");
    while huge.len() < 10 << 20 {
        huge.push_str(" + x*x");
    }
    huge.push_str("\"\n");
    let e = bad("huge.case", huge.as_bytes());
    assert!(e.contains("long") || e.contains("limit"), "{e}");
}

#[test]
fn missing_file_and_bad_usage_exit_2() {
    let o = run(&["cases/does-not-exist.case"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read"));
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["cases/xy.case", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check-identity", "x*", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("panicked"));
    assert!(Path::new(&root().join("cases/xy.case")).exists());
}

#[test]
fn run_shards_merge_to_the_unsharded_result_and_plots_are_written() {
    let dir = std::env::temp_dir().join(format!("ngd-verify-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let common = ["--starts", "24", "--iterations", "20000"];
    let mut whole = vec!["run", "cases/xy.case", "--format", "json"];
    whole.extend_from_slice(&common);
    let o = run(&whole);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let whole: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut files = Vec::new();
    for k in ["1/3", "2/3", "3/3"] {
        let mut args = vec!["run", "cases/xy.case", "--shard", k];
        args.extend_from_slice(&common);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let p = dir.join(format!("shard-{}.json", &k[..1]));
        std::fs::write(&p, &o.stdout).unwrap();
        files.push(p.to_str().unwrap().to_string());
    }
    let mut args = vec!["merge", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let merged: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(merged["runs"], whole["runs"]);
    assert_eq!(merged["ngd"], whole["ngd"]);
    let plots = dir.join("plots");
    let mut args = vec!["run", "cases/xy.case", "--plots", plots.to_str().unwrap()];
    args.extend_from_slice(&common);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["values.svg", "trajectories.svg"] {
        let svg = std::fs::read_to_string(plots.join(f)).unwrap();
        assert!(svg.starts_with("<svg") || svg.contains("<svg"), "{f}");
    }
    let o = run(&["run", "cases/xy.case", "--shard", "4/3"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_report_shows_ngd_selecting_flat_minima_where_gd_does_not() {
    let o = run(&["cases/hyperbola.case", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ngd = v["harness"]["ngd"]["fraction_near_flat"].as_f64().unwrap();
    let gd = v["harness"]["gd"]["fraction_near_flat"].as_f64().unwrap();
    // Measured independently: about 93% for NGD and 1-2% for GD.
    assert!(ngd > 0.8, "{ngd}");
    assert!(gd < 0.1, "{gd}");
}

#[test]
fn a_search_box_without_minima_gets_a_clear_message() {
    let p = write_case(
        "nomin.case",
        b"variables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\nregularizer = \"(x^2 - y^2)^2\"\n[search]\nbox = { default = [2, 3] }\n[ngd]\niterations = 1000\nstarts = 8\nstart_box = { default = [2, 3] }\n",
    );
    let o = run(&[p.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(out.contains("no point of M found in the box"), "{out}");
    assert!(
        out.contains("Conclusion: none of the paper's conclusions is established"),
        "{out}"
    );
}

#[test]
fn the_latex_report_writes_f_and_phi_as_math() {
    let o = run(&["cases/cubic.case", "--format", "latex"]);
    let tex = stdout(&o);
    assert!(
        tex.contains("\\item \\textbf{f}: $\\left(x^{3} + y^{3} - 1\\right)^{2}$"),
        "{tex}"
    );
    assert!(
        tex.contains("\\item \\textbf{phi}: $\\left(\\frac{1}{x} - \\frac{1}{y}\\right)^{2}$"),
        "{tex}"
    );
    assert!(!tex.contains("\\texttt{(x^3"), "{tex}");
}
