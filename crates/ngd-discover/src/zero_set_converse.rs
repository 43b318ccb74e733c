//! The converse of "phi vanishes on the flat set": `phi` vanishes on `M` *only* on the flat
//! set, proved by a real Positivstellensatz (docs/math.md, "The proposal vanishes on the flat
//! set").
//!
//! `M = V(g_1, ..., g_m)` for the residuals of the recognised shape (`f = c h(g)`, least
//! squares), as soon as `V(g)` has a real point (shown by an exact point of `V(g)`). The flat
//! set is described by polynomials `e_1, ..., e_k` with real zero set exactly the flat set:
//! the equations C3 gives for a flat component, or, for finitely many rational flat points,
//! equations found here (see [`point_equations`]). Then `E = sum_j e_j^2` vanishes exactly on
//! the flat set, and the converse is proved one equation at a time: for each `e_j`, an exact
//! SOS certificate of `-e_j^2 >= 0` on `V(g, phi, e_1, ..., e_(j-1))`, i.e.
//! `-e_j^2 = sigma + sum_i lambda_i g_i + mu phi + sum_(l<j) nu_l e_l` with `sigma` SOS. At a
//! real point of `M` with `phi = 0`, the previous steps give `e_l = 0` for `l < j`, so
//! `-e_j^2 = sigma >= 0`, i.e. `e_j = 0`; after the last step `E = 0`: the point is flat.
//! Each step is an [`ngd_sos::SosClaim`] that holds on its own (its equations are listed),
//! so `recheck` can re-verify it.
//!
//! Not finding a certificate proves nothing (never a refutation). The search is bounded by
//! counts: the certificate degree (`max_extra_degree` above the natural one), the Gram basis
//! (`SosOptions::max_basis_constrained`), the equations of a point set (`max_point_degree`,
//! `max_grid`, `max_equations`).

use crate::report::FlatPointInput;
use crate::EquationSet;
use ngd_algebra::Poly;
use ngd_check::Structure;
use ngd_expr::{Arena, ExprId, Node};
use ngd_sos::monomial::all_up_to;
use ngd_sos::{NotFound, SosClaim, SosDomain, SosOptions, SosOutcome};
use rug::ops::Pow;
use rug::Rational;
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// Bounds of the search for the converse (all counts).
#[derive(Clone, Debug)]
pub struct ConverseOptions {
    /// Certificate degrees tried above the natural one (`2 ceil(max degree / 2)`), in steps
    /// of 2: 0 tries the natural degree only.
    pub max_extra_degree: u32,
    /// Highest degree of the polynomials searched to cut out a set of flat points.
    pub max_point_degree: u32,
    /// Most points of the grid of coordinate values of the flat points.
    pub max_grid: usize,
    /// Most equations `e_j` (one SOS certificate each).
    pub max_equations: usize,
    /// Most monomials any polynomial handled may have (`C(n + degree, degree)`, bounded from
    /// the syntax before expanding).
    pub max_terms: u64,
    /// The limits of each SOS search.
    pub sos: SosOptions,
}

impl Default for ConverseOptions {
    fn default() -> Self {
        ConverseOptions {
            max_extra_degree: 2,
            max_point_degree: 3,
            max_grid: 4096,
            max_equations: 16,
            max_terms: 100_000,
            sos: SosOptions::default(),
        }
    }
}

/// The flat set as the converse needs it: exact points, or the equations of a component.
#[derive(Clone, Copy, Debug)]
pub enum ExactFlatSet<'a> {
    /// Finitely many flat points (their exact coordinates, when known).
    Points(&'a [FlatPointInput]),
    /// One flat component given by equations, with sample points (numerical) to look for an
    /// exact point of `M` near them.
    Equations {
        /// The component.
        set: &'a EquationSet,
        /// Sample points of it.
        samples: &'a [FlatPointInput],
    },
}

/// Is the converse proved? (Tagged by `kind`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConverseEvidence {
    /// Every step has an exact SOS certificate and `M = V(g)` has an exact point.
    Proved,
    /// Attempted, but a step has no certificate within the bounds (proves nothing).
    Inconclusive,
    /// Not attempted: the shape, `phi` or the flat set is outside what the method handles.
    NotAttempted,
}

/// One step: `-e^2 >= 0` on `V(g, phi, earlier e)`, proved by an exact SOS certificate.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ConverseStep {
    /// What `e` is.
    pub role: StepRole,
    /// The equation `e` shown to vanish.
    pub equation: String,
    /// The degree of the certificate.
    pub degree: u32,
    /// The certificate (its target is `-e^2`, its equations the residuals, `phi`, the
    /// earlier `e`, and, when the degree was raised, a multiple `x_1^k g_1` of the first
    /// residual, which lies in the ideal and only raises the degree).
    pub claim: SosClaim,
}

