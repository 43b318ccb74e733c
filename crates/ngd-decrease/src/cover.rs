//! The sampled cover (`n > 3`): boxes around sampled points of `M` where interval
//! arithmetic bounds the second-order term. Each box is proved; that the boxes cover `M`
//! between the samples is not, so this is numerical evidence only.
//!
//! Curves are covered stretch by stretch along each traced branch: a stretch between two
//! neighbouring points with `Q < 0` gets one box around its midpoint (projected onto `M`)
//! that contains both ends; when the interval test fails the stretch is halved, down to
//! `max_depth` halvings. Sets of other dimensions are covered point by point with boxes
//! whose half-width starts at the distance to the nearest other sample and is halved on
//! failure.

use crate::model::Model;
use crate::pattern::Pattern;
use crate::report::{
    AMaxRule, CertificateStop, CertifiedBox, CoverMeasure, DecreaseCertificate, FirstOrder, QSign,
};
use crate::{dist, DecreaseOptions};
use ngd_check::Evidence;
use ngd_minima::MinimumSetProjector;

struct Cover<'a> {
    model: &'a Model,
    projector: &'a MinimumSetProjector,
    inside: Option<&'a [(f64, f64)]>,
    scale: f64,
    opts: &'a DecreaseOptions,
    boxes: Vec<CertifiedBox>,
    trials: usize,
    stopped: Option<CertificateStop>,
    uncovered: Vec<Vec<f64>>,
}

fn contains(b: &CertifiedBox, x: &[f64]) -> bool {
    x.iter()
        .zip(b.lo.iter().zip(&b.hi))
        .all(|(v, (lo, hi))| v >= lo && v <= hi)
}

impl Cover<'_> {
    fn out_of_budget(&mut self) -> bool {
        if self.stopped.is_some() {
            return true;
        }
        if self.trials >= self.opts.max_trials {
            self.stopped = Some(CertificateStop::TrialBudget {
                max_trials: self.opts.max_trials,
            });
        }
        self.stopped.is_some()
    }

    /// A box of half-width `r` around `center` with `c = -q/4`, if the interval test
    /// proves it.
    fn try_box(&mut self, center: &[f64], r: f64, q: f64) -> Option<CertifiedBox> {
        // NaN fails both tests.
        if q.is_nan() || q >= 0.0 || r.is_nan() || r <= 0.0 || self.out_of_budget() {
            return None;
        }
        self.trials += 1;
        let lo: Vec<f64> = center.iter().map(|c| c - r).collect();
        let hi: Vec<f64> = center.iter().map(|c| c + r).collect();
        if let Some(bx) = self.inside {
            if !lo
                .iter()
                .zip(&hi)
                .zip(bx)
                .all(|((l, h), (a, b))| l >= a && h <= b)
            {
                return None;
            }
        }
        let c = -q / 4.0;
        self.model
            .certify_box(&lo, &hi, r, c)
            .then_some(CertifiedBox {
                lo,
                hi,
                a_max: r,
                c,
            })
    }

    fn covered_by_recent(&self, pts: &[&[f64]]) -> bool {
        self.boxes
            .iter()
            .rev()
            .take(8)
            .any(|b| pts.iter().all(|p| contains(b, p)))
    }

    /// Covers the stretch of `M` between `p` and `q`; returns the covered length.
    fn segment(&mut self, p: &[f64], q: &[f64], depth: u32) -> f64 {
        let len = dist(p, q);
        if self.covered_by_recent(&[p, q]) {
            return len;
        }
        let mid: Vec<f64> = p.iter().zip(q).map(|(a, b)| 0.5 * (a + b)).collect();
        let m = self
            .projector
            .project(&mid, len.max(1e-300))
            .filter(|m| dist(m, &mid) <= len)
            .unwrap_or(mid);
        if let Some(qv) = self.model.q(&m) {
            let r = p
                .iter()
                .chain(q)
                .enumerate()
                .map(|(k, v)| (v - m[k % m.len()]).abs())
                .fold(0.0, f64::max)
                * 1.25
                + 1e-14 * self.scale;
            if let Some(b) = self.try_box(&m, r, qv.q) {
                self.boxes.push(b);
                return len;
            }
        }
        if depth >= self.opts.max_depth || self.out_of_budget() {
            if self.uncovered.len() < 6 {
                self.uncovered.push(m);
            }
            return 0.0;
        }
        self.segment(p, &m, depth + 1) + self.segment(&m, q, depth + 1)
    }

    /// Covers one sampled point with a box of half-width at most `r0`.
    fn point(&mut self, x: &[f64], q: f64, r0: f64) -> bool {
        if self.boxes.iter().any(|b| contains(b, x)) {
            return true;
        }
        let mut r = r0;
        for _ in 0..=self.opts.max_depth {
            if let Some(b) = self.try_box(x, r, q) {
                self.boxes.push(b);
                return true;
            }
            if self.stopped.is_some() {
                break;
            }
            r *= 0.5;
        }
        if self.uncovered.len() < 6 {
            self.uncovered.push(x.to_vec());
        }
        false
    }
}

