//! Times C4 on the shipped cases (and a few more) and prints the certificate's size.
//!
//! `cargo run --release -p ngd-decrease --example decrease_timing [-- NAME] [-- --json]`
//!
//! For each case (the shipped search boxes): C2/C3 (to locate `S`, not timed) then
//! [`check_decrease`] (timed, wall clock): the verdicts, the exact cover (boxes examined,
//! certified, undecided; `n <= 3`) or the sampled boxes (`n > 3`), the excluded
//! neighbourhoods closed, the smallest `c`, the refutation and the decrease order.

use ngd_check::RationalBox;
use ngd_decrease::{check_decrease, DecreaseOptions, FirstOrder, MinimizerSet};
use ngd_expr::{Arena, Rational};
use ngd_minima::{analyse_minima, MinimaOptions};
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};
use std::time::Instant;

struct Case {
    name: &'static str,
    vars: &'static [&'static str],
    f: &'static str,
    phi: &'static str,
    lo: &'static [i64],
    hi: &'static [i64],
    power: f64,
}

const CASES: &[Case] = &[
    Case {
        name: "xy",
        vars: &["x", "y"],
        f: "(x*y - 1)^2",
        phi: "(x^2 - y^2)^2",
        lo: &[-3],
        hi: &[3],
        power: 0.25,
    },
    Case {
        name: "narrow-bump",
        vars: &["x", "y"],
        f: "(x*y - 1)^2",
        phi: "(x^2 - y^2)^2 + 1/(10^8*((x^2 - y^2 - 1/10)^2 + 1/10^6))",
        lo: &[-3],
        hi: &[3],
        power: 0.25,
    },
    Case {
        name: "xy-linear",
        vars: &["x", "y"],
        f: "(x*y - 1)^2",
        phi: "x^2 - y^2",
        lo: &[-2],
        hi: &[2],
        power: 0.25,
    },
    Case {
        name: "xy-zero",
        vars: &["x", "y"],
        f: "(x*y - 1)^2",
        phi: "0*x",
        lo: &[-2],
        hi: &[2],
        power: 0.25,
    },
    Case {
        name: "product3",
        vars: &["x1", "x2", "x3"],
        f: "(x1*x2*x3 - 1)^2",
        phi: "(x1^2 - x2^2)^2 + (x1^2 - x3^2)^2 + (x2^2 - x3^2)^2",
        lo: &[-2],
        hi: &[2],
        power: 0.25,
    },
    Case {
        name: "parabola",
        vars: &["x", "y"],
        f: "(y - x^2)^2",
        phi: "x^2*exp(4*y)",
        lo: &[-2, -1],
        hi: &[2, 3],
        power: 0.25,
    },
    Case {
        name: "cubic",
        vars: &["x", "y"],
        f: "(x^3 + y^3 - 1)^2",
        phi: "(1/x - 1/y)^2",
        lo: &[-3],
        hi: &[3],
        power: 0.25,
    },
    Case {
        name: "ellipse",
        vars: &["x", "y"],
        f: "(x^2 + 2*y^2 - 1)^2",
        phi: "y^2/x^4",
        lo: &[-2],
        hi: &[2],
        power: 0.25,
    },
    Case {
        name: "hyperbola",
        vars: &["x", "y"],
        f: "(x^2 - y^2 - 1)^2",
        phi: "x^2*y^2",
        lo: &[-3],
        hi: &[3],
        power: 0.25,
    },
    Case {
        name: "abs-xy",
        vars: &["x", "y"],
        f: "abs(x*y - 1)",
        phi: "(x^2 - y^2)^2",
        lo: &[-3],
        hi: &[3],
        power: 0.25,
    },
    Case {
        name: "matfact2",
        vars: &["X[2,2]", "Y[2,2]"],
        f: "sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[i,k]*Y[j,k]) - M[i,j])^2)",
        phi: "sum(i = 1..2, j = 1..2, sum(k = 1..2, X[k,i]*X[k,j] - Y[k,i]*Y[k,j])^2)",
        lo: &[-2],
        hi: &[2],
        power: 0.25,
    },
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let only: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let mut params = Params::new();
    params.insert(
        "M".into(),
        ParamValue::Matrix(vec![
            vec![Rational::from(2), Rational::from(0)],
            vec![Rational::from(0), Rational::from(1)],
        ]),
    );
    println!("| case | M dim | near S | on M \\ S | boxes examined | disjoint | certified | excluded | undecided | balls closed | min c | covered | refuted at | order | C4 time |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for c in CASES {
        if !only.is_empty() && !only.iter().any(|o| o.as_str() == c.name) {
            continue;
        }
        let decls: Vec<String> = c.vars.iter().map(|s| s.to_string()).collect();
        let names = expand_variables(&decls).expect("variables");
        let n = names.len();
        let mut a = Arena::new(names);
        let f = parse_expr(&mut a, c.f, &params).expect("f");
        let phi = parse_expr(&mut a, c.phi, &params).expect("phi");
        let lo = (0..n)
            .map(|i| Rational::from(c.lo[i.min(c.lo.len() - 1)]))
            .collect();
        let hi = (0..n)
            .map(|i| Rational::from(c.hi[i.min(c.hi.len() - 1)]))
            .collect();
        let bx = RationalBox::new(lo, hi).expect("box");
        let minima = analyse_minima(&mut a, f, Some(phi), &bx, &MinimaOptions::default());
        let s = MinimizerSet::from_minima(&minima);
        let opts = DecreaseOptions {
            schedule_power: Some(c.power),
            ..DecreaseOptions::default()
        };
        let t = Instant::now();
        let r = check_decrease(&mut a, f, phi, &bx, FirstOrder::Conserved, &s, &opts);
        let dt = t.elapsed();
        if json {
            println!("{}", serde_json::to_string_pretty(&r).expect("json"));
        }
        let cov = r.cover.as_ref();
        let sampled = r.certificate.as_ref();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.3} s |",
            c.name,
            r.dimension.map_or("?".to_string(), |d| d.to_string()),
            r.local.label(),
            r.evidence.label(),
            cov.map_or(
                sampled.map_or("-".into(), |s| format!("{} sampled", s.trials)),
                |c| c.examined.to_string()
            ),
            cov.map_or("-".into(), |c| c.disjoint.to_string()),
            cov.map_or(
                sampled.map_or("-".into(), |s| format!("{} sampled", s.boxes)),
                |c| c.certified.to_string()
            ),
            cov.map_or("-".into(), |c| c.excluded.to_string()),
            cov.map_or("-".into(), |c| c.undecided.to_string()),
            cov.map_or("-".into(), |c| format!(
                "{}/{}",
                c.balls.iter().filter(|b| b.closed).count(),
                c.balls.len()
            )),
            cov.and_then(|c| c.min_c)
                .or(sampled.and_then(|s| s.min_c))
                .map_or("-".into(), |v| format!("{v:.2e}")),
            cov.map_or(
                sampled.map_or("-".into(), |s| format!("{:.4} (samples)", s.fraction)),
                |c| format!("{:.6}", c.covered_fraction)
            ),
            r.refutation.as_ref().map_or("-".into(), |w| format!(
                "{:?} a={}",
                w.near
                    .iter()
                    .map(|v| (v * 1e3).round() / 1e3)
                    .collect::<Vec<_>>(),
                w.step
            )),
            r.order
                .as_ref()
                .and_then(|o| o.order)
                .map_or("-".into(), |q| format!("{q}")),
            dt.as_secs_f64()
        );
    }
}