/// What the equation of a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepRole {
    /// A term `t` of `phi = sum c t^2` (`c > 0`): proved first, so that the later
    /// certificates may use the terms instead of `phi` (lower degrees).
    PhiTerm,
    /// An equation of the flat set (a term of `E`).
    FlatEquation,
}

/// Why the converse is not proved (tagged by `kind`).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConverseReason {
    /// `f` is neither `c h(g)` nor least squares: `M` has no residual equations.
    ShapeNotSupported,
    /// A residual, `phi` or an equation of the flat set is not a polynomial (sums, products,
    /// non-negative integer powers).
    NotPolynomial {
        /// Which one: `residual`, `phi` or `flat set equation`.
        what: String,
    },
    /// A polynomial could have more than `max_terms` monomials.
    TooLarge {
        /// Which one.
        what: String,
        /// The limit (`max_terms`).
        limit: u64,
    },
    /// A flat point has no exact rational coordinates (digits only, or an irrational closed
    /// form such as `2^(-1/3)`).
    NotRationalPoints,
    /// More than one flat component, or components and points: only one set is handled.
    SeveralFlatSets,
    /// The grid of coordinate values of the flat points exceeds `max_grid`.
    GridTooLarge {
        /// Its size.
        points: u64,
        /// The limit (`max_grid`).
        limit: usize,
    },
    /// No polynomials of degree up to `max_point_degree` cut out exactly the flat points.
    NoPointEquations {
        /// The limit (`max_point_degree`).
        max_degree: u32,
    },
    /// The flat set needs more than `max_equations` equations.
    TooManyEquations {
        /// The number needed.
        equations: usize,
        /// The limit (`max_equations`).
        limit: usize,
    },
    /// No exact real point of `V(g)` was found, so `M = V(g)` is not shown.
    NoExactPointOfM,
    /// No certificate for one equation within the bounds: nothing is proved or refuted.
    NoCertificate {
        /// The equation.
        equation: String,
        /// The highest degree whose SOS search ran (knob `max_extra_degree`; the natural
        /// degree when none ran).
        degree: u32,
        /// Why the SOS search at that degree found no certificate (`None`: none ran).
        last: Option<NotFound>,
        /// The next degree's Gram basis exceeds `max_basis_constrained` (the SOS limit).
        too_large: Option<NotFound>,
    },
}

/// The converse: `phi = 0` on `M` only on the flat set.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ZeroSetConverse {
    /// Proved, inconclusive or not attempted.
    pub evidence: ConverseEvidence,
    /// The residuals `g_i` with `M = V(g)`.
    pub residuals: Vec<String>,
    /// The equations `e_j` whose real zero set is the flat set (`E = sum e_j^2`).
    pub flat_equations: Vec<String>,
    /// `E = sum_j e_j^2` over the equations not among the residuals: on `M` it vanishes
    /// exactly on the flat set.
    pub e: Option<String>,
    /// An exact real point of `V(g)`: `V(g)` is not empty, so it is `M`.
    pub point_of_m: Option<Vec<String>>,
    /// The certificates, one per equation not already among the residuals (when not proved,
    /// the steps proved before the search stopped).
    pub steps: Vec<ConverseStep>,
    /// The highest certificate degree of the steps.
    pub degree: Option<u32>,
    /// Why it is not proved.
    pub reason: Option<ConverseReason>,
}

impl ZeroSetConverse {
    /// Not attempted: the flat set has several components given by equations.
    pub fn several_flat_sets() -> Self {
        Self::not_attempted(ConverseReason::SeveralFlatSets)
    }

    fn not_attempted(reason: ConverseReason) -> Self {
        ZeroSetConverse {
            evidence: ConverseEvidence::NotAttempted,
            residuals: Vec::new(),
            flat_equations: Vec::new(),
            e: None,
            point_of_m: None,
            steps: Vec::new(),
            degree: None,
            reason: Some(reason),
        }
    }
}

/// Tries to prove that `phi` vanishes on the minimum set of `f` only on `flat` (see the
/// module docs). `Proved` only with every certificate exactly verified.
pub fn prove_zero_set_converse(
    arena: &Arena,
    f: ExprId,
    phi: ExprId,
    flat: ExactFlatSet<'_>,
    opts: &ConverseOptions,
) -> ZeroSetConverse {
    let names = arena.var_names().to_vec();
    let inputs = match converse_inputs(arena, f, phi, flat, opts) {
        Ok(i) => i,
        Err(reason) => return ZeroSetConverse::not_attempted(reason),
    };
    let print = |p: &Poly| ngd_sos::print(p, &names);
    let mut out = ZeroSetConverse {
        evidence: ConverseEvidence::Inconclusive,
        residuals: inputs.residuals.iter().map(print).collect(),
        flat_equations: inputs.flat.iter().map(print).collect(),
        e: Some(print(&sum_of_squares(&inputs.flat, names.len()))),
        point_of_m: inputs.point_of_m.clone(),
        steps: Vec::new(),
        degree: None,
        reason: None,
    };
    if inputs.point_of_m.is_none() {
        out.reason = Some(ConverseReason::NoExactPointOfM);
        return out;
    }
    let (steps, failure) = chain(&inputs, &names, opts);
    out.degree = steps.iter().map(|s| s.degree).max();
    out.steps = steps;
    match failure {
        None => out.evidence = ConverseEvidence::Proved,
        Some(reason) => out.reason = Some(reason),
    }
    out
}

