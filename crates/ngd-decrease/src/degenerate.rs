//! Degenerate orders (docs/math.md C4; issue 14): `Q == 0` on `M` exactly, for `f = c h(g)`
//! and a conserved `phi` (the first-order term is 0 everywhere).
//!
//! The order-2 coefficient `E_2 = grad g^T Hess phi grad g` is proved to vanish on `M`
//! exactly ([`crate::taylor::vanishes_on_m`]); otherwise this analysis does not apply. Then:
//! - when the integral curves of `grad g` are straight lines (exact), a conserved `phi` is
//!   constant on each of them, so one NGD step leaves `phi` unchanged: `phi` is d-Lyapunov of
//!   no order where `M \ S` is not empty (proved by two bracketed points of `M` with disjoint
//!   enclosures of `phi`);
//! - otherwise the orders `3, 4, ...` are tested in turn; the first not proved to vanish and
//!   clearly non-zero at a sample is the leading order `q`. Odd `q`, or even `q` with a
//!   positive coefficient, gives a witness of increase (intervals, as for `Q > 0`); even `q`
//!   with a negative coefficient at every sample is numerical evidence of decrease of order `q`,
//!   and the interval certificate of `order_certificate` then proves it for steps
//!   starting on `M` away from `S` (not over a neighbourhood of `M`).

use crate::model::Model;
use crate::order_certificate::{self, CoverInput};
use crate::pattern::Pattern;
use crate::refute::{decimal_rational, find_among, Candidate};
use crate::report::{
    ChartTerm, DecreaseRefutation, DegenerateConclusion, DegenerateOrder, NonConstantOnM, QSign,
    VanishingOrder,
};
use crate::taylor;
use inari::Interval;
use ngd_eval::{interval_of, Tape};
use ngd_expr::{Arena, ExprId, Func, Node};

/// The highest order examined.
pub const MAX_ORDER: usize = 6;

/// A coefficient counts as non-zero when `|coefficient| > CLEAR_REL max(1, |phi|)`.
const CLEAR_REL: f64 = 1e-8;

/// Witness candidates tried.
const WITNESS_TRIES: usize = 6;

/// The analysis and, when it refutes by a point, the certified witness.
pub(crate) struct Degenerate {
    pub report: DegenerateOrder,
    pub witness: Option<DecreaseRefutation>,
}

/// Runs the analysis for `f = c h(g)` and conserved, kink-free `phi`; `None` when the
/// order-2 term is not proved to vanish on `M` (the ordinary C4 applies).
/// Least squares: whether every entry `<grad g_i, Hess(phi) grad g_j>` of `J Hess(phi) J^T` is
/// proved to vanish on `M = {g_1 = ... = g_m = 0}` (identically, or on the zero set of one
/// residual, which contains `M`), so that `Q == 0` on `M` exactly.
pub(crate) fn order_two_vanishes_for_residuals(
    arena: &mut Arena,
    phi: ExprId,
    gs: &[ExprId],
) -> bool {
    let grad_phi = arena.gradient(phi);
    let hess: Vec<Vec<ExprId>> = grad_phi.iter().map(|&d| arena.gradient(d)).collect();
    let grads: Vec<Vec<ExprId>> = gs.iter().map(|&g| arena.gradient(g)).collect();
    for i in 0..gs.len() {
        let h_gi: Vec<ExprId> = hess.iter().map(|row| arena.dot(row, &grads[i])).collect();
        for j in i..gs.len() {
            let entry = arena.dot(&grads[j], &h_gi);
            if !gs
                .iter()
                .any(|&g| taylor::vanishes_on_m(arena, entry, g).is_some())
            {
                return false;
            }
        }
    }
    !gs.is_empty()
}

pub(crate) fn analyse(
    arena: &mut Arena,
    phi: ExprId,
    g: ExprId,
    model: &Model,
    pat: &Pattern,
    input: &CoverInput,
) -> Option<Degenerate> {
    let v = arena.gradient(g);
    let mut coefficients = taylor::Coefficients::new(phi, &v);
    coefficients.next(arena);
    let e2 = coefficients.next(arena);
    let proof = taylor::vanishes_on_m(arena, e2, g)?;
    let mut vanishing = vec![VanishingOrder { order: 2, proof }];
    if taylor::straight_normals(arena, g) && continuous(arena, g) {
        let non_constant = non_constant_on_m(model, pat);
        let report = DegenerateOrder {
            vanishing,
            straight_normals: true,
            order: None,
            leading_term: None,
            leading_on_m: None,
            coefficient_range: None,
            conclusion: DegenerateConclusion::InvariantAlongNormals { non_constant },
            max_schedule_power: None,
            certificate: None,
        };
        return Some(Degenerate {
            report,
            witness: None,
        });
    }
    for k in 3..=MAX_ORDER {
        let e = coefficients.next(arena);
        if let Some(proof) = taylor::vanishes_on_m(arena, e, g) {
            vanishing.push(VanishingOrder { order: k, proof });
            continue;
        }
        let samples = sample_coefficients(arena, e, &v, k, model, pat);
        if !samples.iter().any(|s| s.clear) {
            return Some(undecided(vanishing, k));
        }
        let mut d = leading(arena, e, k, vanishing, &samples, model, pat);
        d.report.leading_on_m = taylor::on_chart(arena, e, g).map(|(i, solved, term)| ChartTerm {
            variable: arena.var_names()[i].clone(),
            solved: arena.display(solved),
            term: truncated(arena.display(term)),
        });
        if matches!(
            d.report.conclusion,
            DegenerateConclusion::NegativeOnSamples { .. }
        ) {
            d.report.certificate = order_certificate::certify(arena, phi, g, k, input);
        }
        return Some(d);
    }
    Some(undecided(vanishing, MAX_ORDER))
}

