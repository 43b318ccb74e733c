//! One form per number: the points C3 printed (flat points, points of `S`) are printed the
//! same way wherever a later section names them (C4's excluded neighbourhoods, C6's boxes).

use super::*;
use ngd_minima::RefinedPoint;

/// True when `p` is the point `x` (within `1e-9` relative in every coordinate): the `f64`
/// coordinates a later section carries are roundings of the refined point.
fn same_point(p: &RefinedPoint, x: &[f64]) -> bool {
    p.approx.len() == x.len()
        && p.approx
            .iter()
            .zip(x)
            .all(|(a, b)| (a - b).abs() <= 1e-9 * a.abs().max(1.0))
}

/// The refined points C3 printed: the flat points, then the Lagrange points of `phi` on `M`
/// (the points of `S` among them).
fn c3_points(minima: &MinimaReport) -> impl Iterator<Item = &RefinedPoint> {
    let flat = minima.flat.flat_points.iter().map(|f| &f.point);
    let of_phi = minima
        .flat
        .regularizer
        .iter()
        .flat_map(|r| r.critical_points.iter().map(|c| &c.point));
    flat.chain(of_phi)
}

/// `x` in the form C3 printed it: the point of C3 it is, with its closed forms, when it is one
/// and has any; else its decimals (six digits).
pub(super) fn known_point_text(minima: Option<&MinimaReport>, x: &[f64]) -> String {
    minima
        .and_then(|m| {
            c3_points(m).find(|p| same_point(p, x) && p.closed_form.iter().any(Option::is_some))
        })
        .map_or_else(|| fmt_vec(x), point_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refined(approx: Vec<f64>, forms: Vec<Option<&str>>) -> RefinedPoint {
        RefinedPoint {
            coords: approx.iter().map(|v| format!("{v:.20}")).collect(),
            closed_form: forms.into_iter().map(|f| f.map(String::from)).collect(),
            approx,
            digits: 50,
        }
    }

    #[test]
    fn matches_within_relative_tolerance_only() {
        let w = 2f64.powf(-1.0 / 3.0);
        let p = refined(vec![w, w], vec![Some("2^(-1/3)"), Some("2^(-1/3)")]);
        assert!(same_point(&p, &[w, w * (1.0 + 1e-12)]));
        assert!(!same_point(&p, &[w, w + 1e-6]));
        assert!(!same_point(&p, &[w]));
    }
}
