//! The words of the discovery report: one function per typed result of `ngd-discover`.

use ngd_discover::{
    BoundLimit, CountMethod, Exclusion, FieldRule, GeneratorField, LawCount, ProposalRule,
    RingFailure, Skip, Verification,
};

pub(crate) use crate::render::conservation::shape_text;

/// Which identities a conserved quantity must satisfy, in words.
pub(crate) fn field_rule_text(r: FieldRule) -> &'static str {
    match r {
        FieldRule::Scalar => {
            "f = c h(g) with h'(g) != 0 almost everywhere: psi is conserved by the gradient flow \
             of f iff <grad g, grad psi> = 0"
        }
        FieldRule::LeastSquares => {
            "f = sum_i c_i g_i^2: conservation is required for every residual's gradient, \
             <grad g_i, grad psi> = 0 for all i (sufficient for the flow of f; necessary for psi \
             to be conserved for every loss of the residuals)"
        }
        FieldRule::General => "no special structure: psi is conserved iff <grad f, grad psi> = 0",
    }
}

/// A generator's field, e.g. `grad(x*y - 1) = (y, x)`.
pub(crate) fn field_text(f: &GeneratorField) -> String {
    let mut s = format!("grad({})", f.generator);
    if let Some(grad) = &f.gradient {
        s.push_str(&format!(" = ({})", grad.join(", ")));
    }
    if f.constant {
        s.push_str(" (constant: no condition)");
    }
    s
}

/// What the exact re-check of a quantity did.
pub(crate) fn verification_text(v: &Verification) -> String {
    let what = |k: usize| {
        if k == 1 {
            "<grad g, grad psi>".to_string()
        } else {
            format!("<grad g_i, grad psi> for all {k} generators")
        }
    };
    match v {
        Verification::TurnedOff => "verification turned off".into(),
        Verification::Zero { generators } => {
            format!(
                "{} == 0, exact zero test of the canonical form",
                what(*generators)
            )
        }
        Verification::Nonzero {
            generators,
            nonzero,
        } => format!(
            "{}: {nonzero} nonzero canonical form(s) (internal error)",
            what(*generators)
        ),
        Verification::EveryRegion { regions } => format!(
            "<grad g_i, grad psi> == 0 on the smooth formula of each of the {regions} regions, \
             exact zero test of the canonical form: conserved off the kink sets"
        ),
        Verification::Undecided {
            generators,
            reasons,
        } => format!("{}: undecided ({})", what(*generators), reasons.join("; ")),
    }
}

/// Why a step was not run.
pub(crate) fn skip_text(s: &Skip) -> String {
    match s {
        Skip::NotRequested => "not requested".into(),
        Skip::ConstantGenerators => {
            "every generator is constant: there is no flow and every function is conserved".into()
        }
        Skip::NotLaurent { generator } => format!(
            "{generator} is not a Laurent polynomial in the variables (after exact canonicalization)"
        ),
        Skip::NotInRing { generator, reason } => format!(
            "{generator} is not a Laurent polynomial in the variables and the atoms exp(u), \
             log(x_i) of its function ring: {}",
            ring_failure_text(reason)
        ),
        Skip::RingFields => "the fields involve exp/log atoms; linear symmetries need Laurent \
             polynomial fields"
            .into(),
        Skip::Piecewise { regions } => format!(
            "the fields are piecewise: searched region by region, see the {regions} regions below"
        ),
        Skip::TooManyKinks { kinks, limit } => format!(
            "{kinks} kink sets exceed the limit {limit} (2^{limit} regions)"
        ),
        Skip::FieldOverflow => "a field coefficient does not fit in 64 bits (not supported)".into(),
        Skip::EquationOverflow => {
            "an equation coefficient does not fit in 64 bits (not supported)".into()
        }
        Skip::TooManyUnknowns { unknowns, limit } => {
            format!("{unknowns} unknowns exceed the limit {limit}")
        }
        Skip::TooMuchWork {
            forms,
            unknowns_per_form,
            work,
            limit,
        } => format!(
            "{forms} linear forms x {unknowns_per_form} unknowns = {work} exceeds the limit {limit}"
        ),
    }
}

fn laws(k: usize) -> String {
    let (noun, verb) = if k == 1 {
        ("law", "exists")
    } else {
        ("laws", "exist")
    };
    format!("{k} {noun} {verb}")
}

