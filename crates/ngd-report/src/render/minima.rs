//! Rendering of c2 and C3: the minimum set and the flat minima.

use super::rounding::{Direction, ThreeDigits};
use super::*;
use ngd_minima::{
    ClassificationDetail, ComponentsMethod, DimensionMethod, FlatNote, InfimumMethod,
    LowerBoundReason, MinimumSetNote, MorseBottFinding, ProbeBehaviour, SComparison, Separation,
    SetClass, SetComparison, SetComponent, SetCriterion, SetDescription, SetDimensionMethod,
    SetEquations, Sharpness,
};

pub(super) fn classification_text(c: Classification) -> &'static str {
    match c {
        Classification::LocalMinimum => "local minimum",
        Classification::LocalMaximum => "local maximum",
        Classification::Saddle => "saddle",
        Classification::DegenerateLocalMinimum => "degenerate local minimum",
        Classification::DegenerateLocalMaximum => "degenerate local maximum",
        Classification::DegenerateNeither => "degenerate: neither minimum nor maximum",
        Classification::DegenerateUndecided => "degenerate: undecided",
    }
}

pub(super) fn critical_item(c: &CriticalPoint, what: &str) -> String {
    critical_item_with_value(c, what, &short_decimal(&c.value, 12))
}

/// A Lagrange point with the value of the function given as text.
fn critical_item_with_value(c: &CriticalPoint, what: &str, value: &str) -> String {
    let phi = if c.phi_undefined {
        "; phi undefined there (pole)".to_string()
    } else {
        String::new()
    };
    format!(
        "{}: {what} = {value}, {} ({}){phi}",
        point_text(&c.point),
        classification_text(c.classification),
        detail_text(&c.detail)
    )
}

/// The value of `phi` at the point `c` (Lagrange point `index`) of `S` when `min_M phi = 0` is
/// proved (`phi >= 0` and `phi = 0` at an exact witness on `M`). `0` is printed only where it is
/// proved at the point's own closed form (the witness, or `exact_at`): a point may be in `S`
/// only numerically (its `phi` ties with the minimum within a tolerance, e.g. `4e-12`), and
/// then its value stays the decimal.
fn exact_zero_text(z: &ngd_minima::PhiExactZero, c: &CriticalPoint, index: usize) -> String {
    let witness = format!("({})", z.witness.join(", "));
    if witness == point_text(&c.point) || z.exact_at.contains(&index) {
        "0 (exact: phi >= 0, and phi = 0 at this exact point of M)".to_string()
    } else {
        format!(
            "{} (min_M phi = 0 exactly: phi >= 0, and phi = 0 at the exact point {witness} of \
             M; this point ties with the minimum numerically)",
            short_decimal(&c.value, 12)
        )
    }
}

pub(super) fn fmt_vec(v: &[f64]) -> String {
    let cs: Vec<String> = v.iter().map(|x| format!("{x:.6}")).collect();
    format!("({})", cs.join(", "))
}

/// C2 then C3.
pub(super) fn minima_blocks(b: &mut Vec<Block>, m: &MinimaReport) {
    minimum_set_blocks(b, &m.minimum_set);
    flat_blocks(b, &m.flat);
}

