//! Witnesses of increase where `Q > 0`: an exact rational start point just off `M` and an
//! exact step at which one NGD step increases `phi`, certified by interval enclosures.

use crate::decimal_rational;
use crate::model::{Model, QValue};
use crate::pattern::Pattern;
use crate::report::{DecreaseRefutation, QSign};
use inari::Interval;
use ngd_eval::interval_of;
use rug::ops::Pow;
use rug::Rational;

/// A point of `M` with `Q > 0` (numerical) at which to look for a witness.
pub(crate) struct Candidate {
    pub x: Vec<f64>,
    pub q: QValue,
    /// In the local region around `S`.
    pub local: bool,
}

/// The first certified witness among the points with the largest `Q > 0` (points of the
/// local region first).
pub(crate) fn find(model: &Model, pat: &Pattern, weights: &[f64]) -> Option<DecreaseRefutation> {
    let mut cands: Vec<usize> = (0..pat.points.len())
        .filter(|&i| pat.points[i].sign == QSign::Positive)
        .collect();
    let q_of = |i: usize| pat.points[i].q.as_ref().map_or(0.0, |v| v.q);
    // Typical points first: the largest Q sits next to poles, where a witness says little.
    let mut qs: Vec<f64> = cands.iter().map(|&i| q_of(i)).collect();
    qs.sort_by(f64::total_cmp);
    let median = qs.get(qs.len() / 2).copied().unwrap_or(1.0).max(1e-300);
    let off = |i: usize| (q_of(i) / median).ln().abs();
    cands.sort_by(|&a, &b| {
        pat.points[b]
            .local
            .cmp(&pat.points[a].local)
            .then(off(a).total_cmp(&off(b)))
            .then(a.cmp(&b))
    });
    let list: Vec<Candidate> = cands
        .iter()
        .take(4)
        .filter_map(|&i| {
            let p = &pat.points[i];
            Some(Candidate {
                x: p.x.clone(),
                q: p.q.clone()?,
                local: p.local,
            })
        })
        .collect();
    find_among(model, &list, weights, 4)
}

/// The first certified witness next to one of the first `max` candidates, in order.
pub(crate) fn find_among(
    model: &Model,
    cands: &[Candidate],
    weights: &[f64],
    max: usize,
) -> Option<DecreaseRefutation> {
    for p in cands.iter().take(max) {
        let qv = &p.q;
        let Some(v) = model.offset_direction(&p.x, &qv.u, weights) else {
            continue;
        };
        for k in [4u32, 3, 2, 1] {
            let a = Rational::from((1, rug::Integer::from(10).pow(k)));
            let af = a.to_f64();
            let delta = af * af * 1e-3;
            for sign in [1.0, -1.0] {
                let coords: Vec<(Rational, String)> =
                    p.x.iter()
                        .zip(&v)
                        .map(|(x, d)| decimal_rational(x + sign * delta * d, 17))
                        .collect();
                let xi: Vec<Interval> = coords.iter().map(|(q, _)| interval_of(q, q)).collect();
                let Some((before, after)) = model.one_step_enclosure(&xi, interval_of(&a, &a))
                else {
                    continue;
                };
                if after.inf() > before.sup() {
                    let lo = Interval::try_from((after.inf(), after.inf())).ok()?;
                    let hi = Interval::try_from((before.sup(), before.sup())).ok()?;
                    return Some(DecreaseRefutation {
                        point: coords.into_iter().map(|(_, s)| s).collect(),
                        step: format!("1/{}", rug::Integer::from(10).pow(k)),
                        near: p.x.clone(),
                        q_near: qv.q,
                        phi_before: (before.inf(), before.sup()),
                        phi_after: (after.inf(), after.sup()),
                        increase_at_least: (lo - hi).inf(),
                        in_local_region: p.local,
                    });
                }
            }
        }
    }
    None
}
