//! A certificate of decrease of even order `q` for steps that start on `M` (docs/math.md C4,
//! degenerate orders; the paper's asymptotic `q`-attractors).
//!
//! For `x` on `M`, `w = grad g(x)/|grad g(x)|` and `F(a) = phi(x - a w) - phi(x)`, Taylor's
//! theorem with the Lagrange remainder gives
//! `F(a) = sum_{k < q} F^(k)(0) a^k/k! + F^(q)(b) a^q/q!` for some `b` between `0` and `a`.
//! `F^(k)(0) = (-1)^k E_k(x)/|grad g|^k` vanishes on `M` for `1 <= k < q` (proved exactly
//! before this runs), and `F^(q)(b) = R(x, b) = D^q phi(x - b w)[w, ..., w]`. Both normal
//! directions are the signs of `b`: an interval enclosure of `R` over a box of `M`
//! (parametrized by a chart `x_k = solved(others)`) times `b in [-a0, a0]` with supremum
//! `-r < 0` proves `phi(x -+ a w) - phi(x) <= -(r/q!) a^q` for every `x` of `M` in the box and
//! `0 < a <= a0`. The tape must be proved smooth on the box (no kink crossed, no root at 0),
//! so that `phi` is `C^q` along every segment.

use crate::options::MinimizerSet;
use crate::report::{ChartCover, OrderCertificate};
use crate::taylor;
use inari::Interval;
use ngd_check::RationalBox;
use ngd_eval::{interval_of, Tape};
use ngd_expr::{Arena, ExprId, Rational};
use std::collections::HashMap;

/// Boxes of one chart's cover examined at most.
const MAX_BOXES: usize = 20_000;

/// Bisections of a chart box before it is left undecided.
const MAX_DEPTH: u32 = 18;

/// The step bound `a0` is the largest power of 2 not above this fraction of the box's
/// largest side (a power of 2 so that `[-a0, a0]` is exact).
const STEP_FRACTION: f64 = 0.125;

/// What the cover needs besides `phi` and `g`.
pub(crate) struct CoverInput<'a> {
    /// The search box.
    pub bx: &'a RationalBox,
    /// `S` as located (its neighbourhood is excluded).
    pub s: &'a MinimizerSet,
    /// The exclusion radius relative to `max(1, |s|)`.
    pub exclusion_radius: f64,
}

/// The certificate of order `q` (even) for `f = c h(g)` and `phi` whose orders `1..q` vanish
/// on `M` (the caller's exact proofs), over every factor of `g` that can vanish; the largest
/// step bound of `STEP_TRIES` that gives a complete cover, else the last incomplete one;
/// `None` when a factor has no linear chart.
pub(crate) fn certify(
    arena: &Arena,
    phi: ExprId,
    g: ExprId,
    q: usize,
    input: &CoverInput,
) -> Option<OrderCertificate> {
    let largest = input
        .bx
        .lo
        .iter()
        .zip(&input.bx.hi)
        .map(|(l, h)| (h.clone() - l).to_f64())
        .fold(0.0, f64::max);
    let a_max = 2f64.powi((largest * STEP_FRACTION).log2().floor() as i32);
    if !(a_max.is_finite() && a_max > 0.0) {
        return None;
    }
    let mut step = StepArena::new(arena, phi, g, q);
    let factors = taylor::zero_factors(&step.arena, step.g);
    let mut charts = Vec::new();
    for &p in &factors {
        charts.push((p, taylor::linear_chart(&mut step.arena, p)?));
    }
    if charts.is_empty() {
        return None;
    }
    let mut last = None;
    for t in 0..STEP_TRIES {
        // A power of 2 again, so that `[-a0, a0]` is exact.
        let a0 = a_max / 4f64.powi(t as i32);
        let cert = step.certify_at(&charts, q, a0, input);
        if cert.complete {
            return Some(cert);
        }
        last = Some(cert);
    }
    last
}

/// Step bounds tried: `a_max`, `a_max/4`, `a_max/16`.
const STEP_TRIES: usize = 3;

/// An arena with the variables `x` (as in the problem), `d` (a frozen direction) and the
/// step `b`, holding `phi`, `g` and `R(x, b) = D^q phi(x - b w)[w^q]`, `w = grad g/|grad g|`.
struct StepArena {
    arena: Arena,
    n: usize,
    g: ExprId,
    /// `R(x, b)`.
    remainder: ExprId,
    /// `phi(x - b w)`, evaluated so that its smoothness on the segments is checked.
    phi_moved: ExprId,
}

