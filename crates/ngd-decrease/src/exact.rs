//! The exact cover of the search box (`n <= 3`): the proof behind "C4 on M \ S: proved".
//!
//! The search box is bisected at exact rational midpoints ([`RationalBox::bisect`], the
//! widest side first), breadth first. Every box examined ends as one leaf of an exact cover
//! of the search box, classified as
//!
//! - **excluded**: inside the excluded neighbourhood of a point of `S` (a box of the same
//!   bisection grid, so that the bisection meets its sides exactly), or, for a set `S`,
//!   inside the sublevel set `phi <= min_M phi + level` (a proved enclosure of `phi`);
//! - **disjoint** from `M`: a proved enclosure of `g` (of some residual `g_i` for least
//!   squares) excludes 0 ([`ngd_certify::enclose`]: centred only where the tape is smooth);
//! - **certified**: [`Model::certify_iv`] proves `u^T Hess phi(xi) u <= -2c` for every `x`
//!   in the box, every normal direction `u` at `x` and every `xi` within `a_max` (max norm)
//!   of the box, with `a_max` = half the largest side and `c = -Q_ref/4` for `Q_ref` the
//!   value of `Q` at the centre or at a point of `M` in the box (numerical; any `c > 0`
//!   that the interval test accepts is sound); Taylor's theorem with the first-order term
//!   controlled by C1 gives `phi(x - a u) - phi(x) <= -c a^2` for `0 < a <= a_max`;
//! - **undecided**: none of these within the budgets. A box that contains a point of `M`
//!   (located numerically) with `Q >= 0` is not refined below the coarse width: no
//!   certificate can hold on it; such points with `Q > 0` are handed to the refutation.
//!
//! The budgets are counts (boxes, bisection depth), so the outcome depends only on the input.

use crate::model::Model;
use crate::pattern::sign_of;
use crate::report::{CertifiedBox, QSign, UndecidedBox, UndecidedReason};
use crate::DecreaseOptions;
use inari::Interval;
use ngd_check::RationalBox;
use ngd_eval::interval_of;
use rug::Rational;
use std::collections::VecDeque;

/// What the cover excludes and where the local regions are.
pub(crate) struct Regions {
    /// Excluded neighbourhoods of the points of `S` (grid boxes).
    pub excluded: Vec<RationalBox>,
    /// For a set `S`: boxes whose proved enclosure of `phi` lies below this are excluded.
    pub level: Option<f64>,
    /// The local regions around the points of `S` (grid boxes).
    pub local: Vec<RationalBox>,
}

/// A point of `M` with `Q > 0` found in an undecided box: a candidate for a refutation.
pub(crate) struct Candidate {
    pub x: Vec<f64>,
    pub local: bool,
}

/// The cover's counts and leaves, before they are turned into the report.
pub(crate) struct CoverRun {
    pub examined: usize,
    pub disjoint: usize,
    pub certified: usize,
    pub excluded: usize,
    pub undecided: usize,
    pub by_reason: (usize, usize, usize),
    pub min_c: Option<f64>,
    pub a_max_range: Option<(f64, f64)>,
    pub certified_volume: f64,
    pub undecided_volume: f64,
    pub local_certified_volume: f64,
    pub local_undecided_volume: f64,
    pub local_undecided: usize,
    pub min_width: f64,
    pub limit: Option<String>,
    pub examples: Vec<CertifiedBox>,
    pub undecided_examples: Vec<UndecidedBox>,
    pub candidates: Vec<Candidate>,
}

/// Below this many bisections per coordinate a box with `Q >= 0` at a point of `M` in it is
/// not split further (it can never be certified).
const COARSE_DEPTH: i32 = 7;

/// `b` lies inside `e` (exact).
pub(crate) fn inside(b: &RationalBox, e: &RationalBox) -> bool {
    b.lo.iter()
        .zip(&b.hi)
        .zip(e.lo.iter().zip(&e.hi))
        .all(|((bl, bh), (el, eh))| el <= bl && bh <= eh)
}

