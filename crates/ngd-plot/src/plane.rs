//! The plane of a two-variable case ([`trajectories_figure`]): level sets of `f`, the minimum
//! set `M` as curves coloured by the sign of `Q`, `S`, the flat minima, poles, degenerate
//! points, the pole curves of `phi` and the critical curves of `f` (dashed), the boxes of
//! the C4 cover, and the NGD runs coloured by outcome; equal aspect.

use crate::axes::{Axis, Panel, BOTTOM_MARGIN, TOP_MARGIN};
use crate::contour::{contour_lines, level_values};
use crate::data::{BoxKind, CoverBox, CurveKind, MBranch, MarkKind, Plane, QClass};
use crate::legend::{Entry, Legend, Symbol};
use crate::svg::{tab10, Anchor, Color, Label, Marker, Shape, Stroke, Svg, TextStyle, BLACK};
use crate::{header, outcome_color, outcome_label, MAX_TRAJECTORIES};
use ngd_sim::{HarnessReport, Outcome, RunResult};

/// The longer side of the plot area (px).
const SIDE: f64 = 440.0;
/// Contour levels of `f` drawn.
const LEVELS: usize = 10;
/// Cover boxes smaller than this (px) are not drawn in the plane.
const MIN_BOX_PX: f64 = 3.0;
/// Colour of the level sets of `f`.
const LEVEL_GREY: Color = Color(0xc8, 0xc8, 0xc8);

/// The stroke of `M` where `Q` has sign class `c`.
pub(crate) fn m_stroke(c: QClass) -> Stroke {
    match c {
        QClass::Decreases | QClass::Unknown => Stroke::solid(BLACK, 2.6),
        QClass::Increases => Stroke::solid(tab10::PINK, 2.6),
        QClass::Zero => Stroke::solid(tab10::OLIVE, 2.6),
        QClass::Undefined => Stroke::dotted(tab10::BROWN, 2.2),
        QClass::NearS => Stroke::solid(tab10::CYAN, 2.6),
    }
}

/// The marker of a marked point.
pub(crate) fn mark_marker(k: MarkKind) -> Marker {
    let m = |shape, color, size| Marker {
        shape,
        color,
        size,
        edge: BLACK,
    };
    match k {
        MarkKind::S => m(Shape::Star, Color(0xff, 0xd7, 0x00), 15.0),
        MarkKind::FlatMinimum => m(Shape::Cross, BLACK, 11.0),
        MarkKind::Pole => m(Shape::Triangle, tab10::ORANGE, 12.0),
        MarkKind::Degenerate => m(Shape::Diamond, tab10::BROWN, 11.0),
        MarkKind::SignChange => m(Shape::Square, tab10::PINK, 8.0),
        MarkKind::CriticalOfF => m(Shape::Plus, tab10::PURPLE, 11.0),
        MarkKind::PoleOffM => m(Shape::Triangle, tab10::ORANGE, 10.0),
    }
}

/// The stroke of a curve other than `M`: dashed, in the colour of the marker of the same
/// kind of point (orange poles, purple critical points).
pub(crate) fn curve_stroke(k: CurveKind) -> Stroke {
    match k {
        CurveKind::PoleOfPhi => Stroke::dashed(tab10::ORANGE, 1.8),
        CurveKind::CriticalOfF => Stroke::dashed(tab10::PURPLE, 1.8),
    }
}

/// The fill of a cover box.
pub(crate) fn box_fill(k: BoxKind) -> (Color, f64) {
    match k {
        BoxKind::Certified => (tab10::GREEN, 0.22),
        BoxKind::Undecided => (tab10::RED, 0.22),
        BoxKind::ExcludedClosed => (tab10::CYAN, 0.25),
        BoxKind::ExcludedOpen => (tab10::RED, 0.12),
    }
}

/// The start and end markers of a run.
fn run_markers(o: Outcome) -> (Marker, Marker) {
    let c = outcome_color(o);
    (
        Marker {
            shape: Shape::Ring,
            color: c,
            size: 4.5,
            edge: c,
        },
        Marker {
            shape: Shape::Dot,
            color: c,
            size: 5.5,
            edge: Color(0xff, 0xff, 0xff),
        },
    )
}

