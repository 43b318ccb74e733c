//! Growth certificates: proofs that `f + phi` is coercive (docs/math.md C5; the paper's Thm 2.10
//! and Thm 3.32 (i) need it).
//!
//! For positive integer weights `w` write `x = D_R u = (R^w_1 u_1, ..., R^w_n u_n)` with `u`
//! on the boundary of the cube `[-1, 1]^n`; every `x` with `rho(x) = max_i |x_i|^(1/w_i) >= 1`
//! has this form with `R = rho(x)`. A *lower expansion* is a family of expressions `H_d(u)`
//! with `F(D_R u) >= sum_d R^d H_d(u)` for all `R >= 1`: polynomials expand exactly into
//! weighted-homogeneous parts (squares keep their top part as a square), and other terms
//! enter through sound inequalities (terms that are structurally `>= 0` are bounded by 0,
//! `|q| >= |q_top| - sum |lower parts of q|`, `max(a, b) = (a + b)/2 + |a - b|/2`,
//! `exp(h) >= max(0, h)^m / m!`, `(a + b)^2 >= (1 - e) a^2 - (1/e - 1) b^2`).
//! Write `h_j = sum_{d >= j} R0^(d - j) H_d` for a scale `R0 >= 1`. If for some level `k >= 1`
//!
//! - `h_j >= 0` on the cube boundary for every `j > k`, and
//! - `h_k >= m > 0` on the cube boundary,
//!
//! then for `R >= R0`, with `S = R/R0 >= 1` and Abel summation,
//! `sum_{d >= k} R^d H_d = R0^k (S^k h_k + sum_{j > k} (S^j - S^(j-1)) R0^(j-k) h_j) >= m R^k`,
//! and the parts of degree `d < k` are at least `-C R^(k-1)` with
//! `C = sum_{d < k} R0^(d-k+1) max |H_d|` over the cube boundary. Hence
//! `F(x) >= m rho^k - C rho^(k-1)` for `rho(x) >= R0`, and `F(x) -> +inf` as `|x| -> inf`:
//! `F` is coercive.
//!
//! With `w = (1, ..., 1)`, `R0 = 1` and `k` the top degree this is the classical argument: the
//! leading form is positive on the unit sphere iff it is positive on the cube boundary (it is
//! homogeneous), and each face of the cube is a box for interval branch and bound. Lower
//! levels handle leading forms that are only semidefinite, other weights handle escape
//! routes along curves such as `y = x^2`.
//!
//! Every inequality on the faces is proved by outward-rounded interval branch and bound (or
//! holds by structure: sums and products of squares); floating point only decides which
//! proofs to attempt.

use crate::expand::{expand, nonneg_structural, Decomposition, Expansion, Piece};
use crate::faces::{bnb, faces_for, screen_min, BnbOutcome, Budget, Faces};
use inari::Interval;
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use serde::Serialize;

/// A proof that `f + phi` is coercive: `f + phi >= m rho^k - C rho^(k-1)` whenever
/// `rho(x) = max_i |x_i|^(1/w_i) >= R0` (`R0 = scale`), with `m > 0` and `k >= 1`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GrowthCertificate {
    /// The weights `w_i` (all 1: ordinary degrees).
    pub weights: Vec<u32>,
    /// The top weighted degree `D` of the lower bound.
    pub top_degree: u32,
    /// The level `k` at which the positivity was proved (`k = D` for a positive leading form).
    pub level: u32,
    /// The radius `R0` (a power of two) from which the inequality is claimed: it holds for
    /// `rho >= R0` (1 unless the lower levels needed large `rho` to dominate).
    pub scale: u32,
    /// The certified `m > 0`: `sum_{d >= k} R0^(d - k) H_d >= m` on the boundary of the cube
    /// `[-1, 1]^n` (for `R0 = 1` and `k` the top degree: the leading form is `>= m` there).
    pub lower_bound: f64,
    /// The certified `C >= 0` bounding the parts of degree `< k` (an upper bound, rounded up).
    pub remainder: f64,
    /// The resulting inequality, in words.
    pub statement: String,
    /// How each partial sum `h_j`, `j > k`, was shown `>= 0`.
    pub nonnegative_levels: Vec<String>,
    /// Inequalities used to bound non-polynomial terms below.
    pub inequalities: Vec<String>,
    /// Terms bounded below by 0 (structurally nonnegative) and dropped.
    pub dropped_terms: Vec<String>,
    /// Faces examined for the level-`k` proof and the sign symmetries that reduced them.
    pub faces: usize,
    /// Sign symmetries used, in words (empty when none).
    pub symmetry: String,
    /// Boxes examined by branch and bound in the successful attempt.
    pub boxes: usize,
}