/// The volume of `b ∩ e` (`f64`), 0 when they do not share interior points (exact test).
pub(crate) fn overlap_volume(b: &RationalBox, e: &RationalBox) -> f64 {
    let mut v = 1.0;
    for i in 0..b.dim() {
        let lo = if b.lo[i] > e.lo[i] {
            &b.lo[i]
        } else {
            &e.lo[i]
        };
        let hi = if b.hi[i] < e.hi[i] {
            &b.hi[i]
        } else {
            &e.hi[i]
        };
        if hi <= lo {
            return 0.0;
        }
        v *= Rational::from(hi - lo).to_f64();
    }
    v
}

/// The volume of `b` (`f64`).
pub(crate) fn volume(b: &RationalBox) -> f64 {
    b.widths().iter().map(Rational::to_f64).product()
}

/// `f64` corners of a box (nearest; for reports and numerical steps only).
pub(crate) fn corners(b: &RationalBox) -> (Vec<f64>, Vec<f64>) {
    (
        b.lo.iter().map(Rational::to_f64).collect(),
        b.hi.iter().map(Rational::to_f64).collect(),
    )
}

/// The smallest box of the bisection grid of `search` that contains the max-norm ball of
/// radius `r` around `c`, clipped to `search`; in coordinate `i` the grid step is the first
/// `W_i / 2^m` at most `r / 2`. `None` when the ball misses the search box.
pub(crate) fn grid_box(search: &RationalBox, c: &[f64], r: f64) -> Option<RationalBox> {
    let mut lo = Vec::with_capacity(c.len());
    let mut hi = Vec::with_capacity(c.len());
    let rq = Rational::from_f64(r)?;
    for i in 0..c.len() {
        let l = &search.lo[i];
        let u = &search.hi[i];
        let w = Rational::from(u - l);
        if w == 0 {
            lo.push(l.clone());
            hi.push(u.clone());
            continue;
        }
        let mut step = w.clone();
        let mut m = 0;
        while m < 60 && step > Rational::from(&rq / 2u32) {
            step /= 2u32;
            m += 1;
        }
        let ci = Rational::from_f64(c[i])?;
        let a = Rational::from(&ci - &rq) - l;
        let b = Rational::from(&ci + &rq) - l;
        let ja = Rational::from(&a / &step).floor().numer().clone();
        let jb = Rational::from(&b / &step).ceil().numer().clone();
        let mut bl = &step * Rational::from(ja) + l;
        let mut bh = &step * Rational::from(jb) + l;
        if bl < *l {
            bl = l.clone();
        }
        if bh > *u {
            bh = u.clone();
        }
        if bh <= bl {
            return None;
        }
        lo.push(bl);
        hi.push(bh);
    }
    RationalBox::new(lo, hi)
}

/// The exact centre of `b` as point intervals, and its `f64` rounding.
fn centre_of(b: &RationalBox) -> (Vec<Interval>, Vec<f64>) {
    let c = b.center();
    (
        c.iter().map(|q| interval_of(q, q)).collect(),
        c.iter().map(Rational::to_f64).collect(),
    )
}

fn inside_f64(lo: &[f64], hi: &[f64], x: &[f64]) -> bool {
    x.iter()
        .zip(lo.iter().zip(hi))
        .all(|(v, (a, b))| v >= a && v <= b)
}

