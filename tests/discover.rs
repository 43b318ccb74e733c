//! End-to-end tests of `ngd-verify discover`: the paper's conserved quantities from f alone.

mod support;

use std::path::PathBuf;
use support::{run_binary as run, stdout_text as stdout};

/// (case, flags, a conserved quantity that must be found, completeness line)
const EXPECTED: [(&str, &[&str], &str, &str); 8] = [
    ("xy", &[], "psi = x^2 - y^2", "1 law exists; 1 found"),
    (
        "product3",
        &[],
        "psi = x[1]^2 - x[3]^2",
        "2 laws exist; 2 found",
    ),
    (
        "cubic",
        &["--laurent"],
        "psi = 1/x - 1/y",
        "1 law exists; 1 found",
    ),
    (
        "ellipse",
        &["--laurent"],
        "psi = y/x^2",
        "1 law exists; 1 found",
    ),
    ("hyperbola", &[], "psi = x*y", "1 law exists; 1 found"),
    (
        "parabola",
        &["--exp"],
        "psi = x*exp(2*y)",
        "1 law exists; 1 found",
    ),
    ("abs-xy", &[], "psi = x^2 - y^2", "1 law exists; 1 found"),
    (
        "matfact2",
        &[],
        "psi = X[1,1]*X[1,2] + X[2,1]*X[2,2] - Y[1,1]*Y[1,2] - Y[2,1]*Y[2,2]",
        "3 laws exist; 3 found",
    ),
];

#[test]
fn reproduces_the_papers_conserved_quantities() {
    for (name, flags, quantity, count) in EXPECTED {
        let path = format!("cases/{name}.case");
        let mut args = vec!["discover", path.as_str()];
        args.extend_from_slice(flags);
        let o = run(&args);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{name}: {out}");
        assert!(
            out.contains(&format!("{quantity}  [proved")),
            "{name}: {out}"
        );
        assert!(out.contains(count), "{name}: {out}");
        insta::assert_snapshot!(format!("discover_{name}"), out);
    }
}

#[test]
fn missing_laws_are_reported_with_a_hint() {
    let out = stdout(&run(&["discover", "cases/parabola.case"]));
    assert!(out.contains("1 law exists; 0 found: 1 missing"), "{out}");
    assert!(out.contains("try --laurent / --exp"), "{out}");
}

fn temp_case(name: &str, body: &str) -> PathBuf {
    support::temp_case("discover", name, body)
}

#[test]
fn proposes_the_regularizer_from_a_flat_set_and_checks_it() {
    let p = temp_case(
        "xy-flat.case",
        "variables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\n[expect]\nflat_minima = [[\"1\", \"1\"], [\"-1\", \"-1\"]]\n",
    );
    let o = run(&["discover", p.to_str().unwrap(), "--check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("regularizer = \"(x^2 - y^2)^2\""), "{out}");
    assert!(out.contains("C1 conservation: PROVED"), "{out}");
    let o = run(&["discover", p.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["proposal"]["regularizer_line"],
        "regularizer = \"(x^2 - y^2)^2\""
    );
    assert_eq!(v["discovery"]["completeness"]["laws_exist"], 1);
}

#[test]
fn a_flow_without_conserved_quantities_of_the_shape_says_so() {
    let p = temp_case(
        "none.case",
        "variables = [\"x\", \"y\"]\nobjective = \"(x + y^2 + x^3*y)^2\"\n",
    );
    let out = stdout(&run(&["discover", p.to_str().unwrap(), "--laurent"]));
    assert!(out.contains("no conserved quantity of this shape"), "{out}");
    assert!(out.contains("0 found"), "{out}");
}

#[test]
fn latex_derivation_is_printed() {
    let o = run(&["discover", "cases/xy.case", "--latex"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(out.contains("\\subsection*{Conserved quantities}"), "{out}");
}

#[test]
fn discovery_is_deterministic() {
    let a = run(&["discover", "cases/matfact2.case", "--format", "json"]);
    let b = run(&["discover", "cases/matfact2.case", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}
