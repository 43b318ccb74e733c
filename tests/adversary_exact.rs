//! Adversarial end-to-end tests of two exact claims, with every zero they prove re-checked in
//! MPFR at 4000 bits on a path that shares nothing with the proofs (the case file read with
//! `toml`, the expressions parsed with `ngd-parse` and evaluated with `ngd-eval` over
//! `rug::Float`; the closed forms of the witnesses are parsed as expressions, not read back
//! as `r k^(p/q)`):
//!
//! - `phi = 0` on `S`, proved exactly (`minima.flat.regularizer.phi_exact_zero`): the claim
//!   is made where it is true (witnesses in `Q`, `Q[sqrt(2)]`, `Q[2^(1/3)]`, `Q[2^(1/6)]`),
//!   and never on the cases `tests/adversarial/adv16-exact-zero-*.case`, whose `phi` is not
//!   nonnegative (odd root, `sign`, `max`), vanishes only off `M` (outside the box, outside the
//!   domain of `f`, 30 digits away) or at a pole;
//! - `phi == 0` on a flat set given by equations (`discover`: `proposal.equation_sets`): a
//!   proved set is re-checked at exact points of the set (the equations are 0 there).
//!
//! Every run has a time limit: a hostile case must not make the exact arithmetic hang.

mod support;

use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use ngd_parse::Params;
use rug::Float;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// MPFR precision of the re-checks.
const PREC: u32 = 4000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with `args` (at most 300 s) and returns its JSON output; no panic allowed.
fn run_json(args: &[&str]) -> Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ngd-verify"));
    cmd.current_dir(root()).args(args);
    let run = support::run_limited(cmd, Duration::from_secs(300));
    let err = String::from_utf8_lossy(&run.stderr).to_string();
    let status = run
        .status
        .unwrap_or_else(|| panic!("{args:?}: killed at the time limit"));
    assert!(
        status.code() != Some(101) && !err.contains("panicked"),
        "{args:?}: {err}"
    );
    serde_json::from_slice(&run.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}; {err}"))
}

/// The text report of a case.
fn run_text(case: &Path) -> String {
    let o = support::run_binary(&[case.to_str().unwrap(), "--width", "200"]);
    support::stdout_text(&o)
}

/// The proof that `min_M phi = 0`, when the report makes it.
fn exact_zero(report: &Value) -> Option<&Value> {
    let z = &report["minima"]["flat"]["regularizer"]["phi_exact_zero"];
    (!z.is_null()).then_some(z)
}

/// What the re-check needs of a case file: variables, `f`, `phi`, the default box.
struct CaseText {
    vars: Vec<String>,
    f: String,
    phi: String,
    lo: Rational,
    hi: Rational,
}

fn rational_of(v: &toml::Value) -> Rational {
    match v {
        toml::Value::Integer(i) => Rational::from(*i),
        toml::Value::String(s) => s.parse().expect("a rational bound"),
        toml::Value::Float(x) => Rational::from_f64(*x).expect("a finite bound"),
        other => panic!("not a bound: {other}"),
    }
}

fn read_case(path: &Path) -> CaseText {
    let text = std::fs::read_to_string(path).expect("the case file");
    let t: toml::Table = text.parse().expect("TOML");
    let s = |k: &str| t[k].as_str().expect(k).to_string();
    let bounds = t["search"]["box"]["default"]
        .as_array()
        .expect("a default box");
    CaseText {
        vars: t["variables"]
            .as_array()
            .expect("variables")
            .iter()
            .map(|v| v.as_str().expect("a variable name").to_string())
            .collect(),
        f: s("objective"),
        phi: s("regularizer"),
        lo: rational_of(&bounds[0]),
        hi: rational_of(&bounds[1]),
    }
}