/// Runs the cover over `search`.
pub(crate) fn run(
    model: &Model,
    search: &RationalBox,
    regions: &Regions,
    opts: &DecreaseOptions,
) -> CoverRun {
    let w_max = search.max_width();
    let depth = opts.max_depth.min(60) as i32;
    let min_width = w_max * 2f64.powi(-depth);
    let coarse = w_max * 2f64.powi(-COARSE_DEPTH.min(depth));
    let mut r = CoverRun {
        examined: 0,
        disjoint: 0,
        certified: 0,
        excluded: 0,
        undecided: 0,
        by_reason: (0, 0, 0),
        min_c: None,
        a_max_range: None,
        certified_volume: 0.0,
        undecided_volume: 0.0,
        local_certified_volume: 0.0,
        local_undecided_volume: 0.0,
        local_undecided: 0,
        min_width,
        limit: None,
        examples: Vec::new(),
        undecided_examples: Vec::new(),
        candidates: Vec::new(),
    };
    let mut smallest_c: Option<CertifiedBox> = None;
    let mut largest: Option<CertifiedBox> = None;
    let mut queue = VecDeque::from([search.clone()]);
    let local_overlap = |b: &RationalBox| -> f64 {
        regions
            .local
            .iter()
            .map(|l| overlap_volume(b, l))
            .fold(0.0, f64::max)
    };
    while let Some(b) = queue.pop_front() {
        r.examined += 1;
        if regions.excluded.iter().any(|e| inside(&b, e)) {
            r.excluded += 1;
            continue;
        }
        let xs = b.intervals();
        let (cs, cf) = centre_of(&b);
        if let Some(level) = regions.level {
            if model
                .phi_enclosure(&xs, &cs)
                .is_some_and(|v| v.sup() <= level)
            {
                r.excluded += 1;
                continue;
            }
        }
        if model.disjoint_from_m(&xs, &cs) {
            r.disjoint += 1;
            continue;
        }
        let (lo, hi) = corners(&b);
        let width = b.max_width();
        // A point of M in the box (numerical), and Q there and at the centre.
        let p = model
            .projector
            .project(&cf, width)
            .filter(|p| inside_f64(&lo, &hi, p));
        let qp = p.as_ref().and_then(|p| model.q(p));
        let qc = model.q(&cf);
        {
            let q_ref = [qp.as_ref(), qc.as_ref()]
                .iter()
                .flatten()
                .map(|v| v.q)
                .fold(f64::NEG_INFINITY, f64::max);
            if q_ref.is_finite() && q_ref < 0.0 {
                let a_max = width / 2.0;
                let c = -q_ref / 4.0;
                if model.certify_iv(&xs, &cs, a_max, c) {
                    r.certified += 1;
                    let vol = volume(&b);
                    r.certified_volume += vol;
                    r.local_certified_volume += local_overlap(&b);
                    r.min_c = Some(r.min_c.map_or(c, |m: f64| m.min(c)));
                    r.a_max_range = Some(
                        r.a_max_range
                            .map_or((a_max, a_max), |(l, h)| (l.min(a_max), h.max(a_max))),
                    );
                    let cb = CertifiedBox { lo, hi, a_max, c };
                    if r.examples.is_empty() {
                        r.examples.push(cb.clone());
                    }
                    if smallest_c.as_ref().is_none_or(|s| c < s.c) {
                        smallest_c = Some(cb.clone());
                    }
                    if largest.as_ref().is_none_or(|s| a_max > s.a_max) {
                        largest = Some(cb);
                    }
                    continue;
                }
            }
        }
        // Q >= 0 at a point of M in the box (outside the excluded boxes, where Q = 0 at S is
        // expected): no certificate can hold on the box.
        let in_excluded = p.as_ref().is_some_and(|x| {
            regions.excluded.iter().any(|e| {
                let (a, b2) = corners(e);
                inside_f64(&a, &b2, x)
            })
        });
        let p_sign = p.as_ref().map(|_| sign_of(&qp));
        let q_not_negative = !in_excluded && qp.as_ref().is_some_and(|v| v.q >= 0.0);
        if p_sign == Some(QSign::Positive) && !in_excluded && r.candidates.len() < 64 {
            let x = p.clone().expect("point");
            let local = regions.local.iter().any(|l| {
                let (a, b2) = corners(l);
                inside_f64(&a, &b2, &x)
            });
            r.candidates.push(Candidate { x, local });
        }
        let reason = if q_not_negative && width <= coarse {
            Some(UndecidedReason::QNotNegative)
        } else if width <= min_width {
            Some(UndecidedReason::MinimumWidth)
        } else if r.examined + queue.len() + 2 > opts.max_boxes {
            if r.limit.is_none() {
                r.limit = Some(format!(
                    "the box budget of {} boxes was reached (raise it with --cover-boxes or [limits] cover_boxes)",
                    opts.max_boxes
                ));
            }
            Some(UndecidedReason::BoxBudget)
        } else {
            None
        };
        if let Some(reason) = reason {
            r.undecided += 1;
            match reason {
                UndecidedReason::QNotNegative => r.by_reason.0 += 1,
                UndecidedReason::MinimumWidth => r.by_reason.1 += 1,
                UndecidedReason::BoxBudget => r.by_reason.2 += 1,
            }
            r.undecided_volume += volume(&b);
            let lv = local_overlap(&b);
            r.local_undecided_volume += lv;
            if lv > 0.0 {
                r.local_undecided += 1;
            }
            if r.undecided_examples.len() < 6
                || (reason != UndecidedReason::QNotNegative
                    && r.undecided_examples.len() < 12
                    && !r.undecided_examples.iter().any(|u| u.reason == reason))
            {
                r.undecided_examples.push(UndecidedBox {
                    lo,
                    hi,
                    reason,
                    point_of_m: p.zip(qp.map(|v| v.q)),
                });
            }
            continue;
        }
        let (left, right) = b.bisect();
        queue.push_back(left);
        queue.push_back(right);
    }
    if r.by_reason.1 > 0 && r.limit.is_none() {
        r.limit = Some(format!(
            "the minimum width ({:.2e}, max_depth = {} bisections per side) was reached",
            min_width, opts.max_depth
        ));
    }
    for e in [smallest_c, largest].into_iter().flatten() {
        if !r.examples.contains(&e) {
            r.examples.push(e);
        }
    }
    // Smallest c first.
    r.examples.sort_by(|a, b| a.c.total_cmp(&b.c));
    r
}

