//! Rendering of c6: strict local minimum of `f + phi` at the points of `S`.

use super::*;
use ngd_minima::{
    ExactIdentification, LagrangeFailure, Part, SetNote, Shortfall, SmoothnessFailure,
    StrictnessAtPoint, StrictnessCriterion, StrictnessNote, StrictnessReason,
};

/// The label of one point: PROVED / REFUTED / NOT APPLICABLE / INCONCLUSIVE.
fn point_label(p: &StrictnessAtPoint) -> String {
    match (p.evidence, p.criterion) {
        (Evidence::Proved | Evidence::Refuted, _) => badge(p.evidence),
        (_, StrictnessCriterion::NotApplicable) => "NOT APPLICABLE".into(),
        (e, _) => badge(e),
    }
}

/// The steps of the rule with their evidence, in order.
fn point_steps(p: &StrictnessAtPoint) -> Vec<String> {
    let mut steps = Vec::new();
    match p.criterion {
        StrictnessCriterion::Smooth => {
            steps.push(format!("f + phi C^2 on B: {}", p.smooth_on_box.label()));
            steps.push(format!(
                "unique critical point of f + phi in B (Krawczyk): {}",
                p.critical_point.label()
            ));
            let mut h = format!(
                "Hess(f + phi) positive definite on B (interval Cholesky): {}",
                p.hessian_pd.label()
            );
            if let Some(l) = p.min_pivot_lower_bound {
                h.push_str(&format!(", smallest pivot >= {l:.6}"));
            }
            steps.push(h);
        }
        StrictnessCriterion::NonsmoothAbs => {
            steps.push(format!("phi and g C^2 on B: {}", p.smooth_on_box.label()));
            steps.push(format!(
                "Lagrange point of phi on M in B (Krawczyk): {}",
                p.critical_point.label()
            ));
            if let Some(e) = p.multiplier_below_c {
                let lam = p
                    .multiplier
                    .map(|[lo, hi]| format!(", lambda in [{lo:.3e}, {hi:.3e}]"))
                    .unwrap_or_default();
                steps.push(format!("|lambda| < c: {}{lam}", e.label()));
            }
            let mut h = format!(
                "Lagrangian Hessian positive definite on the tangent space of M (interval \
                 Cholesky): {}",
                p.hessian_pd.label()
            );
            if let Some(l) = p.min_pivot_lower_bound {
                h.push_str(&format!(", smallest pivot >= {l:.6}"));
            }
            steps.push(h);
        }
        StrictnessCriterion::NotApplicable => {}
    }
    if p.criterion != StrictnessCriterion::NonsmoothAbs {
        steps.push(format!("the point of S lies in B: {}", p.s_in_box.label()));
    }
    steps
}