/// `g` has no jump (`sign`): a bounded enclosure of it on a segment then means continuity.
fn continuous(arena: &Arena, g: ExprId) -> bool {
    !arena
        .postorder(&[g])
        .into_iter()
        .any(|id| matches!(arena.node(id), Node::Func(Func::Sign, _)))
}

fn undecided(vanishing: Vec<VanishingOrder>, max_order: usize) -> Degenerate {
    Degenerate {
        report: DegenerateOrder {
            vanishing,
            straight_normals: false,
            order: None,
            leading_term: None,
            leading_on_m: None,
            coefficient_range: None,
            conclusion: DegenerateConclusion::Undecided { max_order },
            max_schedule_power: None,
            certificate: None,
        },
        witness: None,
    }
}

/// The leading coefficient at one sampled point of `M` outside `S`.
struct Sample {
    index: usize,
    value: f64,
    clear: bool,
}

/// `E_k/(k! |v|^k)` at the samples outside the neighbourhood of `S` (`f64`).
fn sample_coefficients(
    arena: &mut Arena,
    e: ExprId,
    v: &[ExprId],
    k: usize,
    model: &Model,
    pat: &Pattern,
) -> Vec<Sample> {
    let mut outs = vec![e];
    outs.extend_from_slice(v);
    let tape = Tape::compile(arena, &outs);
    let fact: f64 = (1..=k).map(|i| i as f64).product();
    let mut scratch = Vec::new();
    let mut out = vec![0.0; outs.len()];
    let mut samples = Vec::new();
    for (index, p) in pat.points.iter().enumerate() {
        if matches!(p.sign, QSign::NearS | QSign::Undefined) {
            continue;
        }
        tape.eval_f64(&p.x, &mut scratch, &mut out);
        let norm = out[1..].iter().map(|t| t * t).sum::<f64>().sqrt();
        let value = out[0] / (fact * norm.powi(k as i32));
        if !value.is_finite() {
            continue;
        }
        let phi = model.phi_value(&p.x).abs();
        let clear = value.abs() > CLEAR_REL * phi.max(1.0);
        samples.push(Sample {
            index,
            value,
            clear,
        });
    }
    samples
}

/// The conclusion at the leading order `k`.
fn leading(
    arena: &mut Arena,
    e: ExprId,
    k: usize,
    vanishing: Vec<VanishingOrder>,
    samples: &[Sample],
    model: &Model,
    pat: &Pattern,
) -> Degenerate {
    let range = samples
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |r, s| {
            (r.0.min(s.value), r.1.max(s.value))
        });
    // The canonical form reads better than the derivative DAG; either equals E_q.
    let text = truncated(match ngd_algebra::canonicalize(arena, e) {
        Ok(c) => {
            let id = c.to_expr(arena);
            arena.display(id)
        }
        Err(_) => arena.display(e),
    });
    let mut witness = None;
    let mut max_schedule_power = None;
    let conclusion = if k % 2 == 1 {
        // Both directions occur near every point of M: the larger |coefficient| first.
        let mut order: Vec<&Sample> = samples.iter().filter(|s| s.clear).collect();
        order.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
        witness = witness_near(model, pat, &order, k);
        DegenerateConclusion::OddOrder {
            order: k,
            witnessed: witness.is_some(),
        }
    } else if let Some(worst) = samples
        .iter()
        .filter(|s| s.clear && s.value > 0.0)
        .max_by(|a, b| a.value.total_cmp(&b.value))
    {
        witness = witness_near(model, pat, &[worst], k);
        DegenerateConclusion::PositiveCoefficient {
            order: k,
            near: pat.points[worst.index].x.clone(),
            value: worst.value,
            witnessed: witness.is_some(),
        }
    } else if samples.iter().all(|s| s.clear && s.value < 0.0) {
        max_schedule_power = Some(1.0 / k as f64);
        DegenerateConclusion::NegativeOnSamples {
            order: k,
            samples: samples.len(),
        }
    } else {
        DegenerateConclusion::Undecided { max_order: k }
    };
    Degenerate {
        report: DegenerateOrder {
            vanishing,
            straight_normals: false,
            order: Some(k),
            leading_term: Some(text),
            leading_on_m: None,
            coefficient_range: Some(range),
            conclusion,
            max_schedule_power,
            certificate: None,
        },
        witness,
    }
}

