//! Distances to a flat set of positive dimension: a finite sample of a surface is sparse, so
//! the distance of a run's end to the sample overstates its distance to the set. The caller
//! (who knows the set's equations) supplies a sharper distance, e.g. the length of a
//! Gauss–Newton projection onto the set; runs that end within the tolerance of the set are
//! then counted near it (docs/math.md, "The NGD harness").

use crate::report::{gd_rule, ngd_rule, summarize, Algorithm, HarnessReport, Outcome, RunResult};

impl HarnessReport {
    /// Replaces each run's distance to the flat set by `distance(end)` where that is smaller,
    /// and counts near the flat set the runs that took every step, stopped for no other
    /// reason and now end within the tolerance (near-flat takes precedence over a pole of
    /// `phi`, as in the run itself); the summaries are recomputed. Nothing changes without a
    /// flat set. `distance` returns `None` where it cannot measure.
    pub fn refine_flat_distances(&mut self, distance: impl Fn(&[f64]) -> Option<f64>) {
        if self.flat_set.is_none() {
            return;
        }
        let (tol, iterations) = (self.config.tolerance, self.config.iterations);
        let refine = |r: &mut RunResult| {
            let Some(d) = distance(&r.end) else {
                return;
            };
            if r.dist_to_s.is_none_or(|old| d < old) {
                r.dist_to_s = Some(d);
            }
            let ran_out = r.stall.is_none() && r.steps == iterations;
            let reclassify = matches!(r.outcome, Outcome::Elsewhere | Outcome::PoleOfPhi);
            if ran_out && reclassify && d <= tol {
                r.outcome = Outcome::NearFlat;
            }
        };
        self.runs.iter_mut().for_each(refine);
        self.gd_runs.iter_mut().for_each(refine);
        let cfg = &self.config;
        self.ngd = summarize(Algorithm::Ngd, ngd_rule(cfg), &self.runs, cfg, true);
        if self.gd.is_some() {
            self.gd = Some(summarize(
                Algorithm::Gd,
                gd_rule(cfg),
                &self.gd_runs,
                cfg,
                true,
            ));
        }
    }
}
