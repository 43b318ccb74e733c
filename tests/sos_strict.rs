//! The strict C4 certificate by sums of squares (docs/math.md, C4 "Sums of squares"): `Q < 0`
//! on `M \ S` proved in any dimension where it holds (the product family, the diagonal
//! network), re-checked at points of `M` in MPFR by a hand-derived `Hess(phi)`, and never where
//! `Q` vanishes or is positive at a point of `M \ S`.

mod support;

use rug::Float;
use serde_json::Value;
use support::{run_binary, temp_case};

/// Bits of the MPFR re-check.
const PREC: u32 = 256;

/// The JSON report of a case given by its text.
fn report_of(name: &str, body: &str) -> Value {
    let path = temp_case("sos-strict", name, body);
    let out = run_binary(&[path.to_str().unwrap(), "--format", "json"]);
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

/// `product_n`: `f = (prod x_i - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`.
fn product_case(n: usize) -> String {
    format!(
        "title = \"product{n}\"\nvariables = [\"x[{n}]\"]\n\
         objective = \"(prod(i = 1..{n}, x[i]) - 1)^2\"\n\
         regularizer = \"sum(i = 1..{n}, sum(j = i+1..{n}, (x[i]^2 - x[j]^2)^2))\"\n\
         [ngd]\niterations = 2000\nstarts = 8\nseed = 1\n"
    )
}

/// Both C4 verdicts proved by the strict SOS certificate, with `c = 0`.
fn assert_strict_proved(r: &Value, what: &str) {
    let d = &r["decrease"];
    assert_eq!(d["evidence"], "proved", "{what}: {}", d["basis"]);
    assert_eq!(d["basis"]["kind"], "sos_strict", "{what}");
    assert_eq!(d["local"], "proved", "{what}");
    assert_eq!(d["local_basis"]["kind"], "sos_strict", "{what}");
    let strict = &d["sos"]["strict"];
    assert_eq!(strict["kind"], "proved", "{what}: {strict}");
    let cert = &strict["certificate"];
    assert_eq!(cert["statement"]["c"], "0", "{what}");
    assert!(cert["lower_bound"].is_object(), "{what}");
}

fn float(v: f64) -> Float {
    Float::with_val(PREC, v)
}

/// `Q = v^T Hess(phi) v / |v|^2` at a point, `v = grad g`, the Hessian given entrywise.
fn q_value(v: &[Float], hess: &dyn Fn(usize, usize) -> Float) -> Float {
    let n = v.len();
    let mut num = float(0.0);
    let mut den = float(0.0);
    for a in 0..n {
        den += Float::with_val(PREC, &v[a] * &v[a]);
        for b in 0..n {
            num += Float::with_val(PREC, &v[a] * &v[b]) * hess(a, b);
        }
    }
    num / den
}

/// A deterministic sequence in `[-2, 2]` away from 0 (a linear congruential generator).
fn points(count: usize, dim: usize) -> Vec<Vec<f64>> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let u = (state >> 11) as f64 / (1u64 << 53) as f64;
        let s = if u < 0.5 { -1.0 } else { 1.0 };
        s * (0.3 + 1.7 * (2.0 * u - 1.0).abs())
    };
    (0..count)
        .map(|_| (0..dim).map(|_| next()).collect())
        .collect()
}

/// At points of `M = {prod x = 1}` (the last coordinate solved exactly in MPFR) outside `S`
/// (`phi > 1e-20`), `Q < 0`: `d^2 phi/dx_a^2 = sum_{j != a} (12 x_a^2 - 4 x_j^2)`,
/// `d^2 phi/dx_a dx_b = -8 x_a x_b`, `grad g = (prod_{k != a} x_k)_a`.
fn recheck_product(n: usize) {
    let mut checked = 0;
    for p in points(300, n - 1) {
        let mut x: Vec<Float> = p.iter().map(|&v| float(v)).collect();
        let prod = x.iter().fold(float(1.0), |acc, v| acc * v);
        x.push(Float::with_val(PREC, 1.0 / prod));
        let sq: Vec<Float> = x.iter().map(|v| Float::with_val(PREC, v * v)).collect();
        let mut phi = float(0.0);
        for i in 0..n {
            for j in i + 1..n {
                phi += Float::with_val(PREC, &sq[i] - &sq[j]).square();
            }
        }
        if phi < 1e-20 {
            continue;
        }
        let v: Vec<Float> = (0..n)
            .map(|a| {
                (0..n)
                    .filter(|&k| k != a)
                    .fold(float(1.0), |acc, k| acc * &x[k])
            })
            .collect();
        let hess = |a: usize, b: usize| {
            if a == b {
                (0..n).filter(|&j| j != a).fold(float(0.0), |acc, j| {
                    acc + 12 * sq[a].clone() - 4 * sq[j].clone()
                })
            } else {
                -8 * Float::with_val(PREC, &x[a] * &x[b])
            }
        };
        let q = q_value(&v, &hess);
        assert!(q < 0, "product{n}: Q = {q} >= 0 at {x:?}");
        checked += 1;
    }
    assert!(checked > 250, "product{n}: only {checked} points checked");
}

