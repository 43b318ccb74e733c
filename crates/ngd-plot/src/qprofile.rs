//! `Q` along each traced branch of `M` against arc length ([`q_along_m_figure`]), with the
//! stretches that C4's boxes certify shaded.

use crate::axes::{Axis, Panel, BOTTOM_MARGIN, TOP_MARGIN};
use crate::data::{BoxKind, MBranch, MarkKind, Plane, QClass};
use crate::header;
use crate::legend::{Entry, Legend, Symbol};
use crate::plane::{box_fill, m_stroke, stretches};
use crate::svg::{tab10, Color, Label, Stroke, Svg};

/// Plot area of one branch (px).
const W: f64 = 520.0;
const H: f64 = 170.0;
/// At most this many branches are drawn (the longest).
pub const MAX_BRANCHES: usize = 4;
/// A pole mark is placed on a branch when it lies within this fraction of the window's
/// diagonal of a branch point.
const ON_BRANCH: f64 = 0.02;

/// Arc length at each point of a branch, from its first point.
fn arc_length(b: &MBranch) -> Vec<f64> {
    let mut s = Vec::with_capacity(b.points.len());
    let mut acc = 0.0;
    for (i, p) in b.points.iter().enumerate() {
        if i > 0 {
            let q = b.points[i - 1];
            acc += ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt();
        }
        s.push(acc);
    }
    s
}

/// What shades the point `p` of a branch of class `c`, if anything.
fn shade_of(plane: &Plane, p: [f64; 2], c: QClass) -> Option<BoxKind> {
    let inside = |k: BoxKind| {
        plane
            .boxes
            .iter()
            .any(|b| b.kind == k && (0..2).all(|i| p[i] >= b.lo[i] && p[i] <= b.hi[i]))
    };
    for k in [
        BoxKind::ExcludedClosed,
        BoxKind::ExcludedOpen,
        BoxKind::Undecided,
    ] {
        if inside(k) {
            return Some(k);
        }
    }
    let certified_by_cover = plane.cover_complete && matches!(c, QClass::Decreases | QClass::Zero);
    (certified_by_cover || inside(BoxKind::Certified)).then_some(BoxKind::Certified)
}

/// The y axis of a branch: the finite `Q` between the 2% and 98% quantiles, and 0.
fn q_axis(b: &MBranch) -> Option<(Axis, bool)> {
    let mut v: Vec<f64> =
        b.q.iter()
            .flatten()
            .copied()
            .filter(|q| q.is_finite())
            .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    let (lo, hi) = (at(0.02).min(0.0), at(0.98).max(0.0));
    let clipped = v[0] < lo || v[v.len() - 1] > hi;
    let (lo, hi) = if hi > lo { (lo, hi) } else { (-1.0, 1.0) };
    Some((Axis::linear_data(lo, hi, 5), clipped))
}

