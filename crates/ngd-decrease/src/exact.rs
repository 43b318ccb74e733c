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

use crate::grid::{corners, inside, overlap_volume, volume};
use crate::model::{Model, QValue};
use crate::pattern::sign_of;
use crate::report::{CertifiedBox, CoverLimit, QSign, UndecidedBox, UndecidedReason};
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
    pub limit: Option<CoverLimit>,
    pub examples: Vec<CertifiedBox>,
    pub undecided_examples: Vec<UndecidedBox>,
    pub candidates: Vec<Candidate>,
    /// One letter per examined box, in examination order (`b` bisected, `x` excluded, `d`
    /// disjoint, `c` certified, `u` undecided): `recheck` rebuilds the cover from it.
    pub tree: String,
}

/// Below this many bisections per coordinate a box with `Q >= 0` at a point of `M` in it is
/// not split further (it can never be certified).
const COARSE_DEPTH: i32 = 7;

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
    let mut st = Search::new(model, search, regions, opts);
    while let Some(b) = st.queue.pop_front() {
        st.step(b);
    }
    st.finish()
}

/// The numerical facts about one box: its enclosures, corners, a point of `M` in it and
/// `Q` there and at the centre.
struct Probe {
    xs: Vec<Interval>,
    cs: Vec<Interval>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    width: f64,
    p: Option<Vec<f64>>,
    qp: Option<QValue>,
    qc: Option<QValue>,
}

/// The breadth-first bisection of the search box and what it has found so far.
struct Search<'a> {
    model: &'a Model,
    regions: &'a Regions,
    opts: &'a DecreaseOptions,
    /// Boxes with `Q >= 0` at a point of `M` are not split below this width.
    coarse: f64,
    queue: VecDeque<RationalBox>,
    r: CoverRun,
    smallest_c: Option<CertifiedBox>,
    largest: Option<CertifiedBox>,
}