/// How much of what was to be covered got covered, overall and in the local region.
#[derive(Default)]
struct Tally {
    eligible: f64,
    covered: f64,
    missing: bool,
    local_eligible: f64,
    local_covered: f64,
    local_missing: bool,
}

impl Tally {
    /// Adds a piece of size `len` of which `got` was covered (`full` when all of it).
    fn add(&mut self, len: f64, got: f64, full: bool, local: bool) {
        self.eligible += len;
        self.covered += got.min(len);
        self.missing |= !full;
        if local {
            self.local_eligible += len;
            self.local_covered += got.min(len);
            self.local_missing |= !full;
        }
    }
}

/// `covered / eligible`, 1 when nothing is eligible or nothing is missing.
fn fraction(eligible: f64, covered: f64, missing: bool) -> f64 {
    if eligible == 0.0 || !missing {
        1.0
    } else {
        (covered / eligible).min(1.0)
    }
}

/// Builds the certificate over the points of `pat` with `Q < 0`.
pub(crate) fn certify(
    model: &Model,
    pat: &Pattern,
    dimension: Option<usize>,
    inside: Option<&[(f64, f64)]>,
    scale: f64,
    first_order: FirstOrder,
    opts: &DecreaseOptions,
) -> DecreaseCertificate {
    let mut cov = Cover {
        model,
        projector: &model.projector,
        inside,
        scale,
        opts,
        boxes: Vec::new(),
        trials: 0,
        stopped: None,
        uncovered: Vec::new(),
    };
    let (tally, measure) = if pat.curve {
        (cover_branches(&mut cov, pat), CoverMeasure::ArcLength)
    } else if dimension == Some(0) {
        (
            cover_points(&mut cov, pat, scale),
            CoverMeasure::IsolatedPoints,
        )
    } else {
        (
            cover_points(&mut cov, pat, scale),
            CoverMeasure::SampledPoints,
        )
    };
    let radius_range = cov
        .boxes
        .iter()
        .map(|b| b.a_max)
        .fold(None, |acc: Option<(f64, f64)>, r| {
            Some(acc.map_or((r, r), |(lo, hi)| (lo.min(r), hi.max(r))))
        });
    DecreaseCertificate {
        evidence: if tally.eligible > 0.0 && !tally.missing {
            Evidence::Proved
        } else {
            Evidence::Inconclusive
        },
        boxes: cov.boxes.len(),
        trials: cov.trials,
        min_c: cov.boxes.iter().map(|b| b.c).reduce(f64::min),
        radius_range,
        a_max_rule: AMaxRule::HalfWidth,
        measure,
        eligible: tally.eligible,
        covered: tally.covered,
        fraction: fraction(tally.eligible, tally.covered, tally.missing),
        local_eligible: tally.local_eligible,
        local_covered: tally.local_covered,
        local_fraction: fraction(
            tally.local_eligible,
            tally.local_covered,
            tally.local_missing,
        ),
        examples: examples(&cov.boxes),
        uncovered: cov.uncovered,
        first_order,
        stopped: cov.stopped,
    }
}

/// Covers the stretches of the traced branches between neighbouring points with `Q < 0`
/// (measured by arc length).
fn cover_branches(cov: &mut Cover<'_>, pat: &Pattern) -> Tally {
    let mut tally = Tally::default();
    for range in &pat.branch_ranges {
        let pts = &pat.points[range.clone()];
        for w in pts.windows(2) {
            if w[0].sign != QSign::Negative || w[1].sign != QSign::Negative {
                continue;
            }
            let len = dist(&w[0].x, &w[1].x);
            let got = cov.segment(&w[0].x, &w[1].x, 0);
            tally.add(len, got, got >= len, w[0].local && w[1].local);
        }
    }
    tally
}

/// Covers the sampled points with `Q < 0` one by one, each box at most as wide as the
/// distance to the nearest other sample (counted in points).
fn cover_points(cov: &mut Cover<'_>, pat: &Pattern, scale: f64) -> Tally {
    let mut tally = Tally::default();
    let xs: Vec<&[f64]> = pat.points.iter().map(|p| p.x.as_slice()).collect();
    for (i, p) in pat.points.iter().enumerate() {
        if p.sign != QSign::Negative {
            continue;
        }
        let q = p.q.as_ref().map_or(0.0, |v| v.q);
        let nn = xs
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, y)| dist(&p.x, y))
            .fold(f64::INFINITY, f64::min);
        let r0 = nn.min(0.05 * scale).max(1e-9 * scale);
        let ok = cov.point(&p.x, q, r0);
        tally.add(1.0, if ok { 1.0 } else { 0.0 }, ok, p.local);
    }
    tally
}

/// The box with the smallest `c`, then the boxes at a quarter, half and three quarters of
/// the list (no repeats).
fn examples(boxes: &[CertifiedBox]) -> Vec<CertifiedBox> {
    let mut examples = Vec::new();
    if let Some(k) = (0..boxes.len()).min_by(|&a, &b| boxes[a].c.total_cmp(&boxes[b].c)) {
        examples.push(boxes[k].clone());
    }
    let n = boxes.len();
    for t in 1..=3 {
        let k = t * n / 4;
        if k < n && !examples.contains(&boxes[k]) {
            examples.push(boxes[k].clone());
        }
    }
    examples
}