pub(super) fn strictness_blocks(b: &mut Vec<Block>, m: &MinimaReport) {
    let Some(c6) = &m.strictness else {
        b.push(Block::Heading(
            "C6 strict local minimum of f + phi: NOT CHECKED (no regularizer)".into(),
        ));
        return;
    };
    b.push(Block::Heading(format!(
        "C6 strict local minimum of f + phi: {}",
        badge(c6.evidence)
    )));
    if let Some(p) = c6.points.first() {
        b.push(Block::Field(
            "box B".into(),
            format!(
                "s_i -+ {:e} max(1, |s_i|) around each point s of S (the exact ends are in the \
                 JSON report)",
                p.box_radius
            ),
        ));
    }
    for p in &c6.points {
        let mut t = format!(
            "at {}: {}",
            known_point_text(Some(m), &p.point),
            point_label(p)
        );
        if p.criterion == StrictnessCriterion::NotApplicable {
            let why = p.reason.as_ref().map_or("no rule applies".into(), |r| {
                not_applicable_text(r).unwrap_or_else(|| reason_text(r))
            });
            t.push_str(&format!(" - {why}"));
        } else {
            t.push_str(&format!(
                " - {} rule ({})",
                p.criterion.label(),
                point_steps(p).join("; ")
            ));
            if p.evidence == Evidence::Proved {
                t.push_str(match p.criterion {
                    StrictnessCriterion::Smooth => {
                        ": f + phi is strictly convex on B, so its critical point there is a \
                         strict local minimum"
                    }
                    _ => {
                        ": the second-order sufficient condition for f + phi = max(phi + c g, \
                         phi - c g), a strict local minimum"
                    }
                });
                if p.strict_on_box {
                    t.push_str("; (f + phi)(x) > (f + phi)(s) for every x != s in B");
                }
                if let Some(x) = &p.exact {
                    t.push_str(&format!("; exact: {}", exact_text(x)));
                }
            } else if let Some(r) = &p.reason {
                t.push_str(&format!(": {}", reason_text(r)));
            }
        }
        b.push(Block::Item(t));
    }
    for s in &c6.sets {
        b.push(Block::Item(format!(
            "on the {} set: nullity {}, smallest transversal eigenvalue {}, {} ({})",
            set_criterion_text(&s.criterion),
            s.nullity,
            s.min_transversal_eigenvalue
                .map_or("?".into(), |v| format!("{v:.6}")),
            s.evidence.label(),
            set_note_text(&s.note)
        )));
    }
    for n in &c6.notes {
        b.push(Block::Item(strictness_note_text(n)));
    }
}

/// The name of a function C6 checks for smoothness.
fn part_text(p: Part) -> &'static str {
    match p {
        Part::F => "f",
        Part::Phi => "phi",
        Part::G => "g",
        Part::FPlusPhi => "f + phi",
        Part::PhiOrG => "phi or g",
    }
}

/// Why one function is not proved `C^2` on `B`.
fn smoothness_failure_text(f: &SmoothnessFailure) -> String {
    match f {
        SmoothnessFailure::Kinks { function, kinks } => {
            let k: Vec<String> = kinks
                .iter()
                .map(|k| format!("{} (where {})", k.expression, k.condition))
                .collect();
            format!(
                "{} is not proved C^2 on B: the kink of {} meets B",
                part_text(*function),
                k.join(", the kink of ")
            )
        }
        SmoothnessFailure::NotProved { function } => {
            format!("{} is not proved C^2 on B", part_text(*function))
        }
        SmoothnessFailure::NotEvaluable { function, error } => format!(
            "{} cannot be evaluated on all of B ({error})",
            part_text(*function)
        ),
    }
}

/// The failures, joined.
fn failures_text(fs: &[SmoothnessFailure]) -> String {
    let v: Vec<String> = fs.iter().map(smoothness_failure_text).collect();
    v.join("; ")
}

/// Why no rule applies (without the "not applicable: " lead), `None` for the other reasons.
fn not_applicable_text(r: &StrictnessReason) -> Option<String> {
    Some(match r {
        StrictnessReason::DegenerateMinimum => {
            "s is a degenerate minimum of phi on M (its projected Hessian is singular, \
             numerically): S has positive dimension here or the minimum is of higher order, and \
             then Hess(f + phi) (or the projected Lagrangian Hessian) is singular at s, so \
             neither second-order rule can prove strictness"
                .into()
        }
        StrictnessReason::NonsmoothRuleNeedsSmooth { failures } => format!(
            "f = c|g|, but {}: the nonsmooth rule needs phi and g C^2 on B",
            failures_text(failures)
        ),
        StrictnessReason::NotSmooth { failures } => failures_text(failures),
        StrictnessReason::SmoothRuleNeedsSmooth { failures } => format!(
            "{}; the smooth rule needs f + phi C^2 on B, and f is not of the form c|g| with \
             smooth g",
            failures_text(failures)
        ),
        _ => return None,
    })
}