impl<'a> Search<'a> {
    fn new(
        model: &'a Model,
        search: &RationalBox,
        regions: &'a Regions,
        opts: &'a DecreaseOptions,
    ) -> Search<'a> {
        let w_max = search.max_width();
        let depth = opts.max_depth.min(60) as i32;
        let min_width = w_max * 2f64.powi(-depth);
        Search {
            model,
            regions,
            opts,
            coarse: w_max * 2f64.powi(-COARSE_DEPTH.min(depth)),
            queue: VecDeque::from([search.clone()]),
            r: CoverRun {
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
                tree: String::new(),
            },
            smallest_c: None,
            largest: None,
        }
    }

    /// Classifies one box as a leaf (excluded, disjoint, certified, undecided) or splits it.
    fn step(&mut self, b: RationalBox) {
        self.r.examined += 1;
        let xs = b.intervals();
        let (cs, cf) = centre_of(&b);
        if self.is_excluded(&b, &xs, &cs) {
            self.r.excluded += 1;
            self.r.tree.push('x');
            return;
        }
        if self.model.disjoint_from_m(&xs, &cs) {
            self.r.disjoint += 1;
            self.r.tree.push('d');
            return;
        }
        let probe = self.probe(&b, xs, cs, &cf);
        if self.try_certify(&b, &probe) {
            self.r.tree.push('c');
            return;
        }
        let q_not_negative = self.note_candidate(&probe);
        match self.undecided_reason(&probe, q_not_negative) {
            Some(reason) => {
                self.r.tree.push('u');
                self.record_undecided(&b, probe, reason)
            }
            None => {
                self.r.tree.push('b');
                let (left, right) = b.bisect();
                self.queue.push_back(left);
                self.queue.push_back(right);
            }
        }
    }

    /// Inside an excluded neighbourhood of a point of `S`, or (set `S`) a proved
    /// enclosure of `phi` lies below the level.
    fn is_excluded(&self, b: &RationalBox, xs: &[Interval], cs: &[Interval]) -> bool {
        self.regions.excluded.iter().any(|e| inside(b, e))
            || self.regions.level.is_some_and(|level| {
                self.model
                    .phi_enclosure(xs, cs)
                    .is_some_and(|v| v.sup() <= level)
            })
    }

    /// A point of `M` in the box (numerical), and `Q` there and at the centre.
    fn probe(&self, b: &RationalBox, xs: Vec<Interval>, cs: Vec<Interval>, cf: &[f64]) -> Probe {
        let (lo, hi) = corners(b);
        let width = b.max_width();
        let p = self
            .model
            .projector
            .project(cf, width)
            .filter(|p| inside_f64(&lo, &hi, p));
        let qp = p.as_ref().and_then(|p| self.model.q(p));
        let qc = self.model.q(cf);
        Probe {
            xs,
            cs,
            lo,
            hi,
            width,
            p,
            qp,
            qc,
        }
    }

    /// Certifies the box with `a_max` = half its largest side and `c = -Q_ref/4`, when
    /// `Q_ref` (the larger of `Q` at the point of `M` and at the centre) is negative.
    fn try_certify(&mut self, b: &RationalBox, pr: &Probe) -> bool {
        let q_ref = [pr.qp.as_ref(), pr.qc.as_ref()]
            .iter()
            .flatten()
            .map(|v| v.q)
            .fold(f64::NEG_INFINITY, f64::max);
        if !(q_ref.is_finite() && q_ref < 0.0) {
            return false;
        }
        let a_max = pr.width / 2.0;
        let c = -q_ref / 4.0;
        if !self.model.certify_iv(&pr.xs, &pr.cs, a_max, c) {
            return false;
        }
        let cb = CertifiedBox {
            lo: pr.lo.clone(),
            hi: pr.hi.clone(),
            a_max,
            c,
        };
        self.record_certified(b, cb);
        true
    }

    /// Counts a certified box and keeps it as an example when it is the first, has the
    /// smallest `c` or the largest `a_max`.
    fn record_certified(&mut self, b: &RationalBox, cb: CertifiedBox) {
        let r = &mut self.r;
        let (a_max, c) = (cb.a_max, cb.c);
        r.certified += 1;
        r.certified_volume += volume(b);
        r.local_certified_volume += local_overlap(self.regions, b);
        r.min_c = Some(r.min_c.map_or(c, |m: f64| m.min(c)));
        r.a_max_range = Some(
            r.a_max_range
                .map_or((a_max, a_max), |(l, h)| (l.min(a_max), h.max(a_max))),
        );
        if r.examples.is_empty() {
            r.examples.push(cb.clone());
        }
        if self.smallest_c.as_ref().is_none_or(|s| c < s.c) {
            self.smallest_c = Some(cb.clone());
        }
        if self.largest.as_ref().is_none_or(|s| a_max > s.a_max) {
            self.largest = Some(cb);
        }
    }

    /// Keeps the point of `M` in the box as a refutation candidate when `Q > 0` there
    /// (outside the excluded boxes, where `Q = 0` at `S` is expected); returns whether
    /// `Q >= 0` there, so that no certificate can hold on the box.
    fn note_candidate(&mut self, pr: &Probe) -> bool {
        let in_box = |x: &[f64], e: &RationalBox| {
            let (a, b2) = corners(e);
            inside_f64(&a, &b2, x)
        };
        let in_excluded =
            pr.p.as_ref()
                .is_some_and(|x| self.regions.excluded.iter().any(|e| in_box(x, e)));
        let p_sign = pr.p.as_ref().map(|_| sign_of(&pr.qp));
        if p_sign == Some(QSign::Positive) && !in_excluded && self.r.candidates.len() < 64 {
            let x = pr.p.clone().expect("point");
            let local = self.regions.local.iter().any(|l| in_box(&x, l));
            self.r.candidates.push(Candidate { x, local });
        }
        !in_excluded && pr.qp.as_ref().is_some_and(|v| v.q >= 0.0)
    }

    /// Why the box is left undecided, or `None` when it is to be split (naming the box
    /// budget the first time it stops the search).
    fn undecided_reason(&mut self, pr: &Probe, q_not_negative: bool) -> Option<UndecidedReason> {
        if q_not_negative && pr.width <= self.coarse {
            Some(UndecidedReason::QNotNegative)
        } else if pr.width <= self.r.min_width {
            Some(UndecidedReason::MinimumWidth)
        } else if self.r.examined + self.queue.len() + 2 > self.opts.max_boxes {
            self.r.limit.get_or_insert(CoverLimit::BoxBudget {
                max_boxes: self.opts.max_boxes,
            });
            Some(UndecidedReason::BoxBudget)
        } else {
            None
        }
    }

    /// Counts an undecided leaf and keeps a few as examples (at least one per reason).
    fn record_undecided(&mut self, b: &RationalBox, pr: Probe, reason: UndecidedReason) {
        let r = &mut self.r;
        r.undecided += 1;
        match reason {
            UndecidedReason::QNotNegative => r.by_reason.0 += 1,
            UndecidedReason::MinimumWidth => r.by_reason.1 += 1,
            UndecidedReason::BoxBudget => r.by_reason.2 += 1,
        }
        r.undecided_volume += volume(b);
        let lv = local_overlap(self.regions, b);
        r.local_undecided_volume += lv;
        if lv > 0.0 {
            r.local_undecided += 1;
        }
        let n = r.undecided_examples.len();
        if n < 6
            || (reason != UndecidedReason::QNotNegative
                && n < 12
                && !r.undecided_examples.iter().any(|u| u.reason == reason))
        {
            r.undecided_examples.push(UndecidedBox {
                lo: pr.lo,
                hi: pr.hi,
                reason,
                point_of_m: pr.p.zip(pr.qp.map(|v| v.q)),
            });
        }
    }

    /// The run, with the minimum width named when it stopped boxes and the examples
    /// ordered by `c`.
    fn finish(self) -> CoverRun {
        let mut r = self.r;
        if r.by_reason.1 > 0 && r.limit.is_none() {
            r.limit = Some(CoverLimit::MinimumWidth {
                min_width: r.min_width,
                max_depth: self.opts.max_depth,
            });
        }
        for e in [self.smallest_c, self.largest].into_iter().flatten() {
            if !r.examples.contains(&e) {
                r.examples.push(e);
            }
        }
        // Smallest c first.
        r.examples.sort_by(|a, b| a.c.total_cmp(&b.c));
        r
    }
}

/// The largest overlap of `b` with a local region.
fn local_overlap(regions: &Regions, b: &RationalBox) -> f64 {
    regions
        .local
        .iter()
        .map(|l| overlap_volume(b, l))
        .fold(0.0, f64::max)
}
