//! Discovery for piecewise fields, region by region (docs/math.md, "Nonsmooth functions"):
//! each sign pattern of the kink arguments gives smooth generators, searched like any smooth
//! field; every law is re-checked exactly on its region's formula. A law is listed as common
//! (conserved off the kink sets) only when the exact test passes on every region's formula.

use crate::quantity::Verifier;
use crate::regions::Kinks;
use crate::report::{
    ConservedQuantity, DiscoverOptions, PiecewiseDiscovery, RegionDiscovery, Skip, Verification,
};
use ngd_check::Evidence;
use ngd_expr::{Arena, ExprId};

/// Runs discovery on every region of `kinks` (all kink arguments positive first), or skips
/// when there are more than [`DiscoverOptions::max_kinks`] kink sets.
pub(crate) fn discover_regions(
    arena: &mut Arena,
    generators: &[ExprId],
    kinks: &Kinks,
    opts: &DiscoverOptions,
) -> PiecewiseDiscovery {
    let k = kinks.len();
    if k > opts.max_kinks {
        return PiecewiseDiscovery {
            kinks: kinks.sets.clone(),
            skipped: Some(Skip::TooManyKinks {
                kinks: k,
                limit: opts.max_kinks,
            }),
            regions: Vec::new(),
            common: Vec::new(),
        };
    }
    let regions: Vec<RegionDiscovery> = (0..1u64 << k)
        .rev()
        .map(|pattern| region(arena, generators, kinks, pattern, opts))
        .collect();
    let common = common_laws(arena, &regions, opts);
    PiecewiseDiscovery {
        kinks: kinks.sets.clone(),
        skipped: None,
        regions,
        common,
    }
}

/// Discovery on the region with sign pattern `pattern`.
fn region(
    arena: &mut Arena,
    generators: &[ExprId],
    kinks: &Kinks,
    pattern: u64,
    opts: &DiscoverOptions,
) -> RegionDiscovery {
    let gens = kinks.restrict(arena, generators, pattern);
    let s = crate::smooth(arena, &gens, opts);
    RegionDiscovery {
        conditions: kinks.conditions(pattern),
        witness: kinks.witness(arena, pattern, opts.region_samples, opts.seed),
        generators: gens.iter().map(|&g| arena.display(g)).collect(),
        ring: s.ring,
        fields: s.display,
        ansatz: s.ansatz,
        linear_symmetries: s.linear_symmetries,
        completeness: s.completeness,
        generator_exprs: gens,
    }
}

/// The verified quantities of a region, in report order.
fn region_quantities(r: &RegionDiscovery) -> impl Iterator<Item = &ConservedQuantity> {
    r.ansatz
        .iter()
        .flat_map(|a| a.basis.iter())
        .chain(r.linear_symmetries.generators.iter().map(|g| &g.invariant))
        .filter(|q| q.verified == Evidence::Proved)
}

/// The quantities (each distinct one once, in region order) whose identity passes the exact
/// zero test on the formula of every region.
fn common_laws(
    arena: &mut Arena,
    regions: &[RegionDiscovery],
    opts: &DiscoverOptions,
) -> Vec<ConservedQuantity> {
    let verifiers: Vec<Verifier> = regions
        .iter()
        .map(|r| Verifier::new(arena, &r.generator_exprs, opts.verify))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for q in regions.iter().flat_map(region_quantities) {
        if !seen.insert(q.display.clone()) {
            continue;
        }
        let everywhere = verifiers
            .iter()
            .all(|v| v.check(arena, q.expr).0 == Evidence::Proved);
        if everywhere {
            let mut c = q.clone();
            c.verification = Verification::EveryRegion {
                regions: regions.len(),
            };
            out.push(c);
        }
    }
    out
}
