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

use crate::expand::{expand, nonneg_structural, Decomposition, Expansion, Inequality, Piece};
use crate::faces::{bnb, faces_for, screen_min, BnbOutcome, BnbStop, Budget, FaceSymmetry, Faces};
use inari::Interval;
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use serde::Serialize;

/// A proof that `f + phi` is coercive: `f + phi >= m rho^k - C rho^(k-1)` whenever
/// `rho(x) = max_i |x_i|^(1/w_i) >= R0` (`R0 = scale`), with `m > 0` and `k >= 1`.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
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
    /// The resulting inequality, as a formula, e.g. `f + phi >= 7.500000e-1 |x|_inf^4 whenever
    /// |x|_inf >= 1`.
    pub statement: String,
    /// How each partial sum `h_j`, `j > k`, was shown `>= 0`.
    pub nonnegative_levels: Vec<NonnegLevel>,
    /// Inequalities used to bound non-polynomial terms below.
    pub inequalities: Vec<Inequality>,
    /// Terms bounded below by 0 (structurally nonnegative) and dropped.
    pub dropped_terms: Vec<String>,
    /// Faces examined for the level-`k` proof and the sign symmetries that reduced them.
    pub faces: usize,
    /// The sign symmetries used to skip faces, when any.
    pub symmetry: Option<FaceSymmetry>,
    /// Boxes examined by branch and bound in the successful attempt.
    pub boxes: usize,
}

/// Which form of the growth argument succeeded (docs/math.md C5); the numbers are in the
/// [`GrowthCertificate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GrowthRoute {
    /// (a) Unit weights, a polynomial, the top level: the leading form is positive on the
    /// unit sphere.
    LeadingForm,
    /// (c) Unit weights, the top level of a lower bound (non-polynomial terms bounded below,
    /// or squares split).
    LeadingPartOfLowerBound,
    /// (b) A weighted-degree argument or a level below the top; `(b, c)` when the lower bound
    /// is not the polynomial itself.
    WeightedDegree {
        /// True when `f + phi` is a polynomial used exactly (no rule, no dropped term).
        polynomial: bool,
    },
}

/// How a partial sum `h_j` above the proved level was shown `>= 0` on the cube boundary.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NonnegLevel {
    /// A sum of squares and nonnegative terms, by structure; it vanishes near `near`.
    Structural {
        /// The level `j`.
        degree: u32,
        /// A face point where the screen found it smallest.
        near: Vec<f64>,
    },
    /// Interval branch and bound.
    BranchAndBound {
        /// The level `j`.
        degree: u32,
        /// Boxes examined.
        boxes: usize,
    },
}

/// Why one weight vector (and exponential order) gave no certificate.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LevelFailure {
    /// The lower bound has no part of positive degree.
    NoPositiveDegree,
    /// The parts of degree `>= degree` cancel (a constant).
    Cancels {
        /// The level `j`.
        degree: u32,
    },
    /// The parts of weighted degree `>= degree` take negative values on the cube boundary
    /// (floating-point screen: about `value` near `near`).
    Negative {
        /// The level `j`.
        degree: u32,
        /// The smallest value the screen found.
        value: f64,
        /// Where.
        near: Vec<f64>,
    },
    /// The parts of weighted degree `>= degree` take negative values on the cube boundary
    /// (found by branch and bound).
    NegativeFound {
        /// The level `j`.
        degree: u32,
    },
    /// The parts of weighted degree `>= degree` vanish near `near` and could not be shown
    /// `>= 0`.
    Undecided {
        /// The level `j`.
        degree: u32,
        /// Where they vanish (floating-point screen).
        near: Vec<f64>,
        /// Why branch and bound stopped.
        stop: BnbStop,
    },
    /// The part of degree `degree` below the proved level could not be bounded on the faces.
    RemainderUnbounded {
        /// The degree `d`.
        degree: u32,
    },
    /// No level of the lower bound is positive on the cube boundary.
    NoLevelPositive,
}

/// A failed proof attempt of the certificate search.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Attempt {
    /// `f + phi` contains `sign(...)`: the exact forms the certificates use hold only off
    /// its jump sets, so no certificate is attempted.
    JumpInObjective,
    /// A term is neither polynomial nor recognisably bounded below: no lower bound.
    NoLowerBound {
        /// The term, printed.
        term: String,
    },
    /// The search stopped (attempt limit, or the total box budget exhausted).
    Stopped {
        /// Attempts made.
        attempts: usize,
        /// The total box budget.
        total_boxes: usize,
    },
    /// One weight vector (and exponential order) failed.
    Failed {
        /// The weights.
        weights: Vec<u32>,
        /// The exponential order, when `f + phi` has `exp` terms.
        exp_order: Option<u32>,
        /// Why.
        failure: LevelFailure,
    },
    /// The variants of one weight vector (squares split, scales 8 and 64) failed too.
    VariantsFailed {
        /// The weights.
        weights: Vec<u32>,
        /// The exponential order, when `f + phi` has `exp` terms.
        exp_order: Option<u32>,
        /// How many variants.
        count: usize,
    },
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