/// `grad(f + phi)(s)` to 4 digits, or "undefined".
fn gradient_text(g: &Option<Vec<f64>>) -> String {
    match g {
        Some(g) => {
            let s: Vec<String> = g.iter().map(|v| format!("{v:.3e}")).collect();
            format!("({})", s.join(", "))
        }
        None => "undefined".into(),
    }
}

/// The enclosure of the multiplier.
fn multiplier_text(m: &[f64; 2]) -> String {
    format!("[{:.6e}, {:.6e}]", m[0], m[1])
}

/// Why the Krawczyk test on the Lagrange system proved no point.
fn lagrange_failure_text(f: &LagrangeFailure) -> String {
    match f {
        LagrangeFailure::NotSmooth => "phi or g is not proved C^2 on B, so the Krawczyk test of \
                                       the Lagrange system of phi on M does not apply"
            .into(),
        LagrangeFailure::NotEvaluable { error } => {
            format!("the Lagrange system of phi on M cannot be evaluated on B ({error})")
        }
        LagrangeFailure::KrawczykFailed => "the Krawczyk test on (grad phi - lambda grad g, g) \
                                            failed on B x Lambda (no Lagrange point there, or a \
                                            degenerate or ill-conditioned one)"
            .into(),
    }
}

/// The argument when proved, why the rule failed or does not apply otherwise.
fn reason_text(r: &StrictnessReason) -> String {
    if let Some(t) = not_applicable_text(r) {
        return format!("not applicable: {t}");
    }
    smooth_reason_text(r)
        .or_else(|| nonsmooth_reason_text(r))
        .unwrap_or_default()
}

/// The reasons of the smooth rule (`None` for the others).
fn smooth_reason_text(r: &StrictnessReason) -> Option<String> {
    Some(match r {
        StrictnessReason::IntervalEvaluationFailed { error } => {
            format!("interval evaluation of f + phi failed on B: {error}")
        }
        StrictnessReason::GradientAwayFromZero {
            component,
            range,
            gradient,
            s_in_box,
        } => {
            let base = format!(
                "component {component} of grad(f + phi) lies in [{:.6e}, {:.6e}] on all of B, so \
                 B contains no critical point of f + phi (grad(f + phi)(s) = {} numerically)",
                range[0],
                range[1],
                gradient_text(gradient)
            );
            if *s_in_box {
                format!(
                    "{base}; B contains the point of S (Krawczyk), so that point is not a \
                     critical point of the differentiable f + phi and not a local minimum"
                )
            } else {
                format!(
                    "{base}; s is not a critical point of f + phi (that the point of S lies in B \
                     was not proved, so this is not a refutation)"
                )
            }
        }
        StrictnessReason::NoCriticalPointProved { gradient } => format!(
            "the Krawczyk test did not prove a critical point of f + phi in B (grad(f + phi)(s) = \
             {} numerically; degenerate, ill-conditioned, or not critical)",
            gradient_text(gradient)
        ),
        StrictnessReason::SmoothProved => {
            "B contains exactly one critical point of f + phi (Krawczyk) and Hess(f + phi) is \
             positive definite on the convex box B (interval Cholesky): f + phi is strictly \
             convex on B, so that critical point is its unique minimizer on B, a strict local \
             minimum"
                .into()
        }
        StrictnessReason::SaddleRefuted { eigenvalue, bound } => format!(
            "the critical point of f + phi in B (Krawczyk) is not a local minimum: Hess(f + phi) \
             has the eigenvalue {eigenvalue:.6e} < 0, and v^T Hess(f + phi) v <= {bound:.3e} < 0 \
             on all of B for its eigenvector v (intervals)"
        ),
        StrictnessReason::NegativeEigenvalue { eigenvalue } => {
            format!("numerically Hess(f + phi) has the eigenvalue {eigenvalue:.6e} < 0")
        }
        StrictnessReason::SingularHessian { eigenvalue } => format!(
            "Hess(f + phi) is singular to working accuracy (smallest eigenvalue \
             {eigenvalue:.3e}): positive definiteness fails or cannot be decided"
        ),
        StrictnessReason::CholeskyFailed { pivot, lower } => format!(
            "interval Cholesky failed at pivot {pivot} (lower bound {lower:.3e}): the enclosure \
             is too wide although the eigenvalues look positive"
        ),
        _ => return None,
    })
}

