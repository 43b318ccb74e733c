//! The tight enclosure against exact rational values at sampled points, and the claims it
//! must not prove (false by a small margin, a narrow bump, a bump reached only through
//! `a_max`).

use super::{point, strides, CentredForms};
use crate::interval::{DecreaseModel, MAX_SPLIT_DEPTH};
use inari::Interval;
use ngd_algebra::Poly;
use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use rug::Rational;

/// C4's example: `phi = F(x^2 - y^2)` of degree 12 whose Hessian entries cancel along the
/// normal of `g = x y - 1`.
const CONSERVED_PHI: &str = "(x^2 - y^2)^2*((x^2 - y^2)^2 - 4)^2 + (x^2 - y^2)^2/10";
/// `c` of the report of `tests/adversarial/c4-conserved-q-positive.case`.
const REPORT_C: f64 = 0.12370947844486546;
/// `decrease.cover.examples[0]` of that report, then the failing cover leaf: `lo, hi, a_max`.
const REPORT_BOX: ([f64; 2], [f64; 2], f64) = (
    [-1.033203125, -0.970703125],
    [-1.03125, -0.96875],
    0.0009765625,
);
const REPORT_LEAF: ([f64; 2], [f64; 2], f64) =
    ([-1.14453125, -0.8828125], [-1.140625, -0.875], 0.00390625);

fn poly(src: &str, names: &[&str]) -> Poly {
    let mut arena = Arena::new(names.iter().map(|s| s.to_string()).collect());
    let e = parse_expr(&mut arena, src, &Params::new()).expect("parses");
    ngd_algebra::poly_from_expr(&arena, e)
        .expect("a polynomial")
        .extend_vars(names.len())
}

fn model(phi: &Poly, residuals: &[Poly]) -> DecreaseModel {
    DecreaseModel::new(phi.clone(), residuals.to_vec())
}

fn intervals(lo: &[f64], hi: &[f64]) -> Vec<Interval> {
    lo.iter()
        .zip(hi)
        .map(|(l, h)| Interval::try_from((*l, *h)).expect("a box"))
        .collect()
}

fn q(v: f64) -> Rational {
    Rational::from_f64(v).expect("finite")
}

/// `F_ab(x, xi) = grad g_a(x)^T (Hess phi(xi) + 2c I) grad g_b(x)`, exactly, straight from
/// the derivatives (not from the forms under test).
fn exact_entry(
    phi: &Poly,
    ga: &Poly,
    gb: &Poly,
    x: &[Rational],
    xi: &[Rational],
    c: &Rational,
) -> Rational {
    let n = x.len();
    let at = |p: &Poly, point: &[Rational]| p.eval(point).expect("a value");
    let mut sum = Rational::new();
    for i in 0..n {
        for j in 0..n {
            let mut h = at(&phi.derivative(i).derivative(j), xi);
            if i == j {
                h += Rational::from(2 * c);
            }
            sum += at(&ga.derivative(i), x) * at(&gb.derivative(j), x) * h;
        }
    }
    sum
}

/// A deterministic stream of exact rationals in `[0, 1]` (a 64-bit LCG; the first `2^dims`
/// draws of each point are the corners).
struct Sampler(u64);

impl Sampler {
    fn unit(&mut self) -> Rational {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        q((self.0 >> 11) as f64 / (1u64 << 53) as f64)
    }

    /// Point `i` of a box `lo..hi` (exact): a corner for `i < 2^dims`, else uniform.
    fn point(&mut self, i: usize, lo: &[Rational], hi: &[Rational]) -> Vec<Rational> {
        let corner = i < 1 << lo.len();
        (0..lo.len())
            .map(|v| {
                let u = match corner {
                    true => Rational::from((i >> v) & 1),
                    false => self.unit(),
                };
                &lo[v] + Rational::from(&hi[v] - &lo[v]) * u
            })
            .collect()
    }
}

fn contains(v: Interval, x: &Rational) -> bool {
    let above = Rational::from_f64(v.inf()).is_none_or(|lo| lo <= *x);
    let below = Rational::from_f64(v.sup()).is_none_or(|hi| *x <= hi);
    above && below
}

