//! The figures of a small harness run on `(xy - 1)^2` with a hand-made plane: what each SVG
//! contains (curves of `M`, markers, plain legends, a label at every decade, equal aspect),
//! that PNG and PDF render, and that the output is deterministic.

use ngd_expr::Arena;
use ngd_parse::{parse_expr, Params};
use ngd_plot::{
    distance_figure, figures, ngd_vs_gd_figure, q_along_m_figure, svg_to_pdf, svg_to_png,
    trajectories_figure, values_figure, write_figures, BoxKind, CoverBox, CurveKind, FigureData,
    MBranch, Mark, MarkKind, Plane, PlaneCurve, QClass, PNG_SCALE,
};
use ngd_sim::{prepare, Harness, HarnessConfig, HarnessReport, Schedule};

fn xy() -> (Harness, HarnessReport) {
    let mut a = Arena::new(vec!["x".into(), "y".into()]);
    let f = parse_expr(&mut a, "(x*y-1)^2", &Params::new()).unwrap();
    let phi = parse_expr(&mut a, "(x^2-y^2)^2", &Params::new()).unwrap();
    let h = prepare(&mut a, f, Some(phi));
    let cfg = HarnessConfig {
        schedule: Schedule {
            a0: 0.1,
            power: 0.25,
        },
        iterations: 200_000,
        starts: 24,
        record_every: Some(5_000),
        ..HarnessConfig::default()
    };
    let flat = vec![vec![1.0, 1.0], vec![-1.0, -1.0]];
    let r = h.run(&cfg, Some(&flat));
    (h, r)
}

/// The branch `y = 1/x`, `x` in `[0.35, 3]`, with `Q = -(x - 1)^2` (negative except at
/// `S = (1, 1)`, where it is near `S`).
fn branch(sign: f64) -> MBranch {
    let xs: Vec<f64> = (0..=100).map(|i| 0.35 + 0.0265 * f64::from(i)).collect();
    MBranch {
        points: xs.iter().map(|&x| [sign * x, sign / x]).collect(),
        q: xs.iter().map(|&x| Some(-(x - 1.0) * (x - 1.0))).collect(),
        sign: xs
            .iter()
            .map(|&x| {
                if (x - 1.0).abs() < 0.05 {
                    QClass::NearS
                } else {
                    QClass::Decreases
                }
            })
            .collect(),
    }
}

fn plane(h: &Harness) -> Plane {
    Plane {
        var_names: ["x".into(), "y".into()],
        window: [(-3.0, 3.0), (-2.0, 2.0)],
        f_levels: h.level_grid((-3.0, 3.0), (-2.0, 2.0), 81, 61),
        branches: vec![branch(1.0), branch(-1.0)],
        m_points: Vec::new(),
        marks: vec![
            Mark {
                kind: MarkKind::S,
                at: [1.0, 1.0],
            },
            Mark {
                kind: MarkKind::FlatMinimum,
                at: [1.0, 1.0],
            },
            Mark {
                kind: MarkKind::Pole,
                at: [2.0, 0.5],
            },
            Mark {
                kind: MarkKind::Degenerate,
                at: [-2.0, -0.5],
            },
        ],
        curves: Vec::new(),
        boxes: vec![CoverBox {
            lo: [0.95, 0.95],
            hi: [1.05, 1.05],
            kind: BoxKind::ExcludedClosed,
        }],
        cover_complete: true,
    }
}

/// `(class, data-label)` of every group, and the text of every `<text>`, in document order.
fn structure(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let mut out = Vec::new();
    for n in doc.descendants() {
        match n.tag_name().name() {
            "g" => {
                let class = n.attribute("class").unwrap_or("");
                if class == "run" {
                    continue;
                }
                match n.attribute("data-label") {
                    Some(l) => out.push(format!("g.{class}: {l}")),
                    None => out.push(format!("g.{class}")),
                }
            }
            "text" => {
                let t: String = n
                    .descendants()
                    .filter(|d| d.is_text())
                    .filter_map(|d| d.text())
                    .collect();
                out.push(format!("text: {t}"));
            }
            _ => {}
        }
    }
    out.dedup();
    out
}

fn labels(svg: &str, class: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .filter_map(|n| n.attribute("data-label").map(str::to_string))
        .collect()
}

fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect()
        })
        .collect()
}

#[test]
fn the_plane_shows_m_marks_plain_legends_and_equal_aspect() {
    let (h, r) = xy();
    let p = plane(&h);
    let svg = trajectories_figure("Example 1.1", &p, Some(&r)).unwrap();
    let curves = labels(&svg, "m-curve");
    assert!(curves.contains(&"M where phi decreases (Q < 0)".to_string()));
    assert!(curves.contains(&"M near S (excluded neighbourhood)".to_string()));
    let marks = labels(&svg, "marks");
    for k in [
        MarkKind::S,
        MarkKind::FlatMinimum,
        MarkKind::Pole,
        MarkKind::Degenerate,
    ] {
        assert!(marks.contains(&k.label().to_string()), "{k:?}");
    }
    let legend = labels(&svg, "legend-entry");
    assert!(
        legend
            .iter()
            .any(|l| l.starts_with("NGD run: reached a flat minimum (")),
        "{legend:?}"
    );
    assert!(
        legend.iter().all(|l| !l.contains('_')),
        "plain names: {legend:?}"
    );
    assert!(legend.contains(&"level sets of f".to_string()));
    assert!(legend.contains(&"pole of phi on M".to_string()));
    // The tags next to the markers.
    let t = texts(&svg);
    assert!(t.contains(&"S".to_string()) && t.contains(&"pole".to_string()));
    // Equal aspect: the clip rectangle is the plot area of a 6 x 4 window.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let rect = doc
        .descendants()
        .find(|n| n.tag_name().name() == "clipPath")
        .and_then(|n| n.first_element_child())
        .unwrap();
    let w: f64 = rect.attribute("width").unwrap().parse().unwrap();
    let hh: f64 = rect.attribute("height").unwrap().parse().unwrap();
    assert!(
        (w / 6.0 - hh / 4.0).abs() < 0.01,
        "px per unit {w}/6 vs {hh}/4"
    );
    // Deterministic.
    assert_eq!(
        svg,
        trajectories_figure("Example 1.1", &p, Some(&r)).unwrap()
    );
    let (_, r2) = xy();
    assert_eq!(
        svg,
        trajectories_figure("Example 1.1", &p, Some(&r2)).unwrap()
    );
}

#[test]
fn log_axes_label_every_decade_of_the_data() {
    let (_, r) = xy();
    let svg = values_figure("", &r).unwrap();
    // The quartile bands of f per outcome fix the decades of the f panel.
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for o in ngd_sim::Outcome::ALL {
        let runs: Vec<_> = r.runs.iter().filter(|x| x.outcome == o).cloned().collect();
        if let Some(b) = ngd_plot::band(&runs, |t| &t.f) {
            for v in b.q1.iter().chain(&b.q3).filter(|v| v.is_finite()) {
                lo = lo.min(v.max(1e-30));
                hi = hi.max(*v);
            }
        }
    }
    assert!(hi / lo > 1e10, "the data span many decades: {lo} .. {hi}");
    let t = texts(&svg);
    for e in (lo.log10().floor() as i32)..=(hi.log10().ceil() as i32) {
        let label = format!("10{}", e.to_string().replace('-', "\u{2212}"));
        assert!(t.contains(&label), "decade {label} labelled; texts {t:?}");
    }
    assert!(t.iter().any(|s| s == "f along the runs"));
    assert!(t.iter().any(|s| s == "phi along the runs"));
    let legend = labels(&svg, "legend-entry");
    assert!(legend
        .iter()
        .any(|l| l.starts_with("reached a flat minimum (")));
}

#[test]
fn runs_at_poles_are_left_out_of_phi_and_counted() {
    let (_, mut r) = xy();
    // Mark three runs as ending at a pole of phi, with an infinite phi at the end.
    for run in r.runs.iter_mut().take(3) {
        run.outcome = ngd_sim::Outcome::PoleOfPhi;
        if let Some(t) = run.trajectory.as_mut() {
            *t.phi.last_mut().unwrap() = f64::INFINITY;
        }
    }
    let svg = values_figure("", &r).unwrap();
    let legend = labels(&svg, "legend-entry");
    assert!(legend.contains(&"phi panel: the 3 runs ending at a pole are left out".to_string()));
    assert!(legend.contains(&format!("stopped at a pole of phi (3 of {})", r.runs.len())));
}

