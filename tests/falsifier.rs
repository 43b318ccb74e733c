//! An independent re-check of what the reports label "proved".
//!
//! For every shipped case (`cases/*.case`), every case of the soundness suites
//! (`tests/soundness*/`) and every adversarial case (`tests/adversarial/`), the binary is run
//! with `--format json`, and each inequality the report labels proved is re-evaluated at
//! seeded pseudo-random points (plus the corners and the centre of the relevant box, points
//! on its faces and on a rational grid) on a path that shares nothing with the interval
//! machinery: the case file is read with `toml`, `f` and `phi` are parsed with `ngd-parse`,
//! differentiated with `ngd-expr`, and evaluated with `ngd-eval` over `rug::Float` (MPFR) at
//! 512 bits. Points where an expression cannot be evaluated (outside its domain, a pole,
//! overflow) are skipped; a proof over a box in which no sampled point is in the domain is a
//! violation (it is vacuous, the claim is about a function that does not exist there).
//!
//! Claims re-checked (JSON paths of schema versions 2 and 3), the proved ones first:
//!
//! - C1 `conservation.conserved == "proved"`: `<grad f, grad phi> == 0` on the search box;
//! - C1 `conservation.lyapunov.evidence == "proved"`: `<grad f, grad phi> >= 0` on the box;
//! - C2 `minima.minimum_set.lower_bound` proved: `f >= value` on the box; `infimum` proved and
//!   attained: `f(attained_at)` is within `1e-6` of the value;
//! - C4 `decrease.certificate` proved (schema 2): for the listed example boxes
//!   (`certificate.examples`; the report lists at most a few, not every box),
//!   `phi(x - a u) - phi(x) <= -c a^2` for points `x` of the box, the normalized directions `u`
//!   at `x` (`+-grad g/|grad g|`, only the NGD direction when `phi` is merely Lyapunov; unit
//!   vectors of the row space of `J_G` for least squares) and `0 < a <= a_max`. Schema 3's
//!   `decrease.cover` lists no boxes, so there is nothing to re-check (the log says so);
//! - C5 `coercivity.certificate` (and `coercivity.f_alone.certificate`) with evidence proved:
//!   `F(x) >= m rho^k - C rho^(k-1)` at points with `rho(x) = max_i |x_i|^(1/w_i) >= R0`, on the
//!   axes, the diagonals and at random points of the scaled cube boundary, `R0 ... 10^4 R0`;
//! - C6 `minima.strictness.points[*]` proved: a strict local minimum of `f + phi` in the
//!   printed box (see [`c6`]: Newton in MPFR locates the critical point `s*`, then
//!   `(f + phi)(x) >= (f + phi)(s*)` at random points of the box and at `s* + t d`,
//!   `t = 10^-10 ... 10^-45`, and midpoint convexity; without a critical point, the gradient
//!   bound `|grad| > 4 |Hess| diam(B)` refutes; schema 3's `nonsmooth_abs` criterion is checked
//!   as `(f + phi)(x) >= (f + phi)(s)` on the box);
//! - refutations are re-checked too: the C1 witnesses (`conservation.nonzero_witness`,
//!   `conservation.lyapunov.outcome.witness`) lie in the domain of `f` and `phi` and
//!   `<grad f, grad phi>` has the printed sign (and, when printed exactly, the printed value);
//!   the C4 `decrease.refutation` (one NGD step from the printed point increases `phi`, and the
//!   printed enclosures of `phi` before and after contain the MPFR values); the C5 escape
//!   (`coercivity.escape`, `coercivity.f_alone.escape`): `F(x(t))` equals the printed
//!   restriction at `t = 10^4, 10^6, 10^8` and the restriction tends to the printed limit.
//!
//! Not re-checkable pointwise: a conservation law that holds only almost everywhere
//! (`phi = sign(x) (x - y)^2` for `(x + y)^2`: the identity is `0` wherever it is defined,
//! yet `phi` jumps along the flow). The adversarial suite covers those.
//!
//! Tolerances. MPFR rounds every operation correctly; at 512 bits the relative error of one
//! operation is below `2^-511 < 1.5e-154`. The expressions here have at most a few thousand
//! operations and cancel at most ~`10^40` (the largest coefficients of the suites), so the
//! computed values are accurate to far better than `1e-100` relative to their natural scale.
//! We therefore allow:
//!
//! - C1, C2, C4, C5: `1e-60` relative to the natural scale of the compared quantities
//!   (`|grad f| |grad phi|` for C1, plus `1e-100 |grad f|` for samples at exact critical
//!   points of `phi`, where `grad phi` is rounding noise; `max(1, |value|)` otherwise), 40
//!   orders of magnitude above the rounding error and 20 below the smallest genuine effects of
//!   the suites (`1e-40`);
//! - C6 (smooth): `1e-90 max(1, |(f + phi)(s*)|)`, where Newton has located `s*` to about
//!   `1e-130` relative (quadratic convergence at 512 bits), so `(f + phi)(s*)` is the minimum
//!   on the box up to `|Hess| 1e-260`; a slope of `1e-30` (a non-critical "minimum")
//!   shows up as a decrease of `1e-61` at `t = 10^-31`;
//! - C6 (nonsmooth, schema 3): `1e-40 (1 + |(f + phi)(s)| + L)`, since the printed `s` is
//!   only 50 digits and `f + phi` is merely Lipschitz (constant `L`) there.
//!
//! The check is deterministic: a fixed-seed SplitMix64 stream per case and claim. Points per
//! claim: `NGD_FALSIFIER_POINTS` (default 10^4; a quarter of that per C4 example box, whose
//! points each get one or more directions and step sizes) plus the corners, the centre and the
//! probes; C5 uses that many directions, each at one of the radii `R0 ... 10^4 R0`.
//! `NGD_FALSIFIER_FILTER=sub` checks only the cases whose path contains `sub`; `NGD_FALSIFIER_TIMEOUT` (seconds, default 30)
//! bounds each run of the binary (a run that does not finish is listed as not checked; the
//! adversarial suite is where a hang fails).

use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use ngd_parse::{ParamValue, Params};
use rug::ops::Pow;
use rug::Float;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use support::{parallel, run_limited};

mod support;

/// MPFR precision of every evaluation.
const PREC: u32 = 512;
/// Relative tolerance for C1, C2, C4, C5 (see the module docs).
const TOL: f64 = 1e-60;
/// Relative tolerance for C6 (see the module docs).
const TOL_C6: f64 = 1e-90;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn n_points() -> usize {
    env_num("NGD_FALSIFIER_POINTS", 10_000) as usize
}

// ---------------------------------------------------------------------------------------------
// Running the binary.

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
}