/// Every entry's enclosure over the box contains the exact value at `samples` points
/// `(x, xi)`, `x` in the box and `xi` within `a_max` of it (corners included).
fn assert_contains_samples(
    phi: &Poly,
    residuals: &[Poly],
    lo: &[f64],
    hi: &[f64],
    a_max: f64,
    c: f64,
) {
    let n = lo.len();
    let m = model(phi, residuals);
    let forms = m.centred_forms().expect("within the budget");
    let matrix = forms.matrix(&intervals(lo, hi), a_max, c).expect("dims");
    let (lo_q, hi_q): (Vec<Rational>, Vec<Rational>) = (
        lo.iter().map(|v| q(*v)).collect(),
        hi.iter().map(|v| q(*v)).collect(),
    );
    let wide_lo: Vec<Rational> = lo_q.iter().map(|v| v - q(a_max)).collect();
    let wide_hi: Vec<Rational> = hi_q.iter().map(|v| v + q(a_max)).collect();
    let mut sampler = Sampler(0x5eed);
    let all_lo: Vec<Rational> = lo_q.iter().chain(&wide_lo).cloned().collect();
    let all_hi: Vec<Rational> = hi_q.iter().chain(&wide_hi).cloned().collect();
    for i in 0..300 {
        let p = sampler.point(i, &all_lo, &all_hi);
        let (x, xi) = p.split_at(n);
        for (a, ga) in residuals.iter().enumerate() {
            for (b, gb) in residuals.iter().enumerate() {
                let exact = exact_entry(phi, ga, gb, x, xi, &q(c));
                assert!(
                    contains(matrix[a][b], &exact),
                    "F_{a}{b} = {} outside {:?} at {x:?}, {xi:?}",
                    exact.to_f64(),
                    matrix[a][b]
                );
            }
        }
    }
}

#[test]
fn enclosures_contain_exact_values_of_the_conserved_example() {
    let names = ["x", "y"];
    let (phi, g) = (poly(CONSERVED_PHI, &names), poly("x*y - 1", &names));
    let boxes: [([f64; 2], [f64; 2], f64); 5] = [
        REPORT_BOX,
        REPORT_LEAF,
        ([-2.0, 0.5], [-1.0, 1.0], 0.25),
        ([-0.1, -0.1], [0.1, 0.1], 0.05),
        ([1.4, 0.7], [1.45, 0.72], 0.01),
    ];
    for (lo, hi, a_max) in boxes {
        assert_contains_samples(&phi, std::slice::from_ref(&g), &lo, &hi, a_max, REPORT_C);
    }
}

#[test]
fn enclosures_contain_exact_values_with_two_residuals_in_three_variables() {
    let names = ["x", "y", "z"];
    let phi = poly("(x^2 + y^2 + z^2 - 1)^3 - x*y*z + x^4*z/3", &names);
    let residuals = [poly("x + y + z - 1", &names), poly("x*y - z^2", &names)];
    assert_contains_samples(
        &phi,
        &residuals,
        &[0.2, 0.3, -0.1],
        &[0.3, 0.35, 0.0],
        0.05,
        0.5,
    );
    assert_contains_samples(
        &phi,
        &residuals,
        &[-1.5, 0.7, 1.0],
        &[-1.0, 0.9, 1.5],
        0.2,
        3.0,
    );
}

#[test]
fn the_centred_forms_prove_the_boxes_the_product_forms_miss() {
    let names = ["x", "y"];
    let m = model(&poly(CONSERVED_PHI, &names), &[poly("x*y - 1", &names)]);
    for (lo, hi, a_max) in [REPORT_BOX, REPORT_LEAF] {
        let xs = intervals(&lo, &hi);
        assert!(!m.certifies_whole(&xs, a_max, REPORT_C, true));
        let forms = m.centred_forms().expect("within the budget");
        assert!(forms.certifies(&xs, a_max, REPORT_C), "{lo:?}");
        assert!(m.certifies(&xs, a_max, REPORT_C, MAX_SPLIT_DEPTH));
    }
}

/// The largest `u^T Hess phi(xi) u` (`u = grad g(x) / |grad g(x)|`) over a grid of points
/// `(x, xi)` of the box and its enlargement, exactly.
fn sampled_max(phi: &Poly, g: &Poly, lo: &[f64; 2], hi: &[f64; 2], a_max: f64) -> Rational {
    let zero = Rational::new();
    let steps: usize = 8;
    let grid =
        |l: f64, h: f64, k: usize| q(l) + (q(h) - q(l)) * Rational::from((k as i64, steps as i64));
    let mut best: Option<Rational> = None;
    for index in 0..(steps + 1).pow(4) {
        let k = |v: u32| (index / (steps + 1).pow(v)) % (steps + 1);
        let x = [grid(lo[0], hi[0], k(0)), grid(lo[1], hi[1], k(1))];
        let xi = [
            grid(lo[0] - a_max, hi[0] + a_max, k(2)),
            grid(lo[1] - a_max, hi[1] + a_max, k(3)),
        ];
        let form = exact_entry(phi, g, g, &x, &xi, &zero);
        let norm2 = exact_entry(&Poly::zero(2), g, g, &x, &x, &Rational::from((1, 2)));
        let value = form / norm2;
        if best.as_ref().is_none_or(|b| value > *b) {
            best = Some(value);
        }
    }
    best.expect("points")
}