/// C2: the set, `inf f`, the bound, the dimension, the components and the samples.
fn minimum_set_blocks(b: &mut Vec<Block>, c2: &ngd_minima::MinimumSet) {
    b.push(Block::Heading(format!(
        "C2 minimum set: {}",
        badge(c2.evidence)
    )));
    b.push(Block::Field(
        "set".into(),
        description_text(&c2.description),
    ));
    let inf = &c2.infimum;
    b.push(Block::Field(
        "inf f".into(),
        format!(
            "{} ({}): {}",
            inf.value,
            inf.evidence.label(),
            infimum_method_text(&inf.method)
        ),
    ));
    b.push(Block::Field(
        "lower bound".into(),
        format!(
            "{} ({}): {}",
            c2.lower_bound
                .value
                .clone()
                .unwrap_or_else(|| "none".into()),
            c2.lower_bound.evidence.label(),
            lower_bound_text(&c2.lower_bound.reason)
        ),
    ));
    if let Some(p) = &inf.attained_at {
        b.push(Block::Field(
            format!("attained at ({} digits)", p.digits),
            point_text(p),
        ));
    }
    b.push(Block::Field(
        "local dimension".into(),
        match c2.dimension.dimension {
            Some(d) => format!("{d} ({})", dimension_method_text(&c2.dimension.method)),
            None => format!(
                "undetermined ({})",
                dimension_method_text(&c2.dimension.method)
            ),
        },
    ));
    b.push(Block::Field(
        "components in the box".into(),
        format!(
            "{} ({})",
            c2.components.count,
            components_method_text(&c2.components.method)
        ),
    ));
    b.push(Block::Field(
        "samples".into(),
        format!(
            "{} drawn, {} projected onto M",
            c2.samples_drawn, c2.samples_on_m
        ),
    ));
    for n in &c2.notes {
        b.push(Block::Item(minimum_set_note_text(n)));
    }
}

/// C3: the sharpness, its Lagrange points, the flat points or sets, the Morse–Bott criteria,
/// `S` and the remarks.
fn flat_blocks(b: &mut Vec<Block>, c3: &ngd_minima::FlatMinima) {
    b.push(Block::Heading(format!(
        "C3 flat minima: {}",
        badge(c3.evidence)
    )));
    b.push(Block::Field(
        "sharpness".into(),
        sharpness_text(&c3.sharpness).into(),
    ));
    if let Some(s) = &c3.search {
        b.push(Block::Field(
            "Lagrange search".into(),
            format!(
                "{} starts, {} converged, {} distinct critical points{}{}",
                s.starts,
                s.converged,
                s.distinct,
                set_points_text(s.set_points),
                if s.saturated {
                    ""
                } else {
                    " (budget reached: more may exist)"
                }
            ),
        ));
    }
    for c in &c3.critical_points {
        b.push(Block::Item(critical_item(c, "s")));
    }
    if c3.flat_points.is_empty() && c3.flat_sets.is_empty() && c3.components.is_empty() {
        b.push(Block::Field(
            "flat minima".into(),
            "none found in the box".into(),
        ));
    }
    flat_set_blocks(b, c3);
    if let Some(mb) = &c3.morse_bott {
        morse_bott_blocks(b, mb);
    }
    if let Some(r) = &c3.regularizer {
        b.push(Block::Field(
            "S = argmin_M phi".into(),
            format!(
                "{} ({})",
                comparison_text(&r.comparison),
                r.evidence.label()
            ),
        ));
        for (i, c) in r.critical_points.iter().enumerate() {
            let item = match &r.phi_exact_zero {
                Some(z) if r.s_points.contains(&i) => {
                    critical_item_with_value(c, "phi", &exact_zero_text(z, c, i))
                }
                _ => critical_item(c, "phi"),
            };
            b.push(Block::Item(item));
        }
        for c in &r.s_components {
            b.push(Block::Field("S component".into(), component_text(c, "phi")));
        }
        for c in &r.critical_sets {
            b.push(Block::Item(format!(
                "set of Lagrange points of phi: {}",
                component_text(c, "phi")
            )));
        }
    }
    for n in &c3.notes {
        b.push(Block::Item(flat_note_text(n)));
    }
}

/// The flat points (marked global and in or out of `S`) and the flat sets.
fn flat_set_blocks(b: &mut Vec<Block>, c3: &ngd_minima::FlatMinima) {
    for p in &c3.flat_points {
        let mut t = point_text(&p.point);
        if p.global {
            t.push_str(" [global]");
        }
        match p.in_s {
            Some(true) => t.push_str(" [in S]"),
            Some(false) => t.push_str(" [not in S]"),
            None => {}
        }
        b.push(Block::Field("flat point".into(), t));
    }
    for c in &c3.components {
        let mut t = component_text(c, "s");
        if c.global {
            t.push_str(" [global]");
        }
        b.push(Block::Field("flat set component".into(), t));
    }
    for c in &c3.critical_sets {
        b.push(Block::Item(format!(
            "set of Lagrange points of s: {}",
            component_text(c, "s")
        )));
    }
    for fs in &c3.flat_sets {
        let dim = fs.dimension.map_or("?".to_string(), |d| d.to_string());
        let reps: Vec<String> = fs
            .representatives
            .iter()
            .take(2)
            .map(|r| fmt_vec(r))
            .collect();
        b.push(Block::Field(
            format!("flat set ({})", set_criterion_text(&fs.criterion)),
            format!(
                "dimension {dim}, {} [{}]; e.g. {}",
                fs.evidence.label(),
                fs.representatives.len(),
                reps.join(", ")
            ),
        ));
    }
}

