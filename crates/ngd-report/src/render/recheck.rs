//! Rendering of `recheck`: one line per exact claim of the report, held or failed, and why.

use super::*;
use ngd_recheck::{Claim, Failure, NotCoveredReason, Recheck};

/// Renders a recheck in the chosen format (JSON: [`crate::recheck::RecheckOutput`]).
pub fn render_recheck(r: &Recheck, source: &str, format: Format) -> String {
    if format == Format::Json {
        let output = crate::recheck::RecheckOutput::new(r, source);
        let mut s = serde_json::to_string_pretty(&output).expect("recheck serializes");
        s.push('\n');
        return s;
    }
    let mut b = vec![Block::Title(format!(
        "ngd-verify {} recheck: {source}",
        env!("CARGO_PKG_VERSION")
    ))];
    if r.items.is_empty() {
        b.push(Block::Item(
            "the report makes no exact claim to re-check".into(),
        ));
    }
    for item in &r.items {
        let status = match &item.failure {
            None => "holds".to_string(),
            Some(f) => format!("FAILED: {}", failure_text(f)),
        };
        b.push(Block::Item(format!(
            "{}: {status}",
            claim_text(&item.claim)
        )));
    }
    for nc in &r.not_covered {
        b.push(Block::Item(format!(
            "{}: not re-checked by the small path ({})",
            nc.path,
            not_covered_text(nc.reason)
        )));
    }
    let held = r.items.iter().filter(|i| i.failure.is_none()).count();
    b.push(Block::Blank);
    b.push(Block::Heading(format!(
        "{held} of {} exact claims re-checked",
        r.items.len()
    )));
    write_blocks(&b, format)
}

fn not_covered_text(r: NotCoveredReason) -> &'static str {
    match r {
        NotCoveredReason::VariableNamedT => {
            "a variable of the case is named t, like the curve's parameter"
        }
        NotCoveredReason::RestrictedDomain => {
            "F has an even root or a logarithm: the small path does not decide that the curve \
             stays in its domain"
        }
        NotCoveredReason::NoCanonicalForm => "F along the curve has no canonical form",
        NotCoveredReason::NotRationalInT => {
            "F along the curve is not a rational function of t (abs, sign, exp, ... remain)"
        }
        NotCoveredReason::PoleAtInfinity => {
            "the limit of a rational function with a pole at infinity"
        }
        NotCoveredReason::NotPolynomial => {
            "f, phi or the printed residuals are not syntactic polynomials, and f is not \
             K + sum c_i h_i(g) (c_i > 0) for the printed g with h_i among t^k (k even), |t|, \
             log(1 + t^2), (1 + t^2)^e (e > 0)"
        }
        NotCoveredReason::EquationsNotConfirmed => {
            "f = c g^k (k even, c > 0) or f = sum g_i^2 is not confirmed, so the zero set of the \
             printed residuals is not known to be M"
        }
        NotCoveredReason::CoverLeavesNotListed => {
            "the report does not list the leaves of its exact cover; only its printed boxes \
             were re-checked"
        }
        NotCoveredReason::LocalArgument => {
            "the local argument closing the excluded neighbourhood of a point of S"
        }
        NotCoveredReason::WitnessNotRadical => {
            "a coordinate of the witness is not r k^(p/q) with small parts, so its place in \
             the search box is not compared exactly"
        }
        NotCoveredReason::LowerBoundNotRederived => {
            "f >= inf f is not re-derived from the syntax of f"
        }
        NotCoveredReason::ExactValueUndecided => {
            "f or phi at the witness is neither proved equal to the printed value nor proved \
             different"
        }
        NotCoveredReason::FlatSetNotConfined => {
            "the common zeros of the residuals and the chain's equations are not confined to \
             the printed flat set by the small exact rules (a coordinate without an equation in \
             it alone, irrational roots, or too many grid points)"
        }
        NotCoveredReason::RefutationUndecided => {
            "f is not proved smooth at the refutation's point (a possible kink), or grad f != 0 \
             or the increase of phi is not decided there"
        }
    }
}

fn claim_text(c: &Claim) -> String {
    match c {
        Claim::Conserved => "C1 conserved: <grad f, grad phi> == 0".into(),
        Claim::Witness { path } => format!("witness {path}"),
        Claim::Escape {
            path,
            target,
            limit,
        } => format!("escape {path}: {target} -> {limit} along the curve"),
        Claim::DecreaseBox { path } => {
            format!("C4 box {path}: phi(x - a u) - phi(x) <= -c a^2 for 0 < a <= a_max")
        }
        Claim::DecreaseCover { path, boxes } => {
            format!("C4 cover {path}: every leaf of the {boxes} boxes of its bisection tree")
        }
        Claim::DecreaseWitness { path, point, step } => format!(
            "C4 refutation {path}: one NGD step of size {step} from ({}) increases phi",
            point.join(", ")
        ),
        Claim::PhiExactZero { path, witness } => format!(
            "C3 phi = 0 on S {path}: phi >= 0, and at ({}) in the box f = inf f and phi = 0",
            witness.join(", ")
        ),
        Claim::StrictDecrease { path, statement } => {
            format!("C4 strict {path}: {statement}, hence Q < 0 on M \\ S")
        }
        Claim::ZeroSetConverse { path, statement } => {
            format!("discover's converse {path}: {statement}")
        }
        Claim::SumOfSquares {
            path,
            target,
            equations,
        } => match equations.is_empty() {
            true => format!("sum of squares {path}: {target} >= 0"),
            false => format!(
                "sum of squares {path}: {target} >= 0 on V({})",
                equations.join(", ")
            ),
        },
    }
}

fn failure_text(f: &Failure) -> String {
    match f {
        Failure::Unreadable { what } => format!("cannot read {what}"),
        Failure::NotZero => "the identity is not zero".into(),
        Failure::NotAnEscape => "the curve stays bounded: it is no escape".into(),
        Failure::Undecided => "the identity's exact form is undecided".into(),
        Failure::WrongValue { printed, found } => {
            format!("printed {printed}, recomputed {found}")
        }
        Failure::BoxNotProved { what } => format!("not proved by the small interval path: {what}"),
        Failure::CoverMismatch { what } => format!("the cover does not match: {what}"),
        Failure::NotNonnegative { what } => {
            format!("{what} is not >= 0 by the small syntactic rule")
        }
        Failure::Certificate { error } => format!("the certificate fails: {error:?}"),
    }
}