#[test]
fn a_claim_false_by_a_tiny_margin_is_not_proved_and_one_with_slack_is() {
    let names = ["x", "y"];
    let (phi, g) = (poly(CONSERVED_PHI, &names), poly("x*y - 1", &names));
    let m = model(&phi, std::slice::from_ref(&g));
    for (lo, hi, a_max) in [REPORT_BOX, REPORT_LEAF] {
        let s = sampled_max(&phi, &g, &lo, &hi, a_max);
        // The smallest f64 `c` with `-2c < s`: the claim is false at the sampled point.
        let mut c = (Rational::from(-&s) / 2u32).to_f64();
        while q(c) * 2u32 <= Rational::from(-&s) {
            c = c.next_up();
        }
        let xs = intervals(&lo, &hi);
        assert!(
            !m.certifies(&xs, a_max, c, MAX_SPLIT_DEPTH),
            "c = {c}, s = {}",
            s.to_f64()
        );
        assert!(!m.certifies(&xs, a_max, c * 10.0, MAX_SPLIT_DEPTH));
        // With 0.05 of slack over the sampled maximum the claim is proved.
        let proved = c - 0.025;
        assert!(
            m.certifies(&xs, a_max, proved, MAX_SPLIT_DEPTH),
            "c = {proved}"
        );
    }
}

#[test]
fn a_narrow_bump_in_the_box_or_its_enlargement_is_not_proved() {
    // g = y: u = (0, 1) and u^T Hess phi(xi) u = q(xi_1) = -1 + (1 + 1e-3)(1 - s^2),
    // s = (xi_1 - 0.3) / 1e-3: below -1/2 except on a bump of width 1e-3 at 0.3 (q = 1e-3).
    let names = ["x", "y"];
    let phi = poly("y^2*(-1 + (1001/1000)*(1 - ((x - 3/10)*1000)^2))/2", &names);
    let m = model(&phi, &[poly("y", &names)]);
    let (c, y) = (0.25, [-0.001, 0.001]);
    let bump_inside = intervals(&[0.2, y[0]], &[0.4, y[1]]);
    assert!(!m.certifies(&bump_inside, 0.001, c, MAX_SPLIT_DEPTH));
    // The box misses the bump, its enlargement by a_max = 0.002 reaches it.
    let beside = intervals(&[0.30101, y[0]], &[0.31, y[1]]);
    assert!(!m.certifies(&beside, 0.002, c, MAX_SPLIT_DEPTH));
    // With a_max = 1e-4, xi_1 >= 0.30091: q <= -0.828 there, the claim holds and is proved.
    assert!(m.certifies(&beside, 1e-4, c, MAX_SPLIT_DEPTH));
}

#[test]
fn oversized_or_laurent_forms_are_not_tried() {
    let names = ["x", "y", "z", "w"];
    fn hessian(p: &Poly) -> impl Fn(usize, usize) -> Poly + '_ {
        move |i, j| p.derivative(i).derivative(j)
    }
    let big = poly("(x + y + z + w)^40", &names);
    let normals = |g: &Poly| vec![(0..4).map(|i| g.derivative(i)).collect::<Vec<_>>()];
    let g = poly("x*y*z*w - 1", &names);
    assert!(CentredForms::new(4, &hessian(&big), &normals(&g)).is_none());
    let two = ["x", "y"];
    let laurent = poly("1/x + y^2", &two);
    let line = poly("x - y", &two);
    let n2 = vec![(0..2).map(|i| line.derivative(i)).collect::<Vec<_>>()];
    assert!(CentredForms::new(2, &hessian(&laurent), &n2).is_none());
    // A model whose forms are over the budget still answers (by the other enclosures).
    let m = model(&big, &[g]);
    let xs = intervals(&[0.1; 4], &[0.2; 4]);
    assert!(!m.certifies(&xs, 0.01, 1.0, 0));
}

/// `p(m + t)` exactly (each variable replaced by `m_v + t_v`).
fn exact_shift(p: &Poly, m: &[Rational]) -> Poly {
    let n = p.n_vars();
    let mut out = Poly::zero(n);
    for (e, c) in p.terms() {
        let mut term = Poly::constant(c.clone(), n);
        for (v, &k) in e.iter().enumerate() {
            let moved = Poly::var(v, n).add(&Poly::constant(m[v].clone(), n));
            term = term.mul(&moved.pow(k as u32));
        }
        out = out.add(&term);
    }
    out
}