/// The Morse–Bott criteria: each minimum, `m_eps`, and the findings.
fn morse_bott_blocks(b: &mut Vec<Block>, mb: &ngd_minima::MorseBottCriteria) {
    for crit in [&mb.lambda_max, &mb.trace] {
        b.push(Block::Field(
            crit.name.clone(),
            format!(
                "minimum {:.6} reached by {:.0}% of {} runs; minimizing set of dimension {}",
                crit.min_value,
                100.0 * crit.fraction_at_min,
                crit.runs,
                crit.argmin_dimension.map_or("?".into(), |d| d.to_string())
            ),
        ));
    }
    for w in &mb.worst_case {
        b.push(Block::Item(format!(
            "m_eps at eps = {:e} ({}, {} points): from {:.9e} to {:.9e}",
            w.eps, w.at, w.points, w.min, w.max
        )));
    }
    for f in &mb.findings {
        b.push(Block::Item(finding_text(f)));
    }
}

/// `M` as described by C2.
fn description_text(d: &SetDescription) -> String {
    match d {
        SetDescription::LevelSet { g } => format!("M = {{g = 0}} with g = {g}"),
        SetDescription::ResidualZeros { residuals } => {
            format!("M = {{G = 0}}, G = ({residuals} residuals)")
        }
        SetDescription::Argmin => "M = argmin f (minimizers found numerically)".into(),
    }
}

/// Why `f >= bound` holds.
fn lower_bound_text(r: &LowerBoundReason) -> String {
    match r {
        LowerBoundReason::EvenOuter { c, outer } => {
            let h = super::conservation::outer_nonnegative(outer);
            format!("f = c h(g) with c = {c} > 0 and {h}")
        }
        LowerBoundReason::SumOfSquares { constant: c0 } => {
            format!("f = sum_i c_i g_i^2 + {c0} with every weight c_i > 0, so f >= {c0}")
        }
        LowerBoundReason::SumOfLosses { constant: c0 } => format!(
            "f = sum_i c_i h_i(g_i) + {c0} with every c_i > 0 and every h_i(t) > h_i(0) = 0 for \
             t != 0 (proved when each loss was recognised), so f >= {c0}"
        ),
        LowerBoundReason::NoneRecognised => {
            "no structural lower bound recognised for this f".into()
        }
    }
}

/// How `inf f` and its attainment were established.
fn infimum_method_text(m: &InfimumMethod) -> String {
    match m {
        InfimumMethod::StructuralBoundAttained { subsystem, value } => {
            let names: Vec<String> = subsystem.iter().map(|c| format!("x{c}")).collect();
            format!(
                "lower bound from the structure of f; attained: Krawczyk test (outward-rounded \
                 intervals) on the square subsystem in ({}) over a box of relative half-width \
                 1e-9, the other coordinates fixed: a unique zero of the residuals exists there, \
                 so f = {value} there",
                names.join(", ")
            )
        }
        InfimumMethod::NewtonZero => "a zero of the residuals refined by minimum-norm Newton in \
                                      MPFR (existence not certified by intervals)"
            .into(),
        InfimumMethod::NoPointOfM => "no point of M found in the box".into(),
        InfimumMethod::NoLocalMinimizer => "no local minimizer found in the box".into(),
        InfimumMethod::SmallestOfMinimizations { starts } => format!(
            "smallest value of f over {starts} damped-Newton minimizations from random starts \
             (no structural lower bound: a smaller value may exist)"
        ),
    }
}