impl StepArena {
    fn new(from: &Arena, phi: ExprId, g: ExprId, q: usize) -> StepArena {
        let n = from.n_vars();
        let mut names = from.var_names().to_vec();
        names.extend(from.var_names().iter().map(|s| format!("d_{s}")));
        names.push("step".into());
        let mut arena = Arena::new(names);
        let phi = transfer(from, &mut arena, phi);
        let g = transfer(from, &mut arena, g);
        let v = arena.gradient(g);
        let squares: Vec<ExprId> = v.iter().map(|&t| arena.mul2(t, t)).collect();
        let sum = arena.add(squares);
        let norm = arena.pow(sum, Rational::from((1, 2)));
        let w: Vec<ExprId> = v.iter().map(|&t| arena.div(t, norm)).collect();
        let d: Vec<ExprId> = (n..2 * n).map(|i| arena.var(i)).collect();
        let mut coefficients = taylor::Coefficients::new(phi, &d);
        let mut dq = phi;
        for _ in 0..q {
            dq = coefficients.next(&mut arena);
        }
        let b = arena.var(2 * n);
        let mut subst: Vec<ExprId> = (0..n)
            .map(|i| {
                let bw = arena.mul2(b, w[i]);
                let xi = arena.var(i);
                arena.sub(xi, bw)
            })
            .collect();
        subst.extend_from_slice(&w);
        subst.push(b);
        let remainder = arena.substitute(dq, &subst);
        let phi_moved = arena.substitute(phi, &subst);
        StepArena {
            arena,
            n,
            g,
            remainder,
            phi_moved,
        }
    }

    /// The certificate for the step bound `a0` over the charts `(factor, (k, solved))`.
    fn certify_at(
        &mut self,
        charts: &[(ExprId, (usize, ExprId))],
        q: usize,
        a0: f64,
        input: &CoverInput,
    ) -> OrderCertificate {
        let mut covers = Vec::new();
        let mut bound = f64::NEG_INFINITY;
        for &(p, (k, solved)) in charts {
            let (chart, sup) = self.cover_chart(p, k, solved, a0, input);
            bound = bound.max(sup);
            covers.push(chart);
        }
        // c = min over certified boxes of -sup R / q!, rounded down.
        let fact: f64 = (1..=q).map(|i| i as f64).product();
        let c = match (
            Interval::try_from((-bound, -bound)),
            Interval::try_from((fact, fact)),
        ) {
            (Ok(r), Ok(f)) if bound < 0.0 => (r / f).inf().max(0.0),
            _ => 0.0,
        };
        let complete = c > 0.0 && covers.iter().all(|c| c.left == 0);
        OrderCertificate {
            order: q,
            a0,
            c,
            charts: covers,
            complete,
        }
    }

    /// The bisection cover of `M` on the chart `x_k = solved` of the factor `p`, and the
    /// largest proved supremum of `R` over the certified boxes.
    fn cover_chart(
        &mut self,
        p: ExprId,
        k: usize,
        solved: ExprId,
        a0: f64,
        input: &CoverInput,
    ) -> (ChartCover, f64) {
        let n = self.n;
        let mut subst: Vec<ExprId> = (0..=2 * n).map(|i| self.arena.var(i)).collect();
        subst[k] = solved;
        let outs = [
            self.arena.substitute(self.remainder, &subst),
            self.arena.substitute(self.phi_moved, &subst),
            solved,
        ];
        let tape = Tape::compile(&self.arena, &outs);
        let boxes: Vec<Interval> = (0..n)
            .map(|i| interval_of(&input.bx.lo[i], &input.bx.hi[i]))
            .collect();
        let mut chart = ChartCover {
            factor: self.arena.display(p),
            variable: self.arena.var_names()[k].clone(),
            solved: self.arena.display(solved),
            certified: 0,
            outside: 0,
            near_s: 0,
            left: 0,
        };
        let mut sup = f64::NEG_INFINITY;
        let mut queue = vec![(boxes.clone(), 0u32)];
        let mut seen = 0;
        while let Some((xs, depth)) = queue.pop() {
            seen += 1;
            let verdict = if seen > MAX_BOXES {
                BoxVerdict::Left
            } else {
                self.decide(&tape, &xs, k, &boxes[k], a0, input)
            };
            match verdict {
                BoxVerdict::Certified(s) => {
                    chart.certified += 1;
                    sup = sup.max(s);
                }
                BoxVerdict::Outside => chart.outside += 1,
                BoxVerdict::NearS => chart.near_s += 1,
                BoxVerdict::Split if depth < MAX_DEPTH => {
                    let (lo, hi) = bisect(&xs, k);
                    queue.push((lo, depth + 1));
                    queue.push((hi, depth + 1));
                }
                BoxVerdict::Split | BoxVerdict::Left => chart.left += 1,
            }
        }
        (chart, sup)
    }