/// The polynomials of the problem.
struct Inputs {
    residuals: Vec<Poly>,
    phi: Poly,
    /// The terms `t` of `phi = sum c t^2` with their weights, as its shape shows them.
    phi_terms: Vec<(Option<Rational>, Poly)>,
    /// The equations of the flat set, lowest degree first.
    flat: Vec<Poly>,
    point_of_m: Option<Vec<String>>,
}

/// The residuals, `phi`, the flat set's equations and an exact point of `V(g)`.
fn converse_inputs(
    arena: &Arena,
    f: ExprId,
    phi: ExprId,
    flat: ExactFlatSet<'_>,
    opts: &ConverseOptions,
) -> Result<Inputs, ConverseReason> {
    let residual_exprs: Vec<ExprId> = match Structure::detect(arena, f) {
        Structure::Scalar { g, .. } => vec![g],
        Structure::LeastSquares { residuals } => residuals.iter().map(|r| r.1).collect(),
        _ => return Err(ConverseReason::ShapeNotSupported),
    };
    let residuals = residual_exprs
        .iter()
        .map(|&g| polynomial(arena, g, "residual", opts))
        .collect::<Result<Vec<_>, _>>()?;
    let phi_expr = phi;
    let phi = polynomial(arena, phi, "phi", opts)?;
    let (flat, point_of_m) = match flat {
        ExactFlatSet::Points(points) => {
            let exact = rational_points(arena, points)?;
            let equations = point_equations(&exact, arena.n_vars(), opts)?;
            let on_m = exact.iter().find(|p| on_all(&residuals, p));
            (equations, on_m.map(|p| texts(p)))
        }
        ExactFlatSet::Equations { set, samples } => {
            let equations = set
                .equations
                .iter()
                .map(|&e| polynomial(arena, e, "flat set equation", opts))
                .collect::<Result<Vec<_>, _>>()?;
            let on_m = exact_point_near(&residuals, samples);
            (equations, on_m.map(|p| texts(&p)))
        }
    };
    let flat = distinct_equations(flat, &residuals);
    if flat.len() > opts.max_equations {
        return Err(ConverseReason::TooManyEquations {
            equations: flat.len(),
            limit: opts.max_equations,
        });
    }
    let phi_terms = phi_terms(arena, phi_expr, opts);
    Ok(Inputs {
        residuals,
        phi,
        phi_terms,
        flat,
        point_of_m,
    })
}

/// The terms `t` of `phi = sum c t^2` with their weights `c > 0` as the shape of `phi` reads
/// them (`c h(t)` counts with `c` for `h(t) = t^2`, else with no weight). Each term is proved
/// to vanish by its own exactly verified certificate, so a misreading proves nothing false.
fn phi_terms(arena: &Arena, phi: ExprId, opts: &ConverseOptions) -> Vec<(Option<Rational>, Poly)> {
    let terms: Vec<(Option<Rational>, ExprId)> = match Structure::detect(arena, phi) {
        Structure::Scalar {
            g, outer, coeff, ..
        } => vec![(
            matches!(outer, ngd_check::Outer::Square).then_some(coeff),
            g,
        )],
        Structure::LeastSquares { residuals } => {
            residuals.iter().map(|r| (Some(r.0.clone()), r.1)).collect()
        }
        _ => Vec::new(),
    };
    terms
        .into_iter()
        .filter_map(|(c, t)| Some((c, polynomial(arena, t, "phi", opts).ok()?)))
        .collect()
}

/// `e` expanded, when it is a syntactic polynomial of at most `max_terms` possible monomials.
fn polynomial(
    arena: &Arena,
    e: ExprId,
    what: &str,
    opts: &ConverseOptions,
) -> Result<Poly, ConverseReason> {
    let degree = syntactic_degree(arena, e);
    if ngd_sos::count_terms_up_to(arena.n_vars(), degree) > opts.max_terms {
        return Err(ConverseReason::TooLarge {
            what: what.to_string(),
            limit: opts.max_terms,
        });
    }
    ngd_sos::syntactic_poly(arena, e).ok_or_else(|| ConverseReason::NotPolynomial {
        what: what.to_string(),
    })
}