/// What the local dimension ranks.
fn dimension_method_text(m: &DimensionMethod) -> &'static str {
    match m {
        DimensionMethod::GradientRank => {
            "n - rank(grad g) at the sampled points (M = {g = 0} is a regular level set where \
             grad g != 0)"
        }
        DimensionMethod::JacobianRank => {
            "n - rank(J_G) at the sampled points (M = {G = 0} is a regular level set where J_G \
             has full rank; f is then Morse-Bott with Hess f = 2 J^T C J)"
        }
        DimensionMethod::HessianNullity => {
            "nullity of Hess f at the minimizers found (Morse-Bott: dimension = n - rank Hess f)"
        }
    }
}

/// How samples were grouped into components.
fn components_method_text(m: &ComponentsMethod) -> String {
    match m {
        ComponentsMethod::CurveContinuation => {
            "curve continuation (predictor along the tangent, Gauss-Newton corrector) from each \
             not yet covered sample; samples within two steps of a traced branch belong to it"
                .into()
        }
        ComponentsMethod::IsolatedPoints => {
            "isolated points: each distinct point is its own component".into()
        }
        ComponentsMethod::ProjectedWalks => {
            "union of samples joined by a walk on M (steps along the segment, each projected back \
             by Gauss-Newton) between near neighbours"
                .into()
        }
        ComponentsMethod::SingleLinkage { distance } => {
            format!("single linkage of the minimizers found at distance {distance:.3e}")
        }
    }
}

/// A remark of C2.
fn minimum_set_note_text(n: &MinimumSetNote) -> String {
    match n {
        MinimumSetNote::NoZeroOfResiduals { starts } => format!(
            "no point of M = {{G = 0}} found in the box: no zero of the residuals ({starts} random \
             starts projected by Gauss-Newton)"
        ),
        MinimumSetNote::NoPointOfM => "no point of M found in the box".into(),
        MinimumSetNote::MinimizationFoundNothing => {
            "minimization of f from random starts found no minimizer inside the box either".into()
        }
        MinimumSetNote::SearchedByMinimization { smallest } => format!(
            "the residuals have no zero in the box that projection found, so inf f may exceed the \
             structural bound; argmin f was searched by minimization instead (smallest value \
             {smallest})"
        ),
    }
}

/// How the class of a critical point was reached.
fn detail_text(d: &ClassificationDetail) -> String {
    match d {
        ClassificationDetail::EvaluationFailed => "evaluation failed at the refined point".into(),
        ClassificationDetail::Saddle { positive, negative } => {
            format!("projected Hessian has {positive} positive and {negative} negative eigenvalues")
        }
        ClassificationDetail::PositiveDefinite => "projected Hessian positive definite".into(),
        ClassificationDetail::NegativeDefinite => "projected Hessian negative definite".into(),
        ClassificationDetail::Degenerate {
            null_directions,
            threshold,
            probe_directions,
            behaviours,
        } => {
            let seen: Vec<&str> = behaviours.iter().map(|b| probe_text(*b)).collect();
            format!(
                "projected Hessian singular ({null_directions} null direction(s), threshold \
                 {threshold:e} relative); along M in {probe_directions} probe direction(s) at \
                 steps 1e-3 and 1e-4 the function {}",
                seen.join("; ")
            )
        }
        ClassificationDetail::IsolatedMinimizer => {
            "isolated minimizer of f; eigenvalues of Hess f".into()
        }
    }
}

/// What the probes along `M` saw in one direction.
fn probe_text(b: ProbeBehaviour) -> &'static str {
    match b {
        ProbeBehaviour::DecreasesOnBothSides => "decreases on both sides",
        ProbeBehaviour::IncreasesOnBothSides => "increases on both sides",
        ProbeBehaviour::IncreasesOnOneSide => "increases on one side and decreases on the other",
        ProbeBehaviour::Undecided => "undecided",
    }
}