    /// One box of the chart (`xs[k]` is ignored: `x_k = solved`).
    fn decide(
        &self,
        tape: &Tape,
        xs: &[Interval],
        k: usize,
        range_k: &Interval,
        a0: f64,
        input: &CoverInput,
    ) -> BoxVerdict {
        let n = self.n;
        let zero = Interval::try_from((0.0, 0.0)).unwrap_or(Interval::ENTIRE);
        let steps = Interval::try_from((-a0, a0)).unwrap_or(Interval::ENTIRE);
        let mut point: Vec<Interval> = xs.to_vec();
        point.resize(2 * n, zero);
        point.push(steps);
        let mut scratch = Vec::new();
        let mut out = [Interval::EMPTY; 3];
        let smooth = tape.eval_interval_smooth(&point, &mut scratch, &mut out);
        let solved = out[2];
        if smooth.is_ok() && solved.is_common_interval() && solved.disjoint(*range_k) {
            return BoxVerdict::Outside;
        }
        let mut on_m = xs.to_vec();
        on_m[k] = solved;
        if smooth.is_ok() && solved.is_common_interval() && inside_exclusion(&on_m, input) {
            return BoxVerdict::NearS;
        }
        let bounded = out[0].is_common_interval() && out[1].is_common_interval();
        match smooth {
            Ok(true) if bounded && out[0].sup() < 0.0 => BoxVerdict::Certified(out[0].sup()),
            _ if n == 1 => BoxVerdict::Left,
            _ => BoxVerdict::Split,
        }
    }
}

/// What one box of a chart's cover is.
enum BoxVerdict {
    /// `R <= sup < 0` on the box times the step range.
    Certified(f64),
    /// Its points of `M` lie outside the search box.
    Outside,
    /// Inside the excluded neighbourhood of `S`.
    NearS,
    /// Undecided: bisect.
    Split,
    /// Undecided and not to be split.
    Left,
}

/// The box halved along its widest side other than `k`.
fn bisect(xs: &[Interval], k: usize) -> (Vec<Interval>, Vec<Interval>) {
    let i = (0..xs.len())
        .filter(|&i| i != k)
        .max_by(|&a, &b| xs[a].wid().total_cmp(&xs[b].wid()))
        .unwrap_or(0);
    let mid = xs[i].mid();
    let (mut lo, mut hi) = (xs.to_vec(), xs.to_vec());
    lo[i] = Interval::try_from((xs[i].inf(), mid)).unwrap_or(xs[i]);
    hi[i] = Interval::try_from((mid, xs[i].sup())).unwrap_or(xs[i]);
    (lo, hi)
}

/// Whether the box lies inside one ball `|x - s| <= radius max(1, |s|)` around a located
/// point `s` of `S` (outward-rounded distance). Sets and unlocated `S` exclude nothing.
fn inside_exclusion(xs: &[Interval], input: &CoverInput) -> bool {
    let MinimizerSet::Points(points) = input.s else {
        return false;
    };
    points.iter().any(|s| {
        let scale = s.iter().map(|t| t * t).sum::<f64>().sqrt().max(1.0);
        // Round the radius down so the test stays conservative.
        let radius = input.exclusion_radius * scale * (1.0 - 1e-12);
        let far = xs
            .iter()
            .zip(s)
            .fold(Interval::try_from((0.0, 0.0)), |acc, (x, c)| {
                let c = Interval::try_from((*c, *c))?;
                let d = *x - c;
                Ok(acc? + d.sqr())
            });
        far.is_ok_and(|d2| d2.sup().sqrt() * (1.0 + 1e-12) < radius)
    })
}

