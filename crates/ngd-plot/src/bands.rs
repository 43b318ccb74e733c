//! Median and quartiles of a quantity over a group of runs, step by step.

use ngd_sim::{RunResult, Trajectory};
use std::collections::BTreeMap;

/// Median and quartiles of one quantity over the runs, at each recorded step.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// The step numbers `k`.
    pub k: Vec<u64>,
    /// First quartile at each step.
    pub q1: Vec<f64>,
    /// Median at each step.
    pub median: Vec<f64>,
    /// Third quartile at each step.
    pub q3: Vec<f64>,
    /// The number of runs that contributed.
    pub runs: usize,
}

/// The quartile band over `runs` of the trajectory quantity `pick`, at every step recorded
/// by some run (a run that stopped early contributes up to its last recorded step; NaNs are
/// ignored). `None` when no run has that quantity.
///
/// ```
/// use ngd_plot::band;
/// use ngd_sim::{Outcome, RunResult, Trajectory};
///
/// let run = |i: u64, f: Vec<f64>| RunResult {
///     index: i, start: vec![0.0], end: vec![0.0], f: 0.0, phi: None, dist_to_s: None,
///     outcome: Outcome::Elsewhere, stall: None, steps: 2, zero_gradient_events: 0, mpfr: None,
///     trajectory: Some(Trajectory { k: vec![0, 1], x: vec![vec![0.0]; 2], f,
///         phi: vec![], dist_to_s: vec![] }),
/// };
/// let b = band(&[run(0, vec![1.0, 0.5]), run(1, vec![3.0, 0.25])], |t| &t.f).unwrap();
/// assert_eq!(b.k, [0, 1]);
/// assert_eq!(b.median, [2.0, 0.375]);
/// assert!(band(&[run(0, vec![1.0, 0.5])], |t| &t.phi).is_none());
/// ```
pub fn band(runs: &[RunResult], pick: impl Fn(&Trajectory) -> &[f64]) -> Option<Band> {
    band_of(runs.iter(), pick)
}

/// [`band`] over the runs an iterator yields.
pub(crate) fn band_of<'a>(
    runs: impl Iterator<Item = &'a RunResult>,
    pick: impl Fn(&Trajectory) -> &[f64],
) -> Option<Band> {
    let mut at: BTreeMap<u64, Vec<f64>> = BTreeMap::new();
    let mut count = 0;
    for t in runs.filter_map(|r| r.trajectory.as_ref()) {
        let v = pick(t);
        if v.len() != t.k.len() || v.is_empty() {
            continue;
        }
        count += 1;
        for (&k, &x) in t.k.iter().zip(v) {
            if !x.is_nan() {
                at.entry(k).or_default().push(x);
            }
        }
    }
    if count == 0 || at.is_empty() {
        return None;
    }
    let mut b = Band {
        k: Vec::new(),
        q1: Vec::new(),
        median: Vec::new(),
        q3: Vec::new(),
        runs: count,
    };
    for (k, mut v) in at {
        v.sort_by(f64::total_cmp);
        b.k.push(k);
        b.q1.push(quantile(&v, 0.25));
        b.median.push(quantile(&v, 0.5));
        b.q3.push(quantile(&v, 0.75));
    }
    Some(b)
}

/// Linear-interpolated quantile of sorted values (NaN for none).
fn quantile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = p * (v.len() - 1) as f64;
    let (i, t) = (h.floor() as usize, h - h.floor());
    if i + 1 < v.len() {
        v[i] + t * (v[i + 1] - v[i])
    } else {
        v[i]
    }
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quartiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&[1.0, 2.0], 0.5), 1.5);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
