//! Rendering of c4: the second-order decrease of `phi` along `M`. Every sentence of the
//! C4 section is worded here, from the typed facts of [`DecreaseReport`].

use super::rounding::{Direction, ThreeDigits};
use super::sos::{sos_claim_text, sos_not_found_text, strict_text};
use super::*;
use ngd_decrease::{
    AMaxRule, BallsClosed, CertificateStop, Chart, ChartBox, ChartCover, ClosureArgument, CoverGap,
    CoverLimit, CoverMeasure, DecreaseBasis, DecreaseCertificate, DecreaseNote, DecreaseOrder,
    DecreaseRefutation, DegenerateConclusion, DegenerateOrder, ExactCentre, ExactCover, FirstOrder,
    LevelExclusion, LocalBasis, LocalGap, NonConstantOnM, NormalDirections, OrderCertificate,
    OrderWarning, SNeighbourhood, SosDecrease, Vanishing, MAX_DEGENERATE_ORDER, MAX_EXACT_DIM,
};

/// `Q < 0 at 12, near S at 3`: the non-zero counts, in a fixed order.
pub(super) fn sign_counts(c: &ngd_decrease::SignCounts) -> String {
    let parts: Vec<String> = [
        (QSign::Negative, c.negative),
        (QSign::Positive, c.positive),
        (QSign::Zero, c.zero),
        (QSign::Undefined, c.undefined),
        (QSign::NearS, c.near_s),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(s, n)| format!("{} at {n}", s.label()))
    .collect();
    parts.join(", ")
}

/// The C4 section: verdicts and what they rest on, the sign pattern, the certificate, the
/// refutation, the decrease order and the notes.
pub(super) fn decrease_blocks(
    b: &mut Vec<Block>,
    d: &DecreaseReport,
    case: &crate::report::CaseSummary,
    minima: Option<&MinimaReport>,
) {
    // With Q == 0 on M the labels are about the leading order q, not the second order.
    let what = match d.degenerate.as_ref().and_then(|g| g.order) {
        Some(q) if q != 2 => format!("decrease at order {q} (Q = 0 on M)"),
        _ => "second-order decrease (d-Lyapunov, Prop 2.6)".to_string(),
    };
    b.push(Block::Heading(format!(
        "C4 {what}: near S {}, on M \\ S {}",
        badge(d.local),
        badge(d.evidence)
    )));
    let Some(normals) = &d.normals else {
        note_blocks(b, &d.notes);
        return;
    };
    summary_blocks(b, d, normals);
    pattern_blocks(b, d);
    if let Some(c) = &d.cover {
        cover_blocks(b, c, case);
        for ball in &c.balls {
            b.push(Block::Item(ball_text(ball, case, minima)));
        }
    }
    if let Some(c) = &d.certificate {
        certificate_blocks(b, c, case);
    }
    if let Some(g) = &d.degenerate {
        degenerate_blocks(b, g);
    }
    if let Some(w) = &d.refutation {
        refutation_block(b, w, case);
    }
    if let Some(o) = &d.order {
        order_blocks(b, o);
    }
    if let Some(r) = &d.sos {
        sos_blocks(b, r);
    }
    note_blocks(b, &d.notes);
}

/// The SOS route: `Q <= 0` on all of `M` (the non-strict half of C4), or why not.
fn sos_blocks(b: &mut Vec<Block>, r: &SosDecrease) {
    let text = match r {
        SosDecrease::NotPolynomial => return,
        SosDecrease::NotFound { reason } => sos_not_found_text(reason),
        SosDecrease::NonPositive { claim, strict } => format!(
            "{} (T = -y^T J Hess(phi) J^T y; this is Q <= 0){}",
            sos_claim_text(claim),
            strict.as_ref().map(strict_text).unwrap_or_default()
        ),
    };
    b.push(Block::Field(
        "sum of squares: Q <= 0 on all of M".into(),
        text,
    ));
}

/// One item per note.
fn note_blocks(b: &mut Vec<Block>, notes: &[DecreaseNote]) {
    for n in notes {
        b.push(Block::Item(note_text(n)));
    }
}

/// The verdicts' bases, the normal directions, `Q` and the neighbourhoods of `S`.
fn summary_blocks(b: &mut Vec<Block>, d: &DecreaseReport, normals: &NormalDirections) {
    b.push(Block::Field("on M \\ S".into(), basis_text(&d.basis)));
    b.push(Block::Field(
        "near S".into(),
        local_basis_text(&d.local_basis),
    ));
    b.push(Block::Field(
        "normal directions".into(),
        normals_text(normals),
    ));
    b.push(Block::Field("Q".into(), d.q_formula.clone()));
    b.push(Block::Field(
        "excluded around S".into(),
        d.exclusion.as_ref().map_or(String::new(), exclusion_text),
    ));
    b.push(Block::Field(
        "local region".into(),
        d.local_region
            .as_ref()
            .map_or(String::new(), local_region_text),
    ));
}

/// The samples of `M`, the sign pattern per branch or component, the exceptional points.
fn pattern_blocks(b: &mut Vec<Block>, d: &DecreaseReport) {
    b.push(Block::Field(
        "samples of M".into(),
        format!(
            "{} points{}: {} (numerical evidence)",
            d.samples,
            d.dimension
                .map_or(String::new(), |k| format!(", dimension {k}")),
            sign_counts(&d.counts)
        ),
    ));
    for br in &d.branches {
        b.push(Block::Item(branch_text(br)));
    }
    for c in &d.components {
        let range = c.q_range.map_or(String::new(), |(lo, hi)| {
            format!("; Q in [{lo:.3e}, {hi:.3e}] outside S")
        });
        b.push(Block::Item(format!(
            "component {} (near {}{}): {}{range}",
            c.index,
            fmt_vec(&c.representative),
            if c.contains_s { ", meets S" } else { "" },
            sign_counts(&c.counts)
        )));
    }
    for e in &d.exceptional {
        let what = match e.kind {
            ExceptionalKind::SignChange => "Q changes sign",
            ExceptionalKind::Pole => "pole of phi",
        };
        b.push(Block::Item(format!(
            "exceptional point on branch {}: {what} at {} ({} -> {}, located to {:.1e})",
            e.branch,
            fmt_vec(&e.point),
            e.between.0.label(),
            e.between.1.label(),
            e.bracket
        )));
    }
}