fn parse(arena: &mut Arena, text: &str) -> ExprId {
    ngd_parse::parse_expr(arena, text, &Params::new()).unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

/// The value of `e` at `x` in MPFR at `prec` bits (`None` outside its domain).
fn eval_at(arena: &Arena, e: ExprId, x: &[Float], prec: u32) -> Option<Float> {
    let v = Tape::compile(arena, &[e]).eval::<Float>(&prec, x).ok()?;
    v.into_iter().next().filter(Float::is_finite)
}

/// `|v| <= 2^-3300` (about `10^-993`): far below any effect a case can have (the smallest is
/// `10^-60`), far above the rounding of 4000-bit arithmetic.
fn negligible(v: &Float) -> bool {
    let tiny = Float::with_val(PREC, Float::i_exp(1, -3300));
    Float::with_val(PREC, v.abs_ref()) <= tiny
}

/// Re-checks a proof of `min_M phi = 0` for `case` in MPFR: the witness lies in the box,
/// `f(w) = inf f` and `phi(w) = 0` to about 990 digits, and `phi >= 0` at 400 seeded points of the
/// box where it is defined (evidence for the syntactic rule, which is exact for MPFR too:
/// sums and products of nonnegative numbers round to nonnegative numbers).
fn recheck_exact_zero(case: &CaseText, z: &Value) {
    let mut arena = Arena::new(case.vars.clone());
    let (f, phi) = (parse(&mut arena, &case.f), parse(&mut arena, &case.phi));
    let zeros = vec![Float::with_val(PREC, 0); case.vars.len()];
    let w: Vec<Float> = z["witness"]
        .as_array()
        .expect("a witness")
        .iter()
        .map(|c| {
            let e = parse(&mut arena, c.as_str().expect("a closed form"));
            eval_at(&arena, e, &zeros, PREC).expect("a real closed form")
        })
        .collect();
    let slack = Float::with_val(PREC, Float::i_exp(1, -3300));
    for wi in &w {
        assert!(*wi >= Float::with_val(PREC, &case.lo) - &slack, "{z}");
        assert!(*wi <= Float::with_val(PREC, &case.hi) + &slack, "{z}");
    }
    let inf: Rational = z["infimum"].as_str().unwrap().parse().unwrap();
    let fw = eval_at(&arena, f, &w, PREC).expect("f defined at the witness");
    assert!(
        negligible(&(fw - Float::with_val(PREC, &inf))),
        "f(w) != inf f: {z}"
    );
    let pw = eval_at(&arena, phi, &w, PREC).expect("phi defined at the witness");
    assert!(negligible(&pw), "phi(w) = {pw:e}: {z}");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let width = Rational::from(&case.hi - &case.lo);
    for _ in 0..400 {
        let x: Vec<Float> = (0..case.vars.len())
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = Rational::from(((seed >> 11) as i64, 1i64 << 53));
                Float::with_val(200, &case.lo + Rational::from(&u * &width))
            })
            .collect();
        if let Some(v) = eval_at(&arena, phi, &x, 200) {
            assert!(v >= 0, "phi = {v:e} < 0 at {x:?}");
        }
    }
}

/// A case written for this test, with a short harness (the claim does not depend on it).
fn inline_case(name: &str, f: &str, phi: &str, bound: &str) -> PathBuf {
    let body = format!(
        "title = \"{name}\"\nvariables = [\"x\", \"y\"]\nobjective = \"{f}\"\n\
         regularizer = \"{phi}\"\n\n[search]\nbox = {{ default = [\"-{bound}\", \"{bound}\"] }}\n\n\
         [ngd]\niterations = 200\nstarts = 4\nseed = 1\n"
    );
    support::temp_case("adversary-exact", &format!("{name}.case"), &body)
}

/// The claim is made where it is true, in rings of degree 1, 2, 3 and 6, and each proved
/// zero holds in MPFR.
#[test]
fn true_zeros_are_claimed_and_hold_in_mpfr() {
    let cases = [
        (
            "circle-diagonal",
            "(x^2 + y^2 - 1)^2",
            "(x - y)^2",
            ("2", 2),
        ),
        ("cubic", "(x^3 + y^3 - 1)^2", "(1/x - 1/y)^2", ("2", 3)),
        ("cusp", "(x^3 - y^2)^2", "(x^3 - 2)^2", ("2", 6)),
        (
            "circle-rational",
            "(x^2 + y^2 - 1)^2",
            "(x - 1)^2 + y^4",
            ("1", 1),
        ),
    ];
    for (name, f, phi, (base, degree)) in cases {
        let path = inline_case(name, f, phi, "3");
        let report = run_json(&[path.to_str().unwrap(), "--format", "json"]);
        let z = exact_zero(&report).unwrap_or_else(|| panic!("{name}: no claim"));
        assert_eq!(z["evidence"], "proved", "{name}");
        assert_eq!(
            (z["base"].as_str(), z["degree"].as_u64()),
            (Some(base), Some(degree))
        );
        recheck_exact_zero(&read_case(&path), z);
    }
}

fn adversarial_cases(prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("tests/adversarial"))
        .expect("tests/adversarial")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".case")
        })
        .collect();
    out.sort();
    out
}