/// `Q` along each traced branch of `M` (the longest [`MAX_BRANCHES`]), arc length on the x
/// axis: the curve coloured by the sign class of `Q`, `Q = 0` dashed, the stretches in a
/// certified box of C4 (every stretch where `Q <= 0` outside the neighbourhoods of `S` when
/// the exact cover is complete) shaded green, the excluded neighbourhoods of `S` and the
/// undecided boxes shaded, poles of `phi` on the branch as vertical dotted lines.
///
/// # Errors
///
/// No branch with a finite value of `Q`.
pub fn q_along_m_figure(title: &str, plane: &Plane) -> Result<String, String> {
    let mut order: Vec<usize> = (0..plane.branches.len())
        .filter(|&i| q_axis(&plane.branches[i]).is_some())
        .collect();
    if order.is_empty() {
        return Err("no traced branch of M with a finite value of Q".into());
    }
    order.sort_by_key(|&i| std::cmp::Reverse(plane.branches[i].points.len()));
    order.truncate(MAX_BRANCHES);
    order.sort_unstable();
    let legend = q_legend(plane, &order);
    let axes: Vec<(Axis, bool)> = order
        .iter()
        .filter_map(|&i| q_axis(&plane.branches[i]))
        .collect();
    let left = 10.0
        + axes
            .iter()
            .map(|a| Panel::left_margin(&a.0))
            .fold(0.0, f64::max);
    let top = TOP_MARGIN + if title.is_empty() { 0.0 } else { 22.0 };
    let step = H + BOTTOM_MARGIN + TOP_MARGIN - 6.0;
    let (lw, lh) = legend.size();
    let width = left + W + 16.0 + lw + 10.0;
    let height = (top + order.len() as f64 * step - TOP_MARGIN + 6.0).max(top + lh + 10.0);
    let mut svg = Svg::new(width.round(), height.round());
    header(&mut svg, title);
    for (row, (&i, (y, clipped))) in order.iter().zip(axes).enumerate() {
        let b = &plane.branches[i];
        let s = arc_length(b);
        let total = s.last().copied().unwrap_or(0.0);
        let panel = Panel {
            at: (left, top + row as f64 * step),
            size: (W, H),
            x: Axis::linear(0.0, total.max(1e-12), 7),
            y,
        };
        draw_branch(&mut svg, &panel, plane, b, &s, row);
        let name = format!(
            "branch {} of M{}",
            i + 1,
            if clipped {
                " (Q clipped to the axis)"
            } else {
                ""
            }
        );
        panel.draw_axes(
            &mut svg,
            &Label::Plain("arc length along the branch".into()),
            &Label::Plain("Q".into()),
            Some(&name),
        );
    }
    legend.draw(&mut svg, (left + W + 16.0, top));
    Ok(svg.finish())
}

/// One branch: shading, `Q = 0`, poles, the curve.
fn draw_branch(svg: &mut Svg, panel: &Panel, plane: &Plane, b: &MBranch, s: &[f64], row: usize) {
    panel.clip(svg, "q-branch", &format!("clip-q{row}"));
    let n = b.points.len().min(b.q.len()).min(b.sign.len());
    // Shade each point's half-way span to its neighbours.
    let mid = |i: usize| {
        let lo = if i == 0 {
            s[0]
        } else {
            0.5 * (s[i - 1] + s[i])
        };
        let hi = if i + 1 == n {
            s[i]
        } else {
            0.5 * (s[i] + s[i + 1])
        };
        (lo, hi)
    };
    let mut i = 0;
    while i < n {
        let kind = shade_of(plane, b.points[i], b.sign[i]);
        let mut j = i + 1;
        while j < n && shade_of(plane, b.points[j], b.sign[j]) == kind {
            j += 1;
        }
        if let Some(k) = kind {
            let (a, _) = mid(i);
            let (_, z) = mid(j - 1);
            let (pa, _) = panel.px(a, panel.y.hi);
            let (pz, _) = panel.px(z, panel.y.hi);
            svg.open("q-shade", Some(k.label()));
            let (c, o) = box_fill(k);
            svg.rect(
                (pa, panel.at.1),
                (pz - pa, panel.size.1),
                Some((c, o)),
                None,
            );
            svg.close();
        }
        i = j;
    }
    let (z0, z1) = (panel.px(s[0], 0.0), panel.px(s[n - 1], 0.0));
    svg.polyline(&[z0, z1], &Stroke::dashed(Color(0x55, 0x55, 0x55), 1.0));
    for m in plane.marks.iter().filter(|m| m.kind == MarkKind::Pole) {
        if let Some(at) = nearest_on_branch(plane, b, m.at) {
            let x = panel.px(s[at], 0.0).0;
            svg.open("q-pole", Some(MarkKind::Pole.label()));
            svg.polyline(
                &[(x, panel.at.1), (x, panel.at.1 + panel.size.1)],
                &Stroke::dotted(tab10::ORANGE, 1.8),
            );
            svg.close();
        }
    }
    // The shared boundary point joins two stretches unless that would draw a jump across
    // most of the panel (a pole between them).
    let jump = 0.5 * (panel.y.hi - panel.y.lo);
    for (class, lo, hi) in stretches(b) {
        let stroke = Stroke {
            width: 2.0,
            ..m_stroke(class)
        };
        let hi = hi.min(n);
        let joined = hi > lo + 1
            && matches!((b.q[hi - 2], b.q[hi - 1]), (Some(a), Some(z)) if (z - a).abs() < jump);
        let end = if joined {
            hi
        } else {
            hi.saturating_sub(1).max(lo + 1)
        };
        svg.open("q-curve", Some(class.label()));
        let mut piece = Vec::new();
        for (q, &arc) in b.q[lo..end].iter().zip(&s[lo..end]) {
            match q.filter(|q| q.is_finite()) {
                Some(q) => piece.push(panel.px(arc, q)),
                None => {
                    svg.polyline(&piece, &stroke);
                    piece.clear();
                }
            }
        }
        svg.polyline(&piece, &stroke);
        svg.close();
    }
    svg.close();
}