/// One traced branch: its shape and its stretches of constant sign.
fn branch_text(br: &ngd_decrease::BranchPattern) -> String {
    let shape = match br.closed {
        Some(true) => "closed",
        Some(false) => "leaves the box at both ends",
        None => "ends at a singular point or could not be traced",
    };
    let segs: Vec<String> = br
        .segments
        .iter()
        .map(|sg| {
            let range = sg.q_range.map_or(String::new(), |(lo, hi)| {
                format!(", Q in [{lo:.3e}, {hi:.3e}]")
            });
            format!(
                "{} from {} to {} ({} points{range})",
                sg.sign.label(),
                fmt_vec(&sg.from),
                fmt_vec(&sg.to),
                sg.points
            )
        })
        .collect();
    format!(
        "branch {} ({shape}{}): {}",
        br.index,
        if br.contains_s { ", meets S" } else { "" },
        segs.join("; ")
    )
}

/// The sampled cover (`n > 3`).
fn certificate_blocks(
    b: &mut Vec<Block>,
    c: &DecreaseCertificate,
    case: &crate::report::CaseSummary,
) {
    b.push(Block::Field(
        "sampled boxes (numerical evidence)".into(),
        certificate_summary(c),
    ));
    b.push(Block::Field(
        "first-order term".into(),
        first_order_text(c.first_order).into(),
    ));
    if let (Some(min_c), Some((a_bar, _))) = (c.min_c, c.radius_range) {
        let cover = CoverOfLemma {
            boxes: c.boxes,
            covered: format!(
                "{:.1}% of the {} with Q < 0 outside the neighbourhood of S",
                100.0 * c.fraction,
                measure_text(c.measure)
            ),
            sampled: true,
        };
        constants_lemma(b, &cover, min_c, a_bar);
    }
    smallest_c_block(b, case, &c.examples);
    if let Some(st) = &c.stopped {
        b.push(Block::Item(format!("stopped early: {}", stop_text(st))));
    }
    if !c.uncovered.is_empty() {
        let pts: Vec<String> = c.uncovered.iter().map(|p| fmt_vec(p)).collect();
        b.push(Block::Item(format!(
            "not covered (Q < 0 there but no box proved): {}",
            pts.join(", ")
        )));
    }
}

/// The counts, constants and covered fractions of the sampled cover.
fn certificate_summary(c: &DecreaseCertificate) -> String {
    let mut text = format!(
        "{}: {} boxes around sampled points of M ({} tried)",
        badge(c.evidence),
        c.boxes,
        c.trials
    );
    if let Some(m) = c.min_c {
        text.push_str(&format!(", smallest c = {}", down(m)));
    }
    if let Some((lo, hi)) = c.radius_range {
        text.push_str(&format!(", half-widths {lo:.2e} to {hi:.2e}"));
    }
    if c.eligible == 0.0 {
        text.push_str(
            "; nothing to cover: no sampled point of M outside the neighbourhood of S has Q < 0",
        );
    } else {
        text.push_str(&format!(
            "; {a}; covered {:.1}% of the {} with Q < 0 outside the neighbourhood of S, {}",
            100.0 * c.fraction,
            measure_text(c.measure),
            if c.local_eligible == 0.0 {
                "none of it in the local region".to_string()
            } else {
                format!("{:.1}% in the local region", 100.0 * c.local_fraction)
            },
            a = a_max_rule_text(c.a_max_rule)
        ));
    }
    text
}

/// The witness of increase.
fn refutation_block(b: &mut Vec<Block>, w: &DecreaseRefutation, case: &crate::report::CaseSummary) {
    let point: Vec<String> = case
        .search_box
        .iter()
        .zip(&w.point)
        .map(|(v, x)| format!("{} = {x}", v[0]))
        .collect();
    b.push(Block::Field(
        "refutation".into(),
        format!(
            "one NGD step of size a = {} from x0 = ({}) increases phi: phi(x0) in [{:.12e}, {:.12e}], phi(x0 - a grad f/|grad f|) in [{:.12e}, {:.12e}], increase >= {:.3e} (interval arithmetic at the exact point); x0 is next to the point {} of M where Q = {:.4e}{}",
            w.step,
            point.join(", "),
            w.phi_before.0,
            w.phi_before.1,
            w.phi_after.0,
            w.phi_after.1,
            w.increase_at_least,
            fmt_vec(&w.near),
            w.q_near,
            if w.in_local_region { ", in the local region around S" } else { "" }
        ),
    ));
}

/// The decrease order and the schedule warning.
fn order_blocks(b: &mut Vec<Block>, o: &DecreaseOrder) {
    let fits: Vec<String> = o
        .fits
        .iter()
        .map(|f| match f.order {
            Some(q) => format!("{q:.3} at {}", fmt_vec(&f.point)),
            None => format!(
                "no fit at {} (phi did not decrease at every step)",
                fmt_vec(&f.point)
            ),
        })
        .collect();
    b.push(Block::Field(
        "decrease order".into(),
        format!(
            "q = {} (slope of log(-delta phi) against log a for a = 1e-2 ... 1e-6, MPFR; numerical evidence): {}",
            o.order.map_or("-".into(), |q| format!("{q}")),
            fits.join("; ")
        ),
    ));
    if let Some(w) = &o.warning {
        b.push(Block::Item(format!("WARNING: {}", warning_text(w))));
    }
}