#[test]
fn gd_panel_distance_and_q_along_m() {
    let (h, r) = xy();
    let svg = ngd_vs_gd_figure("", &r).unwrap();
    let t = texts(&svg);
    assert!(
        t.iter().any(|s| s.starts_with("NGD, a_k = 0.1/(k+1)^0.25")),
        "{t:?}"
    );
    assert!(t.iter().any(|s| s.starts_with("GD, step h = ")), "{t:?}");
    let d = distance_figure("", &r).unwrap();
    assert!(labels(&d, "legend-entry")
        .iter()
        .any(|l| l.starts_with("GD, all 24 runs")));
    let q = q_along_m_figure("", &plane(&h)).unwrap();
    let shades = labels(&q, "q-shade");
    assert!(shades.contains(&BoxKind::Certified.label().to_string()));
    assert!(shades.contains(&BoxKind::ExcludedClosed.label().to_string()));
    assert!(labels(&q, "q-pole").contains(&MarkKind::Pole.label().to_string()));
    assert!(texts(&q).contains(&"arc length along the branch".to_string()));
}

#[test]
fn png_and_pdf_render() {
    let (h, r) = xy();
    let svg = trajectories_figure("", &plane(&h), Some(&r)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let size = |a: &str| -> f64 { doc.root_element().attribute(a).unwrap().parse().unwrap() };
    let png = svg_to_png(&svg).unwrap();
    let pix = resvg_decode(&png);
    assert_eq!(pix.0, (size("width") * f64::from(PNG_SCALE)) as u32);
    assert_eq!(pix.1, (size("height") * f64::from(PNG_SCALE)) as u32);
    // The plot area is not blank: many non-white pixels.
    let dark = pix
        .2
        .chunks(4)
        .filter(|p| p[0] < 200 || p[1] < 200 || p[2] < 200)
        .count();
    assert!(dark > 5_000, "{dark} non-background pixels");
    let pdf = svg_to_pdf(&svg).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(pdf == svg_to_pdf(&svg).unwrap(), "PDF deterministic");
    assert!(png == svg_to_png(&svg).unwrap(), "PNG deterministic");
}

/// Width, height and RGBA pixels of a PNG.
fn resvg_decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let p = resvg::tiny_skia::Pixmap::decode_png(png).expect("PNG decodes");
    (p.width(), p.height(), p.data().to_vec())
}