/// An upper bound of the degree of `e`'s expansion (saturating; nodes outside the polynomial
/// syntax count 0, since they are refused anyway).
fn syntactic_degree(arena: &Arena, e: ExprId) -> u32 {
    match arena.node(e) {
        Node::Var(_) => 1,
        Node::Add(ts) => ts
            .iter()
            .map(|&t| syntactic_degree(arena, t))
            .max()
            .unwrap_or(0),
        Node::Mul(ts) => ts
            .iter()
            .fold(0u32, |d, &t| d.saturating_add(syntactic_degree(arena, t))),
        Node::Pow(b, k) if k.is_integer() && *k >= 0 => {
            let k = k.numer().to_u32().unwrap_or(u32::MAX);
            syntactic_degree(arena, *b).saturating_mul(k)
        }
        _ => 0,
    }
}

/// The exact rational coordinates of every point.
fn rational_points(
    arena: &Arena,
    points: &[FlatPointInput],
) -> Result<Vec<Vec<Rational>>, ConverseReason> {
    let n = arena.n_vars();
    points
        .iter()
        .map(|p| {
            let coords = p.exact.as_ref().filter(|c| c.len() == n);
            let coords = coords.ok_or(ConverseReason::NotRationalPoints)?;
            coords
                .iter()
                .map(|&c| {
                    let poly = ngd_sos::syntactic_poly(arena, c);
                    poly.filter(|q| q.terms().all(|(m, _)| m.iter().all(|&x| x == 0)))
                        .map(|q| q.coeff(&vec![0; n]))
                        .ok_or(ConverseReason::NotRationalPoints)
                })
                .collect()
        })
        .collect()
}

/// Whether every residual is exactly 0 at `p`.
fn on_all(residuals: &[Poly], p: &[Rational]) -> bool {
    residuals.iter().all(|g| g.eval(p).is_some_and(|v| v == 0))
}

/// The coordinates as text.
fn texts(p: &[Rational]) -> Vec<String> {
    p.iter().map(ToString::to_string).collect()
}

/// An exact point of `V(g)` for a single residual: a sample's (dyadic) coordinates with one
/// coordinate re-solved exactly from `g = 0`, where `g` is linear in that variable with a
/// nonzero coefficient at the sample. (More residuals: none is searched.)
fn exact_point_near(residuals: &[Poly], samples: &[FlatPointInput]) -> Option<Vec<Rational>> {
    let [g] = residuals else { return None };
    let n = g.n_vars();
    for s in samples.iter().take(8) {
        // Short dyadic coordinates (multiples of 1/16) keep the printed point readable.
        let x: Option<Vec<Rational>> = s
            .values
            .iter()
            .map(|v| Rational::from_f64((v.to_f64() * 16.0).round()).map(|r| r / 16))
            .collect();
        let Some(mut x) = x else { continue };
        if on_all(residuals, &x) {
            return Some(x);
        }
        for j in 0..n {
            if g.terms().any(|(m, _)| m[j] > 1) {
                continue;
            }
            // g = a(x') x_j + b(x'): a and b from the derivative and the value at x_j = 0.
            x[j] = Rational::new();
            let (Some(a), Some(b)) = (g.derivative(j).eval(&x), g.eval(&x)) else {
                continue;
            };
            if a != 0 {
                x[j] = -b / a;
                if on_all(residuals, &x) {
                    return Some(x);
                }
            }
        }
    }
    None
}

/// The equations normalised (leading coefficient 1 in the term order of `Poly`), without
/// constant multiples of each other or of a residual, lowest degree first.
fn distinct_equations(equations: Vec<Poly>, residuals: &[Poly]) -> Vec<Poly> {
    let mut seen: HashSet<Poly> = residuals.iter().map(monic).collect();
    let mut out: Vec<Poly> = Vec::new();
    for e in equations {
        let m = monic(&e);
        if !m.is_zero() && seen.insert(m.clone()) {
            out.push(m);
        }
    }
    out.sort_by_key(poly_degree);
    out
}

/// `p` divided by its first coefficient.
fn monic(p: &Poly) -> Poly {
    match p.terms().next() {
        Some((_, c)) => p.scale(&Rational::from(c.recip_ref())),
        None => p.clone(),
    }
}

/// Total degree (0 for the zero polynomial).
fn poly_degree(p: &Poly) -> u32 {
    p.terms()
        .map(|(m, _)| m.iter().map(|&e| e.max(0) as u32).sum())
        .max()
        .unwrap_or(0)
}

/// `sum_j e_j^2`.
fn sum_of_squares(es: &[Poly], n: usize) -> Poly {
    es.iter().fold(Poly::zero(n), |acc, e| acc.add(&e.mul(e)))
}