#[test]
fn product4_is_proved_strict_and_rechecked_in_mpfr() {
    let r = report_of("product4.case", &product_case(4));
    assert_strict_proved(&r, "product4");
    recheck_product(4);
}

#[test]
fn product6_is_proved_strict_and_rechecked_in_mpfr() {
    let r = report_of("product6.case", &product_case(6));
    assert_strict_proved(&r, "product6");
    let cert = &r["decrease"]["sos"]["strict"]["certificate"];
    assert_eq!(cert["squares"], 15);
    recheck_product(6);
}

#[test]
fn the_diagonal_network_is_proved_strict_and_rechecked_in_mpfr() {
    let out = run_binary(&["cases/diagonal-net.case", "--format", "json"]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_strict_proved(&r, "diagonal-net");
    // M = {u.v = 1}: v3 solved from the others. Hess(phi) is block diagonal per i:
    // [[12 u^2 - 4 v^2, -8 u v], [-8 u v, 12 v^2 - 4 u^2]]; grad g = (v, u).
    let mut checked = 0;
    for p in points(300, 5) {
        let (u, mut v): (Vec<Float>, Vec<Float>) = (
            p[..3].iter().map(|&a| float(a)).collect(),
            p[3..].iter().map(|&a| float(a)).collect(),
        );
        let dot = Float::with_val(PREC, &u[0] * &v[0]) + Float::with_val(PREC, &u[1] * &v[1]);
        v.push((1 - dot) / &u[2]);
        let phi = (0..3).fold(float(0.0), |acc, i| {
            acc + Float::with_val(PREC, u[i].clone().square() - v[i].clone().square()).square()
        });
        if phi < 1e-20 {
            continue;
        }
        let grad: Vec<Float> = v.iter().chain(&u).cloned().collect();
        let hess = |a: usize, b: usize| {
            let (i, j) = (a % 3, b % 3);
            if i != j {
                return float(0.0);
            }
            let (ui, vi) = (&u[i], &v[i]);
            match (a < 3, b < 3) {
                (true, true) => 12 * ui.clone().square() - 4 * vi.clone().square(),
                (false, false) => 12 * vi.clone().square() - 4 * ui.clone().square(),
                _ => -8 * Float::with_val(PREC, ui * vi),
            }
        };
        let q = q_value(&grad, &hess);
        assert!(q < 0, "diagonal-net: Q = {q} >= 0 at u = {u:?}, v = {v:?}");
        checked += 1;
    }
    assert!(checked > 250, "only {checked} points checked");
}

#[test]
fn product3_keeps_its_cover_proof() {
    let out = run_binary(&["cases/product3.case", "--format", "json"]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["decrease"]["evidence"], "proved");
    assert_eq!(r["decrease"]["basis"]["kind"], "cover_proved");
}

#[test]
fn q_vanishing_on_a_level_above_the_minimum_is_never_proved_strict() {
    let out = run_binary(&[
        "tests/adversarial/c4-sos-level-above-min.case",
        "--format",
        "json",
    ]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &r["decrease"];
    assert_ne!(d["evidence"], "proved");
    // The non-strict certificate exists; the strict one must not.
    assert_eq!(d["sos"]["kind"], "non_positive", "{}", d["sos"]);
    assert_eq!(d["sos"]["strict"]["kind"], "not_found", "{}", d["sos"]);
}

#[test]
fn negated_product4_is_never_proved() {
    let body = product_case(4).replace("regularizer = \"", "regularizer = \"-");
    let r = report_of("product4-negated.case", &body);
    let d = &r["decrease"];
    assert_ne!(d["evidence"], "proved");
    assert_ne!(d["local"], "proved");
    assert_ne!(d["sos"]["strict"]["kind"], "proved");
}