/// The reasons of the nonsmooth rule (`None` for the others).
fn nonsmooth_reason_text(r: &StrictnessReason) -> Option<String> {
    Some(match r {
        StrictnessReason::LagrangeFailed { failure } => {
            format!("(i) failed: {}", lagrange_failure_text(failure))
        }
        StrictnessReason::NoMultiplier => {
            "(i) not run: no Lagrange multiplier of phi on M at this point".into()
        }
        StrictnessReason::MultiplierAboveC { multiplier, c } => format!(
            "(ii) fails: the multiplier lambda in {} has |lambda| > c = {c}: 0 is not in the \
             subdifferential conv{{grad phi + c grad g, grad phi - c grad g}} at s, so f + phi \
             decreases along -sign(lambda) grad g and s is not a local minimum",
            multiplier_text(multiplier)
        ),
        StrictnessReason::MultiplierUndecided { multiplier, c } => format!(
            "(ii) undecided: the multiplier lambda in {} is not proved below c = {c} in absolute \
             value",
            multiplier_text(multiplier)
        ),
        StrictnessReason::NoTangentBasis => {
            "(iii) grad g is not bounded away from 0 on B, or the Lagrange system cannot be \
             evaluated there"
                .into()
        }
        StrictnessReason::NonsmoothProved {
            multiplier,
            c,
            bound,
        } => {
            let mut r = format!(
                "(i) B x Lambda contains exactly one Lagrange point (s, lambda) of phi on \
                 M = {{g = 0}} (Krawczyk), lambda in {}; (ii) |lambda| < c = {c} (so 0 = mu_1 \
                 (grad phi + c grad g) + mu_2 (grad phi - c grad g) with mu_1, mu_2 > 0); (iii) \
                 Z^T (Hess phi - lambda Hess g) Z is positive definite for the tangent basis Z of \
                 M built from grad g over B (interval Cholesky): the second-order sufficient \
                 condition for f + phi = max(phi + c g, phi - c g), a strict local minimum",
                multiplier_text(multiplier)
            );
            if let Some(b) = bound {
                r.push_str(&format!(
                    "; moreover (f + phi)(x) > (f + phi)(s) on all of B (sigma = {:.3e}, kappa = \
                     {:.3e}, beta >= {:.3e})",
                    b.sigma, b.kappa, b.beta
                ));
            }
            r
        }
        StrictnessReason::TangentCurvatureRefuted { bound } => format!(
            "(iii) fails: for a tangent direction d = Z u of M, d^T (Hess phi - lambda Hess g) d \
             <= {bound:.3e} < 0 (intervals over B x Lambda): s is not a local minimum of phi on \
             M, and f + phi = phi on M"
        ),
        StrictnessReason::TangentCholeskyFailed {
            pivot,
            lower,
            smallest_eigenvalue,
        } => format!(
            "(iii) interval Cholesky of Z^T (Hess phi - lambda Hess g) Z failed at pivot {pivot} \
             (lower bound {lower:.3e}; smallest tangent eigenvalue {smallest_eigenvalue:.3e} \
             numerically)"
        ),
        _ => return None,
    })
}