/// `x in [lo, hi], ...` with nine decimals, in the case's variables.
fn box_text(case: &crate::report::CaseSummary, lo: &[f64], hi: &[f64]) -> String {
    case.search_box
        .iter()
        .zip(lo.iter().zip(hi))
        .map(|(v, (lo, hi))| format!("{} in [{lo:.9}, {hi:.9}]", v[0]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The exact cover (`n <= 3`); the excluded neighbourhoods of `S` follow it.
fn cover_blocks(b: &mut Vec<Block>, c: &ExactCover, case: &crate::report::CaseSummary) {
    b.push(Block::Field("exact cover".into(), cover_summary(c)));
    let mut cert = match c.min_c {
        Some(m) => format!("smallest c = {}", down(m)),
        None => "no box certified".to_string(),
    };
    if let Some((lo, hi)) = c.a_max_range {
        cert.push_str(&format!(
            ", a_max from {} to {} ({}); phi(x - a u) - phi(x) <= -c a^2 on each \
             certified box for every u in N f(x) and 0 < a <= a_max (outward-rounded intervals, \
             interval Cholesky; constants rounded down)",
            down(lo),
            down(hi),
            a_max_rule_text(c.a_max_rule)
        ));
    }
    b.push(Block::Field("certified boxes".into(), cert));
    b.push(Block::Field(
        "first-order term".into(),
        first_order_text(c.first_order).into(),
    ));
    if let (Some(min_c), Some((a_bar, _))) = (c.min_c, c.a_max_range) {
        let cover = CoverOfLemma {
            boxes: c.certified,
            covered: format!(
                "{} of the volume near M outside the excluded neighbourhoods of S",
                percent(c.covered_fraction)
            ),
            sampled: false,
        };
        constants_lemma(b, &cover, min_c, a_bar);
    }
    b.push(Block::Field(
        "budgets".into(),
        format!(
            "at most {} boxes; boxes narrower than {:.2e} are not split{}",
            c.max_boxes,
            c.min_width,
            c.limit
                .as_ref()
                .map_or(String::new(), |l| format!("; stopped: {}", limit_text(l)))
        ),
    ));
    smallest_c_block(b, case, &c.examples);
    for u in c.undecided_examples.iter().take(6) {
        let at = u.point_of_m.as_ref().map_or(String::new(), |(p, q)| {
            format!("; M passes {} where Q = {q:.4e}", fmt_vec(p))
        });
        b.push(Block::Item(format!(
            "undecided box {}: {}{at}",
            box_text(case, &u.lo, &u.hi),
            u.reason.label()
        )));
    }
    if let Some(l) = &c.level_exclusion {
        b.push(Block::Item(format!(
            "excluded around the set S: {}",
            level_exclusion_text(l)
        )));
    }
}

/// The leaf counts and certified fractions of the exact cover.
fn cover_summary(c: &ExactCover) -> String {
    let mut text = format!(
        "{}: {} boxes examined (exact rational bisection of the search box): {} proved disjoint \
         from M, {} certified, {} excluded around S, {} undecided",
        badge(c.evidence),
        c.examined,
        c.disjoint,
        c.certified,
        c.excluded,
        c.undecided
    );
    if c.undecided > 0 {
        let (q, w, budget) = c.undecided_by_reason;
        text.push_str(&format!(
            " ({q} with Q >= 0 at a point of M, {w} at the minimum width, {budget} at the box \
             budget)"
        ));
    }
    text.push_str(&format!(
        "; certified {} of the volume near M outside the excluded boxes",
        percent(c.covered_fraction)
    ));
    if let Some(f) = c.local_covered_fraction {
        text.push_str(&format!(", {} in the local regions", percent(f)));
    }
    text
}

/// One excluded neighbourhood of a point of `S` (named as C3 printed it) and its closing
/// argument.
fn ball_text(
    ball: &ngd_decrease::ExcludedBall,
    case: &crate::report::CaseSummary,
    minima: Option<&MinimaReport>,
) -> String {
    let exact = ball.exact_centre.as_ref().map_or(String::new(), |e| {
        format!(" (exact: {})", exact_centre_text(e))
    });
    format!(
        "excluded around s = {}{exact}: radius {:.4e} (max norm; the grid box {} contains the \
         ball of radius {:.4e}); {}: {} ({} boxes); local region {}",
        known_point_text(minima, &ball.centre),
        ball.radius,
        box_text(case, &ball.lo, &ball.hi),
        ball.requested_radius,
        if ball.closed {
            "closed".to_string()
        } else {
            format!("left open: radius {:.4e}", ball.radius)
        },
        closure_argument_text(&ball.argument),
        ball.boxes,
        box_text(case, &ball.local_lo, &ball.local_hi)
    )
}

/// A fraction as a percentage with enough digits that a fraction below 1 never prints as
/// 100% (e.g. `99.9993%`).
pub(super) fn percent(f: f64) -> String {
    if !(0.0..1.0).contains(&f) {
        return format!("{:.2}%", 100.0 * f.clamp(0.0, 1.0));
    }
    let gap = 1.0 - f;
    let digits = ((-gap.log10()).ceil() as i32 - 1).clamp(2, 12) as usize;
    let s = format!("{:.*}%", digits, 100.0 * f);
    if s.starts_with("100") {
        format!("{:.*}%", 12, 100.0 * f)
    } else {
        s
    }
}

/// The normalized directions of `f` at the minima.
fn normals_text(n: &NormalDirections) -> String {
    match n {
        NormalDirections::Gradient => {
            "N f(x) = {+grad g/|grad g|, -grad g/|grad g|} (f = c h(g); at points of M the \
             normalized subdifferential)"
                .into()
        }
        NormalDirections::RowSpace { residuals } => format!(
            "N f(x) = unit sphere of the row space of J_G ({residuals} residuals), which is \
             range(Hess f) on M and contains grad f everywhere"
        ),
    }
}

/// The excluded neighbourhood of `S`.
fn exclusion_text(e: &SNeighbourhood) -> String {
    match e {
        SNeighbourhood::Balls { radius, points } => {
            format!("balls of radius {radius} max(1, |s|) around the {points} point(s) s of S")
        }
        SNeighbourhood::GridBoxes { radius, points } => format!(
            "boxes of the bisection grid containing the max-norm balls of radius {radius} \
             max(1, |s|) around the {points} point(s) s of S (listed below)"
        ),
        SNeighbourhood::Sublevel {
            threshold,
            radius,
            phi_min,
        } => format!(
            "phi - min_M phi <= {threshold:.3e} (= {radius}^2 times the range of phi over the \
             samples; S is a set, min_M phi = {phi_min:.6e})"
        ),
        SNeighbourhood::NotLocated => "none (S was not located)".into(),
    }
}

/// The local region around `S`.
fn local_region_text(e: &SNeighbourhood) -> String {
    match e {
        SNeighbourhood::Balls { radius, .. } => {
            format!("points of M at distance at most {radius} max(1, |s|) from a point s of S")
        }
        SNeighbourhood::GridBoxes { radius, .. } => format!(
            "boxes of the bisection grid containing the max-norm balls of radius {radius} \
             max(1, |s|) around the points of S (samples: within that Euclidean distance)"
        ),
        SNeighbourhood::Sublevel {
            threshold, radius, ..
        } => format!(
            "points of M with phi - min_M phi <= {threshold:.3e} (= ({radius}^2) times the range)"
        ),
        SNeighbourhood::NotLocated => "none (S was not located)".into(),
    }
}

const SAMPLES_TEXT: &str = "every sampled point of M outside the neighbourhood of S has Q < 0 \
                            (numerical)";

/// What the verdict on `M \ S` rests on, in one sentence.
fn basis_text(basis: &DecreaseBasis) -> String {
    match basis {
        DecreaseBasis::NotRun => String::new(),
        DecreaseBasis::NoPointOfM => "no point of M was found in the search box".into(),
        DecreaseBasis::Refuted { near } => format!(
            "refuted: one NGD step from an exact point next to {} increases phi (interval \
             arithmetic)",
            fmt_vec(near)
        ),
        DecreaseBasis::CoverProved {
            examined,
            disjoint,
            certified,
            balls,
        } => format!(
            "proved by the exact cover: {examined} boxes, every one outside the excluded \
             neighbourhoods of S proved disjoint from M ({disjoint}) or certified ({certified}), \
             and {}",
            balls_text(balls)
        ),
        DecreaseBasis::CoverIncomplete {
            gap,
            samples_negative: true,
        } => format!(
            "numerical evidence only: {}; {SAMPLES_TEXT}",
            cover_gap_text(gap)
        ),
        DecreaseBasis::CoverIncomplete {
            gap,
            samples_negative: false,
        } => format!(
            "inconclusive: {}; some sampled point has Q >= 0 or phi undefined",
            cover_gap_text(gap)
        ),
        DecreaseBasis::SampledBoxesComplete { n } => format!(
            "numerical evidence only (n = {n} > {MAX_EXACT_DIM}): boxes around the samples are \
             proved, but not that they cover M; {SAMPLES_TEXT}"
        ),
        DecreaseBasis::SampledBoxesPartial { n, fraction } => format!(
            "numerical evidence only (n = {n} > {MAX_EXACT_DIM}): {SAMPLES_TEXT}; the boxes \
             around the samples cover {:.1}% of them",
            100.0 * fraction
        ),
        DecreaseBasis::SamplesNotNegative => {
            "inconclusive: some sampled point of M outside S has Q >= 0 or phi undefined, or \
             none has Q < 0"
                .into()
        }
        DecreaseBasis::NoCertificate => {
            "inconclusive: no certificate was attempted (see the notes)".into()
        }
        DecreaseBasis::SosStrict {
            squares,
            degree_bound,
        } => format!(
            "proved by an exact SOS certificate: Q < 0 on M \\ S ({squares} squares, ideal \
             membership of degree {degree_bound}; see the sum-of-squares field)"
        ),
        DecreaseBasis::DegenerateOrder => {
            "Q = 0 on M exactly: decided at the leading order of one NGD step (degenerate order below)"
                .into()
        }
    }
}

/// Why the exact cover does not prove the verdict on `M \ S`.
fn cover_gap_text(gap: &CoverGap) -> String {
    match gap {
        CoverGap::OpenNeighbourhoods { balls } => format!(
            "the exact cover leaves no box undecided, but {}",
            balls_text(balls)
        ),
        CoverGap::Undecided {
            undecided,
            covered_fraction,
            limit,
            balls,
        } => format!(
            "the exact cover leaves {undecided} boxes undecided ({} of the volume near M \
             certified{}); {}",
            percent(*covered_fraction),
            limit
                .as_ref()
                .map_or(String::new(), |l| format!("; {}", limit_text(l))),
            balls_text(balls)
        ),
    }
}

/// Which excluded neighbourhoods of `S` are closed.
fn balls_text(balls: &BallsClosed) -> String {
    match balls {
        BallsClosed::SublevelOpen => {
            "the excluded sublevel region around the set S is not closed".to_string()
        }
        BallsClosed::NoneExcluded => "no neighbourhood of S is excluded".to_string(),
        BallsClosed::SomeOpen { open, total } => {
            format!("{open} of the {total} excluded neighbourhoods of S left open")
        }
        BallsClosed::AllClosed { total } => {
            format!("all {total} excluded neighbourhoods of S closed")
        }
    }
}

/// What the verdict near `S` rests on, in one sentence.
fn local_basis_text(basis: &LocalBasis) -> String {
    match basis {
        LocalBasis::NotRun => String::new(),
        LocalBasis::NoPointOfM => "no point of M was found in the search box".into(),
        LocalBasis::Refuted => {
            "refuted: the witness of increase lies in the local region around S".into()
        }
        LocalBasis::SNotLocated => "not decided: S was not located".into(),
        LocalBasis::SIsASet => "numerical evidence at most: S is a set, whose neighbourhood is \
                                not closed by a local argument"
            .into(),
        LocalBasis::CoverProved { balls } => format!(
            "proved: every box of the exact cover meeting the local regions is excluded, proved \
             disjoint from M or certified, and {}",
            balls_text(balls)
        ),
        LocalBasis::CoverIncomplete {
            gap,
            samples_negative: true,
        } => format!(
            "numerical evidence only: {}; every sampled point of M in the local region outside \
             S has Q < 0 (numerical)",
            local_gap_text(gap)
        ),
        LocalBasis::CoverIncomplete {
            gap,
            samples_negative: false,
        } => format!(
            "inconclusive: {}; some sampled point there has Q >= 0 or phi undefined",
            local_gap_text(gap)
        ),
        LocalBasis::SampledBoxes { n } => format!(
            "numerical evidence only (n = {n} > {MAX_EXACT_DIM}): every sampled point of M in \
             the local region outside S has Q < 0"
        ),
        LocalBasis::NoCertificate => {
            "inconclusive: no certificate was attempted or some sampled point near S has Q >= 0"
                .into()
        }
        LocalBasis::SosStrict => {
            "proved by an exact SOS certificate: Q < 0 on M \\ S, hence on the local region \
             outside S"
                .into()
        }
        LocalBasis::DegenerateOrder => {
            "Q = 0 on M exactly: decided at the leading order of one NGD step (degenerate order below)"
                .into()
        }
    }
}

/// The degenerate-order analysis (`Q == 0` on `M` exactly).
fn degenerate_blocks(b: &mut Vec<Block>, d: &DegenerateOrder) {
    let proofs: Vec<String> = d
        .vanishing
        .iter()
        .map(|v| format!("a^{}: {}", v.order, vanishing_text(v.order, &v.proof)))
        .collect();
    b.push(Block::Field(
        "degenerate order".into(),
        format!(
            "phi(x - a u) - phi(x) = sum_k (-s a)^k E_k(x)/(k! |grad g|^k) with u = s grad g/|grad g|, s = +-1, E_k = D^k phi[grad g, ..., grad g]; the first-order term is 0 (phi conserved). Proved to vanish on M (exact): {}",
            proofs.join("; ")
        ),
    ));
    if let (Some(q), Some(t)) = (d.order, &d.leading_term) {
        b.push(Block::Field(
            format!("leading order q = {q}"),
            format!("E_{q} = {t}"),
        ));
    }
    if let Some(t) = &d.leading_on_m {
        b.push(Block::Item(format!(
            "on M with {} = {}: E_q = {}",
            t.variable, t.solved, t.term
        )));
    }
    if let Some((lo, hi)) = d.coefficient_range {
        b.push(Block::Item(format!(
            "E_q/(q! |grad g|^q) at the sampled points of M outside S: in [{lo:.6e}, {hi:.6e}] (f64, numerical)"
        )));
    }
    b.push(Block::Item(conclusion_text(&d.conclusion)));
    if let Some(c) = &d.certificate {
        b.push(Block::Item(order_certificate_text(c)));
    }
    if let Some(p) = d.max_schedule_power {
        b.push(Block::Item(format!(
            "step sizes a_k = a0/(k+1)^p: the decreases c a_k^q add up (sum_k a_k^q diverges) only for p <= 1/q = {p}"
        )));
    }
}

/// What the certificate of order `q` proves (steps starting on `M`), or what it left open.
fn order_certificate_text(c: &OrderCertificate) -> String {
    let sum = |f: fn(&ChartCover) -> usize| c.charts.iter().map(f).sum::<usize>();
    let q = c.order;
    match round_down(c.c).filter(|_| c.complete) {
        Some(cc) => format!(
            "PROVES decrease of order {q} for steps starting on M: phi(x - a u) - phi(x) <= -{} a^{q} for every x of M in the box outside the excluded balls around S, both normal directions, 0 < a <= {} (Taylor's theorem, the Lagrange remainder enclosed by outward-rounded intervals over {} chart boxes; {} in the balls, {} outside the box); nothing is claimed for x off M",
            cc.text,
            c.a0,
            sum(|x| x.certified),
            sum(|x| x.near_s),
            sum(|x| x.outside)
        ),
        None => format!(
            "certificate of order {q} (steps 0 < a <= {}) incomplete: {} chart boxes undecided, {} certified",
            c.a0,
            sum(|x| x.left),
            sum(|x| x.certified)
        ),
    }
}

/// How the order-`k` coefficient was proved to vanish on `M`.
fn vanishing_text(k: usize, v: &Vanishing) -> String {
    match v {
        Vanishing::Identically => format!("the canonical form of E_{k} is 0 (everywhere)"),
        Vanishing::OnFactor { factor, variable } => {
            format!("E_{k} with {variable} solved from {factor} = 0 has canonical form 0")
        }
        Vanishing::Remainder { factor, variable } => {
            format!("the remainder of E_{k} divided by {factor} (in {variable}) is 0")
        }
    }
}

/// What the leading order says.
fn conclusion_text(c: &DegenerateConclusion) -> String {
    match c {
        DegenerateConclusion::InvariantAlongNormals { non_constant } => format!(
            "REFUTES at every order: the integral curves of grad g are straight lines (every 2 x 2 minor of [grad g, Hess g grad g] has canonical form 0) and phi is conserved, so phi is constant on them: phi(x - a u) = phi(x) for every x near M and every step a below the distance to the critical points of g. phi is not d-Lyapunov of any order where M \\ S is not empty{}",
            match non_constant {
                Some(w) => format!("; it is not: {}", non_constant_text(w)),
                None => " (that phi is not constant on M was not proved)".into(),
            }
        ),
        DegenerateConclusion::OddOrder { order, witnessed } => format!(
            "odd leading order {order}: both normal directions occur next to every point of M, and one of them increases phi at order {order}{}",
            if *witnessed { " (witness below)" } else { "; no witness was certified" }
        ),
        DegenerateConclusion::PositiveCoefficient { order, near, value, witnessed } => format!(
            "the leading coefficient of order {order} is {value:.4e} > 0 at {} on M: one NGD step increases phi there{}",
            fmt_vec(near),
            if *witnessed { " (witness below)" } else { "; no witness was certified" }
        ),
        DegenerateConclusion::NegativeOnSamples { order, samples } => format!(
            "the leading coefficient of order {order} is negative at all {samples} sampled points of M outside S: phi(x - a u) - phi(x) <= -c a^{order} there to leading order (numerical evidence at the samples; the certificate of order {order} below decides the label on M \\ S)"
        ),
        DegenerateConclusion::Undecided { max_order } => format!(
            "undecided: no order up to {max_order} (at most {MAX_DEGENERATE_ORDER}) was both not proved to vanish on M and clearly non-zero with one sign at the samples"
        ),
    }
}

/// The two bracketed points of `M` with different values of `phi`.
fn non_constant_text(w: &NonConstantOnM) -> String {
    let seg = |s: &(Vec<String>, Vec<String>)| {
        format!("from ({}) to ({})", s.0.join(", "), s.1.join(", "))
    };

    format!(
        "g changes sign (exact) on the segment {} where phi is in [{:.6e}, {:.6e}], and on the segment {} where phi is in [{:.6e}, {:.6e}]: both hold points of M, and phi differs there, so M \\ S is not empty{}",
        seg(&w.high),
        w.high_phi.0,
        w.high_phi.1,
        seg(&w.low),
        w.low_phi.0,
        w.low_phi.1,
        if w.high_in_local_region { " (the first point lies in the local region around S)" } else { "" }
    )
}

/// Why the exact cover does not prove the verdict near `S`.
fn local_gap_text(gap: &LocalGap) -> String {
    match gap {
        LocalGap::OpenNeighbourhoods { balls } => balls_text(balls),
        LocalGap::Undecided {
            undecided,
            covered_fraction,
            balls,
        } => format!(
            "{undecided} boxes meeting the local regions are undecided ({} of the volume near \
             M there certified); {}",
            percent(*covered_fraction),
            balls_text(balls)
        ),
    }
}

/// One remark, as a sentence.
pub(super) fn note_text(n: &DecreaseNote) -> String {
    match n {
        DecreaseNote::ShapeUnknown => {
            "C4 needs the shape f = c h(g) or f = sum c_i g_i^2 to know the normalized \
             directions at the minima; f has neither, so C4 was not run."
                .into()
        }
        DecreaseNote::ResidualNotConserved { residual } => format!(
            "<grad g_i, grad phi> is not identically 0 for the residual {residual}: the \
             first-order term is not controlled for every normal direction on M, so no \
             certificate is attempted."
        ),
        DecreaseNote::ResidualsConserved => {
            "Every <grad g_i, grad phi> is identically 0 (exact canonical forms), so the \
             first-order term vanishes for every normal direction."
                .into()
        }
        DecreaseNote::LyapunovNotEnough => {
            "C1 proved only <grad f, grad phi> >= 0; for least squares the normal directions \
             on M are not all gradient directions, so no certificate is attempted."
                .into()
        }
        DecreaseNote::Kinks => {
            "phi contains abs/sign/max/min: it is not twice differentiable across their kinks, \
             so no certificate is attempted (the sign pattern and refutations still are)."
                .into()
        }
        DecreaseNote::NoPointOfM => "No point of M was found in the box: nothing to check.".into(),
        DecreaseNote::SNotLocated => {
            "S = argmin_M phi was not located (no regularizer minima from C3): no neighbourhood \
             is excluded and the local verdict is not decided."
                .into()
        }
        DecreaseNote::NoExactCover { n } => format!(
            "n = {n} variables: the exact cover of the search box is implemented for n <= \
             {MAX_EXACT_DIM} only, so C4 is at best numerical evidence here (boxes around \
             sampled points of M, each proved, but not proved to cover M)."
        ),
        DecreaseNote::FirstOrderUncontrolled => {
            "C1 established neither conservation nor <grad f, grad phi> >= 0, so the \
             first-order term is not controlled: no certificate is attempted."
                .into()
        }
        DecreaseNote::ConservedIdentity => {
            "For conserved phi and f = c h(g), differentiating <grad g, grad phi> = 0 along \
             grad g gives Q = -<grad phi, grad s>/(2 s) with the sharpness s = |grad g|^2: \
             phi decreases exactly where phi and the sharpness increase together along M."
                .into()
        }
        DecreaseNote::NothingToCertify => {
            "No sampled point of M outside the neighbourhood of S has Q < 0: there is \
             nothing to certify (a phi that is constant on M, or Q = 0 throughout, is \
             never certified)."
                .into()
        }
        DecreaseNote::LeastSquaresOrderTwoVanishes => {
            "Q == 0 on M, proved (every entry <grad g_i, Hess(phi) grad g_j> vanishes on M \
             exactly): no second-order certificate can hold on a box meeting M, and the \
             leading-order analysis is not implemented for least squares (the NGD direction \
             near M depends on the direction of the residual vector), so C4 stays undecided."
                .into()
        }
    }
}

/// The first-order fact a certificate uses.
fn first_order_text(f: FirstOrder) -> &'static str {
    match f {
        FirstOrder::Conserved => {
            "phi is conserved (C1, exact): -a <grad phi(x), u> = 0 for every normal direction u"
        }
        FirstOrder::Lyapunov => {
            "C1 proved <grad f, grad phi> >= 0 on the search box: -a <grad phi(x), u> <= 0 for \
             the NGD direction u at every x of a box inside the search box"
        }
        FirstOrder::Unknown => {
            "not controlled: C1 established neither conservation nor <grad f, \
                                grad phi> >= 0"
        }
    }
}

/// How `a_max` relates to a certified box.
fn a_max_rule_text(r: AMaxRule) -> &'static str {
    match r {
        AMaxRule::HalfLargestSide => {
            "a_max = half the largest side of the box (xi ranges over the box enlarged by a_max \
             in every coordinate)"
        }
        AMaxRule::HalfWidth => "a_max = box half-width (xi ranges over the box enlarged by a_max)",
    }
}

/// What the sampled cover measures.
fn measure_text(m: CoverMeasure) -> &'static str {
    match m {
        CoverMeasure::ArcLength => "arc length of the traced branches",
        CoverMeasure::IsolatedPoints => "isolated points of M",
        CoverMeasure::SampledPoints => "sampled points of M",
    }
}