/// The sharpness used by C3.
fn sharpness_text(s: &Sharpness) -> &'static str {
    match s {
        Sharpness::GradientNormOnM => {
            "s = |grad g|^2 restricted to M = {g = 0}: the worst-case increase of f = c h(g) over \
             a ball of radius eps is c h(|grad g| eps) to leading order"
        }
        Sharpness::MorseBott => {
            "for smooth Morse-Bott f the worst-case increase is lambda_max(Hess f) eps^2/2 to \
             second order; lambda_max, trace(Hess f) and m_eps are reported along M"
        }
        Sharpness::GeneralHessian => {
            "general f: lambda_max(Hess f) and trace(Hess f) at the minimizers"
        }
    }
}

/// Which minimizers a set is made of.
pub(super) fn set_criterion_text(c: &SetCriterion) -> &'static str {
    match c {
        SetCriterion::TraceMinimizers => "minimizers of trace(Hess f) on M",
        SetCriterion::LambdaMaxMinimizers => {
            "minimizers of lambda_max(Hess f) on M (second-order flatness only)"
        }
        SetCriterion::PhiMinimizers => "minimizers of phi on M",
        SetCriterion::S => "minimizers of phi on M (S)",
        SetCriterion::GeneralMinimizers => {
            "minimizers found (flatness not decided for a general f)"
        }
    }
}

/// A dimension, or "unknown".
pub(super) fn dimension_text(d: Option<usize>) -> String {
    d.map_or("unknown".to_string(), |d| d.to_string())
}

/// One finding of the Morse–Bott criteria.
fn finding_text(f: &MorseBottFinding) -> String {
    match f {
        MorseBottFinding::TraceMinimum {
            value,
            dimension,
            fraction,
            runs,
        } => format!(
            "trace(Hess f) attains its minimum {value:.10} on a set of dimension {} ({:.0}% of \
             {runs} runs end there)",
            dimension_text(*dimension),
            100.0 * fraction
        ),
        MorseBottFinding::LambdaMaxMinimum {
            value,
            dimension,
            fraction,
            runs,
            trace_range,
            larger_set,
        } => format!(
            "lambda_max(Hess f) attains its minimum {value:.10} on a set of dimension {} ({:.0}% \
             of {runs} runs); over these minimizers trace(Hess f) ranges over [{:.6}, {:.6}]{}",
            dimension_text(*dimension),
            100.0 * fraction,
            trace_range.0,
            trace_range.1,
            if *larger_set {
                ": lambda_max ties on a larger set than the trace minimizers"
            } else {
                ": the same set as the trace minimizers"
            }
        ),
        MorseBottFinding::LambdaMaxAtTraceMinimizers { range, minimizes } => format!(
            "at the trace minimizers lambda_max = [{:.10}, {:.10}]: {}",
            range.0,
            range.1,
            if *minimizes {
                "they also minimize lambda_max"
            } else {
                "they do not minimize lambda_max"
            }
        ),
        MorseBottFinding::WorstCaseSeparation {
            eps,
            trace_max,
            others_min,
            verdict,
        } => {
            let verdict = match verdict {
                Separation::TraceSingledOut => {
                    "the higher-order terms single out the trace minimizers"
                }
                Separation::NotSeparated => {
                    "equal within 1e-9 (relative): m_eps does not separate them at this radius"
                }
                Separation::NotSmaller => "m_eps is not smaller at the trace minimizers",
            };
            format!(
                "m_eps (eps = {eps:e}): at most {trace_max:.10e} at the trace minimizers, at \
                 least {others_min:.10e} at the lambda_max minimizers that do not minimize the \
                 trace: {verdict}"
            )
        }
        MorseBottFinding::WorstCaseAtTrace { eps, trace_max } => {
            format!("m_eps (eps = {eps:e}): at most {trace_max:.10e} at the trace minimizers")
        }
    }
}

