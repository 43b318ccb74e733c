//! The benchmark cases, read from `bench/cases.json` (written by `bench/cases.py`).
//!
//! The JSON file is embedded at compile time, so the binary needs no path at run time; the
//! Python peer scripts read the very same file, so both sides parse the same strings.

use serde::Deserialize;

/// The case file, embedded.
const CASES_JSON: &str = include_str!("../../../bench/cases.json");

/// `<grad f, grad phi> == 0`?
#[derive(Clone, Debug, Deserialize)]
pub struct IdentityCase {
    /// Case name, e.g. `prod16`.
    pub name: String,
    /// Variable names, in order.
    pub vars: Vec<String>,
    /// The objective.
    pub f: String,
    /// The candidate regularizer.
    pub phi: String,
    /// Whether `phi` is conserved (the expected verdict).
    pub conserved: bool,
}

/// Conserved polynomials of degree `1..=degree` of the flow of `f = sum_k g_k^2`.
#[derive(Clone, Debug, Deserialize)]
pub struct DiscoveryCase {
    /// Case name, e.g. `mat3_d3`.
    pub name: String,
    /// Variable names, in order.
    pub vars: Vec<String>,
    /// The residuals `g_k` (what the peers build their system from).
    pub g: Vec<String>,
    /// `sum_k (g_k)**2`, the objective handed to `discover`.
    pub f: String,
    /// Degree bound `d`.
    pub degree: u32,
    /// The dimension of the space of conserved polynomials (derived by hand).
    pub expected_dim: usize,
}

/// One NGD throughput run.
#[derive(Clone, Debug, Deserialize)]
pub struct NgdCase {
    /// Row name, e.g. `xy_S1024`.
    pub name: String,
    /// Variable names, in order.
    pub vars: Vec<String>,
    /// The objective.
    pub f: String,
    /// Number of starts `S`.
    pub starts: u64,
    /// NGD iterations per start.
    pub iterations: u64,
    /// `a_0` of the schedule `a_k = a_0 / (k+1)^power`.
    pub a0: f64,
    /// `power` of the schedule.
    pub power: f64,
    /// Start box `[lo, hi]` in every coordinate.
    #[serde(rename = "box")]
    pub start_box: (f64, f64),
}

/// One member of the product family whose C4 numerator the SOS job proves a sum of squares
/// (`crates/ngd-sos/tests/support/product_family.rs` builds the polynomial from `n`).
#[derive(Clone, Debug, Deserialize)]
pub struct SosCase {
    /// Row name, e.g. `product6`.
    pub name: String,
    /// Number of variables.
    pub n: usize,
}

/// All cases.
#[derive(Clone, Debug, Deserialize)]
pub struct Cases {
    /// Identity (C1) cases.
    pub identity: Vec<IdentityCase>,
    /// Discovery cases.
    pub discovery: Vec<DiscoveryCase>,
    /// NGD cases.
    pub ngd: Vec<NgdCase>,
    /// SOS cases.
    pub sos: Vec<SosCase>,
}

impl Cases {
    /// The embedded case file.
    ///
    /// # Panics
    ///
    /// When the embedded JSON does not parse (a test checks it does).
    pub fn embedded() -> Cases {
        serde_json::from_str(CASES_JSON).expect("bench/cases.json parses")
    }
}

/// The case called `name` in `list`, or an error naming the known cases.
pub fn find<'a, T>(list: &'a [T], name: &str, key: impl Fn(&T) -> &str) -> Result<&'a T, String> {
    list.iter().find(|c| key(c) == name).ok_or_else(|| {
        let known: Vec<&str> = list.iter().map(&key).collect();
        format!("unknown case {name:?}; known: {}", known.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_cases_parse_and_cover_the_brief() {
        let c = Cases::embedded();
        for name in [
            "xy", "xy_neg", "prod8", "prod16", "prod32", "mat3", "mat4", "mat6",
        ] {
            assert!(find(&c.identity, name, |c| &c.name).is_ok(), "{name}");
        }
        for name in [
            "xy_d2", "xy_d4", "xy_d6", "prod3_d2", "prod3_d4", "prod4_d2", "prod4_d4", "prod6_d2",
            "prod6_d4", "mat2_d2", "mat3_d2", "mat3_d3",
        ] {
            assert!(find(&c.discovery, name, |c| &c.name).is_ok(), "{name}");
        }
        assert_eq!(c.ngd.len(), 3);
        let sos: Vec<usize> = c.sos.iter().map(|c| c.n).collect();
        assert_eq!(sos, [3, 4, 5, 6]);
        assert!(find(&c.identity, "nope", |c| &c.name).is_err());
    }
}