/// Why the sampled cover stopped early.
fn stop_text(s: &CertificateStop) -> String {
    match s {
        CertificateStop::TrialBudget { max_trials } => {
            format!("trial budget of {max_trials} boxes exhausted")
        }
    }
}

/// The budget that stopped the exact cover.
fn limit_text(l: &CoverLimit) -> String {
    match l {
        CoverLimit::BoxBudget { max_boxes } => format!(
            "the box budget of {max_boxes} boxes was reached (raise it with --cover-boxes or \
             [limits] cover_boxes)"
        ),
        CoverLimit::MinimumWidth {
            min_width,
            max_depth,
        } => format!(
            "the minimum width ({min_width:.2e}, max_depth = {max_depth} bisections per side) \
             was reached"
        ),
    }
}

/// The schedule warning.
fn warning_text(w: &OrderWarning) -> String {
    match w {
        OrderWarning::ScheduleStalls { power, order } => format!(
            "the schedule's power p = {power} exceeds 1/q = {:.4}: sum_k a_k^{order} converges, \
             so the accumulated decrease of phi is bounded and NGD can stall before reaching S",
            1.0 / order
        ),
    }
}

/// The sublevel region excluded around a set `S`.
fn level_exclusion_text(l: &LevelExclusion) -> String {
    format!(
        "boxes on which a proved enclosure of phi lies below {:.6e} (S is a set; not closed by \
         a local argument)",
        l.phi_below
    )
}