/// The plot area of the plane: equal aspect (the same px per unit on both axes).
fn plane_panel(plane: &Plane, top: f64) -> Panel {
    let [(x0, x1), (y0, y1)] = plane.window;
    let scale = SIDE / (x1 - x0).max(y1 - y0);
    let size = ((x1 - x0) * scale, (y1 - y0) * scale);
    let x = Axis::linear(x0, x1, (size.0 / 70.0).round() as usize);
    let y = Axis::linear(y0, y1, (size.1 / 70.0).round() as usize);
    let left = 10.0 + Panel::left_margin(&y);
    Panel {
        at: (left, top),
        size,
        x,
        y,
    }
}

/// The trajectory figure of a two-variable case: see the module docs. Without a harness
/// report it shows the plane alone; runs without a recorded trajectory are drawn as their
/// start and end markers.
///
/// # Errors
///
/// An empty window, or a harness report whose problem is not two-dimensional.
pub fn trajectories_figure(
    title: &str,
    plane: &Plane,
    harness: Option<&HarnessReport>,
) -> Result<String, String> {
    let [(x0, x1), (y0, y1)] = plane.window;
    if !(x0 < x1 && y0 < y1 && (x1 - x0).is_finite() && (y1 - y0).is_finite()) {
        return Err("the plane's window is empty".into());
    }
    if let Some(h) = harness {
        if h.var_names.len() != 2 {
            return Err(format!(
                "trajectory plots need 2 variables (this problem has {})",
                h.var_names.len()
            ));
        }
    }
    let top = TOP_MARGIN + if title.is_empty() { 0.0 } else { 22.0 };
    let panel = plane_panel(plane, top);
    let legend = plane_legend(plane, &panel, harness);
    let (lw, lh) = legend.size();
    let width = panel.at.0 + panel.size.0 + 16.0 + lw + 10.0;
    let height = (top + panel.size.1 + BOTTOM_MARGIN).max(top + lh + 10.0);
    let mut svg = Svg::new(width.round(), height.round());
    header(&mut svg, title);
    panel.clip(&mut svg, "plot", "clip-plane");
    draw_boxes(&mut svg, &panel, plane);
    draw_levels(&mut svg, &panel, plane);
    if let Some(h) = harness {
        draw_runs(&mut svg, &panel, &h.runs);
    }
    draw_curves(&mut svg, &panel, plane);
    draw_minimum_set(&mut svg, &panel, plane);
    svg.close();
    draw_marks(&mut svg, &panel, plane);
    let caption = if harness.is_some() {
        "NGD runs over the level sets of f"
    } else {
        "the minimum set M over the level sets of f"
    };
    panel.draw_axes(
        &mut svg,
        &Label::Plain(plane.var_names[0].clone()),
        &Label::Plain(plane.var_names[1].clone()),
        Some(caption),
    );
    legend.draw(&mut svg, (panel.at.0 + panel.size.0 + 16.0, top));
    Ok(svg.finish())
}

/// The cover boxes, shaded by what C4 decided.
fn draw_boxes(svg: &mut Svg, panel: &Panel, plane: &Plane) {
    let boxes = visible_boxes(panel, plane);
    if boxes.is_empty() {
        return;
    }
    svg.open("cover-boxes", None);
    for b in boxes {
        let (ax, ay) = panel.px(b.lo[0], b.hi[1]);
        let (bx, by) = panel.px(b.hi[0], b.lo[1]);
        let edge = Stroke::solid(box_fill(b.kind).0, 0.6);
        svg.rect(
            (ax, ay),
            (bx - ax, by - ay),
            Some(box_fill(b.kind)),
            Some(&edge),
        );
    }
    svg.close();
}

/// The cover boxes large enough to see (at least [`MIN_BOX_PX`] on both sides).
fn visible_boxes<'p>(panel: &Panel, plane: &'p Plane) -> Vec<&'p CoverBox> {
    plane
        .boxes
        .iter()
        .filter(|b| {
            let (ax, ay) = panel.px(b.lo[0], b.hi[1]);
            let (bx, by) = panel.px(b.hi[0], b.lo[1]);
            bx - ax >= MIN_BOX_PX && by - ay >= MIN_BOX_PX
        })
        .collect()
}

/// Level sets of `f` in light grey.
fn draw_levels(svg: &mut Svg, panel: &Panel, plane: &Plane) {
    let Some(grid) = &plane.f_levels else {
        return;
    };
    svg.open("level-sets", Some("level sets of f"));
    let stroke = Stroke::solid(LEVEL_GREY, 0.8);
    for level in level_values(grid, LEVELS) {
        for line in contour_lines(grid, level) {
            let pts: Vec<(f64, f64)> = line.iter().map(|&(x, y)| panel.px(x, y)).collect();
            svg.polyline(&pts, &stroke);
        }
    }
    svg.close();
}