/// The exact identification of the proved point.
fn exact_text(x: &ExactIdentification) -> String {
    match x {
        ExactIdentification::CriticalPoint { point } => format!(
            "the rational point ({}) lies in B with g = 0 and grad(f + phi) = 0 exactly: it is \
             that critical point, and a point of M",
            point.join(", ")
        ),
        ExactIdentification::LagrangePoint { point, multiplier } => {
            let rel = if multiplier == "0" {
                "grad phi = 0".to_string()
            } else {
                format!("grad phi = {multiplier} grad g")
            };
            format!(
                "the rational point ({}) lies in B with g = 0 and {rel} exactly: it is that \
                 Lagrange point",
                point.join(", ")
            )
        }
    }
}

/// What a positive-dimensional `S` means for strictness.
fn set_note_text(n: &SetNote) -> String {
    match n {
        SetNote::ConstantOnS {
            dimension,
            transversally_pd,
        } => format!(
            "S has dimension {}: f + phi is constant on S (f = 0 and phi = min_M phi there), so \
             no point of S is a strict local minimum of f + phi; {}",
            dimension_text(*dimension),
            if *transversally_pd {
                "Hess(f + phi) is positive definite transversally to S (numerical evidence): S \
                 is a Morse-Bott minimum of f + phi"
            } else {
                "Hess(f + phi) is not positive definite transversally to S"
            }
        ),
    }
}

/// A remark of C6.
fn strictness_note_text(n: &StrictnessNote) -> String {
    match n {
        StrictnessNote::NoIsolatedPointOfS => "no isolated point of S to check".into(),
        StrictnessNote::AllProved { count } => {
            format!("every point of S found ({count}) is proved a strict local minimum of f + phi")
        }
        StrictnessNote::NotAllProved {
            shortfall,
            at,
            reason,
        } => {
            let head = match shortfall {
                Shortfall::Refuted { refuted, total } => format!(
                    "{refuted} of {total} point(s) of S are proved not to be strict local minima \
                     of f + phi"
                ),
                Shortfall::NoneApplicable { total } => {
                    format!("no rule applies at the {total} point(s) of S")
                }
                Shortfall::Partial { proved, total } => {
                    format!("{proved} of {total} point(s) of S proved")
                }
            };
            let why = reason.as_ref().map(reason_text).unwrap_or_default();
            format!("{head}; at {}: {why}", fmt_vec(at))
        }
        StrictnessNote::NonsmoothRuleUsed => {
            "f = c|g| is not differentiable on M: where phi and g are C^2 near s, the nonsmooth \
             rule (second-order sufficient condition for max(phi + c g, phi - c g)) is used \
             instead of Hess(f + phi)"
                .into()
        }
        StrictnessNote::SDiffersFromFlat => "S differs from the flat set (C3): C6 is checked at \
                                             the points of S, not at the flat points"
            .into(),
        StrictnessNote::GeneralPositiveDimension { dimension } => format!(
            "not applicable: M has dimension {dimension} here and S = argmin_M phi was not \
             located on this path (no structure of f recognised)"
        ),
        StrictnessNote::NoIsolatedPointOfM => {
            "no isolated point of M, so no point of S, to check".into()
        }
        StrictnessNote::GeneralFiniteM => {
            "M is a finite set of isolated minimizers here: S is the set of those with the \
             smallest phi (numerical evidence); the point of M in B is proved by a Krawczyk test \
             on grad f = 0"
                .into()
        }
        StrictnessNote::PositiveDimensionalS { dimension } => format!(
            "not applicable: S has positive dimension ({dimension}); strictness holds at best \
             transversally (numerical evidence, never proved)"
        ),
        StrictnessNote::SDimensionUnknown => {
            "the dimension of S could not be estimated: no point of S is checked".into()
        }
        StrictnessNote::NotCritical { point, moved } => format!(
            "Newton on grad(f + phi) = 0 from the point {point} of S moved by {moved:.3e}: it is \
             numerically not a critical point of f + phi"
        ),
        StrictnessNote::LeastSquaresFiniteS => {
            "S is a finite set here (minimizers of phi on M by Riemannian descent, numerical \
             evidence); that the point of S lies in B is not proved on this path"
                .into()
        }
    }
}
