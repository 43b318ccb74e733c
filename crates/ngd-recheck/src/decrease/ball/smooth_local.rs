//! The local model of a ball's closing argument when `g` or `phi` is not a (Laurent)
//! polynomial: the same chart and concavity steps as the polynomial model of the parent
//! module, with enclosures from recheck's smooth evaluator and the exact values at the point
//! read off enclosures that are a single number.

use super::{rational, strict, Argument, ChartData, ChartEnclosures, ConcavityTest};
use crate::smooth::SmoothExprs;
use inari::Interval;
use ngd_expr::{Arena, ExprId};

/// `g` and `phi` as expressions that are not both (Laurent) polynomials (`x^2 exp(4 y)`),
/// enclosed by recheck's smooth evaluator, which proves every node `C^inf` on a piece it
/// encloses (and refuses the piece otherwise). `Q = N/D` and its derivatives are `ngd-expr`'s
/// symbolic ones; the test matrix is `-sigma P'^T (g_k Hess Q - Q_k Hess g) P'` itself.
pub(in crate::decrease) struct SmoothLocalModel {
    n: usize,
    /// `g`.
    g: SmoothExprs,
    /// `g`, `grad g` (at `1 + i`), `Q` (at `1 + n`), `grad Q` (at `2 + n + i`).
    at_point: SmoothExprs,
    /// Per chart coordinate `k`: `g_k`, then the entries of `P'^T (g_k Hess Q - Q_k Hess g)
    /// P'` over the base coordinates, row major.
    tests: Vec<SmoothExprs>,
}

impl SmoothLocalModel {
    /// The model of `g` and `phi` in `arena` (`None` when an exponent does not fit).
    pub fn new(arena: &mut Arena, g: ExprId, phi: ExprId) -> Option<SmoothLocalModel> {
        let n = arena.n_vars();
        let dg = arena.gradient(g);
        let hg = arena.hessian(g);
        let hphi = arena.hessian(phi);
        let mut terms = Vec::new();
        for i in 0..n {
            for j in 0..n {
                terms.push(arena.mul(vec![dg[i], hphi[i][j], dg[j]]));
            }
        }
        let numerator = arena.add(terms);
        let d = arena.dot(&dg, &dg);
        let q = arena.div(numerator, d);
        let dq = arena.gradient(q);
        let hq = arena.hessian(q);
        let mut at_point = vec![g];
        at_point.extend(&dg);
        at_point.push(q);
        at_point.extend(&dq);
        let mut tests = Vec::new();
        for k in 0..n {
            let mut exprs = vec![dg[k]];
            exprs.extend(test_entries(arena, k, &dg, &hg, &dq, &hq));
            tests.push(SmoothExprs::new(arena, &exprs)?);
        }
        Some(SmoothLocalModel {
            n,
            g: SmoothExprs::new(arena, &[g])?,
            at_point: SmoothExprs::new(arena, &at_point)?,
            tests,
        })
    }

    /// Step 3 at the printed point, by enclosures over the point itself: exact where an
    /// enclosure is a single number (`[0, 0]` proves a value 0), so the point and `q` must be
    /// `f64` numbers. The sign `sigma` of `g_k(s)`, or why the point fails.
    pub(super) fn exact_point(&self, arg: &Argument) -> Result<i32, String> {
        let n = self.n;
        let k = arg.chart.k;
        let xs: Vec<Interval> = arg.point.iter().map(rational).collect();
        let v = self
            .at_point
            .eval(&xs)
            .ok_or("g or phi is not proved smooth at the point")?;
        let is_zero = |v: Interval| v.inf() == 0.0 && v.sup() == 0.0;
        // In messages `+ 0.0` prints a bound -0 as 0.
        if !is_zero(v[0]) {
            return Err(format!(
                "g(s) in [{}, {}] is not proved 0: the point is not on M",
                v[0].inf() + 0.0,
                v[0].sup() + 0.0
            ));
        }
        let sigma = [1, -1]
            .into_iter()
            .find(|&sigma| strict(v[1 + k], sigma))
            .ok_or_else(|| {
                format!(
                    "dg/d{} is not proved nonzero at the point",
                    arg.chart.coordinate
                )
            })?;
        let (q, printed) = (v[1 + n], rational(&arg.q));
        if !(q.inf() == q.sup() && q == printed) {
            return Err(format!(
                "Q(s) in [{}, {}] is not proved equal to the printed {}",
                q.inf() + 0.0,
                q.sup() + 0.0,
                arg.q
            ));
        }
        if arg.q > 0 {
            return Err(format!("Q(s) = {} > 0", arg.q));
        }
        let (dg, dq) = (&v[1..=n], &v[2 + n..2 + 2 * n]);
        for j in (0..n).filter(|&j| j != k) {
            if !is_zero(dq[j] * dg[k] - dq[k] * dg[j]) {
                return Err("the tangential derivative of Q is not proved 0 at the point".into());
            }
        }
        Ok(sigma)
    }
}

/// The entries `v_p^T W v_q` (`p, q != k`, row major) with `W = g_k Hess Q - Q_k Hess g` and
/// `v_p = g_k e_p - g_p e_k`, as expressions.
fn test_entries(
    arena: &mut Arena,
    k: usize,
    dg: &[ExprId],
    hg: &[Vec<ExprId>],
    dq: &[ExprId],
    hq: &[Vec<ExprId>],
) -> Vec<ExprId> {
    let n = dg.len();
    let w = |arena: &mut Arena, i: usize, j: usize| {
        let a = arena.mul(vec![dg[k], hq[i][j]]);
        let b = arena.mul(vec![dq[k], hg[i][j]]);
        arena.sub(a, b)
    };
    let base: Vec<usize> = (0..n).filter(|&j| j != k).collect();
    let mut entries = Vec::new();
    for &p in &base {
        for &q in &base {
            let (wpq, wpk, wkq, wkk) = (
                w(arena, p, q),
                w(arena, p, k),
                w(arena, k, q),
                w(arena, k, k),
            );
            let plus = [
                arena.mul(vec![dg[k], dg[k], wpq]),
                arena.mul(vec![dg[p], dg[q], wkk]),
            ];
            let minus = [
                arena.mul(vec![dg[k], dg[q], wpk]),
                arena.mul(vec![dg[p], dg[k], wkq]),
            ];
            let (plus, minus) = (arena.add(plus.to_vec()), arena.add(minus.to_vec()));
            entries.push(arena.sub(plus, minus));
        }
    }
    entries
}

impl ChartEnclosures for SmoothLocalModel {
    fn refuse(&self, _chart: &ChartData) -> Option<String> {
        // The smooth evaluator refuses every piece where a node may be non-smooth.
        None
    }

    fn enclose_g(&self, b: &[Interval]) -> Option<Interval> {
        self.g.eval(b).map(|v| v[0])
    }

    fn concavity_test(&self, k: usize, sigma: i32) -> ConcavityTest<'_> {
        let m = self.n - 1;
        Box::new(move |b: &[Interval]| {
            let v = self.tests.get(k)?.eval(b)?;
            let entries = (0..m)
                .map(|p| {
                    (0..m)
                        .map(|q| {
                            let e = v[1 + p * m + q];
                            if sigma > 0 {
                                -e
                            } else {
                                e
                            }
                        })
                        .collect()
                })
                .collect();
            Some((v[0], entries))
        })
    }
}