/// Knobs of the prover.
#[derive(Clone, Debug)]
pub(crate) struct ProverLimits {
    pub(crate) max_boxes: usize,
    pub(crate) nonneg_boxes: usize,
    pub(crate) min_width: f64,
    /// Boxes spent by all branch-and-bound runs so far, shared with their budgets.
    pub(crate) spent: std::rc::Rc<std::cell::Cell<usize>>,
    /// The cap on `spent`.
    pub(crate) total_boxes: usize,
    pub(crate) max_weight: u32,
    pub(crate) max_attempts: usize,
    pub(crate) seed: u64,
}

/// Outcome of the prover: a certificate and its argument in words, plus what was tried.
pub(crate) struct ProverResult {
    pub(crate) certificate: Option<GrowthCertificate>,
    pub(crate) argument: Option<String>,
    pub(crate) attempts: Vec<String>,
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Weight vectors to try: all ones first, then small weights with gcd 1 (by increasing sum).
fn weight_candidates(n: usize, max_weight: u32) -> Vec<Vec<u32>> {
    let mut out = vec![vec![1; n]];
    let maxw = if n <= 3 {
        max_weight
    } else if n <= 4 {
        max_weight.min(2)
    } else {
        1
    };
    if maxw <= 1 || n == 0 {
        return out;
    }
    let total = (maxw as usize).pow(n as u32);
    let mut ws: Vec<Vec<u32>> = (0..total)
        .map(|k| {
            let mut m = k;
            (0..n)
                .map(|_| {
                    let v = (m % maxw as usize) as u32 + 1;
                    m /= maxw as usize;
                    v
                })
                .collect::<Vec<u32>>()
        })
        .filter(|w| w.iter().fold(0, |g, &x| gcd(g, x)) == 1 && w.iter().any(|&x| x != w[0]))
        .collect();
    ws.sort_by_key(|w| (w.iter().sum::<u32>(), w.clone()));
    out.extend(ws);
    out
}

fn fmt_w(w: &[u32]) -> String {
    let s: Vec<String> = w.iter().map(u32::to_string).collect();
    format!("({})", s.join(", "))
}

fn fmt_point(u: &[f64]) -> String {
    let s: Vec<String> = u.iter().map(|v| format!("{v:.3}")).collect();
    format!("({})", s.join(", "))
}

/// Sound upper bound of `sup |H_d|` over all `2n` faces (natural interval enclosure).
fn sup_abs_on_faces(arena: &Arena, h: ExprId) -> Option<f64> {
    let n = arena.n_vars();
    let tape = Tape::compile(arena, &[h]);
    let mut sup = 0.0f64;
    for i in 0..n {
        for s in [1.0, -1.0] {
            let xs: Vec<Interval> = (0..n)
                .map(|j| {
                    if j == i {
                        Interval::try_from((s, s)).expect("point")
                    } else {
                        Interval::try_from((-1.0, 1.0)).expect("box")
                    }
                })
                .collect();
            let v = tape.eval::<Interval>(&(), &xs).ok()?[0];
            let m = v.mag();
            if !m.is_finite() {
                return None;
            }
            sup = sup.max(m);
        }
    }
    Some(sup)
}

/// One attempt of the search: weights, exponential order, square splitting, scale.
struct Variant {
    w: Vec<u32>,
    exp_order: u32,
    split: Option<Rational>,
    scale: u32,
}

/// Tries weight vectors, then (when a lower level failed) square splitting and larger scales;
/// the first success is returned.
pub(crate) fn prove(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    lim: &ProverLimits,
) -> ProverResult {
    let mut attempts = Vec::new();
    let dec = match Decomposition::new(arena, f, phi) {
        Ok(d) => d,
        Err(reason) => {
            attempts.push(format!("no lower bound: {reason}"));
            return ProverResult {
                certificate: None,
                argument: None,
                attempts,
            };
        }
    };
    let has_exp = dec.pieces.iter().any(|p| matches!(p, Piece::Exp { .. }));
    let exp_orders: &[u32] = if has_exp { &[1, 2, 3] } else { &[0] };
    let n = arena.n_vars();
    // Phase 1: every weight vector (and exponential order) as is. Phase 2: for those whose
    // top part was fine but a lower level failed, split squares and look beyond larger radii.
    let mut queue: Vec<Variant> = Vec::new();
    for w in weight_candidates(n, lim.max_weight) {
        for &m in exp_orders {
            queue.push(Variant {
                w: w.clone(),
                exp_order: m,
                split: None,
                scale: 1,
            });
        }
    }
    let base_count = queue.len();
    let mut tried = 0usize;
    let mut variant_failures: Vec<(String, usize)> = Vec::new();
    let mut k = 0;
    while k < queue.len() {
        if lim.spent.get() >= lim.total_boxes || tried >= lim.max_attempts {
            attempts.push(format!(
                "search stopped after {tried} attempts (attempt limit, or the total box budget of {} exhausted)", lim.total_boxes
            ));
            break;
        }
        tried += 1;
        let v = &queue[k];
        let ex = expand(arena, &dec, &v.w, v.exp_order, v.split.as_ref());
        let label = if has_exp {
            format!("weights {}, exp order {}", fmt_w(&v.w), v.exp_order)
        } else {
            format!("weights {}", fmt_w(&v.w))
        };
        match try_levels(arena, &ex, v.scale, lim) {
            Ok(found) => {
                let (certificate, argument) =
                    certificate(arena, &dec, phi.is_some(), v, &ex, found);
                return ProverResult {
                    certificate: Some(certificate),
                    argument: Some(argument),
                    attempts,
                };
            }
            Err((why, failed_below_top)) => {
                if k < base_count {
                    attempts.push(format!("{label}: {why}"));
                    if failed_below_top {
                        let (w, m) = (v.w.clone(), v.exp_order);
                        for split in [
                            None,
                            Some(Rational::from((1, 2))),
                            Some(Rational::from((7, 8))),
                        ] {
                            for scale in [1u32, 8, 64] {
                                if split.is_some() || scale > 1 {
                                    queue.push(Variant {
                                        w: w.clone(),
                                        exp_order: m,
                                        split: split.clone(),
                                        scale,
                                    });
                                }
                            }
                        }
                    }
                } else {
                    match variant_failures.iter_mut().find(|(l, _)| *l == label) {
                        Some(e) => e.1 += 1,
                        None => variant_failures.push((label, 1)),
                    }
                }
            }
        }
        k += 1;
    }
    for (label, count) in variant_failures {
        attempts.push(format!(
            "{label}: {count} variants (squares split, scales 8 and 64) failed too"
        ));
    }
    ProverResult {
        certificate: None,
        argument: None,
        attempts,
    }
}

/// The certificate and its argument in words for a successful variant.
fn certificate(
    arena: &Arena,
    dec: &Decomposition,
    has_phi: bool,
    v: &Variant,
    ex: &Expansion,
    found: LevelProof,
) -> (GrowthCertificate, String) {
    let n = arena.n_vars();
    let target = if has_phi { "f + phi" } else { "f" };
    let all_polynomial =
        dec.dropped.is_empty() && dec.pieces.iter().all(|p| matches!(p, Piece::Nonneg { .. }));
    let w = &v.w;
    let top = ex.top().unwrap_or(0);
    let mut inequalities = dec.rules.clone();
    inequalities.extend(ex.rules.iter().cloned());
    let uniform = w.iter().all(|&x| x == 1);
    let rho = if uniform {
        "|x|_inf".to_string()
    } else {
        let parts: Vec<String> = w
            .iter()
            .zip(arena.var_names())
            .map(|(&wi, v)| {
                if wi == 1 {
                    format!("|{v}|")
                } else {
                    format!("|{v}|^(1/{wi})")
                }
            })
            .collect();
        format!("rho(x) = max({})", parts.join(", "))
    };
    let rho_short = if uniform { "|x|_inf" } else { "rho" };
    let k = found.level;
    let lower_power = match k - 1 {
        0 => String::new(),
        1 => format!(" {rho_short}"),
        e => format!(" {rho_short}^{e}"),
    };
    let rest = if found.remainder == 0.0 {
        String::new()
    } else {
        format!(" - {:.6e}{lower_power}", found.remainder)
    };
    let statement = format!(
        "{target} >= {:.6e} {rho_short}^{k}{rest} whenever {rho} >= {}",
        found.lower, v.scale
    );
    let what = if dec.phi_all_dropped {
        "phi >= 0 (each of its terms is structurally nonnegative) and f is coercive: "
    } else {
        ""
    };
    let faces = found.faces.boxes.len();
    let how = if uniform && k == top && all_polynomial && v.split.is_none() {
        format!(
            "(a) the leading form (degree {top}) is positive on the unit sphere: its minimum on the \
             boundary of [-1,1]^{n} is >= {:.6e} (interval branch and bound on {faces} faces, {} boxes)",
            found.lower, found.boxes
        )
    } else if uniform && k == top {
        format!(
            "(c) a lower bound of {target} whose leading part (degree {top}) is positive on the cube \
             boundary (>= {:.6e}, interval branch and bound on {faces} faces, {} boxes)",
            found.lower, found.boxes
        )
    } else {
        let kind = if all_polynomial { "(b)" } else { "(b, c)" };
        let scaled = if v.scale > 1 {
            format!(" (terms of degree d weighted by {}^(d - {k}))", v.scale)
        } else {
            String::new()
        };
        let vanish = if top > k {
            format!(" (the top part, degree {top}, vanishes on some directions)")
        } else {
            String::new()
        };
        format!(
            "{kind} weighted-degree argument with weights {}: the parts of weighted degree >= {k}{scaled} \
             are >= {:.6e} on the cube boundary (interval branch and bound on {faces} faces, {} boxes) \
             while every higher partial sum is >= 0{vanish}",
            fmt_w(w),
            found.lower,
            found.boxes,
        )
    };
    let mut argument = format!("{what}{how}; hence {statement}");
    if !inequalities.is_empty() {
        argument.push_str(&format!("; inequalities used: {}", inequalities.join("; ")));
    }
    let cert = GrowthCertificate {
        weights: w.clone(),
        top_degree: top,
        level: k,
        scale: v.scale,
        lower_bound: found.lower,
        remainder: found.remainder,
        statement,
        nonnegative_levels: found.nonneg_notes,
        inequalities,
        dropped_terms: dec.dropped.clone(),
        faces,
        symmetry: found.faces.symmetry,
        boxes: found.boxes,
    };
    (cert, argument)
}

struct LevelProof {
    level: u32,
    lower: f64,
    remainder: f64,
    faces: Faces,
    boxes: usize,
    nonneg_notes: Vec<String>,
}

/// The level loop for one expansion, with the parts of degree `d` weighted by
/// `scale^(d - j)` at level `j` (i.e. for `R >= scale`). The error says why, and whether the
/// top level itself was fine (so that a variant may help).
fn try_levels(
    arena: &mut Arena,
    ex: &Expansion,
    scale: u32,
    lim: &ProverLimits,
) -> Result<LevelProof, (String, bool)> {
    let levels: Vec<u32> = ex.parts.keys().rev().copied().filter(|&d| d >= 1).collect();
    if levels.is_empty() {
        return Err((
            "the lower bound has no part of positive degree".into(),
            false,
        ));
    }
    let top = levels[0];
    let mut notes = Vec::new();
    let tol = 1e-10;
    for &j in &levels {
        let below_top = j < top;
        let h = ex.tail_sum(arena, j, scale);
        if arena.as_const(h).is_some() {
            return Err((format!("the parts of degree >= {j} cancel"), below_top));
        }
        let faces = faces_for(arena, h);
        let mut outs = vec![h];
        outs.extend(arena.gradient(h));
        let tape = Tape::compile(arena, &outs);
        let (smin, sarg) = screen_min(&tape, &faces.boxes, 400, lim.seed ^ u64::from(j));
        let budget = Budget {
            max_boxes: lim.max_boxes,
            min_width: lim.min_width,
            spent: lim.spent.clone(),
            total_boxes: lim.total_boxes,
        };
        let mut strict_note = String::new();
        if smin > tol {
            match bnb(&tape, &faces.boxes, 0.0, true, &budget) {
                BnbOutcome::Proved {
                    mut lower,
                    mut boxes,
                } if lower > 0.0 => {
                    // Sharpen the certified bound towards the numerical minimum (optional).
                    for frac in [0.9, 0.5, 0.1] {
                        if lower >= 0.5 * frac * smin {
                            break;
                        }
                        let sharp = Budget {
                            max_boxes: (4 * boxes + 2000).min(lim.max_boxes),
                            ..budget.clone()
                        };
                        let r = bnb(&tape, &faces.boxes, frac * smin, true, &sharp);
                        if let BnbOutcome::Proved {
                            lower: l2,
                            boxes: b2,
                        } = r
                        {
                            if l2 > lower {
                                lower = l2;
                                boxes += b2;
                                break;
                            }
                        }
                    }
                    let remainder =
                        remainder_below(arena, ex, j, scale).map_err(|e| (e, below_top))?;
                    return Ok(LevelProof {
                        level: j,
                        lower,
                        remainder,
                        faces,
                        boxes,
                        nonneg_notes: notes,
                    });
                }
                BnbOutcome::Proved { .. } => {}
                BnbOutcome::Negative { .. } => {
                    strict_note = format!("degree >= {j}: not positive everywhere on the faces");
                }
                BnbOutcome::Inconclusive { reason, boxes } => {
                    strict_note =
                        format!("degree >= {j}: positivity not proved ({reason}, {boxes} boxes)");
                }
            }
        }
        // Not positive (or not provably): continue only if h_j >= 0 holds.
        if nonneg_structural(arena, h) {
            notes.push(format!(
                "degree >= {j}: >= 0 as a sum of squares and nonnegative terms (it vanishes near u = {})",
                fmt_point(&sarg)
            ));
            continue;
        }
        if smin < -tol {
            let mut msg = format!(
                "the parts of weighted degree >= {j} take negative values on the cube boundary (about {smin:.3e} near u = {})",
                fmt_point(&sarg)
            );
            if !strict_note.is_empty() {
                msg = format!("{strict_note}; {msg}");
            }
            return Err((msg, below_top));
        }
        let nb = Budget {
            max_boxes: lim.nonneg_boxes,
            min_width: lim.min_width,
            spent: lim.spent.clone(),
            total_boxes: lim.total_boxes,
        };
        match bnb(&tape, &faces.boxes, 0.0, false, &nb) {
            BnbOutcome::Proved { boxes, .. } => notes.push(format!(
                "degree >= {j}: >= 0 by interval branch and bound ({boxes} boxes)"
            )),
            BnbOutcome::Negative { .. } => {
                return Err((
                    format!(
                        "the parts of weighted degree >= {j} take negative values on the cube boundary"
                    ),
                    below_top,
                ))
            }
            BnbOutcome::Inconclusive { reason, .. } => {
                return Err((
                    format!(
                        "the parts of weighted degree >= {j} vanish near u = {} and could not be shown >= 0 ({reason})",
                        fmt_point(&sarg)
                    ),
                    below_top,
                ))
            }
        }
    }
    Err((
        "no level of the lower bound is positive on the cube boundary".into(),
        true,
    ))
}

/// `C = sum_{d < k} scale^(d - k + 1) sup |H_d|` over the faces, rounded up.
fn remainder_below(arena: &mut Arena, ex: &Expansion, k: u32, scale: u32) -> Result<f64, String> {
    let mut total = Interval::try_from((0.0, 0.0)).expect("zero");
    let ds: Vec<u32> = ex.parts.range(..k).map(|(&d, _)| d).collect();
    let sc = Interval::try_from((f64::from(scale), f64::from(scale))).expect("finite");
    for d in ds {
        let h = ex.part(arena, d);
        let s = sup_abs_on_faces(arena, h)
            .ok_or_else(|| format!("the part of degree {d} could not be bounded on the faces"))?;
        // scale^(d - k + 1) <= 1 as d <= k - 1.
        let factor = sc.powi(-((k - 1 - d) as i32));
        total += Interval::try_from((s, s)).expect("finite") * factor;
    }
    Ok(total.sup() + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_start_uniform() {
        let w = weight_candidates(2, 3);
        assert_eq!(w[0], vec![1, 1]);
        assert!(w.contains(&vec![1, 2]));
        assert!(!w.contains(&vec![2, 2]));
        assert_eq!(weight_candidates(8, 3), vec![vec![1; 8]]);
    }
}
