//! The words of discovery beyond polynomials: the function ring of `exp`/`log` fields, the
//! regions of piecewise fields, and whether the proposed `phi` vanishes on the flat set.

use super::{ansatz_blocks, completeness_blocks, quantity_item, symmetry_blocks};
use crate::render::Block;
use ngd_check::Evidence;
use ngd_discover::{
    DiscoveryReport, FlatSetVanishing, FunctionRing, PiecewiseDiscovery, RegionDiscovery,
    RegionWitness, Vanishing,
};

use super::text::{field_text, skip_text};

/// The atoms of the function ring and why the ansatz in it is exact (nothing for Laurent
/// fields).
pub(super) fn ring_blocks(b: &mut Vec<Block>, ring: &FunctionRing) {
    if ring.atoms.is_empty() {
        return;
    }
    let atoms: Vec<&str> = ring.atoms.iter().map(|a| a.display.as_str()).collect();
    b.push(Block::Field(
        "function ring".into(),
        format!(
            "Laurent polynomials in the variables and {}: the exp arguments are Q-linearly \
             independent modulo constants, so these atoms are algebraically independent of the \
             variables and <grad g, grad psi> == 0 is decided coefficient by coefficient in the \
             ring (every law below is re-checked by the exact zero test of the C1 identity, as \
             in ngd-check::conservation); the count of laws brackets the fields extended to \
             the atoms, whose rank is that of the fields of f",
            atoms.join(", ")
        ),
    ));
}

/// The regions of a piecewise field, each with its laws, and the laws common to all.
pub(super) fn piecewise_blocks(b: &mut Vec<Block>, r: &DiscoveryReport) {
    let Some(p) = &r.piecewise else {
        return;
    };
    b.push(Block::Heading(kinks_heading(p)));
    if let Some(why) = &p.skipped {
        b.push(Block::Item(format!("not run: {}", skip_text(why))));
        return;
    }
    b.push(Block::Field(
        "rule".into(),
        "on each region the generators have a smooth formula; a law is searched and proved \
         exactly on that formula (docs/math.md, \"Nonsmooth functions\"): it holds on that \
         region, off the kink sets, and is not claimed elsewhere"
            .into(),
    ));
    for reg in &p.regions {
        b.push(Block::Blank);
        region_blocks(b, reg);
    }
    b.push(Block::Blank);
    b.push(Block::Heading(format!(
        "Laws proved on every region (conserved off the kink sets): {}",
        p.common.len()
    )));
    if p.common.is_empty() {
        b.push(Block::Item("none: no law holds on all regions".into()));
    }
    for q in &p.common {
        b.push(Block::Item(quantity_item(q)));
    }
}

fn kinks_heading(p: &PiecewiseDiscovery) -> String {
    let sets: Vec<String> = p
        .kinks
        .iter()
        .map(|k| format!("{{{} = 0}} ({})", k.argument, k.sources.join(", ")))
        .collect();
    format!(
        "Piecewise fields: kink sets {}; {} regions",
        sets.join(", "),
        p.regions.len()
    )
}

/// One region: its conditions, a point of it, its fields, ansätze and count.
fn region_blocks(b: &mut Vec<Block>, reg: &RegionDiscovery) {
    let conds: Vec<String> = reg
        .conditions
        .iter()
        .map(|c| format!("{} {} 0", c.argument, if c.positive { ">" } else { "<" }))
        .collect();
    b.push(Block::Heading(format!("Region {}", conds.join(", "))));
    b.push(Block::Field("point".into(), witness_text(&reg.witness)));
    b.push(Block::Field("fields".into(), String::new()));
    for f in &reg.fields {
        b.push(Block::Math(field_text(f)));
    }
    ring_blocks(b, &reg.ring);
    for a in &reg.ansatz {
        ansatz_blocks(b, a);
    }
    symmetry_blocks(b, &reg.linear_symmetries);
    completeness_blocks(b, None, &reg.completeness);
}

fn witness_text(w: &RegionWitness) -> String {
    match w {
        RegionWitness::Point { coords } => {
            format!("({}) lies in the region (exact)", coords.join(", "))
        }
        RegionWitness::NotFound { samples } => {
            format!("none of {samples} seeded rational points lies in the region (it may be empty)")
        }
        RegionWitness::NotChecked => "not checked (a kink argument is not a polynomial)".into(),
    }
}