/// Polynomials whose common real zeros are exactly the points (rational, distinct): the
/// products `c_i = prod_a (x_i - a)` over the values `a` of coordinate `i` confine the zeros
/// to the grid of coordinate values; then polynomials vanishing at every point (an exact
/// basis of those of degree `<= d`, `d = 1, 2, ...`) are added, each only when it is nonzero
/// at a grid point not yet excluded, until every grid point that is not a flat point is
/// excluded. The zero set is then the points: they are zeros of every polynomial (exact
/// evaluation), and every other real zero lies on the grid and is excluded.
pub fn point_equations(
    points: &[Vec<Rational>],
    n: usize,
    opts: &ConverseOptions,
) -> Result<Vec<Poly>, ConverseReason> {
    let values: Vec<BTreeSet<Rational>> = (0..n)
        .map(|i| points.iter().map(|p| p[i].clone()).collect())
        .collect();
    let grid_size = values
        .iter()
        .fold(1u64, |s, v| s.saturating_mul(v.len() as u64));
    if points.is_empty() || grid_size > opts.max_grid as u64 {
        return Err(ConverseReason::GridTooLarge {
            points: grid_size,
            limit: opts.max_grid,
        });
    }
    let mut chosen: Vec<Poly> = values
        .iter()
        .enumerate()
        .map(|(i, vals)| {
            vals.iter()
                .fold(Poly::constant(Rational::from(1), n), |acc, a| {
                    acc.mul(&Poly::var(i, n).sub(&Poly::constant(a.clone(), n)))
                })
        })
        .collect();
    let set: BTreeSet<&Vec<Rational>> = points.iter().collect();
    let mut open: Vec<Vec<Rational>> = grid(&values)
        .into_iter()
        .filter(|q| !set.contains(q))
        .collect();
    for d in 1..=opts.max_point_degree {
        if open.is_empty() {
            break;
        }
        for v in vanishing_basis(points, n, d) {
            if open.iter().any(|q| v.eval(q).is_some_and(|x| x != 0)) {
                open.retain(|q| v.eval(q).is_some_and(|x| x == 0));
                chosen.push(v);
            }
        }
    }
    if !open.is_empty() {
        return Err(ConverseReason::NoPointEquations {
            max_degree: opts.max_point_degree,
        });
    }
    Ok(chosen)
}

/// Every point of the grid `values_1 x ... x values_n`, in lexicographic order.
fn grid(values: &[BTreeSet<Rational>]) -> Vec<Vec<Rational>> {
    values.iter().fold(vec![Vec::new()], |acc, vals| {
        acc.iter()
            .flat_map(|prefix| {
                vals.iter().map(move |a| {
                    let mut p = prefix.clone();
                    p.push(a.clone());
                    p
                })
            })
            .collect()
    })
}

/// A basis of the polynomials of degree `<= d` vanishing at every point (exact nullspace of
/// the evaluation matrix over Q; leading monomials in graded order).
fn vanishing_basis(points: &[Vec<Rational>], n: usize, d: u32) -> Vec<Poly> {
    use crate::linalg::{Echelon, QField};
    let monomials = all_up_to(n, d);
    let mut ech = Echelon::new(&QField, monomials.len());
    for p in points {
        let row: Vec<Rational> = monomials.iter().map(|m| monomial_at(m, p)).collect();
        ech.insert_dense(&QField, &row);
    }
    ech.nullspace(&QField)
        .into_iter()
        .map(|(_, v)| {
            let terms = v
                .into_iter()
                .map(|(j, c)| (monomials[j].iter().map(|&e| e as i32).collect(), c))
                .collect();
            Poly::from_terms_n(n, terms)
        })
        .collect()
}

/// `x^m` at `p`.
fn monomial_at(m: &[u32], p: &[Rational]) -> Rational {
    m.iter()
        .zip(p)
        .fold(Rational::from(1), |acc, (&e, x)| acc * x.clone().pow(e))
}

/// The steps proved and, when one equation of the flat set is left, why.
///
/// First the terms of `phi` (each alone: one that fails only leaves a larger ideal out), then
/// the equations of the flat set one after another, each on the set cut out by the residuals,
/// `phi` and the equations already proved; equations that fail are retried after a pass that
/// proved another one (it adds an equation), and a pass that proves none ends the search.
fn chain(
    inputs: &Inputs,
    names: &[String],
    opts: &ConverseOptions,
) -> (Vec<ConverseStep>, Option<ConverseReason>) {
    let mut known: Vec<Poly> = inputs.residuals.clone();
    known.push(inputs.phi.clone());
    let mut steps = Vec::new();
    for k in 0..inputs.phi_terms.len() {
        let t = &inputs.phi_terms[k].1;
        let phi_at = inputs.residuals.len();
        let direct = phi_term_step(&inputs.phi_terms, k, &known, phi_at, names);
        let found = direct.or_else(|| step(t, StepRole::PhiTerm, &known, names, opts).ok());
        if let Some(s) = found {
            known.push(t.clone());
            steps.push(s);
        }
    }
    let mut pending: Vec<&Poly> = inputs.flat.iter().filter(|e| !known.contains(e)).collect();
    loop {
        let before = pending.len();
        let mut failure = None;
        let mut left = Vec::new();
        for e in pending {
            match step(e, StepRole::FlatEquation, &known, names, opts) {
                Ok(s) => {
                    known.push(e.clone());
                    steps.push(s);
                }
                Err(reason) => {
                    failure.get_or_insert(reason);
                    left.push(e);
                }
            }
        }
        match failure {
            None => return (steps, None),
            Some(reason) if left.len() == before => return (steps, Some(reason)),
            Some(_) => pending = left,
        }
    }
}