/// `F_ab(x, xi)` as a polynomial in `(x, xi)`, built here from the derivatives (the `xi`
/// variables are the last `n`).
fn exact_form(phi: &Poly, ga: &Poly, gb: &Poly, c: &Rational) -> Poly {
    let n = phi.n_vars();
    let in_x = |p: &Poly| p.extend_vars(2 * n);
    let in_xi = |p: &Poly| {
        let terms = p
            .terms()
            .map(|(e, k)| ([vec![0; n], e.to_vec()].concat(), k.clone()))
            .collect();
        Poly::from_terms_n(2 * n, terms)
    };
    let mut sum = Poly::zero(2 * n);
    for i in 0..n {
        for j in 0..n {
            let mut h = in_xi(&phi.derivative(i).derivative(j));
            if i == j {
                h = h.add(&Poly::constant(Rational::from(2 * c), 2 * n));
            }
            let normals = in_x(&ga.derivative(i)).mul(&in_x(&gb.derivative(j)));
            sum = sum.add(&normals.mul(&h));
        }
    }
    sum
}

#[test]
fn every_shifted_coefficient_encloses_the_exact_one() {
    // Two residuals in three variables: off-diagonal entries, a Gram part depending on x,
    // a centre that is not a short binary fraction.
    let names = ["x", "y", "z"];
    let phi = poly("(x^2 + y^2 + z^2 - 1)^3 - x*y*z + x^4*z/3", &names);
    let residuals = [poly("x^2 + y + z - 1", &names), poly("x*y - z^2", &names)];
    let m = model(&phi, &residuals);
    let forms = m.centred_forms().expect("within the budget");
    let centre_f = [0.3, -0.7, 1.1];
    let centre: Vec<Interval> = centre_f.iter().map(|v| point(*v)).collect();
    let centre_q: Vec<Rational> = centre_f.iter().chain(&centre_f).map(|v| q(*v)).collect();
    let c = 0.37;
    let shifted = forms.shifted(&centre, point(2.0) * point(c));
    for (a, row) in shifted.iter().enumerate() {
        for (offset, dense) in row.iter().enumerate() {
            let b = a + offset;
            let exact = exact_shift(
                &exact_form(&phi, &residuals[a], &residuals[b], &q(c)),
                &centre_q,
            );
            let strides = strides(&dense.degrees);
            let mut terms = vec![Rational::new(); dense.coeffs.len()];
            for (e, coeff) in exact.terms() {
                let index: usize = e.iter().zip(&strides).map(|(&k, s)| k as usize * s).sum();
                terms[index] = coeff.clone();
            }
            // Absent monomials are compared with their exact coefficient 0.
            for (index, (enclosure, exact)) in dense.coeffs.iter().zip(&terms).enumerate() {
                assert!(contains(*enclosure, exact), "F_{a}{b}, coefficient {index}");
            }
            assert!(exact.len() > 10);
        }
    }
}

#[test]
fn the_centred_form_of_phi_contains_exact_values_and_bounds_a_high_power() {
    // (x^2 - y^2 - 1)^40 expanded: its monomial sum over [-2.25, -1.5] x [-1.5, 0] is about
    // (x^2 + y^2 + 1)^40 ~ 6e36 at a corner, the range only 4.06^40 ~ 2e24.
    let names = ["x", "y"];
    let high = poly("(x^2 - y^2 - 1)^40", &names);
    let conserved = poly(CONSERVED_PHI, &names);
    let boxes: [(&Poly, [f64; 2], [f64; 2]); 3] = [
        (&high, [-2.25, -1.5], [-1.5, 0.0]),
        (&high, [0.9, -0.1], [1.1, 0.1]),
        (&conserved, [-1.1, -1.0], [-0.9, -0.8]),
    ];
    let mut sampler = Sampler(0xb0b);
    for (p, lo, hi) in boxes {
        let form = super::CentredPoly::new(p).expect("within the budget");
        let range = form.enclose(&intervals(&lo, &hi));
        let (lo_q, hi_q) = (lo.map(q), hi.map(q));
        for i in 0..200 {
            let x = sampler.point(i, &lo_q, &hi_q);
            let exact = p.eval(&x).expect("a value");
            assert!(
                contains(range, &exact),
                "{} outside {range:?}",
                exact.to_f64()
            );
        }
    }
    let m = model(&high, &[poly("x*y - 1", &names)]);
    let leaf = intervals(&[-2.25, -1.5], &[-1.5, 0.0]);
    // The monomial sum with the mean-value form misses the report's level, the centred form
    // proves it on the whole leaf.
    assert!(m.phi.enclose(&leaf).sup() > 8.6e34);
    assert!(m.phi_at_most(&leaf, 8.6e34, 0));
    // phi at the corner (-2.25, 0) is 4.0625^40, about 2.4e24: a level just below is refuted.
    let corner = high.eval(&[q(-2.25), q(0.0)]).expect("a value").to_f64();
    assert!(!m.phi_at_most(&leaf, corner * (1.0 - 1e-9), 12));
    assert!(m.phi_at_most(&leaf, corner * 1.01, 12));
}
