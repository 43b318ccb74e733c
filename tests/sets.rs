//! End-to-end tests of sets of positive dimension in C2/C3/C6 (issue 14, item 1): the shipped
//! `sphere` and `diagonal-net` cases, and adversarial cases that must stay points or be
//! reported not flat.

mod support;

use support::{run_binary as run, stdout_text as text};

/// Writes a case into a temporary folder and returns its path.
fn write_case(name: &str, body: &str) -> String {
    let path = support::temp_case("sets", &format!("{name}.case"), body);
    path.display().to_string()
}

/// The C3 section of a text report.
fn c3(out: &str) -> String {
    let start = out.find("C3 flat minima").expect("C3 section");
    let end = out[start..]
        .find("\nC2 critical")
        .map_or(out.len(), |e| start + e);
    out[start..end].to_string()
}

/// Runs a case as text and JSON; checks the exit status (when given) and bounded sizes; returns the C3 text
/// and the JSON minima section.
fn run_case(path: &str, status: Option<i32>) -> (String, serde_json::Value) {
    let o = run(&[path]);
    let out = text(&o);
    if status.is_some() {
        assert_eq!(o.status.code(), status, "{path}: {out}");
    }
    assert!(
        out.len() < 40_000,
        "{path}: text report of {} bytes",
        out.len()
    );
    let j = run(&[path, "--format", "json"]);
    assert!(
        j.stdout.len() < 200_000,
        "{path}: JSON of {} bytes",
        j.stdout.len()
    );
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).expect("valid JSON");
    let minima = v["minima"].clone();
    assert!(
        minima.to_string().len() < 30_000,
        "{path}: minima JSON too large"
    );
    // The report wraps at 100 columns: the phrases below are read with the line breaks undone.
    let c3 = c3(&out).split_whitespace().collect::<Vec<_>>().join(" ");
    (c3, minima)
}

#[test]
fn sphere_flat_set_is_m_and_s_is_a_flat_circle() {
    let (c3, m) = run_case("cases/sphere.case", Some(0));
    assert!(
        c3.contains("flat set component: dimension 2 (the dimension of M), s = 4.0000000000"),
        "{c3}"
    );
    assert!(c3.contains("S component: dimension 1"), "{c3}");
    assert!(c3.contains("x - y = 0"), "{c3}");
    assert!(
        c3.contains("S lies on the flat set (S is flat): yes"),
        "{c3}"
    );
    assert!(c3.contains("the flat set lies in S: no"), "{c3}");
    let reg = &m["flat"]["regularizer"];
    assert_eq!(reg["s_is_flat"], true);
    assert_eq!(reg["equals_flat_set"], false);
    assert_eq!(reg["s_components"][0]["dimension"], 1);
    // Samples stay out of the JSON unless asked.
    assert!(m["flat"]["components"][0].get("sample_in_report").is_none());
}

#[test]
fn diagonal_network_flat_sphere_lies_in_a_larger_s() {
    let (c3, m) = run_case("cases/diagonal-net.case", Some(0));
    assert!(c3.contains("flat set component: dimension 2"), "{c3}");
    assert!(c3.contains("grad s = 2 grad g"), "{c3}");
    assert!(c3.contains("S component: dimension 2"), "{c3}");
    assert!(
        c3.contains("S lies on the flat set (S is flat): no"),
        "{c3}"
    );
    assert!(c3.contains("the flat set lies in S: yes"), "{c3}");
    let reg = &m["flat"]["regularizer"];
    assert_eq!(reg["s_is_flat"], false);
    let witness = reg["comparison"]["s_point_not_flat"]
        .as_array()
        .expect("a witness point of S that is not flat");
    assert_eq!(witness.len(), 6);
}

const HEADER: &str = "variables = [\"x\", \"y\", \"z\"]\n";
const TAIL: &str = "[search]\nbox = { default = [-2, 2] }\n[ngd]\niterations = 200\nstarts = 4\n";

#[test]
fn two_isolated_points_of_s_on_a_sphere_stay_points() {
    let body = format!(
        "title = \"two points\"\n{HEADER}objective = \"(x^2 + y^2 + z^2 - 1)^2\"\n\
         regularizer = \"y^2 + z^2\"\n{TAIL}"
    );
    let (c3, m) = run_case(&write_case("two-points", &body), None);
    assert!(!c3.contains("S component"), "{c3}");
    let reg = &m["flat"]["regularizer"];
    assert_eq!(reg["s_points"].as_array().map(Vec::len), Some(2), "{c3}");
    assert_eq!(reg["s_is_flat"], true, "{c3}");
}

#[test]
fn a_curve_of_s_off_the_flat_set_is_not_flat() {
    // Ellipsoid x^2 + 2 y^2 + z^2 = 1: s = 4 (x^2 + 4 y^2 + z^2) = 4 + 8 y^2 on M, smallest on
    // the circle y = 0 (the flat set, dimension 1). phi = x^2: S is the ellipse x = 0, which
    // meets the flat circle in two points only.
    let body = format!(
        "title = \"ellipsoid\"\n{HEADER}objective = \"(x^2 + 2*y^2 + z^2 - 1)^2\"\n\
         regularizer = \"x^2\"\n{TAIL}"
    );
    let (c3, m) = run_case(&write_case("ellipsoid", &body), None);
    assert!(c3.contains("flat set component: dimension 1"), "{c3}");
    assert!(c3.contains("S component: dimension 1"), "{c3}");
    assert!(
        c3.contains("S lies on the flat set (S is flat): no"),
        "{c3}"
    );
    assert_eq!(m["flat"]["regularizer"]["s_is_flat"], false);
}

/// The representatives of the diagonal network's flat sphere `{u = v, |u| = 1}` are certified
/// (Krawczyk on the square subsystem of its equations), and each certified box is re-checked
/// here on its own: at the centre `u = v` and `|u| = 1` hold to the printed radius.
#[test]
fn representatives_of_the_flat_sphere_are_certified() {
    let (c3, m) = run_case("cases/diagonal-net.case", None);
    assert!(c3.contains("3 of 3 representatives certified"), "{c3}");
    let comp = &m["flat"]["components"][0];
    let certified = comp["certified"].as_array().expect("certified boxes");
    assert_eq!(certified.len(), 3);
    for p in certified {
        let c: Vec<f64> = p["centre"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let r = p["radius"].as_f64().unwrap();
        assert!(r > 0.0 && r < 1e-6, "{p}");
        let uu: f64 = c[..3].iter().map(|v| v * v).sum();
        assert!((uu - 1.0).abs() <= 8.0 * r, "{p}");
        for i in 0..3 {
            assert!((c[i] - c[i + 3]).abs() <= 2.0 * r, "{p}");
        }
        assert!(p["distance_from_sample"].as_f64().unwrap() >= r);
    }
}