/// One step: a certificate of `-e^2 >= 0` on `V(known)`, at the natural degree and then up to
/// `max_extra_degree` higher.
fn step(
    e: &Poly,
    role: StepRole,
    known: &[Poly],
    names: &[String],
    opts: &ConverseOptions,
) -> Result<ConverseStep, ConverseReason> {
    let target = e.mul(e).scale(&Rational::from(-1));
    let natural = known
        .iter()
        .chain(std::iter::once(&target))
        .map(poly_degree)
        .max()
        .unwrap_or(0)
        .next_multiple_of(2);
    let mut tried: Option<(u32, NotFound)> = None;
    let mut too_large = None;
    let mut degree = natural;
    while degree <= natural + opts.max_extra_degree {
        let mut eqs = known.to_vec();
        if degree > natural {
            eqs.push(padding(&known[0], degree));
        }
        match ngd_sos::prove_nonnegative(&target, &eqs, &opts.sos) {
            SosOutcome::Proved(certificate) => {
                let claim = SosClaim {
                    variables: names.to_vec(),
                    target: ngd_sos::print(&target, names),
                    equations: eqs.iter().map(|g| ngd_sos::print(g, names)).collect(),
                    domain: SosDomain::OnEquations,
                    certificate,
                };
                return Ok(ConverseStep {
                    role,
                    equation: ngd_sos::print(e, names),
                    degree,
                    claim,
                });
            }
            SosOutcome::NotFound {
                reason: reason @ NotFound::TooLarge { .. },
                ..
            } => {
                too_large = Some(reason);
                break;
            }
            SosOutcome::NotFound { reason, .. } => tried = Some((degree, reason)),
        }
        degree += 2;
    }
    let (degree, last) = match (tried, too_large.clone()) {
        (Some(t), _) => (t.0, Some(t.1)),
        (None, _) => (natural, None),
    };
    Err(ConverseReason::NoCertificate {
        equation: ngd_sos::print(e, names),
        degree,
        last,
        too_large,
    })
}

/// The certificate of `-t_k^2 >= 0` on `V(known)` read off `phi = sum_j c_j t_j^2` (`phi`
/// at `phi_at` in `known`): `-t_k^2 = sum_(j != k) (c_j / c_k) t_j^2 - phi / c_k`, with the Gram
/// matrix `sum_j (c_j / c_k) a_j a_j^T` over the monomials of the terms (`a_j` the coefficients
/// of `t_j`). No search: `None` unless every weight is known and the exact check passes.
fn phi_term_step(
    terms: &[(Option<Rational>, Poly)],
    k: usize,
    known: &[Poly],
    phi_at: usize,
    names: &[String],
) -> Option<ConverseStep> {
    let weights: Vec<Rational> = terms.iter().map(|t| t.0.clone()).collect::<Option<_>>()?;
    let ck = weights[k].clone();
    if ck <= 0 {
        return None;
    }
    let (basis, gram) = term_gram(terms, k, &ck)?;
    let n = names.len();
    let mut multipliers = vec![Vec::new(); known.len()];
    let minus_inv = Rational::from(-1) / ck;
    *multipliers.get_mut(phi_at)? = vec![(vec![0u32; n], minus_inv.to_string())];
    let ngd_sos::psd::Definiteness::Semidefinite { rank } = ngd_sos::psd::definiteness(&gram)
    else {
        return None;
    };
    let sizes = ngd_sos::basis::BasisSizes {
        full: basis.len(),
        newton: basis.len(),
        reduced: basis.len(),
    };
    let certificate = ngd_sos::SosCertificate {
        basis,
        gram: gram
            .iter()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect(),
        multipliers,
        rank,
        sizes: ngd_sos::ProgramSizes {
            basis: sizes,
            kernel: 0,
            unknowns: 0,
            equations: 0,
            denominator: 1,
        },
    };
    let t = &terms[k].1;
    let target = t.mul(t).scale(&Rational::from(-1));
    certificate.verify(&target, known).ok()?;
    Some(ConverseStep {
        role: StepRole::PhiTerm,
        equation: ngd_sos::print(t, names),
        degree: poly_degree(&target),
        claim: SosClaim {
            variables: names.to_vec(),
            target: ngd_sos::print(&target, names),
            equations: known.iter().map(|g| ngd_sos::print(g, names)).collect(),
            domain: SosDomain::OnEquations,
            certificate,
        },
    })
}