/// The exact point of `S` a closing argument uses.
fn exact_centre_text(e: &ExactCentre) -> String {
    match e {
        ExactCentre::Rational { coordinates } => coordinates.join(", "),
        ExactCentre::FixedLine { symmetry } => {
            format!("the point of M on the fixed line of {symmetry}")
        }
    }
}

/// `x in [lo, hi], ...` with six decimals, in the chart's variables.
fn chart_box_text(k: &ChartBox) -> String {
    (0..k.variables.len())
        .map(|i| format!("{} in [{:.6}, {:.6}]", k.variables[i], k.lo[i], k.hi[i]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The chart of `M` on `K` and the proved concavity of `Q` along it.
fn chart_text(c: &Chart) -> String {
    let x = &c.coordinate;
    format!(
        "on K = {} (which contains the excluded box) M is the graph of {x} over the other \
         coordinates (dg/d{x} has one strict sign on M inside K and g has opposite strict signs on \
         the two faces {x} = const), and the second derivative of Q along every straight chart \
         path, P'^T (g_k Hess Q - Q_k Hess g) P', is proved negative definite on M inside K \
         (interval Cholesky on {} boxes)",
        chart_box_text(&c.chart_box),
        c.proved_boxes
    )
}

/// A point with nine decimals, as the closing argument prints exact points of a line.
fn point9(p: &[f64]) -> String {
    let cs: Vec<String> = p.iter().map(|v| format!("{v:.9}")).collect();
    format!("({})", cs.join(", "))
}

/// The closing argument of an excluded neighbourhood, or why it failed.
fn closure_argument_text(a: &ClosureArgument) -> String {
    match a {
        ClosureArgument::NotImplemented => {
            "the closing argument is implemented for f = c h(g) only".into()
        }
        ClosureArgument::GradientNotFinite => "grad g is not finite at the point of S".into(),
        ClosureArgument::GradientVanishes => "grad g vanishes at the point of S".into(),
        ClosureArgument::NoChart { coordinate } => format!(
            "M near the point is not proved to be a graph over the coordinates other than \
             {coordinate} (g has no strict sign on a face of the chart box)"
        ),
        ClosureArgument::NotConcave {
            chart_box,
            failed_near,
        } => format!(
            "the second derivative of Q along M is not proved negative on the chart box {} \
             (fails near {})",
            chart_box_text(chart_box),
            failed_near.as_ref().map_or("-".into(), |p| fmt_vec(p))
        ),
        ClosureArgument::RationalPoint { point, q, chart } => format!(
            "at the rational point s = ({}) exact evaluation gives g(s) = 0, Q(s) = {q} and \
             grad Q(s) parallel to grad g(s); {}. So Q < 0 on M inside K except at s",
            point.join(", "),
            chart_text(chart)
        ),
        ClosureArgument::Symmetry {
            symmetry,
            from,
            to,
            chart,
        } => format!(
            "the symmetry {symmetry} leaves g and phi invariant (exact canonical forms) and phi \
             is conserved; g has opposite signs at the rational points {} and {} of the fixed \
             line (exact), so M meets the segment between them, inside K, at a point s*; at that \
             point s* the gradients of g, phi and Q lie on the fixed line, so grad Q(s*) is \
             parallel to grad g(s*), grad phi(s*) = 0 and Q(s*) = 0 (Hess phi grad g = -Hess g \
             grad phi); {}. So Q < 0 on M inside K except at s*",
            point9(from),
            point9(to),
            chart_text(chart)
        ),
        ClosureArgument::PointNotExact { chart } => format!(
            "{}, but no exact point of S is established (at a short rational point next to s, \
             exact evaluation did not give g = 0, Q <= 0 and tangential grad Q = 0: the point is \
             not rational, or f or phi is not a rational function) and no symmetry places it \
             exactly",
            chart_text(chart)
        ),
    }
}

/// The boxes a C4 lemma is about: how many, what they cover, and whether they were placed
/// around samples of `M` (then covering `M` between the samples is numerical evidence).
struct CoverOfLemma {
    boxes: usize,
    covered: String,
    sampled: bool,
}

/// The C4 constants as a lemma: on every certified box, for every normal direction and step
/// up to `a_bar` (the smallest `a_max`, valid on every box), `phi` decreases by at least
/// `c a^2` (`c`: the smallest certified constant). Both constants are printed rounded down,
/// so the statement stays true as printed.
fn constants_lemma(b: &mut Vec<Block>, cover: &CoverOfLemma, min_c: f64, a_bar: f64) {
    let (Some(c), Some(a)) = (round_down(min_c), round_down(a_bar)) else {
        return;
    };
    if cover.boxes == 0 {
        return;
    }
    let n = cover.boxes;
    let caveat = if cover.sampled {
        " Each box was proved; that the boxes cover M between the sampled points is numerical          evidence."
    } else {
        ""
    };
    let text = format!(
        "on each of the {n} certified boxes B (they cover {}), for every x in B, every u in \
         N f(x) and every 0 < a <= {}: phi(x - a u) - phi(x) <= -{} a^2 (constants rounded \
         down; proved with outward-rounded interval arithmetic and interval Cholesky).{caveat}",
        cover.covered, a.text, c.text
    );
    let tex = format!(
        "Let $B_{{1}}, \\dots, B_{{{n}}}$ be the certified boxes of C4 (they cover {}). For \
         every $x \\in B_{{1}} \\cup \\dots \\cup B_{{{n}}}$, every $u \\in N f(x)$ and every step \
         $0 < a \\le \\bar a$,\n\\[\n  \\varphi(x - a u) - \\varphi(x) \\le -c\\, a^{{2}}, \\qquad \
         c = {}, \\quad \\bar a = {}.\n\\]\nThe constants are rounded down; the bound was proved \
         with outward-rounded interval arithmetic and interval Cholesky.{}",
        tex_escape(&cover.covered),
        c.tex,
        a.tex,
        tex_escape(caveat)
    );
    b.push(Block::Lemma(Lemma {
        name: "C4 constants".into(),
        text,
        tex,
    }));
}

/// A positive constant rounded down to three significant digits, as text (`1.23e-3`) and
/// LaTeX (`1.23 \cdot 10^{-3}`).
struct RoundedDown {
    text: String,
    tex: String,
}

/// `x > 0` rounded down to three significant digits, checked exactly (the printed decimal
/// never exceeds `x`, or the lemma would claim more than was certified); `None` unless finite
/// and positive.
fn round_down(x: f64) -> Option<RoundedDown> {
    let d = ThreeDigits::round(x, Direction::Down)?;
    let tex = if d.e == 0 {
        d.mantissa()
    } else {
        format!("{} \\cdot 10^{{{}}}", d.mantissa(), d.e)
    };
    Some(RoundedDown {
        text: d.text(),
        tex,
    })
}

/// A certified positive constant as text, rounded down to three digits (`{:e}` when it is not
/// positive and finite, which no certificate gives).
fn down(x: f64) -> String {
    round_down(x).map_or_else(|| format!("{x:e}"), |r| r.text)
}

/// The certified box with the smallest `c` (the first example), when there is one.
fn smallest_c_block(
    b: &mut Vec<Block>,
    case: &crate::report::CaseSummary,
    examples: &[ngd_decrease::CertifiedBox],
) {
    // Printed rounded down: a constant or step bound rounded up would claim more.
    let first = examples.first();
    if let Some((ex, c, a)) = first.and_then(|e| Some((e, round_down(e.c)?, round_down(e.a_max)?)))
    {
        b.push(Block::Field(
            "smallest-c box".into(),
            format!(
                "{}: phi(x - a u) - phi(x) <= -{} a^2 for every u in N f(x) and 0 < a <= {} (proved, outward-rounded intervals; constants rounded down)",
                box_text(case, &ex.lo, &ex.hi),
                c.text,
                a.text
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_rounded_down() {
        let r = round_down(1.2399e-3).unwrap();
        assert_eq!(r.text, "1.23e-3");
        assert_eq!(r.tex, "1.23 \\cdot 10^{-3}");
        assert_eq!(round_down(0.5).unwrap().text, "5.00e-1");
        assert_eq!(round_down(9.999).unwrap().tex, "9.99");
        assert_eq!(round_down(1e-300).unwrap().text, "1.00e-300");
        for x in [0.1, 0.3, 1e-7, 123.456, 7.0, 2.0f64.sqrt()] {
            let r = round_down(x).unwrap();
            let (m, e) = r.text.split_once('e').unwrap();
            let v: f64 = format!("{m}e{e}").parse().unwrap();
            assert!(v <= x && v > 0.99 * x, "{x} -> {}", r.text);
        }
        // The f64 nearest to 1.23e-3 lies below it: the printed 1.23e-3 would exceed the
        // certified value, so the exact comparison prints 1.22e-3.
        let below = 1.23e-3_f64;
        assert!(rug::Rational::from_f64(below).unwrap() < rug::Rational::from((123, 100_000)));
        assert_eq!(round_down(below).unwrap().text, "1.22e-3");
        assert_eq!(round_down(1e-7).unwrap().text, "9.99e-8");
        for x in [1.23e-3, 0.7, 4.56e10, 9.99e-5] {
            let r = round_down(x).unwrap();
            let (m, e) = r.text.split_once('e').unwrap();
            let (int, frac) = m.split_once('.').unwrap();
            let h: i64 = format!("{int}{frac}").parse().unwrap();
            let e: i32 = e.parse().unwrap();
            // Parsed from the digits, independently of `decimal_value`.
            let zeros = "0".repeat((e - 2).unsigned_abs() as usize);
            let text = if e >= 2 {
                format!("{h}{zeros}")
            } else {
                format!("{h}/1{zeros}")
            };
            let printed = rug::Rational::from(rug::Rational::parse(&text).unwrap());
            assert!(
                printed <= rug::Rational::from_f64(x).unwrap(),
                "{x} -> {}",
                r.text
            );
        }
        assert!(round_down(0.0).is_none() && round_down(f64::NAN).is_none());
    }

    #[test]
    fn the_lemma_states_both_constants() {
        let mut b = Vec::new();
        let cover = CoverOfLemma {
            boxes: 12,
            covered: "100% of the volume near M".into(),
            sampled: false,
        };
        constants_lemma(&mut b, &cover, 2.5e-4, 0.0625);
        let [Block::Lemma(l)] = &b[..] else {
            panic!("one lemma expected");
        };
        assert!(
            l.tex
                .contains("c = 2.50 \\cdot 10^{-4}, \\quad \\bar a = 6.25 \\cdot 10^{-2}"),
            "{}",
            l.tex
        );
        assert!(l.tex.contains("B_{12}"), "{}", l.tex);
        assert!(l.tex.contains("100\\%"), "{}", l.tex);
        assert!(l.text.contains("0 < a <= 6.25e-2"), "{}", l.text);
    }
}