/// Runs `ngd-verify CASE --format json`, killing the child (by its handle) after `limit`.
fn run_json(case: &Path, limit: Duration) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ngd-verify"));
    cmd.current_dir(root()).arg(case).args(["--format", "json"]);
    let f = run_limited(cmd, limit);
    Run {
        code: f.status.map(|s| s.code().unwrap_or(-1)),
        stdout: f.stdout,
        stderr: f.stderr,
        elapsed: f.elapsed,
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic pseudo-random numbers (SplitMix64).

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

fn seed_of(s: &str) -> u64 {
    // FNV-1a: a stable seed per case and claim.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

// ---------------------------------------------------------------------------------------------
// The problem, parsed independently of the binary.

fn fl(x: f64) -> Float {
    Float::with_val(PREC, x)
}

fn flq(q: &Rational) -> Float {
    Float::with_val(PREC, q)
}

fn f64_of(x: &Float) -> f64 {
    x.to_f64()
}

fn show(p: &[Float]) -> String {
    let cs: Vec<String> = p.iter().map(|c| c.to_string_radix(10, Some(25))).collect();
    format!("({})", cs.join(", "))
}

struct Problem {
    n: usize,
    has_phi: bool,
    /// `f` and `phi`.
    values: Tape,
    /// `f` alone (C2 concerns `f` also where `phi` is undefined).
    f_tape: Tape,
    /// `grad f` (n outputs), then `grad phi` (n outputs).
    grads: Tape,
    /// The rows of the normal directions (grad g, or the gradients of the residuals),
    /// `normals` of them, n outputs each.
    rows: Tape,
    normals: usize,
    /// `Hess(f + phi)`, row-major (n * n outputs).
    hess: Tape,
}

fn eval_tape(t: &Tape, x: &[Float]) -> Option<Vec<Float>> {
    let out = t.eval::<Float>(&PREC, x).ok()?;
    out.iter().all(Float::is_finite).then_some(out)
}

/// `f` and `phi` at one point.
struct Val {
    f: Float,
    phi: Float,
}

/// Everything at one point.
struct At {
    phi: Float,
    gf: Vec<Float>,
    gphi: Vec<Float>,
    rows: Vec<Vec<Float>>,
}

impl Problem {
    /// `f` and `phi`, or `None` outside the domain of either.
    fn val(&self, x: &[Float]) -> Option<Val> {
        let mut v = eval_tape(&self.values, x)?;
        let phi = v.pop()?;
        let f = v.pop()?;
        Some(Val { f, phi })
    }
    /// `f` alone.
    fn f_only(&self, x: &[Float]) -> Option<Float> {
        eval_tape(&self.f_tape, x).map(|mut v| v.swap_remove(0))
    }
    /// `f`, `phi`, both gradients and the normal rows, or `None` where any is undefined.
    fn eval(&self, x: &[Float]) -> Option<At> {
        let Val { phi, .. } = self.val(x)?;
        let mut g = eval_tape(&self.grads, x)?;
        let gphi = g.split_off(self.n);
        let r = if self.normals > 0 {
            eval_tape(&self.rows, x)?
        } else {
            Vec::new()
        };
        let rows = r.chunks(self.n).map(<[Float]>::to_vec).collect();
        Some(At {
            phi,
            gf: g,
            gphi,
            rows,
        })
    }
}

fn dot(a: &[Float], b: &[Float]) -> Float {
    let mut s = fl(0.0);
    for (x, y) in a.iter().zip(b) {
        s += Float::with_val(PREC, x * y);
    }
    s
}

fn norm(a: &[Float]) -> Float {
    dot(a, a).sqrt()
}

fn toml_rational(v: &toml::Value) -> Result<Rational, String> {
    match v {
        toml::Value::Integer(i) => Ok(Rational::from(*i)),
        toml::Value::String(s) => ngd_parse::parse_rational(s).map_err(|e| format!("{e:?}")),
        other => Err(format!(
            "parameter value {other} is not an integer or a string"
        )),
    }
}

fn params_of(table: Option<&toml::Value>) -> Result<Params, String> {
    let mut p = Params::new();
    let Some(toml::Value::Table(t)) = table else {
        return Ok(p);
    };
    for (k, v) in t {
        let pv = match v {
            toml::Value::Array(items) if items.iter().all(|i| i.is_array()) => ParamValue::Matrix(
                items
                    .iter()
                    .map(|row| {
                        row.as_array()
                            .unwrap()
                            .iter()
                            .map(toml_rational)
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            toml::Value::Array(items) => ParamValue::Vector(
                items
                    .iter()
                    .map(toml_rational)
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            other => ParamValue::Scalar(toml_rational(other)?),
        };
        p.insert(k.clone(), pv);
    }
    Ok(p)
}

/// Parses the case file and the structure the report names (g or the residuals, for the
/// normal directions of C4), and compiles one MPFR tape.
fn problem(case_text: &str, report: &Value) -> Result<Problem, String> {
    let t: toml::Table = case_text.parse().map_err(|e| format!("toml: {e}"))?;
    let decls: Vec<String> = t
        .get("variables")
        .and_then(|v| v.as_array())
        .ok_or("no variables")?
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect();
    let vars = ngd_parse::expand_variables(&decls).map_err(|e| format!("{e:?}"))?;
    let n = vars.len();
    let params = params_of(t.get("parameters"))?;
    let mut arena = Arena::new(vars);
    let src_f = t
        .get("objective")
        .and_then(|v| v.as_str())
        .ok_or("no objective")?;
    let f = ngd_parse::parse_expr(&mut arena, src_f, &params).map_err(|e| format!("f: {e:?}"))?;
    let (phi, has_phi) = match t.get("regularizer").and_then(|v| v.as_str()) {
        Some(src) => (
            ngd_parse::parse_expr(&mut arena, src, &params).map_err(|e| format!("phi: {e:?}"))?,
            true,
        ),
        None => (arena.int(0), false),
    };
    // The normal directions of C4: grad g for f = c h(g), the residual gradients for least
    // squares, parsed from the printed expressions of the report.
    let c1 = &report["conservation"];
    let mut normal_exprs: Vec<ExprId> = Vec::new();
    if let Some(g) = c1["g"].as_str() {
        normal_exprs.push(
            ngd_parse::parse_expr(&mut arena, g, &Params::new())
                .map_err(|e| format!("g: {e:?}"))?,
        );
    } else if let Some(rs) = c1["residuals"].as_array() {
        for r in rs {
            let s = r.as_str().unwrap_or_default();
            normal_exprs.push(
                ngd_parse::parse_expr(&mut arena, s, &Params::new())
                    .map_err(|e| format!("residual: {e:?}"))?,
            );
        }
    }
    let gf = arena.gradient(f);
    let gphi = arena.gradient(phi);
    let mut grads = gf.clone();
    grads.extend(&gphi);
    let mut rows = Vec::new();
    for &g in &normal_exprs {
        rows.extend(arena.gradient(g));
    }
    let total = arena.add2(f, phi);
    let hess: Vec<ExprId> = arena.hessian(total).into_iter().flatten().collect();
    Ok(Problem {
        hess: Tape::compile(&arena, &hess),
        n,
        has_phi,
        values: Tape::compile(&arena, &[f, phi]),
        f_tape: Tape::compile(&arena, &[f]),
        grads: Tape::compile(&arena, &grads),
        rows: Tape::compile(&arena, &rows),
        normals: normal_exprs.len(),
    })
}

// ---------------------------------------------------------------------------------------------
// Points of a box.

struct BoxQ {
    lo: Vec<Float>,
    hi: Vec<Float>,
}

impl BoxQ {
    fn center(&self) -> Vec<Float> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| Float::with_val(PREC, a + b) / 2u32)
            .collect()
    }
    fn at(&self, i: usize, t: f64) -> Float {
        let w = Float::with_val(PREC, &self.hi[i] - &self.lo[i]);
        Float::with_val(PREC, &self.lo[i] + w * fl(t))
    }
    /// Corners (at most 256), the centre, then seeded points: a quarter with one coordinate
    /// on a face, a tenth on the grid of sixteenths, the rest uniform.
    fn points(&self, rng: &mut Rng, count: usize) -> Vec<Vec<Float>> {
        let n = self.lo.len();
        let mut pts = Vec::with_capacity(count + 257);
        let corners = if n <= 8 { 1usize << n } else { 256 };
        for c in 0..corners {
            pts.push(
                (0..n)
                    .map(|i| {
                        let bit = if n <= 8 { (c >> i) & 1 } else { rng.below(2) };
                        if bit == 1 {
                            self.hi[i].clone()
                        } else {
                            self.lo[i].clone()
                        }
                    })
                    .collect(),
            );
        }
        pts.push(self.center());
        for k in 0..count {
            let mut p: Vec<Float> = (0..n).map(|i| self.at(i, rng.unit())).collect();
            match k % 20 {
                0..=4 => {
                    let i = rng.below(n);
                    p[i] = if rng.below(2) == 0 {
                        self.lo[i].clone()
                    } else {
                        self.hi[i].clone()
                    };
                }
                5 | 6 => {
                    for (i, c) in p.iter_mut().enumerate() {
                        *c = self.at(i, rng.below(17) as f64 / 16.0);
                    }
                }
                _ => {}
            }
            pts.push(p);
        }
        pts
    }
}

fn search_box(report: &Value) -> Result<BoxQ, String> {
    let rows = report["case"]["search_box"]
        .as_array()
        .ok_or("no case.search_box")?;
    let mut lo = Vec::new();
    let mut hi = Vec::new();
    for r in rows {
        let a = ngd_parse::parse_rational(r[1].as_str().ok_or("bound")?)
            .map_err(|e| format!("{e:?}"))?;
        let b = ngd_parse::parse_rational(r[2].as_str().ok_or("bound")?)
            .map_err(|e| format!("{e:?}"))?;
        lo.push(flq(&a));
        hi.push(flq(&b));
    }
    Ok(BoxQ { lo, hi })
}

fn parse_point(v: &Value) -> Option<Vec<Float>> {
    v.as_array()?
        .iter()
        .map(|c| match c {
            Value::String(s) => {
                if let Ok(q) = ngd_parse::parse_rational(s) {
                    Some(flq(&q))
                } else {
                    Float::parse(s).ok().map(|p| Float::with_val(PREC, p))
                }
            }
            Value::Number(x) => x.as_f64().map(fl),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The claims.

/// What the re-check of one claim found.
struct ClaimResult {
    claim: String,
    checked: usize,
    skipped: usize,
    violation: Option<String>,
}

impl ClaimResult {
    fn new(claim: impl Into<String>) -> ClaimResult {
        ClaimResult {
            claim: claim.into(),
            checked: 0,
            skipped: 0,
            violation: None,
        }
    }
    fn violate(&mut self, msg: String) {
        if self.violation.is_none() {
            self.violation = Some(msg);
        }
    }
    /// A proof over a region where nothing could be evaluated is vacuous.
    fn vacuous_check(&mut self) {
        if self.checked == 0 && self.violation.is_none() {
            self.violate(format!(
                "no sampled point ({} tried) is in the domain: the proof is about a function that is undefined there",
                self.skipped
            ));
        }
    }
}

fn c1_identity(p: &Problem, bx: &BoxQ, seed: u64, conserved: bool) -> ClaimResult {
    let mut r = ClaimResult::new(if conserved {
        "C1 conservation.conserved: <grad f, grad phi> == 0 on the search box"
    } else {
        "C1 conservation.lyapunov: <grad f, grad phi> >= 0 on the search box"
    });
    let mut rng = Rng::new(seed);
    for x in bx.points(&mut rng, n_points()) {
        let Some(at) = p.eval(&x) else {
            r.skipped += 1;
            continue;
        };
        r.checked += 1;
        let d = dot(&at.gf, &at.gphi);
        let scale = Float::with_val(PREC, norm(&at.gf) * norm(&at.gphi));
        // At an exact critical point of phi (a rational sample can hit one) grad phi is pure
        // rounding noise of its terms, ~1e-154 of their size, not of its value: the floor
        // |grad f| 1e-100 absorbs it and misses a genuine effect only where |grad phi| itself
        // is below 1e-100.
        let floor = Float::with_val(PREC, norm(&at.gf) * fl(1e-100));
        let tol = Float::with_val(PREC, &scale * fl(TOL)) + floor + fl(1e-300);
        let bad = if conserved {
            Float::with_val(PREC, d.abs_ref()) > tol
        } else {
            d < -tol
        };
        if bad {
            r.violate(format!(
                "at x = {}: <grad f, grad phi> = {:.6e} (|grad f| |grad phi| = {:.3e})",
                show(&x),
                f64_of(&d),
                f64_of(&scale)
            ));
            break;
        }
    }
    r.vacuous_check();
    r
}

fn c1_witness(p: &Problem, w: &Value, what: &str, expect_sign: Option<i64>) -> ClaimResult {
    let mut r = ClaimResult::new(format!("C1 witness of {what}"));
    let Some(x) = parse_point(&w["point"]) else {
        r.violate(format!("unreadable witness point {}", w["point"]));
        return r;
    };
    let sign = w["sign"].as_i64().or(expect_sign).unwrap_or(0);
    let Some(at) = p.eval(&x) else {
        r.violate(format!(
            "the witness {} is outside the domain of f, phi or their gradients: nothing increases there",
            show(&x)
        ));
        return r;
    };
    r.checked = 1;
    let d = dot(&at.gf, &at.gphi);
    let scale = Float::with_val(PREC, norm(&at.gf) * norm(&at.gphi));
    let tol = Float::with_val(PREC, &scale * fl(TOL)) + fl(1e-300);
    let ok_sign = match sign {
        1 => d > tol,
        -1 => d < -tol,
        _ => false,
    };
    if !ok_sign {
        r.violate(format!(
            "at the witness {}: <grad f, grad phi> = {:.6e}, not of the printed sign {sign}",
            show(&x),
            f64_of(&d)
        ));
    }
    if w["value"]["kind"] == "exact" {
        if let Some(q) = w["value"]["value"]
            .as_str()
            .and_then(|s| ngd_parse::parse_rational(s).ok())
        {
            let diff = Float::with_val(PREC, &d - flq(&q)).abs();
            let tol2 = Float::with_val(PREC, flq(&q).abs() + &scale) * fl(TOL) + fl(1e-300);
            if diff > tol2 {
                r.violate(format!(
                    "at the witness {}: <grad f, grad phi> = {:.12e}, the report prints {q} exactly",
                    show(&x),
                    f64_of(&d)
                ));
            }
        }
    }
    r
}

fn c2(p: &Problem, bx: &BoxQ, seed: u64, report: &Value) -> Vec<ClaimResult> {
    let mut out = Vec::new();
    let ms = &report["minima"]["minimum_set"];
    let lb = &ms["lower_bound"];
    if lb["evidence"] == "proved" {
        let mut r = ClaimResult::new("C2 minimum_set.lower_bound: f >= value");
        match lb["value"]
            .as_str()
            .and_then(|s| ngd_parse::parse_rational(s).ok())
        {
            None => r.violate(format!("unreadable lower bound {}", lb["value"])),
            Some(q) => {
                let v = flq(&q);
                let mut rng = Rng::new(seed);
                for x in bx.points(&mut rng, n_points()) {
                    let Some(fx) = p.f_only(&x) else {
                        r.skipped += 1;
                        continue;
                    };
                    r.checked += 1;
                    let tol = Float::with_val(PREC, fx.abs_ref()).max(&fl(1.0)) * fl(TOL);
                    if Float::with_val(PREC, &fx - &v) < -tol {
                        r.violate(format!(
                            "at x = {}: f = {:.6e} < the proved lower bound {q}",
                            show(&x),
                            f64_of(&fx)
                        ));
                        break;
                    }
                }
                r.vacuous_check();
            }
        }
        out.push(r);
    }
    let inf = &ms["infimum"];
    if inf["evidence"] == "proved" && !inf["attained_at"].is_null() {
        let mut r = ClaimResult::new("C2 minimum_set.infimum: attained at the printed point");
        let v = inf["value"]
            .as_str()
            .and_then(|s| ngd_parse::parse_rational(s).ok());
        match (v, parse_point(&inf["attained_at"]["coords"])) {
            (Some(q), Some(x)) => match p.f_only(&x) {
                None => r.violate(format!("f cannot be evaluated at {}", show(&x))),
                Some(fx) => {
                    r.checked = 1;
                    let d = Float::with_val(PREC, &fx - flq(&q)).abs();
                    if d > 1e-6 {
                        r.violate(format!(
                            "f({}) = {:.6e}, not within 1e-6 of the proved infimum {q}",
                            show(&x),
                            f64_of(&fx)
                        ));
                    }
                }
            },
            _ => r.violate(format!("unreadable infimum {inf}")),
        }
        out.push(r);
    }
    out
}

/// One certificate of C5: `F >= m rho^k - C rho^(k-1)` for `rho >= R0`.
fn c5(p: &Problem, cert: &Value, seed: u64, with_phi: bool, what: &str) -> ClaimResult {
    let mut r = ClaimResult::new(format!(
        "C5 {what}: {}",
        cert["statement"].as_str().unwrap_or("?")
    ));
    let n = p.n;
    let w: Vec<u32> = cert["weights"]
        .as_array()
        .map(|a| a.iter().map(|x| x.as_u64().unwrap_or(1) as u32).collect())
        .unwrap_or_else(|| vec![1; n]);
    let (Some(k), Some(m), Some(c), Some(r0)) = (
        cert["level"].as_u64(),
        cert["lower_bound"].as_f64(),
        cert["remainder"].as_f64(),
        cert["scale"].as_u64(),
    ) else {
        r.violate(format!("unreadable certificate {cert}"));
        return r;
    };
    if w.len() != n {
        r.violate(format!("{} weights for {n} variables", w.len()));
        return r;
    }
    let mut rng = Rng::new(seed);
    // Directions u on the boundary of the cube [-1, 1]^n: the axes, the diagonals, then
    // random points of random faces (a third of their other coordinates exactly 0).
    let mut dirs: Vec<Vec<f64>> = Vec::new();
    for i in 0..n {
        for s in [1.0, -1.0] {
            let mut u = vec![0.0; n];
            u[i] = s;
            dirs.push(u);
        }
    }
    for c in 0..(1usize << n.min(8)) {
        dirs.push(
            (0..n)
                .map(|i| if (c >> i) & 1 == 1 { 1.0 } else { -1.0 })
                .collect(),
        );
    }
    let total = n_points().max(dirs.len());
    while dirs.len() < total {
        let mut u: Vec<f64> = (0..n)
            .map(|_| match rng.below(3) {
                0 => 0.0,
                _ => 2.0 * rng.unit() - 1.0,
            })
            .collect();
        let i = rng.below(n);
        u[i] = if rng.below(2) == 0 { 1.0 } else { -1.0 };
        dirs.push(u);
    }
    let radii = [1.0, 1.5, 2.0, 10.0, 100.0, 1e3, 1e4];
    for (j, u) in dirs.iter().enumerate() {
        let rho = fl(r0 as f64 * radii[j % radii.len()]);
        // x_i = rho^(w_i) u_i
        let x: Vec<Float> = u
            .iter()
            .zip(&w)
            .map(|(&ui, &wi)| Float::with_val(PREC, rho.clone().pow(wi)) * fl(ui))
            .collect();
        let Some(at) = p.val(&x) else {
            r.skipped += 1;
            continue;
        };
        r.checked += 1;
        let val = if with_phi {
            Float::with_val(PREC, &at.f + &at.phi)
        } else {
            at.f.clone()
        };
        let bound = Float::with_val(PREC, rho.clone().pow(k as u32)) * fl(m)
            - Float::with_val(PREC, rho.clone().pow(k as u32 - 1)) * fl(c);
        let scale = Float::with_val(PREC, val.abs_ref())
            .max(&Float::with_val(PREC, bound.abs_ref()))
            .max(&fl(1.0));
        if Float::with_val(PREC, &val - &bound) < -(scale * fl(TOL)) {
            r.violate(format!(
                "at x = {} (rho = {}): F = {:.6e} < m rho^k - C rho^(k-1) = {:.6e}",
                show(&x),
                f64_of(&rho),
                f64_of(&val),
                f64_of(&bound)
            ));
            break;
        }
    }
    r.vacuous_check();
    r
}

/// `grad(f + phi)` at `x`, where it exists.
fn grad_total(p: &Problem, x: &[Float]) -> Option<Vec<Float>> {
    let g = eval_tape(&p.grads, x)?;
    Some(
        (0..p.n)
            .map(|i| Float::with_val(PREC, &g[i] + &g[p.n + i]))
            .collect(),
    )
}

/// Solves `a d = b` by Gaussian elimination with partial pivoting (`None` if singular).
fn solve(mut a: Vec<Vec<Float>>, mut b: Vec<Float>) -> Option<Vec<Float>> {
    let n = b.len();
    for k in 0..n {
        let piv = (k..n).max_by(|&i, &j| {
            a[i][k]
                .clone()
                .abs()
                .partial_cmp(&a[j][k].clone().abs())
                .unwrap_or(std::cmp::Ordering::Equal)
        })?;
        if a[piv][k].is_zero() {
            return None;
        }
        a.swap(k, piv);
        b.swap(k, piv);
        let (top, rest) = a.split_at_mut(k + 1);
        let pivot_row = &top[k];
        for (i, row) in rest.iter_mut().enumerate() {
            let m = Float::with_val(PREC, &row[k] / &pivot_row[k]);
            for (rj, pj) in row[k..].iter_mut().zip(&pivot_row[k..]) {
                *rj -= Float::with_val(PREC, &m * pj);
            }
            let t = Float::with_val(PREC, &m * &b[k]);
            b[k + 1 + i] -= t;
        }
    }
    let mut x = vec![fl(0.0); n];
    for i in (0..n).rev() {
        let mut acc = b[i].clone();
        for j in i + 1..n {
            acc -= Float::with_val(PREC, &a[i][j] * &x[j]);
        }
        x[i] = Float::with_val(PREC, &acc / &a[i][i]);
    }
    Some(x)
}

fn frobenius(h: &[Float]) -> Float {
    norm(h)
}

/// C6 at one point: the report claims that the box `B` contains a critical point `s*` of
/// `f + phi` at which `f + phi` has a strict local minimum, with `Hess(f + phi)` positive
/// definite on `B` (schema 3 says so in words; schema 2 claimed it of the printed flat point
/// itself, a stronger claim, so checking the weaker one can only miss, never cry wolf).
///
/// The re-check: Newton's method on `grad(f + phi)` in MPFR from the printed point locates
/// `s*` to ~150 digits. If it converges inside `B`: `(f + phi)(x) >= (f + phi)(s*)` at seeded
/// points `x` of `B` and at `s* + t d` (`t = 10^-10 ... 10^-45`, along the axes, `-grad` and
/// random directions), and midpoint convexity `(f + phi)((x + y)/2) <= ((f + phi)(x) +
/// (f + phi)(y))/2` on seeded pairs of `B` (implied by the positive definite Hessian). If it
/// does not: a violation only when `|grad(f + phi)|` at the centre or a corner of `B` exceeds
/// `4 H diam(B)`, with `H` the largest Frobenius norm of the Hessian at those points (then no
/// critical point lies in `B`, since `|grad(x) - grad(s*)| <= |Hess| |x - s*|`).
///
/// `smooth == false` is schema 3's criterion `nonsmooth_abs` (`f = c|g|`): the claim is then
/// `(f + phi)(x) > (f + phi)(s)` on all of `B` for the Lagrange point `s` of `phi` on `M`,
/// not convexity; it is re-checked against the printed 50-digit `s`, with the tolerance
/// `1e-40 (1 + |(f + phi)(s)| + L)` (`L` the largest `|grad(f + phi)|` sampled in `B`,
/// bounding the Lipschitz error `L |s - s_printed| <= L 1e-49`).
fn c6(p: &Problem, s: &[Float], bx: &BoxQ, smooth: bool, seed: u64, label: &str) -> ClaimResult {
    let n = p.n;
    let rad = bx
        .lo
        .iter()
        .zip(&bx.hi)
        .map(|(a, b)| f64_of(&Float::with_val(PREC, b - a)) / 2.0)
        .fold(f64::INFINITY, f64::min);
    let mut r = ClaimResult::new(format!(
        "C6 {label}: strict local minimum of f + phi in the box of radius {rad:.1e} around {}",
        show(s)
    ));
    let inside = |x: &[Float], slack: f64| {
        x.iter()
            .zip(bx.lo.iter().zip(&bx.hi))
            .all(|(xi, (lo, hi))| {
                *xi >= Float::with_val(PREC, lo - fl(slack))
                    && *xi <= Float::with_val(PREC, hi + fl(slack))
            })
    };
    if !smooth {
        return c6_nonsmooth(p, s, bx, seed, r);
    }
    // Newton from the printed point.
    let mut x = s.to_vec();
    let mut star = None;
    for _ in 0..60 {
        let (Some(g), Some(h)) = (grad_total(p, &x), eval_tape(&p.hess, &x)) else {
            break;
        };
        let gn = norm(&g);
        let hn = frobenius(&h);
        if gn <= Float::with_val(PREC, &hn * fl(1e-130)) + fl(1e-300) {
            star = Some(x.clone());
            break;
        }
        let a: Vec<Vec<Float>> = (0..n).map(|i| h[i * n..(i + 1) * n].to_vec()).collect();
        let Some(d) = solve(a, g) else {
            break;
        };
        x = x
            .iter()
            .zip(&d)
            .map(|(xi, di)| Float::with_val(PREC, xi - di))
            .collect();
        if !inside(&x, 4.0 * rad) {
            break;
        }
    }
    let star = star.filter(|x| inside(x, 1e-30 * rad.max(1e-300)));
    let Some(star) = star else {
        // No critical point found in B: decide by the gradient bound.
        let mut corners = bx.points(&mut Rng::new(seed), 0);
        corners.push(s.to_vec());
        let mut hmax = fl(0.0);
        let mut gmin: Option<Float> = None;
        for c in &corners {
            if let (Some(g), Some(h)) = (grad_total(p, c), eval_tape(&p.hess, c)) {
                r.checked += 1;
                hmax = hmax.max(&frobenius(&h));
                let gn = norm(&g);
                gmin = Some(match gmin {
                    Some(m) => m.min(&gn),
                    None => gn,
                });
            } else {
                r.skipped += 1;
            }
        }
        let diam = fl(2.0 * rad * (n as f64).sqrt());
        match gmin {
            None => r.violate(format!(
                "f + phi or its derivatives cannot be evaluated at the centre or any corner of B ({})",
                show(s)
            )),
            Some(g) if g > Float::with_val(PREC, &hmax * &diam) * 4u32 => r.violate(format!(
                "no critical point of f + phi in B: |grad(f + phi)| >= {:.3e} at the centre and the corners, \
                 while |Hess| <= {:.3e} there and diam(B) = {:.1e}",
                f64_of(&g),
                f64_of(&hmax),
                f64_of(&diam)
            )),
            Some(_) => {}
        }
        return r;
    };
    let Some(at_s) = p.val(&star) else {
        r.violate(format!(
            "f + phi cannot be evaluated at its critical point {}",
            show(&star)
        ));
        return r;
    };
    let fs = Float::with_val(PREC, &at_s.f + &at_s.phi);
    let tol = Float::with_val(PREC, fs.abs_ref()).max(&fl(1.0)) * fl(TOL_C6);
    let mut rng = Rng::new(seed);
    let mut dirs: Vec<Vec<Float>> = Vec::new();
    if let Some(gs) = grad_total(p, s) {
        let gn = norm(&gs);
        if !gn.is_zero() {
            dirs.push(gs.iter().map(|g| -Float::with_val(PREC, g / &gn)).collect());
        }
    }
    for i in 0..n {
        for sgn in [1.0, -1.0] {
            let mut d = vec![fl(0.0); n];
            d[i] = fl(sgn);
            dirs.push(d);
        }
    }
    for _ in 0..4 {
        let d: Vec<Float> = (0..n).map(|_| fl(2.0 * rng.unit() - 1.0)).collect();
        let dn = norm(&d);
        dirs.push(d.iter().map(|c| Float::with_val(PREC, c / &dn)).collect());
    }
    let mut pts: Vec<Vec<Float>> = Vec::new();
    for d in &dirs {
        for k in 10..=45 {
            let t = Float::with_val(PREC, Float::u_pow_u(10, k)).recip() * fl(rad * 1e10);
            let y: Vec<Float> = star
                .iter()
                .zip(d)
                .map(|(si, di)| Float::with_val(PREC, si + Float::with_val(PREC, di * &t)))
                .collect();
            if inside(&y, 0.0) {
                pts.push(y);
            }
        }
    }
    pts.extend(bx.points(&mut rng, n_points()));
    let mut values: Vec<(Vec<Float>, Float)> = Vec::new();
    for x in pts {
        let Some(at) = p.val(&x) else {
            r.skipped += 1;
            continue;
        };
        r.checked += 1;
        let fx = Float::with_val(PREC, &at.f + &at.phi);
        let diff = Float::with_val(PREC, &fx - &fs);
        if diff < -tol.clone() {
            r.violate(format!(
                "(f + phi)(x) - (f + phi)(s*) = {:.6e} < 0 at x = s* + {}, where s* = {} is the critical point in B",
                f64_of(&diff),
                show(
                    &x.iter()
                        .zip(&star)
                        .map(|(a, b)| Float::with_val(PREC, a - b))
                        .collect::<Vec<_>>()
                ),
                show(&star)
            ));
            return r;
        }
        if values.len() < 2000 {
            values.push((x, fx));
        }
    }
    // Midpoint convexity on pairs of sampled points.
    for _ in 0..values.len() {
        let (i, j) = (rng.below(values.len()), rng.below(values.len()));
        let (x, fx) = &values[i];
        let (y, fy) = &values[j];
        let mid: Vec<Float> = x
            .iter()
            .zip(y)
            .map(|(a, b)| Float::with_val(PREC, a + b) / 2u32)
            .collect();
        let Some(at) = p.val(&mid) else {
            continue;
        };
        let fm = Float::with_val(PREC, &at.f + &at.phi);
        let avg = Float::with_val(PREC, fx + fy) / 2u32;
        let scale = Float::with_val(PREC, fm.abs_ref()).max(&fl(1.0)) * fl(TOL);
        if Float::with_val(PREC, &fm - &avg) > scale {
            r.violate(format!(
                "f + phi is not convex on B (so Hess(f + phi) is not positive definite there): \
                 (f + phi)(midpoint) - mean = {:.6e} > 0 for x = {}, y = {}",
                f64_of(&Float::with_val(PREC, &fm - &avg)),
                show(x),
                show(y)
            ));
            return r;
        }
    }
    r.vacuous_check();
    r
}

/// C6 for the nonsmooth criterion: `(f + phi)(x) >= (f + phi)(s)` on `B` (see [`c6`]).
fn c6_nonsmooth(p: &Problem, s: &[Float], bx: &BoxQ, seed: u64, mut r: ClaimResult) -> ClaimResult {
    let Some(at_s) = p.val(s) else {
        r.violate(format!("f + phi cannot be evaluated at {}", show(s)));
        return r;
    };
    let fs = Float::with_val(PREC, &at_s.f + &at_s.phi);
    let mut rng = Rng::new(seed);
    let pts = bx.points(&mut rng, n_points());
    let mut lip = fl(1.0);
    for x in pts.iter().take(64) {
        if let Some(g) = grad_total(p, x) {
            lip = lip.max(&norm(&g));
        }
    }
    let tol = (Float::with_val(PREC, fs.abs_ref()) + fl(1.0) + lip) * fl(1e-40);
    for x in pts {
        let Some(at) = p.val(&x) else {
            r.skipped += 1;
            continue;
        };
        r.checked += 1;
        let diff = Float::with_val(PREC, &at.f + &at.phi) - &fs;
        if diff < -tol.clone() {
            r.violate(format!(
                "(f + phi)(x) - (f + phi)(s) = {:.6e} < 0 at x = {} (s = {})",
                f64_of(&diff),
                show(&x),
                show(s)
            ));
            return r;
        }
    }
    r.vacuous_check();
    r
}

/// C4 on one certified box: `phi(x - a u) - phi(x) <= -c a^2`.
fn c4_box(p: &Problem, b: &Value, seed: u64, conserved: bool, idx: usize) -> ClaimResult {
    let mut r = ClaimResult::new(format!("C4 certificate example box {idx}"));
    let (Some(lo), Some(hi), Some(a_max), Some(c)) = (
        parse_point(&b["lo"]),
        parse_point(&b["hi"]),
        b["a_max"].as_f64(),
        b["c"].as_f64(),
    ) else {
        r.violate(format!("unreadable box {b}"));
        return r;
    };
    if p.normals == 0 {
        r.violate(
            "the report names no g and no residuals: the normal directions are unknown".into(),
        );
        return r;
    }
    let n = p.n;
    let bx = BoxQ { lo, hi };
    let mut rng = Rng::new(seed);
    let fractions = [1.0, 0.5, 0.1, 1e-2, 1e-4];
    for (j, x) in bx.points(&mut rng, n_points() / 4).into_iter().enumerate() {
        let Some(at) = p.eval(&x) else {
            r.skipped += 1;
            continue;
        };
        // The normalized directions at x: for f = c h(g), +-grad g/|grad g| (only the NGD
        // direction grad f/|grad f| when phi is merely a Lyapunov function); for least
        // squares, unit vectors J_G^T w/|J_G^T w| of the row space.
        let mut us: Vec<Vec<Float>> = Vec::new();
        let unit = |v: &[Float]| -> Option<Vec<Float>> {
            let nv = norm(v);
            (!nv.is_zero()).then(|| v.iter().map(|c| Float::with_val(PREC, c / &nv)).collect())
        };
        if p.normals == 1 {
            if conserved {
                if let Some(u) = unit(&at.rows[0]) {
                    us.push(u.iter().map(|c| -c.clone()).collect());
                    us.push(u);
                }
            } else if let Some(u) = unit(&at.gf) {
                us.push(u);
            } else if let Some(u) = unit(&at.rows[0]) {
                us.push(u.iter().map(|c| -c.clone()).collect());
                us.push(u);
            }
        } else {
            for _ in 0..3 {
                let wts: Vec<f64> = (0..p.normals).map(|_| 2.0 * rng.unit() - 1.0).collect();
                let v: Vec<Float> = (0..n)
                    .map(|i| {
                        let mut s = fl(0.0);
                        for (k, wk) in wts.iter().enumerate() {
                            s += Float::with_val(PREC, &at.rows[k][i] * fl(*wk));
                        }
                        s
                    })
                    .collect();
                if let Some(u) = unit(&v) {
                    us.push(u);
                }
            }
        }
        for u in us {
            let frac = if j % 2 == 0 {
                fractions[rng.below(fractions.len())]
            } else {
                rng.unit().max(1e-6)
            };
            let a = fl(a_max * frac);
            let y: Vec<Float> = x
                .iter()
                .zip(&u)
                .map(|(xi, ui)| Float::with_val(PREC, xi - Float::with_val(PREC, ui * &a)))
                .collect();
            let Some(at_y) = p.val(&y) else {
                r.skipped += 1;
                continue;
            };
            r.checked += 1;
            let delta = Float::with_val(PREC, &at_y.phi - &at.phi);
            let bound = -(Float::with_val(PREC, a.clone().square() * fl(c)));
            let tol = Float::with_val(PREC, at.phi.abs_ref()).max(&fl(1.0)) * fl(TOL);
            if Float::with_val(PREC, &delta - &bound) > tol {
                r.violate(format!(
                    "at x = {}, u = {}, a = {:.3e}: phi(x - a u) - phi(x) = {:.6e} > -c a^2 = {:.6e}",
                    show(&x),
                    show(&u),
                    f64_of(&a),
                    f64_of(&delta),
                    f64_of(&bound)
                ));
                return r;
            }
        }
    }
    r.vacuous_check();
    r
}

/// The refutation of C4: one NGD step from the printed point increases `phi`, with the printed
/// enclosures of `phi` before and after.
fn c4_refutation(p: &Problem, w: &Value) -> ClaimResult {
    let mut r = ClaimResult::new("C4 refutation: one NGD step increases phi");
    let x0 = parse_point(&w["point"]);
    let a = w["step"]
        .as_str()
        .and_then(|s| ngd_parse::parse_rational(s).ok());
    let (Some(x0), Some(a)) = (x0, a) else {
        r.violate(format!("unreadable refutation {w}"));
        return r;
    };
    let Some(at) = p.eval(&x0) else {
        r.violate(format!(
            "f, phi or grad f cannot be evaluated at the refutation point {}",
            show(&x0)
        ));
        return r;
    };
    let gn = norm(&at.gf);
    if gn.is_zero() {
        r.violate(format!("grad f = 0 at the refutation point {}", show(&x0)));
        return r;
    }
    let a = flq(&a);
    let y: Vec<Float> = x0
        .iter()
        .zip(&at.gf)
        .map(|(xi, gi)| Float::with_val(PREC, xi - Float::with_val(PREC, gi * &a) / &gn))
        .collect();
    let Some(after) = p.val(&y) else {
        r.violate(format!(
            "phi cannot be evaluated after the step, at {}",
            show(&y)
        ));
        return r;
    };
    r.checked = 1;
    let inc = Float::with_val(PREC, &after.phi - &at.phi);
    if inc <= 0 {
        r.violate(format!(
            "phi(x0 - a grad f/|grad f|) - phi(x0) = {:.6e} <= 0 at x0 = {}",
            f64_of(&inc),
            show(&x0)
        ));
    }
    // The printed enclosures must contain the values (they are outward rounded).
    for (key, v) in [("phi_before", &at.phi), ("phi_after", &after.phi)] {
        if let (Some(lo), Some(hi)) = (w[key][0].as_f64(), w[key][1].as_f64()) {
            let slack = 1e-12 * v.to_f64().abs().max(1.0);
            let vf = v.to_f64();
            if vf < lo - slack || vf > hi + slack {
                r.violate(format!(
                    "{key} = [{lo:e}, {hi:e}] does not contain phi = {vf:.17e} (at {})",
                    if key == "phi_before" {
                        show(&x0)
                    } else {
                        show(&y)
                    }
                ));
            }
        }
    }
    r
}

/// The exact escape of C5: along the printed curve, `F(x(t))` equals the printed restriction
/// for large `t` and tends to the printed limit.
fn c5_escape(p: &Problem, e: &Value, with_phi: bool, what: &str) -> ClaimResult {
    let mut r = ClaimResult::new(format!(
        "C5 escape of {what} along {}: {} -> {}",
        e["curve"], e["restriction"], e["limit"]
    ));
    let mut arena = Arena::new(vec!["t".to_string()]);
    let Some(curve) = e["curve"].as_array().and_then(|c| {
        c.iter()
            .map(|s| ngd_parse::parse_expr(&mut arena, s.as_str()?, &Params::new()).ok())
            .collect::<Option<Vec<ExprId>>>()
    }) else {
        r.violate(format!("unreadable escape curve {}", e["curve"]));
        return r;
    };
    if curve.len() != p.n {
        r.violate(format!(
            "the curve has {} coordinates for {} variables",
            curve.len(),
            p.n
        ));
        return r;
    }
    let restriction = e["restriction"]
        .as_str()
        .and_then(|s| ngd_parse::parse_expr(&mut arena, s, &Params::new()).ok());
    let limit = e["limit"]
        .as_str()
        .and_then(|s| ngd_parse::parse_rational(s).ok());
    let mut outs = curve.clone();
    outs.extend(restriction);
    let tape = Tape::compile(&arena, &outs);
    let mut first_last: (Option<Float>, Option<Float>) = (None, None);
    for t in [1e4, 1e6, 1e8] {
        let Some(vals) = eval_tape(&tape, &[fl(t)]) else {
            r.skipped += 1;
            continue;
        };
        let x = &vals[..p.n];
        let fx = if with_phi {
            p.val(x).map(|v| Float::with_val(PREC, &v.f + &v.phi))
        } else {
            p.f_only(x)
        };
        let Some(fx) = fx else {
            r.skipped += 1;
            continue;
        };
        r.checked += 1;
        if restriction.is_some() {
            let want = &vals[p.n];
            let d = Float::with_val(PREC, &fx - want).abs();
            let scale = Float::with_val(PREC, fx.abs_ref()).max(&fl(1.0));
            if d > scale * fl(TOL) {
                r.violate(format!(
                    "at t = {t:e}: F(x(t)) = {:.12e}, the restriction gives {:.12e}",
                    f64_of(&fx),
                    f64_of(want)
                ));
                return r;
            }
        }
        if first_last.0.is_none() {
            first_last.0 = Some(fx.clone());
        }
        first_last.1 = Some(fx);
    }
    if r.checked == 0 {
        r.vacuous_check();
        return r;
    }
    // The limit: of the restriction (a rational function of t) where it parsed, evaluated far
    // out; otherwise of F along the curve, loosely.
    let far: Vec<Float> = if restriction.is_some() {
        [1e20, 1e40, 1e80]
            .iter()
            .filter_map(|&t| eval_tape(&tape, &[fl(t)]).map(|v| v[p.n].clone()))
            .collect()
    } else {
        first_last.1.iter().cloned().collect()
    };
    let Some(end) = far.last() else {
        return r;
    };
    match (limit, e["limit"].as_str()) {
        (Some(q), _) => {
            let d = Float::with_val(PREC, end - flq(&q)).abs();
            if d > 1e-3 * flq(&q).to_f64().abs().max(1.0) {
                r.violate(format!(
                    "far along the curve F = {:.12e}, not near the printed limit {q}",
                    f64_of(end)
                ));
            }
        }
        (None, Some("-inf")) => {
            let falling = match (&first_last.0, &first_last.1) {
                _ if far.len() >= 2 => *end < -1e10 && far[0] > *end,
                (Some(a), Some(b)) => b < a,
                _ => true,
            };
            if !falling {
                r.violate(format!(
                    "far along the curve F = {:.6e}: not heading to the printed limit -inf",
                    f64_of(end)
                ));
            }
        }
        _ => r.violate(format!("unreadable limit {}", e["limit"])),
    }
    r
}

// ---------------------------------------------------------------------------------------------
// One case.

struct CaseOutcome {
    name: String,
    lines: Vec<String>,
    violations: Vec<String>,
}

fn check_case(path: &Path) -> CaseOutcome {
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    let mut out = CaseOutcome {
        name: name.clone(),
        lines: Vec::new(),
        violations: Vec::new(),
    };
    let limit = Duration::from_secs(env_num("NGD_FALSIFIER_TIMEOUT", 30));
    let run = run_json(path, limit);
    let Some(code) = run.code else {
        out.lines.push(format!(
            "not checked: the binary did not finish within {limit:?}"
        ));
        return out;
    };
    let report: Value = match serde_json::from_slice(&run.stdout) {
        Ok(v) => v,
        Err(_) => {
            out.lines.push(format!(
                "not checked: exit {code}, no JSON report ({})",
                String::from_utf8_lossy(&run.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
            ));
            return out;
        }
    };
    let text = std::fs::read_to_string(path).expect("case file");
    let p = match problem(&text, &report) {
        Ok(p) => p,
        Err(e) => {
            out.violations
                .push(format!("the falsifier cannot parse the case: {e}"));
            return out;
        }
    };
    let bx = match search_box(&report) {
        Ok(b) => b,
        Err(e) => {
            out.violations.push(format!("no search box: {e}"));
            return out;
        }
    };
    let t0 = Instant::now();
    let seed = |claim: &str| seed_of(&format!("{name}/{claim}"));
    let mut results: Vec<ClaimResult> = Vec::new();
    let c1 = &report["conservation"];
    let conserved = c1["conserved"] == "proved";
    if p.has_phi && conserved {
        results.push(c1_identity(&p, &bx, seed("c1-conserved"), true));
    }
    if p.has_phi && c1["lyapunov"]["evidence"] == "proved" {
        results.push(c1_identity(&p, &bx, seed("c1-lyapunov"), false));
    }
    if c1["conserved"] == "refuted" && c1["nonzero_witness"].is_object() {
        results.push(c1_witness(
            &p,
            &c1["nonzero_witness"],
            "non-conservation",
            None,
        ));
    }
    let lw = &c1["lyapunov"]["outcome"]["witness"];
    if c1["lyapunov"]["evidence"] == "refuted" && lw.is_object() {
        results.push(c1_witness(&p, lw, "increase (Lyapunov refuted)", Some(-1)));
    }
    if report["minima"].is_object() {
        results.extend(c2(&p, &bx, seed("c2"), &report));
    }
    // Every listed certified box is proved on its own: the exact cover's examples (n <= 3)
    // and the boxes around samples (n > 3).
    for key in ["cover", "certificate"] {
        let cert = &report["decrease"][key];
        if let Some(boxes) = cert["examples"].as_array() {
            for (i, b) in boxes.iter().enumerate() {
                results.push(c4_box(&p, b, seed(&format!("c4-{key}-{i}")), conserved, i));
            }
        }
    }
    let refutation = &report["decrease"]["refutation"];
    if refutation.is_object() {
        results.push(c4_refutation(&p, refutation));
    }
    let co = &report["coercivity"];
    if co["evidence"] == "proved" && co["certificate"].is_object() {
        results.push(c5(
            &p,
            &co["certificate"],
            seed("c5"),
            p.has_phi,
            if p.has_phi { "f + phi" } else { "f" },
        ));
    }
    if co["evidence"] == "refuted" && co["escape"].is_object() {
        results.push(c5_escape(&p, &co["escape"], p.has_phi, "f + phi"));
    }
    let fa = &co["f_alone"];
    if fa["evidence"] == "proved" && fa["certificate"].is_object() {
        results.push(c5(&p, &fa["certificate"], seed("c5-f"), false, "f alone"));
    }
    if fa["evidence"] == "refuted" && fa["escape"].is_object() {
        results.push(c5_escape(&p, &fa["escape"], false, "f alone"));
    }
    let strict = &report["minima"]["strictness"];
    if let Some(points) = strict["points"].as_array() {
        for (i, pt) in points.iter().enumerate() {
            if pt["evidence"] != "proved" {
                continue;
            }
            // The claim is about the exact point s; its printed 50 digits (and only those)
            // justify the tolerance of C6, so a point given only in f64 is not re-checked.
            // Schema 3 prints them with the point (`coords`, box `box_lo`/`box_hi`); schema 2
            // in `minima.flat.flat_points[flat_point]` (box: radius `box_radius`).
            let s = if pt["coords"].is_array() {
                parse_point(&pt["coords"])
            } else {
                pt["flat_point"].as_u64().and_then(|k| {
                    let fp = &report["minima"]["flat"]["flat_points"][k as usize]["point"];
                    (fp["digits"].as_u64().unwrap_or(0) >= 40)
                        .then(|| parse_point(&fp["coords"]))
                        .flatten()
                })
            };
            // The box: schema 3 prints its corners, schema 2 its radius around the point.
            let corner = |k: &str| parse_point(&pt[k]);
            let bx = match (
                &s,
                corner("box_lo"),
                corner("box_hi"),
                pt["box_radius"].as_f64(),
            ) {
                (_, Some(lo), Some(hi), _) => Some(BoxQ { lo, hi }),
                (Some(s), _, _, Some(rad)) => Some(BoxQ {
                    lo: s
                        .iter()
                        .map(|c| Float::with_val(PREC, c - fl(rad)))
                        .collect(),
                    hi: s
                        .iter()
                        .map(|c| Float::with_val(PREC, c + fl(rad)))
                        .collect(),
                }),
                _ => None,
            };
            // Schema 2 claims Hess(f + phi) positive definite on the box; schema 3 says which
            // criterion it used.
            let smooth = pt["criterion"].as_str().is_none_or(|c| c == "smooth");
            match (s, bx) {
                (Some(s), Some(bx)) => results.push(c6(
                    &p,
                    &s,
                    &bx,
                    smooth,
                    seed(&format!("c6-{i}")),
                    &format!("point {i}"),
                )),
                _ => out.violations.push(format!(
                    "C6 point {i} is proved, but the falsifier cannot find its high-precision coordinates \
                     (`coords`, or minima.flat.flat_points[flat_point].point.coords with digits >= 40) \
                     or its box (`box_radius`, or `box_lo`/`box_hi`): has the schema changed? {pt}"
                )),
            }
        }
    }
    for r in results {
        let status = match &r.violation {
            None => "ok".to_string(),
            Some(v) => format!("VIOLATED: {v}"),
        };
        out.lines.push(format!(
            "{} [{} points checked, {} outside the domain]: {status}",
            r.claim, r.checked, r.skipped
        ));
        if let Some(v) = r.violation {
            out.violations.push(format!("{}: {v}", r.claim));
        }
    }
    out.lines.push(format!(
        "(binary {:.1}s, re-check {:.1}s)",
        run.elapsed.as_secs_f64(),
        t0.elapsed().as_secs_f64()
    ));
    out
}

fn case_files() -> Vec<PathBuf> {
    let filter = std::env::var("NGD_FALSIFIER_FILTER").unwrap_or_default();
    let mut dirs = vec![root().join("cases"), root().join("tests/adversarial")];
    for e in std::fs::read_dir(root().join("tests")).expect("tests dir") {
        let p = e.expect("entry").path();
        if p.is_dir()
            && p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("soundness"))
        {
            dirs.push(p);
        }
    }
    let mut files = Vec::new();
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "case") && p.to_string_lossy().contains(&filter) {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn proved_claims_survive_an_independent_mpfr_recheck() {
    let files = case_files();
    assert!(!files.is_empty(), "no cases selected");
    let outcomes = parallel(&files, |p| check_case(p));
    let mut log = String::new();
    let mut failures = String::new();
    for o in &outcomes {
        log.push_str(&format!("{}\n", o.name));
        for l in &o.lines {
            log.push_str(&format!("    {l}\n"));
        }
        if !o.violations.is_empty() {
            failures.push_str(&format!("\n{}:\n", o.name));
            for v in &o.violations {
                failures.push_str(&format!("  - {v}\n"));
            }
        }
    }
    eprintln!("{log}");
    assert!(
        failures.is_empty(),
        "proved claims contradicted by the MPFR re-check ({} points per claim, {PREC} bits):\n{failures}",
        n_points()
    );
}

/// The re-check itself must not cry wolf: on claims that are true by construction it finds
/// nothing, and on false ones it finds the counterexample.
#[test]
fn the_recheck_finds_planted_violations_and_passes_true_claims() {
    let fake = serde_json::json!({"conservation": {"g": "x*y - 1"}});
    let case = |phi: &str| {
        format!(
            "variables = [\"x\", \"y\"]\nobjective = \"(x*y - 1)^2\"\nregularizer = \"{phi}\"\n"
        )
    };
    let around = |c: f64, r: f64| BoxQ {
        lo: vec![fl(c - r), fl(c - r)],
        hi: vec![fl(c + r), fl(c + r)],
    };
    let s = [fl(1.0), fl(1.0)];
    let p = problem(&case("(x^2 - y^2)^2"), &fake).expect("parses");
    let r = c1_identity(&p, &around(0.0, 3.0), 1, true);
    assert!(r.violation.is_none(), "{:?}", r.violation);
    assert!(r.checked >= 1000);
    let r = c6(&p, &s, &around(1.0, 1e-10), true, 2, "true");
    assert!(r.violation.is_none(), "{:?}", r.violation);
    assert!(r.checked >= 1000);
    // A 1e-30 slope: not conserved (found), but f + phi still has a strict minimum within
    // 1e-30 of (1, 1), inside the box: C6 holds and must not be flagged.
    let p = problem(&case("(x^2 - y^2)^2 + 1e-30*x"), &fake).expect("parses");
    let r = c1_identity(&p, &around(0.0, 3.0), 4, true);
    assert!(
        r.violation.is_some(),
        "the 1e-30 non-conservation was not found"
    );
    let r = c6(&p, &s, &around(1.0, 1e-10), true, 5, "shifted");
    assert!(r.violation.is_none(), "{:?}", r.violation);
    // Non-critical: grad(f + phi)(1, 1) = (-4, 4).
    let p = problem(&case("(x^2 - y^2 - 1)^2"), &fake).expect("parses");
    let r = c6(&p, &s, &around(1.0, 1e-10), true, 6, "non-critical");
    assert!(
        r.violation.is_some(),
        "the non-critical point was not found"
    );
    // A kink through (1, 1).
    let p = problem(&case("(x^2 - y^2)^2 - abs(x - y)"), &fake).expect("parses");
    let r = c6(&p, &s, &around(1.0, 1e-10), true, 7, "kink");
    assert!(r.violation.is_some(), "the kink was not found");
    // The nonsmooth criterion (f = |g|): a true strict minimum that is not convex on the box,
    // and a false one.
    let abs = |phi: &str| {
        format!(
            "variables = [\"x\", \"y\"]\nobjective = \"abs(x*y - 1)\"\nregularizer = \"{phi}\"\n"
        )
    };
    let p = problem(&abs("(x^2 - y^2)^2"), &fake).expect("parses");
    let r = c6(&p, &s, &around(1.0, 1e-10), false, 8, "abs");
    assert!(r.violation.is_none(), "{:?}", r.violation);
    let p = problem(&abs("(x^2 - y^2)^2 - 2*abs(x - y)"), &fake).expect("parses");
    let r = c6(&p, &s, &around(1.0, 1e-10), false, 9, "abs kink");
    assert!(r.violation.is_some(), "the kink in phi was not found");
}