#[test]
fn write_figures_writes_three_formats_and_says_what_it_skipped() {
    let (h, mut r) = xy();
    r.gd = None;
    r.gd_runs.clear();
    let data = FigureData {
        title: "xy".into(),
        harness: Some(&r),
        plane: Some(plane(&h)),
    };
    let names: Vec<&str> = figures(&data).iter().map(|f| f.0).collect();
    assert_eq!(
        names,
        [
            "trajectories",
            "values",
            "distance",
            "ngd_vs_gd",
            "q_along_m"
        ]
    );
    let dir = std::env::temp_dir().join(format!("ngd-plot-test-{}", std::process::id()));
    let w = write_figures(&data, &dir).unwrap();
    assert_eq!(w.files.len(), 12, "4 figures x 3 formats");
    assert_eq!(w.skipped.len(), 1);
    assert_eq!(w.skipped[0].0, "ngd_vs_gd");
    assert!(w.skipped[0].1.contains("GD baseline"));
    for f in &w.files {
        assert!(
            std::fs::metadata(f).unwrap().len() > 1000,
            "{}",
            f.display()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn figures_refuse_what_they_cannot_draw() {
    let mut a = Arena::new(vec!["x".into(), "y".into(), "z".into()]);
    let f = parse_expr(&mut a, "(x*y*z-1)^2", &Params::new()).unwrap();
    let h = prepare(&mut a, f, None);
    let cfg = HarnessConfig {
        iterations: 100,
        starts: 4,
        start_box: vec![(0.5, 1.5); 3],
        ..HarnessConfig::default()
    };
    let r = h.run(&cfg, None);
    let p = Plane {
        window: [(0.0, 0.0), (0.0, 1.0)],
        ..plane_without_data()
    };
    assert!(trajectories_figure("", &p, None)
        .unwrap_err()
        .contains("empty"));
    assert!(trajectories_figure("", &plane_without_data(), Some(&r))
        .unwrap_err()
        .contains("2 variables"));
    assert!(values_figure("", &r).unwrap_err().contains("record_every"));
    assert!(distance_figure("", &r).unwrap_err().contains("flat set"));
    assert!(q_along_m_figure("", &plane_without_data())
        .unwrap_err()
        .contains("finite value of Q"));
}

fn plane_without_data() -> Plane {
    Plane {
        var_names: ["x".into(), "y".into()],
        window: [(0.0, 1.0), (0.0, 1.0)],
        f_levels: None,
        branches: Vec::new(),
        m_points: vec![[0.5, 0.5]],
        marks: Vec::new(),
        curves: Vec::new(),
        boxes: Vec::new(),
        cover_complete: false,
    }
}

#[test]
fn snapshot_of_the_figures_structure() {
    let (h, r) = xy();
    let p = plane(&h);
    insta::assert_debug_snapshot!(
        "trajectories",
        structure(&trajectories_figure("xy", &p, Some(&r)).unwrap())
    );
    insta::assert_debug_snapshot!("values", structure(&values_figure("", &r).unwrap()));
    insta::assert_debug_snapshot!("ngd_vs_gd", structure(&ngd_vs_gd_figure("", &r).unwrap()));
    insta::assert_debug_snapshot!("q_along_m", structure(&q_along_m_figure("", &p).unwrap()));
}

/// Poles of `phi` off `M` (a line and an isolated point) and a critical curve of `f` are
/// drawn, each with its own plain legend entry and tag, under `M`; the same plane without
/// them has none of these entries.
#[test]
fn poles_off_m_and_critical_curves_are_drawn_and_labelled() {
    let (h, _) = xy();
    let line = |x: f64| PlaneCurve {
        kind: CurveKind::PoleOfPhi,
        points: (0..=40).map(|i| [x, -2.0 + 0.1 * f64::from(i)]).collect(),
    };
    let critical = PlaneCurve {
        kind: CurveKind::CriticalOfF,
        points: (0..=60).map(|i| [-3.0 + 0.1 * f64::from(i), 0.0]).collect(),
    };
    let mut p = plane(&h);
    let bare = trajectories_figure("", &p, None).unwrap();
    p.curves = vec![line(0.0), critical];
    p.marks.push(Mark {
        kind: MarkKind::PoleOffM,
        at: [-1.5, 1.5],
    });
    let svg = trajectories_figure("", &p, None).unwrap();
    let curves = labels(&svg, "plane-curve");
    assert_eq!(
        curves,
        [CurveKind::PoleOfPhi.label(), CurveKind::CriticalOfF.label()]
    );
    let legend = labels(&svg, "legend-entry");
    for want in [
        CurveKind::PoleOfPhi.label(),
        CurveKind::CriticalOfF.label(),
        MarkKind::PoleOffM.label(),
    ] {
        assert!(legend.iter().any(|l| l == want), "{want} in {legend:?}");
        assert!(!labels(&bare, "legend-entry").iter().any(|l| l == want));
    }
    assert!(labels(&svg, "marks").contains(&MarkKind::PoleOffM.label().to_string()));
    assert!(
        texts(&svg).iter().any(|t| t == "pole"),
        "the pole is tagged"
    );
    // Each curve is one polyline with every sample: x = 0 spans the window's height.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let polylines: Vec<usize> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("plane-curve"))
        .map(|g| {
            let pl = g
                .descendants()
                .find(|n| n.has_tag_name("polyline"))
                .unwrap();
            pl.attribute("points").unwrap().split_whitespace().count()
        })
        .collect();
    assert_eq!(polylines, [41, 61]);
    // Drawn under M: the curves' group comes before the minimum set's.
    let order: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("class"))
        .filter(|c| *c == "curves" || *c == "minimum-set")
        .collect();
    assert_eq!(order, ["curves", "minimum-set"]);
    insta::assert_debug_snapshot!("trajectories_with_curves", structure(&svg));
}
