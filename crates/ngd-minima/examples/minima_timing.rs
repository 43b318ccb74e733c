//! Times C2 + C3 (+ C6) on the product and matrix-factorization cases and prints a summary.
//!
//! `cargo run --release -p ngd-minima --example minima_timing [json]`

use ngd_check::RationalBox;
use ngd_expr::{Arena, Rational};
use ngd_minima::{analyse_minima, MinimaOptions, MinimaReport};
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};
use std::time::Instant;

struct Case {
    name: String,
    vars: Vec<String>,
    f: String,
    phi: String,
    params: Params,
    half_width: i64,
}

fn product(n: usize) -> Case {
    Case {
        name: format!("product{n}"),
        vars: vec![format!("x[{n}]")],
        f: format!("(prod(i = 1..{n}, x[i]) - 1)^2"),
        phi: format!("sum(i = 1..{n}, sum(j = i+1..{n}, (x[i]^2 - x[j]^2)^2))"),
        params: Params::new(),
        half_width: 2,
    }
}

fn matfact(k: usize) -> Case {
    let m: Vec<Vec<Rational>> = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| Rational::from(if i == j { (k - i) as i64 } else { 0 }))
                .collect()
        })
        .collect();
    let mut params = Params::new();
    params.insert("M".into(), ParamValue::Matrix(m));
    Case {
        name: format!("matfact{k}"),
        vars: vec![format!("X[{k},{k}]"), format!("Y[{k},{k}]")],
        f: format!("sum(i = 1..{k}, j = 1..{k}, (sum(l = 1..{k}, X[i,l]*Y[j,l]) - M[i,j])^2)"),
        phi: format!(
            "sum(i = 1..{k}, j = 1..{k}, sum(l = 1..{k}, X[l,i]*X[l,j] - Y[l,i]*Y[l,j])^2)"
        ),
        params,
        half_width: 2,
    }
}

fn run(c: &Case, with_phi: bool) -> (MinimaReport, f64) {
    let names = expand_variables(&c.vars).expect("variables");
    let n = names.len();
    let mut a = Arena::new(names);
    let f = parse_expr(&mut a, &c.f, &c.params).expect("f");
    let phi = with_phi.then(|| parse_expr(&mut a, &c.phi, &c.params).expect("phi"));
    let bx = RationalBox::cube(n, c.half_width);
    let t = Instant::now();
    let r = analyse_minima(&mut a, f, phi, &bx, &MinimaOptions::default());
    (r, t.elapsed().as_secs_f64())
}

fn main() {
    let json = std::env::args().nth(1).as_deref() == Some("json");
    let mut cases = vec![product(3), product(8), matfact(2), matfact(3)];
    if std::env::args().nth(1).as_deref() == Some("all") {
        cases = (3..=10)
            .map(product)
            .chain([matfact(2), matfact(3)])
            .collect();
    }
    for c in &cases {
        let (_, t_c23) = run(c, false);
        let (r, t_all) = run(c, true);
        let ms = &r.minimum_set;
        println!(
            "{:10} C2+C3 {:6.3} s   C2+C3+C6 with phi {:6.3} s   samples on M {:4}  dim {:?}  \
             components {:4}  flat points {:4}  flat sets {}",
            c.name,
            t_c23,
            t_all,
            ms.samples_on_m,
            ms.dimension.dimension,
            ms.components.count,
            r.flat.flat_points.len(),
            r.flat.flat_sets.len()
        );
        if let Some(mb) = &r.flat.morse_bott {
            for f in &mb.findings {
                println!("    {f:?}");
            }
        }
        if let Some(s) = &r.flat.search {
            println!("    Lagrange search: {s:?}");
        }
        if json {
            println!("{}", serde_json::to_string_pretty(&r).unwrap());
        }
    }
}