/// Whether `phi` vanishes at the flat points, and how each point was decided.
pub(super) fn vanishing_blocks(b: &mut Vec<Block>, v: &FlatSetVanishing) {
    let how = match v.evidence {
        Evidence::Proved => "phi == 0 exactly at the exact coordinates of every flat point",
        Evidence::Refuted => "phi != 0 exactly at a flat point",
        Evidence::NumericalEvidence => {
            "phi is small at every flat point (MPFR at the points' digits where no exact \
             coordinates are known: numerical evidence, not a proof)"
        }
        Evidence::Inconclusive => "not decided at every flat point",
        Evidence::NotCheckedYet => "no flat point to check",
    };
    b.push(Block::Field(
        "phi on the flat set".into(),
        format!("{} [{}]", how, v.evidence.label()),
    ));
    if v.points.iter().any(|p| p.recognised) {
        b.push(Block::Item(
            "exact coordinates marked (C3) are closed forms C3 recognised: that they are the \
             flat points is numerical evidence"
                .into(),
        ));
    }
    for p in v.points.iter().take(MAX_POINTS) {
        let at = if p.recognised { " (C3)" } else { "" };
        b.push(Block::Item(format!(
            "({}){at}: {}",
            p.point.join(", "),
            vanishing_text(&p.how)
        )));
    }
    if v.points.len() > MAX_POINTS {
        b.push(Block::Item(format!(
            "{} more points (all in the JSON report)",
            v.points.len() - MAX_POINTS
        )));
    }
}

/// Whether `phi` vanishes on a whole set given by equations (a flat component of C3).
pub(super) fn equation_set_blocks(b: &mut Vec<Block>, v: &ngd_discover::EquationSetVanishing) {
    let how = match v.evidence {
        _ if v.equations_inconsistent => {
            "not proved: 1 is in the ideal of the equations (exact multipliers), so they have \
             no common zero and do not describe the flat component; every term is a member \
             vacuously"
        }
        Evidence::Proved => {
            "phi == 0 at every point of the set: each psi_i - c_i is a combination of the \
             equations with exact polynomial multipliers (checked by expansion); that the set \
             is the flat component is C3's numerical identification"
        }
        _ => "not proved: some term is not in the ideal of the equations within the bounds",
    };
    b.push(Block::Field(
        format!("phi on {}", v.set),
        format!("{how} [{}]", v.evidence.label()),
    ));
    b.push(Block::Item(format!(
        "equations: {}",
        v.equations
            .iter()
            .map(|e| format!("{e} = 0"))
            .collect::<Vec<_>>()
            .join(", ")
    )));
    for t in &v.terms {
        b.push(Block::Item(format!(
            "{}: {}",
            t.term,
            membership_text(&t.outcome)
        )));
    }
}

fn membership_text(o: &ngd_discover::MembershipOutcome) -> String {
    use ngd_discover::MembershipOutcome as M;
    match o {
        M::Member { degree } => format!("in the ideal (multipliers of degree <= {degree})"),
        M::NotPolynomial => "not a polynomial: not attempted".into(),
        M::NotFound { slack } => format!(
            "no multipliers up to {slack} degrees above the term's (undecided, not a refutation)"
        ),
        M::TooLarge => "the linear system exceeds its budget (undecided)".into(),
    }
}

/// Most flat points listed one by one in the text.
const MAX_POINTS: usize = 8;

fn vanishing_text(v: &Vanishing) -> String {
    match v {
        Vanishing::ExactZero => "phi = 0 (exact)".into(),
        Vanishing::ExactNonzero { value } => format!("phi = {value} != 0 (exact)"),
        Vanishing::Mpfr {
            precision,
            value,
            tolerance,
            small,
        } => format!(
            "|phi| = {value} {} {tolerance} (MPFR, {precision} bits: numerical evidence)",
            if *small { "<=" } else { ">" }
        ),
        Vanishing::Undefined => "phi is not defined there".into(),
    }
}
