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
use crate::report::{CertifiedBox, DecreaseCertificate, QSign};
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
    stopped: Option<String>,
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
            self.stopped = Some(format!(
                "trial budget of {} boxes exhausted",
                self.opts.max_trials
            ));
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

/// Builds the certificate over the points of `pat` with `Q < 0`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn certify(
    model: &Model,
    projector: &MinimumSetProjector,
    pat: &Pattern,
    dimension: Option<usize>,
    inside: Option<&[(f64, f64)]>,
    scale: f64,
    first_order: &str,
    opts: &DecreaseOptions,
) -> DecreaseCertificate {
    let mut cov = Cover {
        model,
        projector,
        inside,
        scale,
        opts,
        boxes: Vec::new(),
        trials: 0,
        stopped: None,
        uncovered: Vec::new(),
    };
    let (mut eligible, mut covered, mut local_eligible, mut local_covered) = (0.0, 0.0, 0.0, 0.0);
    let (mut missing, mut local_missing) = (false, false);
    let measure;
    if pat.curve {
        measure = "arc length of the traced branches".to_string();
        for range in &pat.branch_ranges {
            let pts = &pat.points[range.clone()];
            for w in pts.windows(2) {
                if w[0].sign != QSign::Negative || w[1].sign != QSign::Negative {
                    continue;
                }
                let len = dist(&w[0].x, &w[1].x);
                let got = cov.segment(&w[0].x, &w[1].x, 0);
                let full = got >= len;
                eligible += len;
                covered += got.min(len);
                missing |= !full;
                if w[0].local && w[1].local {
                    local_eligible += len;
                    local_covered += got.min(len);
                    local_missing |= !full;
                }
            }
        }
    } else {
        measure = match dimension {
            Some(0) => "isolated points of M".to_string(),
            _ => "sampled points of M".to_string(),
        };
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
            eligible += 1.0;
            covered += if ok { 1.0 } else { 0.0 };
            missing |= !ok;
            if p.local {
                local_eligible += 1.0;
                local_covered += if ok { 1.0 } else { 0.0 };
                local_missing |= !ok;
            }
        }
    }
    let frac = |e: f64, c: f64, miss: bool| {
        if e == 0.0 || !miss {
            1.0
        } else {
            (c / e).min(1.0)
        }
    };
    let min_c = cov.boxes.iter().map(|b| b.c).reduce(f64::min);
    let radius_range = cov
        .boxes
        .iter()
        .map(|b| b.a_max)
        .fold(None, |acc: Option<(f64, f64)>, r| {
            Some(acc.map_or((r, r), |(lo, hi)| (lo.min(r), hi.max(r))))
        });
    let mut examples = Vec::new();
    if let Some(k) = (0..cov.boxes.len()).min_by(|&a, &b| cov.boxes[a].c.total_cmp(&cov.boxes[b].c))
    {
        examples.push(cov.boxes[k].clone());
    }
    let n = cov.boxes.len();
    for t in 1..=3 {
        let k = t * n / 4;
        if k < n && !examples.contains(&cov.boxes[k]) {
            examples.push(cov.boxes[k].clone());
        }
    }
    DecreaseCertificate {
        evidence: if eligible > 0.0 && !missing {
            Evidence::Proved
        } else {
            Evidence::Inconclusive
        },
        boxes: n,
        trials: cov.trials,
        min_c,
        radius_range,
        a_max_rule: "a_max = box half-width (xi ranges over the box enlarged by a_max)".into(),
        measure,
        eligible,
        covered,
        fraction: frac(eligible, covered, missing),
        local_eligible,
        local_covered,
        local_fraction: frac(local_eligible, local_covered, local_missing),
        uncovered: cov.uncovered,
        first_order: first_order.to_string(),
        stopped: cov.stopped,
        examples,
    }
}