/// `root` of `from` rebuilt in `to` (the variables keep their indices).
fn transfer(from: &Arena, to: &mut Arena, root: ExprId) -> ExprId {
    let mut map: HashMap<ExprId, ExprId> = HashMap::new();
    for id in from.postorder(&[root]) {
        let new = to.rebuild(from.node(id), |c| map[&c]);
        map.insert(id, new);
    }
    map[&root]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngd_parse::{parse_expr, Params};

    /// The certificate of order `q` for `phi` and `g` on the box `[-1, 1]^2`, `S` not located.
    fn certificate(g: &str, phi: &str, q: usize) -> OrderCertificate {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let p = Params::new();
        let g = parse_expr(&mut a, g, &p).unwrap();
        let phi = parse_expr(&mut a, phi, &p).unwrap();
        let one = Rational::from(1);
        let bx = RationalBox::new(vec![-one.clone(); 2], vec![one; 2]).unwrap();
        let input = CoverInput {
            bx: &bx,
            s: &MinimizerSet::Unknown,
            exclusion_radius: 0.02,
        };
        certify(&a, phi, g, q, &input).expect("a linear chart")
    }

    #[test]
    fn the_constant_is_the_exact_leading_coefficient_when_the_remainder_is_constant() {
        // g = y: one step from (x, 0) changes phi by exactly -a^6, so c = 1 at order 6.
        let c = certificate("y", "x^2 - y^6", 6);
        assert!(c.complete, "{c:?}");
        assert!(c.c <= 1.0 && c.c > 0.999, "{c:?}");
        assert_eq!(c.a0, 0.25);
    }

    #[test]
    fn a_vanishing_order_with_a_positive_higher_order_is_not_certified() {
        // The change is +a^6: the order-4 coefficient is 0 and the remainder positive.
        let c = certificate("y", "x^2 + y^6", 4);
        assert!(!c.complete);
        assert_eq!(c.c, 0.0);
        assert!(c.charts[0].left > 0);
    }

    #[test]
    fn a_remainder_that_wins_at_the_largest_step_shrinks_the_step_bound() {
        // -a^4 + 16 a^6 decreases only for a < 1/4: a0 = 1/4 fails (the remainder 360 b^2*16
        // reaches 360 > 24 on [-1/4, 1/4]), a0 = 1/16 is certified.
        let c = certificate("y", "x^2 - y^4 + 16*y^6", 4);
        assert!(c.complete, "{c:?}");
        assert_eq!(c.a0, 0.0625);
        // -a^4 + 16 a^6 <= -c a^4 on (0, 1/16] needs c <= 1 - 16/256.
        assert!(c.c > 0.0 && c.c <= 1.0 - 16.0 / 256.0, "{c:?}");
    }

    #[test]
    fn boxes_where_the_tape_crosses_a_kink_are_left_undecided() {
        // g = y/(2 + |x - 1/4|): grad g has a kink across x = 1/4 (on M only its derivative
        // does), so derivative-based claims there need the smoothness guard; it leaves the
        // boxes meeting x = 1/4 undecided (conservative) and certifies the others.
        let c = certificate("y/(2 + abs(x - 1/4))", "x^2 - y^6", 6);
        assert!(!c.complete);
        assert!(c.charts[0].left > 0 && c.charts[0].certified > 0, "{c:?}");
    }

    #[test]
    fn a_leading_coefficient_vanishing_at_one_point_outside_s_is_not_certified() {
        // One step from (x, 0) changes phi by -x^2 (x - 1/4)^2 a^4: negative on M except at
        // S = {(0, 0)} and at (1/4, 0), where no c > 0 holds.
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let p = Params::new();
        let g = parse_expr(&mut a, "y", &p).unwrap();
        let phi = parse_expr(&mut a, "x^2 - y^4*x^2*(x - 1/4)^2", &p).unwrap();
        let one = Rational::from(1);
        let bx = RationalBox::new(vec![-one.clone(); 2], vec![one; 2]).unwrap();
        let s = MinimizerSet::Points(vec![vec![0.0, 0.0]]);
        let input = CoverInput {
            bx: &bx,
            s: &s,
            exclusion_radius: 0.02,
        };
        let c = certify(&a, phi, g, 4, &input).unwrap();
        assert!(!c.complete, "{c:?}");
        let chart = &c.charts[0];
        assert!(
            chart.left > 0 && chart.near_s > 0 && chart.certified > 0,
            "{c:?}"
        );
    }

    #[test]
    fn boxes_inside_the_balls_around_s_are_excluded() {
        // E_4 = -48 x^2 (order 4, coefficient -2 x^2) vanishes at S = {(0, 0)}.
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let p = Params::new();
        let g = parse_expr(&mut a, "y", &p).unwrap();
        let phi = parse_expr(&mut a, "x^2*(1 - y^4)^2", &p).unwrap();
        let half = Rational::from((1, 2));
        let bx = RationalBox::new(vec![-half.clone(); 2], vec![half; 2]).unwrap();
        let mut input = CoverInput {
            bx: &bx,
            s: &MinimizerSet::Unknown,
            exclusion_radius: 0.02,
        };
        // g = y has straight normals: phi(x, -+a) - phi(x, 0) = x^2 ((1 - a^4)^2 - 1).
        assert!(!certify(&a, phi, g, 4, &input).unwrap().complete);
        let s = MinimizerSet::Points(vec![vec![0.0, 0.0]]);
        input.s = &s;
        let c = certify(&a, phi, g, 4, &input).unwrap();
        assert!(c.complete, "{c:?}");
        assert!(c.charts[0].near_s > 0);
        // Outside the ball |x| >= 0.02 the change is at most -x^2 (2 - a0^4) a^4.
        assert!(c.c <= 0.02f64.powi(2) * 2.0, "{c:?}");
    }
}
