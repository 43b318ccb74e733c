//! Witnesses of increase where `Q > 0`: an exact rational start point just off `M` and an
//! exact step at which one NGD step increases `phi`, certified by interval enclosures.

use crate::grid::corners;
use crate::model::{Model, QValue};
use crate::pattern::Pattern;
use crate::report::{DecreaseRefutation, QSign};
use inari::Interval;
use ngd_check::RationalBox;
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

/// The witness of increase C4 reports: from the samples, else (when the samples gave none
/// in the local region) from `extra`, points of `M` with `Q > 0` that the exact cover or a
/// failed closing argument found (flagged when in the local region). With `local_boxes`
/// (the exact cover's local regions) the witness's `in_local_region` is decided by them.
pub(crate) fn witness(
    model: &Model,
    pat: &Pattern,
    weights: &[f64],
    extra: &[(Vec<f64>, bool)],
    local_boxes: &[RationalBox],
) -> Option<DecreaseRefutation> {
    let in_local = |x: &[f64], sampled_local: bool| -> bool {
        if local_boxes.is_empty() {
            return sampled_local;
        }
        local_boxes.iter().any(|l| {
            let (a, b) = corners(l);
            x.iter()
                .zip(a.iter().zip(&b))
                .all(|(v, (lo, hi))| v >= lo && v <= hi)
        })
    };
    let mut found = find(model, pat, weights);
    // A witness in the local region decides "near S" too.
    let need_local = found
        .as_ref()
        .is_none_or(|w| !in_local(&w.near, w.in_local_region));
    if need_local && !extra.is_empty() {
        let cands: Vec<Candidate> = extra
            .iter()
            .filter_map(|(x, local)| {
                let q = model.q(x)?;
                Some(Candidate {
                    x: x.clone(),
                    q,
                    local: *local,
                })
            })
            .collect();
        let (local, other): (Vec<_>, Vec<_>) = cands.into_iter().partition(|c| c.local);
        if let Some(w) = find_among(model, &local, weights, 8, 2) {
            found = Some(w);
        } else if found.is_none() {
            found = find_among(model, &other, weights, 8, 2);
        }
    }
    if let Some(w) = found.as_mut() {
        w.in_local_region = in_local(&w.near, w.in_local_region);
    }
    found
}

/// The first certified witness among the points with the largest `Q > 0` (points of the
/// local region first).
fn find(model: &Model, pat: &Pattern, weights: &[f64]) -> Option<DecreaseRefutation> {
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
    find_among(model, &list, weights, 4, 2)
}

/// The first certified witness next to one of the first `max` candidates, in order, for an
/// increase of order `order` in the step (the start is offset from `M` by `1e-3 a^order`, so
/// that the terms below that order, which vanish on `M`, stay smaller than the increase).
pub(crate) fn find_among(
    model: &Model,
    cands: &[Candidate],
    weights: &[f64],
    max: usize,
    order: i32,
) -> Option<DecreaseRefutation> {
    for p in cands.iter().take(max) {
        let qv = &p.q;
        let Some(v) = model.offset_direction(&p.x, &qv.u, weights) else {
            continue;
        };
        for k in [4u32, 3, 2, 1] {
            let a = Rational::from((1, rug::Integer::from(10).pow(k)));
            let af = a.to_f64();
            let delta = af.powi(order) * 1e-3;
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

/// An exact rational from the decimal expansion of `v` to `sig` significant digits, with
/// that decimal printed plainly (e.g. `0.70710678118655`).
pub(crate) fn decimal_rational(v: f64, sig: usize) -> (Rational, String) {
    if v == 0.0 || !v.is_finite() {
        return (Rational::new(), "0".into());
    }
    let s = format!("{:.*e}", sig.saturating_sub(1), v);
    let (mant, exp) = s.split_once('e').expect("exponent");
    let exp: i32 = exp.parse().expect("exponent digits");
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    // value = 0.d1 d2 ... * 10^(exp + 1)
    let k = digits.len() as i32;
    let int = rug::Integer::from_str_radix(digits, 10).expect("digits");
    let shift = exp + 1 - k;
    let mut q = Rational::from(int);
    if shift >= 0 {
        q *= Rational::from(rug::Integer::from(10).pow(shift as u32));
    } else {
        q /= Rational::from(rug::Integer::from(10).pow((-shift) as u32));
    }
    if neg {
        q = -q;
    }
    let point = exp + 1;
    let mut text = String::new();
    if neg {
        text.push('-');
    }
    if point <= 0 {
        text.push_str("0.");
        text.push_str(&"0".repeat((-point) as usize));
        text.push_str(digits);
    } else if point as usize >= digits.len() {
        text.push_str(digits);
        text.push_str(&"0".repeat(point as usize - digits.len()));
    } else {
        text.push_str(&digits[..point as usize]);
        text.push('.');
        text.push_str(&digits[point as usize..]);
    }
    (q, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_rationals_are_exact_and_printed_plainly() {
        let (q, s) = decimal_rational(0.125, 6);
        assert_eq!(q, Rational::from((1, 8)));
        assert_eq!(s, "0.125");
        let (q, s) = decimal_rational(-1234.5, 8);
        assert_eq!(q, Rational::from((-2469, 2)));
        assert_eq!(s, "-1234.5");
        let (q, s) = decimal_rational(3e-5, 4);
        assert_eq!(q, Rational::from((3, 100000)));
        assert_eq!(s, "0.00003");
        let (q, s) = decimal_rational(2e3, 4);
        assert_eq!(q, Rational::from(2000));
        assert_eq!(s, "2000");
    }
}