/// A Gram matrix over Q, row by row.
type GramMatrix = Vec<Vec<Rational>>;

/// The basis (the monomials of the terms) and the Gram matrix `sum_(j != k) (c_j / c_k) a_j
/// a_j^T` of [`phi_term_step`] (`None` when a weight is unknown or an exponent negative).
fn term_gram(
    terms: &[(Option<Rational>, Poly)],
    k: usize,
    ck: &Rational,
) -> Option<(Vec<Vec<u32>>, GramMatrix)> {
    let basis: Vec<Vec<u32>> = terms
        .iter()
        .flat_map(|t| t.1.terms().map(|(m, _)| m.to_vec()))
        .map(|m| {
            m.iter()
                .map(|&e| u32::try_from(e).ok())
                .collect::<Option<Vec<u32>>>()
        })
        .collect::<Option<BTreeSet<_>>>()?
        .into_iter()
        .collect();
    let mut gram = vec![vec![Rational::new(); basis.len()]; basis.len()];
    for (_, (c, t)) in terms.iter().enumerate().filter(|(j, _)| *j != k) {
        let w = Rational::from(c.as_ref()? / ck);
        let a: Vec<Rational> = basis
            .iter()
            .map(|m| t.coeff(&m.iter().map(|&e| e as i32).collect::<Vec<_>>()))
            .collect();
        for (r, ar) in a.iter().enumerate() {
            for (s, as_) in a.iter().enumerate() {
                gram[r][s] += Rational::from(ar * as_) * &w;
            }
        }
    }
    Some((basis, gram))
}