/// The adversarial cases whose `phi` is not proved to vanish on `M`: no claim. The one case
/// with a true claim (`s-tie`) has it re-checked in MPFR.
#[test]
fn false_zeros_are_never_claimed() {
    let cases = adversarial_cases("adv16-exact-zero-");
    assert!(cases.len() >= 8, "{cases:?}");
    for path in cases {
        let report = run_json(&[path.to_str().unwrap(), "--format", "json"]);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match exact_zero(&report) {
            Some(z) if name == "adv16-exact-zero-s-tie.case" => {
                assert_eq!(z["witness"], serde_json::json!(["1", "0"]), "{name}");
                recheck_exact_zero(&read_case(&path), z);
            }
            Some(z) => panic!("{name}: claims min_M phi = 0: {z}"),
            None => assert_ne!(
                name, "adv16-exact-zero-s-tie.case",
                "the true claim is lost"
            ),
        }
    }
}

/// `S` is found numerically: a Lagrange point whose `phi` (`4e-12`, checked here in MPFR)
/// ties with the proved minimum 0 within the tolerance is listed in `S`, but its value is not
/// 0. Only the witness itself may be printed as an exact 0.
#[test]
fn a_point_that_only_ties_with_the_minimum_is_not_printed_as_an_exact_zero() {
    let path = root().join("tests/adversarial/adv16-exact-zero-s-tie.case");
    let case = read_case(&path);
    let mut arena = Arena::new(case.vars.clone());
    let phi = parse(&mut arena, &case.phi);
    let at = |x: i32| {
        eval_at(
            &arena,
            phi,
            &[Float::with_val(PREC, x), Float::new(PREC)],
            PREC,
        )
    };
    assert!(negligible(&at(1).unwrap()));
    let tie = at(-1).unwrap();
    assert!(tie > 3.9e-12 && tie < 4.1e-12, "{tie:e}");
    let text = run_text(&path);
    let line = |p: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("- {p}: phi = ")))
            .unwrap_or_else(|| panic!("no line for {p}: {text}"))
            .to_string()
    };
    assert!(line("(1, 0)").contains("phi = 0 (exact"), "{text}");
    let other = line("(-1, 0)");
    assert!(!other.contains("(-1, 0): phi = 0 "), "{other}");
    assert!(
        other.contains("(-1, 0): phi = 4.0000") && other.contains("e-12"),
        "{other}"
    );
}

/// Exact points of the 2-sphere `{(a, b, c) = (p, q, r), a^2 + b^2 + c^2 = 1}`: inverse
/// stereographic images of rational points.
fn sphere_points() -> Vec<[Rational; 6]> {
    (0..12)
        .map(|i| {
            let (s, t) = (Rational::from((i - 5, 3)), Rational::from((2 * i + 1, 7)));
            let d = 1 + Rational::from(&s * &s) + Rational::from(&t * &t);
            let a: Rational = 2 * s / &d;
            let b: Rational = 2 * t / &d;
            let c: Rational = Rational::from(&d - 2) / &d;
            [a.clone(), b.clone(), c.clone(), a, b, c]
        })
        .collect()
}

/// `discover` proves that its proposal vanishes on the flat sphere of the diagonal network
/// (given by equations); re-checked at exact points of the set, where every printed equation
/// is 0 and every term must be 0 too.
#[test]
fn a_proved_equation_set_holds_at_exact_points_of_the_set() {
    let path = root().join("tests/adversarial/adv14-equation-set-scalar-net.case");
    let v = run_json(&["discover", path.to_str().unwrap(), "--format", "json"]);
    let sets = v["proposal"]["equation_sets"]
        .as_array()
        .expect("equation sets");
    let proved: Vec<&Value> = sets.iter().filter(|s| s["evidence"] == "proved").collect();
    assert_eq!(proved.len(), 1, "{sets:?}");
    let case = read_case(&path);
    let mut arena = Arena::new(case.vars.clone());
    let texts = |key: &str| -> Vec<String> {
        proved[0][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| match key {
                "terms" => t["term"].as_str().unwrap().to_string(),
                _ => t.as_str().unwrap().to_string(),
            })
            .collect()
    };
    let equations: Vec<ExprId> = texts("equations")
        .iter()
        .map(|e| parse(&mut arena, e))
        .collect();
    let terms: Vec<ExprId> = texts("terms")
        .iter()
        .map(|t| parse(&mut arena, t))
        .collect();
    assert_eq!(terms.len(), 9);
    for p in sphere_points() {
        let x: Vec<Float> = p.iter().map(|c| Float::with_val(PREC, c)).collect();
        for &e in &equations {
            assert!(
                negligible(&eval_at(&arena, e, &x, PREC).unwrap()),
                "not on the set"
            );
        }
        for &t in &terms {
            let value = eval_at(&arena, t, &x, PREC).unwrap();
            assert!(negligible(&value), "{} = {value:e}", arena.display(t));
        }
    }
}