/// The first [`MAX_TRAJECTORIES`] runs: lines coloured by outcome, a ring at the start and a
/// dot at the end.
fn draw_runs(svg: &mut Svg, panel: &Panel, runs: &[RunResult]) {
    svg.open("trajectories", None);
    for run in runs.iter().take(MAX_TRAJECTORIES) {
        svg.open("run", Some(outcome_label(run.outcome)));
        let stroke = Stroke::solid(outcome_color(run.outcome), 0.9).with_opacity(0.75);
        if let Some(t) = &run.trajectory {
            for piece in finite_pieces(&t.x) {
                let pts: Vec<(f64, f64)> = piece.iter().map(|p| panel.px(p[0], p[1])).collect();
                svg.polyline(&pts, &stroke);
            }
        }
        let (start, end) = run_markers(run.outcome);
        for (p, m) in [(&run.start, start), (&run.end, end)] {
            if p.len() >= 2 && panel.contains(p[0], p[1]) {
                svg.marker(panel.px(p[0], p[1]), &m);
            }
        }
        svg.close();
    }
    svg.close();
}

/// Maximal stretches of points whose first two coordinates are finite.
fn finite_pieces(xs: &[Vec<f64>]) -> Vec<&[Vec<f64>]> {
    xs.split(|p| p.len() < 2 || !(p[0].is_finite() && p[1].is_finite()))
        .filter(|s| s.len() >= 2)
        .collect()
}

/// The pole curves of `phi` and the critical curves of `f`, dashed, under `M` (they may
/// cross it; `M` is what the figure is about).
fn draw_curves(svg: &mut Svg, panel: &Panel, plane: &Plane) {
    if plane.curves.is_empty() {
        return;
    }
    svg.open("curves", None);
    for c in &plane.curves {
        svg.open("plane-curve", Some(c.kind.label()));
        let pts: Vec<(f64, f64)> = c.points.iter().map(|p| panel.px(p[0], p[1])).collect();
        svg.polyline(&pts, &curve_stroke(c.kind));
        svg.close();
    }
    svg.close();
}

/// `M`: each branch as polylines, one per stretch of constant sign class; isolated points
/// as black dots.
fn draw_minimum_set(svg: &mut Svg, panel: &Panel, plane: &Plane) {
    svg.open("minimum-set", Some("M"));
    for b in &plane.branches {
        for (class, lo, hi) in stretches(b) {
            svg.open("m-curve", Some(class.label()));
            let pts: Vec<(f64, f64)> = b.points[lo..hi]
                .iter()
                .map(|p| panel.px(p[0], p[1]))
                .collect();
            svg.polyline(&pts, &m_stroke(class));
            svg.close();
        }
    }
    let dot = Marker {
        shape: Shape::Dot,
        color: BLACK,
        size: 5.0,
        edge: BLACK,
    };
    for p in &plane.m_points {
        svg.open("m-point", Some("point of M"));
        svg.marker(panel.px(p[0], p[1]), &dot);
        svg.close();
    }
    svg.close();
}

/// Stretches `(class, from, to)` of constant sign class along a branch; consecutive
/// stretches share their boundary point so the curve has no gaps.
pub(crate) fn stretches(b: &MBranch) -> Vec<(QClass, usize, usize)> {
    let n = b.points.len().min(b.sign.len());
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=n {
        if i == n || b.sign[i] != b.sign[start] {
            out.push((b.sign[start], start, (i + 1).min(n)));
            start = i;
        }
    }
    out
}

/// The drawing order of marks: the larger shapes first, so that a flat minimum's cross shows
/// on top of the star of `S` at the same point.
fn z_order(k: MarkKind) -> u8 {
    match k {
        MarkKind::Degenerate => 0,
        MarkKind::Pole | MarkKind::PoleOffM => 1,
        MarkKind::S => 2,
        MarkKind::SignChange => 3,
        MarkKind::CriticalOfF => 4,
        MarkKind::FlatMinimum => 5,
    }
}