/// A successful proof: the certificate and which argument it is.
pub(crate) struct Proof {
    pub(crate) certificate: GrowthCertificate,
    pub(crate) route: GrowthRoute,
    /// Every term of `phi` was dropped as structurally nonnegative.
    pub(crate) phi_dropped: bool,
}

/// Outcome of the prover: a proof, plus what was tried.
pub(crate) struct ProverResult {
    pub(crate) proof: Option<Proof>,
    pub(crate) attempts: Vec<Attempt>,
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

/// The attempts made so far and the failures of phase-2 variants, by weights and order.
struct Record {
    attempts: Vec<Attempt>,
    variant_failures: Vec<(Vec<u32>, Option<u32>, usize)>,
}

impl Record {
    /// Counts a failed phase-2 variant of `(w, exp_order)`.
    fn variant_failed(&mut self, w: &[u32], exp_order: Option<u32>) {
        match self
            .variant_failures
            .iter_mut()
            .find(|(fw, fm, _)| fw == w && *fm == exp_order)
        {
            Some(e) => e.2 += 1,
            None => self.variant_failures.push((w.to_vec(), exp_order, 1)),
        }
    }

    /// The attempts, with one summary per weight vector whose variants failed.
    fn finish(mut self) -> Vec<Attempt> {
        for (weights, exp_order, count) in self.variant_failures {
            self.attempts.push(Attempt::VariantsFailed {
                weights,
                exp_order,
                count,
            });
        }
        self.attempts
    }
}

/// Phase 1 of the search: every weight vector with every exponential order, as is.
fn base_variants(n: usize, max_weight: u32, exp_orders: &[u32]) -> Vec<Variant> {
    let mut queue = Vec::new();
    for w in weight_candidates(n, max_weight) {
        for &m in exp_orders {
            queue.push(Variant {
                w: w.clone(),
                exp_order: m,
                split: None,
                scale: 1,
            });
        }
    }
    queue
}

/// Phase 2 for a base variant whose top part was fine but a lower level failed: split squares
/// and look beyond larger radii.
fn refinements(v: &Variant) -> Vec<Variant> {
    let mut out = Vec::new();
    for split in [
        None,
        Some(Rational::from((1, 2))),
        Some(Rational::from((7, 8))),
    ] {
        for scale in [1u32, 8, 64] {
            if split.is_some() || scale > 1 {
                out.push(Variant {
                    w: v.w.clone(),
                    exp_order: v.exp_order,
                    split: split.clone(),
                    scale,
                });
            }
        }
    }
    out
}

/// Tries weight vectors, then (when a lower level failed) square splitting and larger scales;
/// the first success is returned, with every failed attempt before it.
pub(crate) fn prove(
    arena: &mut Arena,
    f: ExprId,
    phi: Option<ExprId>,
    lim: &ProverLimits,
) -> ProverResult {
    let dec = match Decomposition::new(arena, f, phi) {
        Ok(d) => d,
        Err(term) => {
            return ProverResult {
                proof: None,
                attempts: vec![Attempt::NoLowerBound { term }],
            };
        }
    };
    let has_exp = dec.pieces.iter().any(|p| matches!(p, Piece::Exp { .. }));
    let exp_orders: &[u32] = if has_exp { &[1, 2, 3] } else { &[0] };
    let mut queue = base_variants(arena.n_vars(), lim.max_weight, exp_orders);
    let base_count = queue.len();
    let mut record = Record {
        attempts: Vec::new(),
        variant_failures: Vec::new(),
    };
    let mut tried = 0usize;
    let mut k = 0;
    while k < queue.len() {
        if lim.spent.get() >= lim.total_boxes || tried >= lim.max_attempts {
            record.attempts.push(Attempt::Stopped {
                attempts: tried,
                total_boxes: lim.total_boxes,
            });
            break;
        }
        tried += 1;
        let v = &queue[k];
        let ex = expand(arena, &dec, &v.w, v.exp_order, v.split.as_ref());
        let exp_order = has_exp.then_some(v.exp_order);
        match try_levels(arena, &ex, v.scale, lim) {
            Ok(found) => {
                return ProverResult {
                    proof: Some(certificate(arena, &dec, phi.is_some(), v, &ex, found)),
                    attempts: record.attempts,
                };
            }
            Err((failure, failed_below_top)) if k < base_count => {
                record.attempts.push(Attempt::Failed {
                    weights: v.w.clone(),
                    exp_order,
                    failure,
                });
                if failed_below_top {
                    let more = refinements(v);
                    queue.extend(more);
                }
            }
            Err(_) => record.variant_failed(&v.w, exp_order),
        }
        k += 1;
    }
    ProverResult {
        proof: None,
        attempts: record.finish(),
    }
}

/// The certificate, and which argument it is, for a successful variant.
fn certificate(
    arena: &Arena,
    dec: &Decomposition,
    has_phi: bool,
    v: &Variant,
    ex: &Expansion,
    found: LevelProof,
) -> Proof {
    let all_polynomial =
        dec.dropped.is_empty() && dec.pieces.iter().all(|p| matches!(p, Piece::Nonneg { .. }));
    let top = ex.top().unwrap_or(0);
    let mut inequalities = dec.rules.clone();
    inequalities.extend(ex.rules.iter().cloned());
    let uniform = v.w.iter().all(|&x| x == 1);
    let route = if uniform && found.level == top && all_polynomial && v.split.is_none() {
        GrowthRoute::LeadingForm
    } else if uniform && found.level == top {
        GrowthRoute::LeadingPartOfLowerBound
    } else {
        GrowthRoute::WeightedDegree {
            polynomial: all_polynomial,
        }
    };
    let certificate = GrowthCertificate {
        weights: v.w.clone(),
        top_degree: top,
        level: found.level,
        scale: v.scale,
        lower_bound: found.lower,
        remainder: found.remainder,
        statement: statement(arena, has_phi, &v.w, v.scale, &found),
        nonnegative_levels: found.nonneg_notes,
        inequalities,
        dropped_terms: dec.dropped.clone(),
        faces: found.faces.boxes.len(),
        symmetry: found.faces.symmetry,
        boxes: found.boxes,
    };
    Proof {
        certificate,
        route,
        phi_dropped: dec.phi_all_dropped,
    }
}

/// The proved inequality as a formula: `target >= m rho^k - C rho^(k-1) whenever rho >= R0`,
/// with `rho` written out (`|x|_inf` for unit weights).
fn statement(arena: &Arena, has_phi: bool, w: &[u32], scale: u32, found: &LevelProof) -> String {
    let target = if has_phi { "f + phi" } else { "f" };
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
    format!(
        "{target} >= {:.6e} {rho_short}^{k}{rest} whenever {rho} >= {scale}",
        found.lower
    )
}

struct LevelProof {
    level: u32,
    lower: f64,
    remainder: f64,
    faces: Faces,
    boxes: usize,
    nonneg_notes: Vec<NonnegLevel>,
}

/// Below this a screened minimum counts as 0.
const TOL: f64 = 1e-10;

/// What one level `j` of the level loop established.
enum LevelStep {
    /// `h_j >= lower > 0` on the faces, in `boxes` boxes.
    Positive {
        faces: Faces,
        lower: f64,
        boxes: usize,
    },
    /// `h_j >= 0` only: the loop goes on to the next level.
    Nonneg(NonnegLevel),
}

/// The level loop for one expansion, with the parts of degree `d` weighted by
/// `scale^(d - j)` at level `j` (i.e. for `R >= scale`). The error says why, and whether the
/// top level itself was fine (so that a variant may help).
fn try_levels(
    arena: &mut Arena,
    ex: &Expansion,
    scale: u32,
    lim: &ProverLimits,
) -> Result<LevelProof, (LevelFailure, bool)> {
    let levels: Vec<u32> = ex.parts.keys().rev().copied().filter(|&d| d >= 1).collect();
    let Some(&top) = levels.first() else {
        return Err((LevelFailure::NoPositiveDegree, false));
    };
    let mut notes = Vec::new();
    for &j in &levels {
        let below_top = j < top;
        match level_step(arena, ex, j, scale, lim).map_err(|e| (e, below_top))? {
            LevelStep::Nonneg(note) => notes.push(note),
            LevelStep::Positive {
                faces,
                lower,
                boxes,
            } => {
                let remainder = remainder_below(arena, ex, j, scale)
                    .map_err(|degree| (LevelFailure::RemainderUnbounded { degree }, below_top))?;
                return Ok(LevelProof {
                    level: j,
                    lower,
                    remainder,
                    faces,
                    boxes,
                    nonneg_notes: notes,
                });
            }
        }
    }
    Err((LevelFailure::NoLevelPositive, true))
}

/// Level `j`: `h_j > 0` on the faces (proved, when the screen says it is positive), else
/// `h_j >= 0` (by structure or branch and bound), else the failure.
fn level_step(
    arena: &mut Arena,
    ex: &Expansion,
    j: u32,
    scale: u32,
    lim: &ProverLimits,
) -> Result<LevelStep, LevelFailure> {
    let h = ex.tail_sum(arena, j, scale);
    if arena.as_const(h).is_some() {
        return Err(LevelFailure::Cancels { degree: j });
    }
    let faces = faces_for(arena, h);
    let mut outs = vec![h];
    outs.extend(arena.gradient(h));
    let tape = Tape::compile(arena, &outs);
    let (smin, sarg) = screen_min(&tape, &faces.boxes, 400, lim.seed ^ u64::from(j));
    if smin > TOL {
        if let Some((lower, boxes)) = prove_positive(&tape, &faces, smin, lim) {
            return Ok(LevelStep::Positive {
                faces,
                lower,
                boxes,
            });
        }
    }
    // Not positive (or not provably): continue only if h_j >= 0 holds.
    if nonneg_structural(arena, h) {
        return Ok(LevelStep::Nonneg(NonnegLevel::Structural {
            degree: j,
            near: sarg,
        }));
    }
    if smin < -TOL {
        return Err(LevelFailure::Negative {
            degree: j,
            value: smin,
            near: sarg,
        });
    }
    let nb = Budget {
        max_boxes: lim.nonneg_boxes,
        min_width: lim.min_width,
        spent: lim.spent.clone(),
        total_boxes: lim.total_boxes,
    };
    match bnb(&tape, &faces.boxes, 0.0, false, &nb) {
        BnbOutcome::Proved { boxes, .. } => Ok(LevelStep::Nonneg(NonnegLevel::BranchAndBound {
            degree: j,
            boxes,
        })),
        BnbOutcome::Negative { .. } => Err(LevelFailure::NegativeFound { degree: j }),
        BnbOutcome::Inconclusive { reason, .. } => Err(LevelFailure::Undecided {
            degree: j,
            near: sarg,
            stop: reason,
        }),
    }
}

/// `(m, boxes)` with `h >= m > 0` on the faces proved by branch and bound (`tape` computes
/// `h` and its gradient), `m` sharpened towards the screened minimum `smin`; `None` if not.
fn prove_positive(
    tape: &Tape,
    faces: &Faces,
    smin: f64,
    lim: &ProverLimits,
) -> Option<(f64, usize)> {
    let budget = Budget {
        max_boxes: lim.max_boxes,
        min_width: lim.min_width,
        spent: lim.spent.clone(),
        total_boxes: lim.total_boxes,
    };
    let BnbOutcome::Proved {
        mut lower,
        mut boxes,
    } = bnb(tape, &faces.boxes, 0.0, true, &budget)
    else {
        return None;
    };
    if lower <= 0.0 {
        return None;
    }
    // Sharpen the certified bound towards the numerical minimum (optional).
    for frac in [0.9, 0.5, 0.1] {
        if lower >= 0.5 * frac * smin {
            break;
        }
        let sharp = Budget {
            max_boxes: (4 * boxes + 2000).min(lim.max_boxes),
            ..budget.clone()
        };
        if let BnbOutcome::Proved {
            lower: l2,
            boxes: b2,
        } = bnb(tape, &faces.boxes, frac * smin, true, &sharp)
        {
            if l2 > lower {
                lower = l2;
                boxes += b2;
                break;
            }
        }
    }
    Some((lower, boxes))
}

/// `C = sum_{d < k} scale^(d - k + 1) sup |H_d|` over the faces, rounded up.
/// The error is the degree of a part that could not be bounded.
fn remainder_below(arena: &mut Arena, ex: &Expansion, k: u32, scale: u32) -> Result<f64, u32> {
    let mut total = Interval::try_from((0.0, 0.0)).expect("zero");
    let ds: Vec<u32> = ex.parts.range(..k).map(|(&d, _)| d).collect();
    let sc = Interval::try_from((f64::from(scale), f64::from(scale))).expect("finite");
    for d in ds {
        let h = ex.part(arena, d);
        let s = sup_abs_on_faces(arena, h).ok_or(d)?;
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