/// `q` as a rational with denominator at most `max_den` that equals `x` to within `tol`
/// (the continued fraction of the exact binary value of `x`, by ngd-minima's
/// [`ngd_minima::small_rational`] at 256 bits, far more than the 64 terms need); `None`
/// when there is none.
pub(crate) fn small_rational(x: f64, max_den: u64, tol: f64) -> Option<Rational> {
    const PREC: u32 = 256;
    let x = rug::Float::with_val(PREC, x);
    ngd_minima::small_rational(&x, max_den, &rug::Float::with_val(PREC, tol))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_boxes_contain_the_ball_and_sit_on_the_bisection_grid() {
        let search = RationalBox::cube(2, 3);
        let b = grid_box(&search, &[1.0, 1.0], 0.02).unwrap();
        for i in 0..2 {
            assert!(b.lo[i] <= Rational::from((98, 100)));
            assert!(b.hi[i] >= Rational::from((102, 100)));
            assert!(Rational::from(&b.hi[i] - &b.lo[i]).to_f64() <= 0.04 + 0.02 + 1e-12);
        }
        // Bisecting the search box reaches the sides of b exactly.
        let mut boxes = vec![search.clone()];
        for _ in 0..2 * 12 {
            boxes = boxes
                .iter()
                .flat_map(|x| {
                    let (l, r) = x.bisect();
                    [l, r]
                })
                .filter(|x| overlap_volume(x, &b) > 0.0)
                .collect();
        }
        let inner: f64 = boxes.iter().filter(|x| inside(x, &b)).map(volume).sum();
        assert!(
            (inner - volume(&b)).abs() < 1e-15,
            "{inner} vs {}",
            volume(&b)
        );
        // Outside the search box: clipped, or none.
        let c = grid_box(&search, &[3.0, 0.0], 0.1).unwrap();
        assert_eq!(c.hi[0], Rational::from(3));
        assert!(grid_box(&search, &[5.0, 0.0], 0.1).is_none());
    }

    #[test]
    fn small_rationals_are_recognised_only_when_close() {
        assert_eq!(small_rational(1.0, 1000, 1e-12), Some(Rational::from(1)));
        assert_eq!(
            small_rational(-1.0 / 3.0, 1000, 1e-12),
            Some(Rational::from((-1, 3)))
        );
        assert_eq!(small_rational(2f64.powf(-1.0 / 3.0), 1000, 1e-12), None);
    }

    #[test]
    fn overlap_needs_shared_interior() {
        let a = RationalBox::cube(2, 1);
        let b = RationalBox::new(
            vec![Rational::from(1), Rational::from(0)],
            vec![Rational::from(2), Rational::from(1)],
        )
        .unwrap();
        assert_eq!(overlap_volume(&a, &b), 0.0);
        assert!(!inside(&b, &a));
        assert!(inside(&a, &RationalBox::cube(2, 1)));
    }
}