/// The marked points, and one tag per location naming every kind marked there
/// (`pole, degenerate`), so that tags of coincident marks do not overprint.
fn draw_marks(svg: &mut Svg, panel: &Panel, plane: &Plane) {
    let mut kinds: Vec<MarkKind> = plane.marks.iter().map(|m| m.kind).collect();
    kinds.sort_by_key(|&k| z_order(k));
    kinds.dedup();
    let visible = |at: &[f64; 2]| panel.contains(at[0], at[1]);
    for &k in &kinds {
        svg.open("marks", Some(k.label()));
        for m in plane.marks.iter().filter(|m| m.kind == k && visible(&m.at)) {
            svg.marker(panel.px(m.at[0], m.at[1]), &mark_marker(k));
        }
        svg.close();
    }
    // Tags: marks within 6 px of each other share one.
    let mut tags: Vec<((f64, f64), Vec<&str>)> = Vec::new();
    let mut ordered: Vec<_> = plane.marks.iter().filter(|m| visible(&m.at)).collect();
    ordered.sort_by_key(|m| m.kind);
    for m in ordered {
        let at = panel.px(m.at[0], m.at[1]);
        let tag = m.kind.tag();
        if tag.is_empty() {
            continue;
        }
        match tags
            .iter_mut()
            .find(|(p, _)| (p.0 - at.0).abs() < 6.0 && (p.1 - at.1).abs() < 6.0)
        {
            Some((_, names)) if !names.contains(&tag) => names.push(tag),
            Some(_) => {}
            None => tags.push((at, vec![tag])),
        }
    }
    svg.open("mark-tags", None);
    for (at, names) in tags {
        svg.text(
            (at.0 + 8.0, at.1 - 7.0),
            &Label::Plain(names.join(", ")),
            TextStyle::new(11.0, Anchor::Start),
        );
    }
    svg.close();
}

/// The legend of the plane: what is drawn, in plain words, with counts of runs.
fn plane_legend(plane: &Plane, panel: &Panel, harness: Option<&HarnessReport>) -> Legend {
    let mut entries = Vec::new();
    let mut classes: Vec<QClass> = plane.branches.iter().flat_map(|b| b.sign.clone()).collect();
    classes.sort();
    classes.dedup();
    for c in classes {
        entries.push(Entry::new(Symbol::Line(m_stroke(c)), c.label()));
    }
    if !plane.m_points.is_empty() {
        let dot = Marker {
            shape: Shape::Dot,
            color: BLACK,
            size: 5.0,
            edge: BLACK,
        };
        entries.push(Entry::new(Symbol::Point(dot), "point of M"));
    }
    let mut kinds: Vec<MarkKind> = plane.marks.iter().map(|m| m.kind).collect();
    kinds.sort();
    kinds.dedup();
    for k in kinds {
        entries.push(Entry::new(Symbol::Point(mark_marker(k)), k.label()));
    }
    let mut curve_kinds: Vec<CurveKind> = plane.curves.iter().map(|c| c.kind).collect();
    curve_kinds.sort();
    curve_kinds.dedup();
    for k in curve_kinds {
        entries.push(Entry::new(Symbol::Line(curve_stroke(k)), k.label()));
    }
    let mut box_kinds: Vec<BoxKind> = visible_boxes(panel, plane).iter().map(|b| b.kind).collect();
    box_kinds.sort();
    box_kinds.dedup();
    for k in box_kinds {
        let (c, o) = box_fill(k);
        entries.push(Entry::new(Symbol::Patch(c, o.max(0.3)), k.label()));
    }
    if plane.f_levels.is_some() {
        entries.push(Entry::new(
            Symbol::Line(Stroke::solid(LEVEL_GREY, 1.2)),
            "level sets of f",
        ));
    }
    if let Some(h) = harness {
        run_entries(&mut entries, &h.runs);
    }
    Legend {
        heading: None,
        entries,
    }
}

/// One legend entry per outcome of the drawn runs: "reached a flat minimum (183 of 200)".
fn run_entries(entries: &mut Vec<Entry>, runs: &[RunResult]) {
    let drawn = &runs[..runs.len().min(MAX_TRAJECTORIES)];
    for o in Outcome::ALL {
        let n = drawn.iter().filter(|r| r.outcome == o).count();
        if n == 0 {
            continue;
        }
        let (start, end) = run_markers(o);
        let stroke = Stroke::solid(outcome_color(o), 1.2);
        entries.push(Entry::new(
            Symbol::Path(stroke, start, end),
            format!("NGD run: {} ({n} of {})", outcome_label(o), drawn.len()),
        ));
    }
    if runs.len() > drawn.len() {
        entries.push(Entry::new(
            Symbol::Note,
            format!("the first {} of {} runs are drawn", drawn.len(), runs.len()),
        ));
    }
    if drawn.iter().all(|r| r.trajectory.is_none()) && !drawn.is_empty() {
        entries.push(Entry::new(
            Symbol::Note,
            "start (ring) and final point (dot) only: no trajectories recorded",
        ));
    }
}