/// `text` cut to at most 300 bytes (at a character boundary), marked with ` ...`.
fn truncated(mut text: String) -> String {
    if text.len() > 300 {
        let cut = (0..=300)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text.truncate(cut);
        text.push_str(" ...");
    }
    text
}

/// A certified witness of increase of order `k` next to one of the first samples.
fn witness_near(
    model: &Model,
    pat: &Pattern,
    order: &[&Sample],
    k: usize,
) -> Option<DecreaseRefutation> {
    let cands: Vec<Candidate> = order
        .iter()
        .take(WITNESS_TRIES)
        .filter_map(|s| {
            let p = &pat.points[s.index];
            Some(Candidate {
                x: p.x.clone(),
                q: model.q(&p.x)?,
                local: p.local,
            })
        })
        .collect();
    find_among(model, &cands, &[1.0], WITNESS_TRIES, k as i32)
}

/// A proof that `phi` is not constant on `M`: the sample with the smallest `phi` and one
/// with a clearly larger `phi` (from the local region first), each bracketed.
fn non_constant_on_m(model: &Model, pat: &Pattern) -> Option<NonConstantOnM> {
    let usable: Vec<usize> = (0..pat.points.len())
        .filter(|&i| pat.points[i].q.is_some())
        .collect();
    let phi = |i: usize| model.phi_value(&pat.points[i].x);
    let low_i = usable
        .iter()
        .copied()
        .filter(|&i| phi(i).is_finite())
        .min_by(|&a, &b| phi(a).total_cmp(&phi(b)))?;
    let low = bracket(model, &pat.points[low_i].x)?;
    let mut highs: Vec<usize> = usable
        .iter()
        .copied()
        .filter(|&i| phi(i).is_finite() && phi(i) > phi(low_i))
        .collect();
    // Local points first, each group by decreasing phi.
    highs.sort_by(|&a, &b| {
        let (pa, pb) = (&pat.points[a], &pat.points[b]);
        pb.local.cmp(&pa.local).then(phi(b).total_cmp(&phi(a)))
    });
    let mut tried_local = 0;
    for i in highs {
        let local = pat.points[i].local;
        if local {
            tried_local += 1;
            if tried_local > WITNESS_TRIES {
                continue;
            }
        }
        let Some(high) = bracket(model, &pat.points[i].x) else {
            continue;
        };
        if high.2.inf() > low.2.sup() {
            return Some(NonConstantOnM {
                high: (high.0, high.1),
                high_phi: (high.2.inf(), high.2.sup()),
                low: (low.0, low.1),
                low_phi: (low.2.inf(), low.2.sup()),
                high_in_local_region: local,
            });
        }
        if !local {
            break;
        }
    }
    None
}

/// A segment `[x - eps n, x + eps n]` across `M` (exact decimal ends with `g` of proved
/// opposite signs, `g` proved bounded on the segment's box) and the enclosure of `phi` on it.
fn bracket(model: &Model, x: &[f64]) -> Option<(Vec<String>, Vec<String>, Interval)> {
    let u = model.q(x)?.u;
    let n = model.offset_direction(x, &u, &[1.0])?;
    let scale = x.iter().map(|t| t.abs()).fold(1.0, f64::max);
    let eps = 1e-9 * scale;
    let end = |s: f64| -> Vec<(rug::Rational, String)> {
        x.iter()
            .zip(&n)
            .map(|(a, d)| decimal_rational(a + s * eps * d, 17))
            .collect()
    };
    let (a, b) = (end(-1.0), end(1.0));
    let pts = |e: &[(rug::Rational, String)]| -> Vec<Interval> {
        e.iter().map(|(q, _)| interval_of(q, q)).collect()
    };
    let (pa, pb) = (pts(&a), pts(&b));
    let ga = model.residual_enclosure(0, &pa, &pa)?;
    let gb = model.residual_enclosure(0, &pb, &pb)?;
    let opposite = (ga.sup() < 0.0 && gb.inf() > 0.0) || (ga.inf() > 0.0 && gb.sup() < 0.0);
    if !opposite {
        return None;
    }
    let hull: Vec<Interval> = pa.iter().zip(&pb).map(|(p, q)| p.convex_hull(*q)).collect();
    let mid: Vec<Interval> = x.iter().map(|&t| interval_of_f64(t)).collect();
    let centre_in = hull.iter().zip(&mid).all(|(h, m)| h.contains(m.inf()));
    let cs = if centre_in { &mid } else { &pa };
    let gbox = model.residual_enclosure(0, &hull, cs)?;
    let phi = model.phi_enclosure(&hull, cs)?;
    let bounded = gbox.is_common_interval() && phi.is_common_interval();
    bounded.then(|| {
        let s = |e: Vec<(rug::Rational, String)>| e.into_iter().map(|(_, t)| t).collect();
        (s(a), s(b), phi)
    })
}

/// The point interval of a finite `f64`.
fn interval_of_f64(t: f64) -> Interval {
    Interval::try_from((t, t)).unwrap_or(Interval::ENTIRE)
}