/// The index of the branch point nearest to `p`, when it is close enough to count as on it.
fn nearest_on_branch(plane: &Plane, b: &MBranch, p: [f64; 2]) -> Option<usize> {
    let [(x0, x1), (y0, y1)] = plane.window;
    let tol = ON_BRANCH * ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
    let d = |q: &[f64; 2]| ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)).sqrt();
    let (i, best) = b
        .points
        .iter()
        .map(d)
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    (best <= tol).then_some(i)
}

/// The legend: the classes of `Q` drawn, the shadings present, the poles.
fn q_legend(plane: &Plane, order: &[usize]) -> Legend {
    let branches: Vec<&MBranch> = order.iter().map(|&i| &plane.branches[i]).collect();
    let mut entries = Vec::new();
    let mut classes: Vec<QClass> = branches.iter().flat_map(|b| b.sign.clone()).collect();
    classes.sort();
    classes.dedup();
    for c in classes.into_iter().filter(|&c| c != QClass::Undefined) {
        let stroke = Stroke {
            width: 2.0,
            ..m_stroke(c)
        };
        let label = match c {
            QClass::Unknown => "Q",
            QClass::NearS => "Q near S (excluded neighbourhood)",
            _ => c.label().trim_start_matches("M where "),
        };
        entries.push(Entry::new(Symbol::Line(stroke), label));
    }
    entries.push(Entry::new(
        Symbol::Line(Stroke::dashed(Color(0x55, 0x55, 0x55), 1.0)),
        "Q = 0",
    ));
    let mut shades: Vec<BoxKind> = branches
        .iter()
        .flat_map(|b| {
            b.points
                .iter()
                .zip(&b.sign)
                .filter_map(|(p, c)| shade_of(plane, *p, *c))
        })
        .collect();
    shades.sort();
    shades.dedup();
    for k in shades {
        let (c, o) = box_fill(k);
        let label = if k == BoxKind::Certified && plane.cover_complete {
            "certified: phi(x - a u) - phi(x) <= -c a^2 proved"
        } else {
            k.label()
        };
        entries.push(Entry::new(Symbol::Patch(c, o.max(0.3)), label));
    }
    if plane.marks.iter().any(|m| m.kind == MarkKind::Pole) {
        entries.push(Entry::new(
            Symbol::Line(Stroke::dotted(tab10::ORANGE, 1.8)),
            MarkKind::Pole.label(),
        ));
    }
    if plane.branches.len() > order.len() {
        entries.push(Entry::new(
            Symbol::Note,
            format!(
                "the {} longest of {} branches are drawn",
                order.len(),
                plane.branches.len()
            ),
        ));
    }
    Legend {
        heading: Some("Q = max u^T Hess phi u on M".into()),
        entries,
    }
}