/// The outcome of the count of laws, e.g. `3 laws exist; 3 found (complete)`.
pub(crate) fn law_count_text(c: &LawCount) -> String {
    match c {
        LawCount::NotComputed => "not computed".into(),
        LawCount::Complete { exist, found } => {
            format!("{}; {found} found (complete)", laws(*exist))
        }
        LawCount::Missing {
            exist,
            found,
            missing,
        } => format!(
            "{}; {found} found: {missing} missing (not of the shapes tried)",
            laws(*exist)
        ),
        LawCount::AtMost {
            exist,
            found,
            bound,
        } => {
            let why = match bound {
                BoundLimit::ClosedAtRandomPoints => {
                    "the bracket algebra closed but its rank is estimated at random points"
                        .to_string()
                }
                BoundLimit::FieldCap { fields } => format!("stopped at {fields} fields"),
                BoundLimit::DepthCap { depth } => format!("stopped at bracket depth {depth}"),
            };
            format!("at most {} ({why}); {found} found", laws(*exist))
        }
    }
}

/// How the laws were counted.
pub(crate) fn count_method_text(m: &CountMethod) -> String {
    match m {
        CountMethod::LieRankAtPoints {
            max_depth,
            max_fields,
            points,
        } => format!(
            "Marcotte, Gribonval, Peyre (\"Abide by the law and follow the flow\"): near a generic \
             point the number of independent conservation laws is n - dim Lie(V)(x). Lie(V) is \
             spanned by the fields and their left-normed brackets [V, W] = DW V - DV W, computed \
             exactly as Laurent polynomials (brackets that are Q-linear combinations of kept \
             fields are dropped; depth at most {max_depth}, at most {max_fields} fields). Ranks \
             are exact over Q at {points} seeded random rational points: the rank at any point \
             is a lower bound of the generic rank, so n - rank bounds the number of laws from \
             above; the rank of the gradients of the verified quantities there bounds the found \
             laws from below. When the bounds meet, the count is proved."
        ),
    }
}

/// How the terms of a proposal were chosen.
pub(crate) fn proposal_rule_text(r: &ProposalRule) -> String {
    match r {
        ProposalRule::SumOfSquaredDeviations {
            agreement_bits,
            independent_only,
        } => {
            let which = if *independent_only {
                "keeping greedily, in report order, a functionally independent subset \
                 (gradient rank at seeded random rational points)"
            } else {
                "all of them except constant multiples and powers of a quantity already \
                 used (those cannot shrink the zero set of phi; other functionally dependent \
                 quantities can)"
            };
            format!(
                "phi = sum_i (psi_i - psi_i(S))^2 over verified conserved psi_i that are \
                 defined and constant on the flat set S (agreement to 2^-{agreement_bits} \
                 relative) with a rational common value, {which}"
            )
        }
    }
}

/// Why a quantity was left out of a proposal.
pub(crate) fn exclusion_text(e: &Exclusion) -> String {
    match e {
        Exclusion::WrongDimension {
            coordinates,
            expected,
        } => format!("a flat point has {coordinates} coordinates, not {expected}"),
        Exclusion::Pole => "not defined at a flat point (pole)".into(),
        Exclusion::NotConstant { first, other } => {
            format!("not constant on the flat set ({first} and {other})")
        }
        Exclusion::NotRational { value } => {
            format!("its value on the flat set, {value}, is not recognised as a rational")
        }
        Exclusion::Dependent => "functionally dependent on the quantities already used".into(),
    }
}

/// Why a generator is not in the function ring.
pub(crate) fn ring_failure_text(r: &RingFailure) -> String {
    match r {
        RingFailure::ExpArgument { argument } => {
            format!("exp({argument}) has an argument that is not a Laurent polynomial")
        }
        RingFailure::ExpConstant { argument } => format!(
            "exp({argument}) has an argument with a nonzero constant term (e^c is not rational)"
        ),
        RingFailure::ExpLattice { argument } => format!(
            "exp({argument}) needs an exponent above 1000 in a common basis of the exp arguments"
        ),
        RingFailure::LogArgument { argument } => {
            format!("log({argument}) is the log of something other than a variable")
        }
        RingFailure::NotPolynomial => {
            "a root, a nonsmooth function inside an atom, or a non-monomial denominator".into()
        }
    }
}