/// How `S` compares with the flat set.
fn comparison_text(c: &SComparison) -> String {
    match c {
        SComparison::NothingToCompare => "S or the flat set is empty: nothing to compare".into(),
        SComparison::AllFlat { points } => format!(
            "S has {points} point(s), each a flat point, and every flat point is in S (max-norm \
             tolerance 1e-9 relative)"
        ),
        SComparison::Mismatch {
            points,
            not_flat,
            flat_not_in_s,
        } => format!(
            "S has {points} point(s) of which {not_flat} are not flat; {flat_not_in_s} flat \
             point(s) are not in S"
        ),
        SComparison::SetDistance(c) => set_comparison_text(c),
        SComparison::Sets {
            phi_at_trace,
            trace_at_s,
            trace_min,
            s_dimension,
            trace_dimension,
        } => {
            let (p0, p1) = phi_at_trace.unwrap_or((f64::NAN, f64::NAN));
            let (t0, t1) = trace_at_s.unwrap_or((f64::NAN, f64::NAN));
            format!(
                "phi at the trace minimizers: [{p0:.3e}, {p1:.3e}]; trace(Hess f) at the \
                 minimizers of phi: [{t0:.10}, {t1:.10}] (its minimum is {trace_min:.10}); \
                 dimensions {} (S) and {} (trace minimizers)",
                dimension_text(*s_dimension),
                dimension_text(*trace_dimension)
            )
        }
    }
}

/// A remark of C3.
pub(super) fn flat_note_text(n: &FlatNote) -> String {
    match n {
        FlatNote::DegenerateLagrangePoints { count } => format!(
            "{count} Lagrange point(s) of s with a singular projected Hessian; their class comes \
             from probes of s along M (numerical evidence)"
        ),
        FlatNote::LocalOnly => {
            "some flat points are only local minima of s on M (flatness is a local property)".into()
        }
        FlatNote::InteriorOnly => {
            "flat points are the local minima of s on M inside the box; minima of s on M at the \
             boundary of the box are not flat points and are not listed"
                .into()
        }
        FlatNote::PhiUndefinedAtLagrangePoints => {
            "phi is undefined (a pole) at some Lagrange points of s".into()
        }
        FlatNote::IsolatedTriviallyFlat => {
            "M consists of isolated points here: each is trivially a flat minimum (M is locally a \
             single point)"
                .into()
        }
        FlatNote::GeneralHessianAtMinimizers {
            dimension,
            lambda_max,
            trace,
        } => format!(
            "general f with a minimum set of dimension {dimension}: lambda_max(Hess f) and \
             trace(Hess f) were only evaluated at the minimizers found (smallest \
             {lambda_max:.6e} and {trace:.6e}); no constrained minimization of the criteria is \
             done on this path"
        ),
        FlatNote::MorseBottDescent { dimension, runs } => format!(
            "M has dimension {dimension} at the samples: the criteria are minimized on M by \
             Riemannian gradient descent from {runs} sampled points (numerical evidence); set \
             dimensions are nullities of finite-difference Riemannian Hessians"
        ),
        FlatNote::FiniteM => "M is a finite set here: each of its points is trivially flat".into(),
        FlatNote::SharpnessConstantOnM {
            value,
            spread,
            samples,
            tolerance,
        } => format!(
            "the sharpness s = {value:.10} on all {samples} samples of M (spread {spread:.1e}, \
             relative tolerance {tolerance:e}): every point of M minimizes s on M, so the flat \
             set is M itself (numerical evidence); the Lagrange search of s is skipped"
        ),
        FlatNote::SetsBySingleLinkage { distance } => format!(
            "Newton landings on sets of positive dimension are grouped into components by \
             single linkage at distance {distance:.4} (a tenth of the box diagonal); a \
             component is what its samples show"
        ),
    }
}

/// The text of a remark ([`ngd_minima::ComparisonNote`]) on the comparison of claimed flat
/// points with the found ones, for the `flat_minima` claim's finding.
pub(crate) fn comparison_note_text(note: &ngd_minima::ComparisonNote) -> &'static str {
    match note {
        ngd_minima::ComparisonNote::PositiveDimensionalFlatSets => {
            "the flat minima found form positive-dimensional sets; claimed points are \
             compared with isolated flat points only"
        }
    }
}

/// `", N landed on sets of positive dimension"` when any did.
fn set_points_text(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(" ({n} landings on sets of positive dimension, reported as components)")
    }
}

