//! The decrease order `q` of one NGD step near `M`: `phi(x - a u) - phi(x)` in MPFR for
//! `a = 1e-2 ... 1e-6`, and the slope of `log(-delta phi)` against `log a`.

use crate::model::Model;
use crate::pattern::Pattern;
use crate::report::{DecreaseOrder, OrderFit, OrderWarning, QSign};
use crate::DecreaseOptions;
use ngd_check::Evidence;
use rug::ops::Pow;
use rug::Float;

/// Fits the order at a few points with `Q < 0` (spread along the samples) and at up to two
/// points where `Q = 0` outside `S` (degenerate points, where the order can be 3 or 4).
pub(crate) fn fit(
    model: &Model,
    pat: &Pattern,
    weights: &[f64],
    opts: &DecreaseOptions,
) -> Option<DecreaseOrder> {
    let neg: Vec<usize> = (0..pat.points.len())
        .filter(|&i| pat.points[i].sign == QSign::Negative)
        .collect();
    let zero: Vec<usize> = (0..pat.points.len())
        .filter(|&i| pat.points[i].sign == QSign::Zero)
        .collect();
    let k = opts.order_points.min(neg.len());
    let mut chosen: Vec<usize> = (0..k)
        .map(|t| neg[(2 * t + 1) * neg.len() / (2 * k)])
        .collect();
    chosen.extend(zero.iter().take(2));
    if chosen.is_empty() {
        return None;
    }
    let prec = opts.precision;
    let mut fits = Vec::new();
    for i in chosen {
        let p = &pat.points[i];
        let Some(qv) = &p.q else { continue };
        let Some(v) = model.offset_direction(&p.x, &qv.u, weights) else {
            continue;
        };
        let delta = Float::with_val(prec, 1e-12);
        let x0: Vec<Float> =
            p.x.iter()
                .zip(&v)
                .map(|(x, d)| Float::with_val(prec, x) + Float::with_val(prec, d) * &delta)
                .collect();
        let mut steps = Vec::new();
        for e in 2..=6 {
            let a = Float::with_val(prec, 1) / Float::with_val(prec, 10u32).pow(e);
            if let Some(d) = model.one_step_mp(&x0, &a, prec) {
                steps.push((a.to_f64(), d.to_f64()));
            }
        }
        let order = if steps.len() >= 3 && steps.iter().all(|s| s.1 < 0.0) {
            let pts: Vec<(f64, f64)> = steps.iter().map(|s| (s.0.ln(), (-s.1).ln())).collect();
            let m = pts.len() as f64;
            let mx = pts.iter().map(|p| p.0).sum::<f64>() / m;
            let my = pts.iter().map(|p| p.1).sum::<f64>() / m;
            let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
            let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
            Some(sxy / sxx)
        } else {
            None
        };
        fits.push(OrderFit {
            point: p.x.clone(),
            q_value: qv.q,
            steps,
            order,
        });
    }
    let order = fits
        .iter()
        .filter_map(|f| f.order)
        .reduce(f64::max)
        .map(|q| {
            let r = q.round();
            if (q - r).abs() < 0.1 {
                r
            } else {
                q
            }
        });
    let warning = match (order, opts.schedule_power) {
        (Some(q), Some(p)) if q > 0.0 && p > 1.0 / q + 1e-12 => {
            Some(OrderWarning::ScheduleStalls { power: p, order: q })
        }
        _ => None,
    };
    Some(DecreaseOrder {
        fits,
        order,
        schedule_power: opts.schedule_power,
        warning,
        evidence: Evidence::NumericalEvidence,
    })
}