/// `x_1^k g` of degree `degree`: in the ideal of `g`, it raises the certificate's degree (the
/// SOS search takes half the highest degree of the target and the equations).
fn padding(g: &Poly, degree: u32) -> Poly {
    let n = g.n_vars();
    let k = degree.saturating_sub(poly_degree(g));
    g.mul(&Poly::var(0, n).pow(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The arena of `vars`, `f` and `phi` parsed in it.
    fn problem(vars: &[&str], f: &str, phi: &str) -> (Arena, ExprId, ExprId) {
        let mut arena = Arena::new(vars.iter().map(|v| v.to_string()).collect());
        let params = ngd_parse::Params::new();
        let f = ngd_parse::parse_expr(&mut arena, f, &params).unwrap();
        let phi = ngd_parse::parse_expr(&mut arena, phi, &params).unwrap();
        (arena, f, phi)
    }

    /// Flat points with exact coordinates parsed from text.
    fn points(arena: &mut Arena, pts: &[&[&str]]) -> Vec<FlatPointInput> {
        let params = ngd_parse::Params::new();
        pts.iter()
            .map(|p| {
                let exact: Vec<ExprId> = p
                    .iter()
                    .map(|c| ngd_parse::parse_expr(arena, c, &params).unwrap())
                    .collect();
                FlatPointInput {
                    exact: Some(exact),
                    recognised: false,
                    values: Vec::new(),
                    text: p.iter().map(|c| c.to_string()).collect(),
                }
            })
            .collect()
    }

    fn converse(vars: &[&str], f: &str, phi: &str, pts: &[&[&str]]) -> ZeroSetConverse {
        let (mut arena, f, phi) = problem(vars, f, phi);
        let flat = points(&mut arena, pts);
        let opts = ConverseOptions::default();
        prove_zero_set_converse(&arena, f, phi, ExactFlatSet::Points(&flat), &opts)
    }

    /// Re-verifies every step's certificate exactly, from the printed claim.
    fn recheck_steps(c: &ZeroSetConverse) {
        for s in &c.steps {
            let mut arena = Arena::new(s.claim.variables.clone());
            let params = ngd_parse::Params::new();
            let mut parse = |t: &str| {
                let e = ngd_parse::parse_expr(&mut arena, t, &params).unwrap();
                ngd_sos::syntactic_poly(&arena, e).unwrap()
            };
            let target = parse(&s.claim.target);
            let eqs: Vec<Poly> = s.claim.equations.iter().map(|t| parse(t)).collect();
            s.claim.certificate.verify(&target, &eqs).unwrap();
        }
    }

    #[test]
    fn xy_proves_that_phi_vanishes_on_m_only_at_the_two_flat_points() {
        let c = converse(
            &["x", "y"],
            "(x*y - 1)^2",
            "(x^2 - y^2)^2",
            &[&["1", "1"], &["-1", "-1"]],
        );
        assert_eq!(c.evidence, ConverseEvidence::Proved, "{:?}", c.reason);
        assert_eq!(c.flat_equations, ["x - y", "x^2 - 1", "y^2 - 1"]);
        assert_eq!(
            c.point_of_m.as_deref(),
            Some(&["1".to_string(), "1".into()][..])
        );
        // phi's term x^2 - y^2 (read off phi, no search), then the three flat equations.
        let roles: Vec<StepRole> = c.steps.iter().map(|s| s.role).collect();
        assert_eq!(roles[0], StepRole::PhiTerm);
        assert_eq!(c.steps[0].claim.certificate.sizes.unknowns, 0);
        assert_eq!(roles[1..], [StepRole::FlatEquation; 3]);
        assert_eq!(c.degree, Some(4));
        recheck_steps(&c);
    }

    #[test]
    fn an_extra_zero_of_phi_on_m_is_never_proved_flat() {
        // phi also vanishes at (2, 1/2), a point of M that is not flat.
        let c = converse(
            &["x", "y"],
            "(x*y - 1)^2",
            "(x - y)^2*(x + y)^2*(x - 2)^2",
            &[&["1", "1"], &["-1", "-1"]],
        );
        assert_eq!(c.evidence, ConverseEvidence::Inconclusive);
        assert!(matches!(
            c.reason,
            Some(ConverseReason::NoCertificate { .. })
        ));
    }

    #[test]
    fn a_flat_set_missing_a_point_is_never_proved() {
        // (-1, -1) is flat and a zero of phi on M, but not in the set given.
        let c = converse(&["x", "y"], "(x*y - 1)^2", "(x^2 - y^2)^2", &[&["1", "1"]]);
        assert_eq!(c.flat_equations, ["x - 1", "y - 1"]);
        assert_eq!(c.evidence, ConverseEvidence::Inconclusive);
        assert!(matches!(
            c.reason,
            Some(ConverseReason::NoCertificate { .. })
        ));
    }

    #[test]
    fn points_off_m_do_not_show_that_m_is_v_of_g() {
        // x^2 + y^2 + 1 has no real zero: no flat point lies on V(g).
        let c = converse(
            &["x", "y"],
            "(x^2 + y^2 + 1)^2",
            "(x - y)^2",
            &[&["0", "0"]],
        );
        assert_eq!(c.evidence, ConverseEvidence::Inconclusive);
        assert_eq!(c.reason, Some(ConverseReason::NoExactPointOfM));
    }

    #[test]
    fn irrational_points_and_non_polynomial_phi_are_not_attempted() {
        let c = converse(&["x"], "(x^3 - 2)^2", "x^2", &[&["2^(1/3)"]]);
        assert_eq!(c.evidence, ConverseEvidence::NotAttempted);
        assert_eq!(c.reason, Some(ConverseReason::NotRationalPoints));
        let c = converse(
            &["x", "y"],
            "(x*y - 1)^2",
            "exp(x) - exp(y)",
            &[&["1", "1"]],
        );
        assert_eq!(c.evidence, ConverseEvidence::NotAttempted);
        assert!(matches!(
            c.reason,
            Some(ConverseReason::NotPolynomial { .. })
        ));
    }

    #[test]
    fn a_misread_term_of_phi_gets_no_certificate() {
        let names = vec!["x".to_string(), "y".to_string()];
        let x = Poly::var(0, 2);
        let y = Poly::var(1, 2);
        let one = || Some(Rational::from(1));
        // phi = (x - y)^2 read as (x - y)^2 + (x + y)^2: -(x - y)^2 != (x + y)^2 - phi.
        let phi = x.sub(&y).pow(2);
        let terms = [(one(), x.sub(&y)), (one(), x.add(&y))];
        assert!(phi_term_step(&terms, 0, std::slice::from_ref(&phi), 0, &names).is_none());
        // A non-positive weight proves nothing either.
        let terms = [(Some(Rational::from(-1)), x.sub(&y))];
        assert!(phi_term_step(&terms, 0, &[phi.scale(&Rational::from(-1))], 0, &names).is_none());
        // The right reading is proved.
        let terms = [(one(), x.sub(&y))];
        assert!(phi_term_step(&terms, 0, &[phi], 0, &names).is_some());
    }

    #[test]
    fn point_equations_cut_out_exactly_the_points() {
        let q = |v: i64| Rational::from(v);
        let pts: Vec<Vec<Rational>> = [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]]
            .iter()
            .map(|p| p.iter().map(|&v| q(v)).collect())
            .collect();
        let es = point_equations(&pts, 3, &ConverseOptions::default()).unwrap();
        let values: Vec<BTreeSet<Rational>> =
            (0..3).map(|_| [q(-1), q(0), q(1), q(2)].into()).collect();
        for x in grid(&values) {
            let zero = es.iter().all(|e| e.eval(&x) == Some(Rational::new()));
            assert_eq!(zero, pts.contains(&x), "{x:?}");
        }
    }
}