/// One component of a set of positive dimension: dimension and how, the value of `h` on it,
/// its type, the equations and representatives.
fn component_text(c: &SetComponent, h: &str) -> String {
    let reps: Vec<String> = c
        .representatives
        .iter()
        .take(2)
        .map(|r| fmt_vec(r))
        .collect();
    let eq = c
        .equations
        .as_ref()
        .map_or(String::new(), |e| format!("; {}", equations_text(e)));
    format!(
        "dimension {} ({}), {h} = {:.10}, {}{eq}; e.g. {}{}; {} point(s) found ({})",
        c.dimension,
        set_dimension_text(&c.dimension_method),
        c.value,
        set_class_text(c.class),
        reps.join(", "),
        certified_text(c),
        c.points_found,
        c.evidence.label()
    )
}

/// `x > 0` rounded up to three significant digits (`1.24e-9`), checked exactly, so that a
/// printed distance bound is never smaller than the proved one; `{:e}` otherwise.
fn round_up(x: f64) -> String {
    ThreeDigits::round(x, Direction::Up).map_or_else(|| format!("{x:e}"), ThreeDigits::text)
}

/// The representatives proved to lie next to a point of the set of the equations.
fn certified_text(c: &SetComponent) -> String {
    if c.certified.is_empty() {
        return String::new();
    }
    let within = c
        .certified
        .iter()
        .map(|p| p.distance_from_sample)
        .fold(0.0, f64::max);
    format!(
        " ({} of {} representatives certified: a point of the set of these equations lies \
         within {} of each (max norm, Krawczyk) [proved])",
        c.certified.len(),
        c.representatives.len(),
        round_up(within)
    )
}

fn set_dimension_text(m: &SetDimensionMethod) -> String {
    match m {
        SetDimensionMethod::WholeM => "the dimension of M".into(),
        SetDimensionMethod::ZeroSetRank { equations, .. } => {
            format!("n - rank of the Jacobian of its {equations} equations at projected samples")
        }
        SetDimensionMethod::ContinuedNullDirections {
            null_directions,
            continued,
            ..
        } => format!(
            "Newton continues along {continued} of the {null_directions} null direction(s) of \
             the projected Hessian"
        ),
    }
}

fn set_class_text(c: SetClass) -> &'static str {
    match c {
        SetClass::ConstantOnM => "constant on M",
        SetClass::Minimum => "local minima (transversally positive definite)",
        SetClass::Maximum => "local maxima (transversally negative definite)",
        SetClass::Saddle => "saddles",
        SetClass::Undecided => "type undecided (more null directions than its dimension)",
    }
}

fn equations_text(e: &SetEquations) -> String {
    match e {
        SetEquations::WholeM { g } => format!("equations: g = 0 with g = {g}"),
        SetEquations::PhiLevel { g, phi, value } => {
            format!("equations: {g} = 0, {phi} = {value}")
        }
        SetEquations::ZeroSet { equations } => {
            let eqs: Vec<String> = equations.iter().map(|q| format!("{q} = 0")).collect();
            format!("equations: {}", eqs.join(", "))
        }
        SetEquations::LagrangeMultiplier {
            g,
            function,
            multiplier,
        } => format!("equations: g = 0, grad {function} = {multiplier} grad g with g = {g}"),
    }
}

/// `S` against the flat set by set distances.
fn set_comparison_text(c: &SetComparison) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut t = format!(
        "set distances over {} sampled point(s) of S and {} of the flat set (tolerance {:e} \
         relative): S lies on the flat set (S is flat): {} (largest distance {:.3e}); the flat \
         set lies in S: {} (largest distance {:.3e})",
        c.s_samples,
        c.flat_samples,
        c.tolerance,
        yes_no(c.s_in_flat),
        c.max_distance_s_to_flat,
        yes_no(c.flat_in_s),
        c.max_distance_flat_to_s
    );
    if let Some(p) = &c.s_point_not_flat {
        t.push_str(&format!("; a point of S that is not flat: {}", fmt_vec(p)));
    }
    if let Some(p) = &c.flat_point_not_in_s {
        t.push_str(&format!("; a flat point not in S: {}", fmt_vec(p)));
    }
    t
}
