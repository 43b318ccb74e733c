//! Runs discovery on the paper's examples and prints the bases, counts and proposals.
//!
//! `cargo run --release -p ngd-discover --example discover_cases [-- --json]`

use ngd_discover::{discover, propose_regularizer, DiscoverOptions};
use ngd_expr::Arena;
use ngd_parse::{expand_variables, parse_expr, ParamValue, Params};
use rug::{Float, Rational};

struct Case {
    name: &'static str,
    vars: Vec<&'static str>,
    f: &'static str,
    flat: Vec<Vec<&'static str>>,
}

const PREC: u32 = 200;

fn f(v: &str) -> Float {
    let mut a = Arena::new(Vec::new());
    let e = ngd_parse::parse_constant(&mut a, v, &Params::new()).expect("constant");
    // Only the constants used below: rationals, 2^(-1/3) and 2^(1/2).
    match a.as_const(e) {
        Some(q) => Float::with_val(PREC, q),
        None if v == "2^(1/2)" => Float::with_val(PREC, 2).sqrt(),
        None => Float::with_val(PREC, 2).cbrt().recip(),
    }
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let pts = |v: &[&[&'static str]]| -> Vec<Vec<&'static str>> {
        v.iter().map(|p| p.to_vec()).collect()
    };
    let cases: Vec<Case> = vec![
        Case {
            name: "xy",
            vars: vec!["x", "y"],
            f: "(x*y - 1)^2",
            flat: pts(&[&["1", "1"], &["-1", "-1"]]),
        },
        Case {
            name: "product3",
            vars: vec!["x", "y", "z"],
            f: "(x*y*z - 1)^2",
            flat: pts(&[
                &["1", "1", "1"],
                &["1", "-1", "-1"],
                &["-1", "1", "-1"],
                &["-1", "-1", "1"],
            ]),
        },
        Case {
            name: "cubic",
            vars: vec!["x", "y"],
            f: "(x^3 + y^3 - 1)^2",
            flat: pts(&[&["2^(-1/3)", "2^(-1/3)"]]),
        },
        Case {
            name: "ellipse",
            vars: vec!["x", "y"],
            f: "(x^2 + 2*y^2 - 1)^2",
            flat: pts(&[&["1", "0"], &["-1", "0"]]),
        },
        Case {
            name: "hyperbola",
            vars: vec!["x", "y"],
            f: "(x^2 - y^2 - 1)^2",
            flat: pts(&[&["1", "0"], &["-1", "0"]]),
        },
        Case {
            name: "parabola",
            vars: vec!["x", "y"],
            f: "(y - x^2)^2",
            flat: pts(&[&["0", "0"]]),
        },
        Case {
            name: "nonsmooth",
            vars: vec!["x", "y"],
            f: "abs(x*y - 1)",
            flat: pts(&[&["1", "1"], &["-1", "-1"]]),
        },
        Case {
            name: "matfact2",
            vars: vec!["X[2,2]", "Y[2,2]"],
            f: "sum(i = 1..2, j = 1..2, (sum(k = 1..2, X[i,k]*Y[j,k]) - M[i,j])^2)",
            // X = Y = diag(1, sqrt 2): balanced (X^T X = Y^T Y), X Y^T = M.
            flat: pts(&[&["1", "0", "0", "2^(1/2)", "1", "0", "0", "2^(1/2)"]]),
        },
        Case {
            name: "none (g = x + y^2 + x^3 y)",
            vars: vec!["x", "y"],
            f: "(x + y^2 + x^3*y)^2",
            flat: vec![],
        },
        Case {
            name: "none (f = (x-1)^2 + (y-2)^2)",
            vars: vec!["x", "y"],
            f: "(x - 1)^2 + (y - 2)^2",
            flat: vec![],
        },
    ];
    let mut params = Params::new();
    params.insert(
        "M".into(),
        ParamValue::Matrix(vec![
            vec![Rational::from(1), Rational::from(0)],
            vec![Rational::from(0), Rational::from(2)],
        ]),
    );
    for Case {
        name,
        vars,
        f: fsrc,
        flat,
    } in cases
    {
        let decls: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
        let names = expand_variables(&decls).expect("variables");
        let mut arena = Arena::new(names);
        let fe = parse_expr(&mut arena, fsrc, &params).expect("objective");
        let opts = DiscoverOptions::default();
        let t = std::time::Instant::now();
        let report = discover(&mut arena, fe, &opts);
        let dt = t.elapsed();
        let flat: Vec<Vec<Float>> = flat
            .iter()
            .map(|p| p.iter().map(|s| f(s)).collect())
            .collect();
        let prop = propose_regularizer(&mut arena, &report, &flat);
        if json {
            println!("{}", serde_json::to_string_pretty(&report).expect("json"));
            continue;
        }
        println!("== {name}: f = {fsrc}   ({:.1} ms)", dt.as_secs_f64() * 1e3);
        println!("   {:?}", report.structure);
        for fl in &report.fields {
            println!("   field {fl:?}");
        }
        for a in &report.ansatz {
            print!("   {:?}: ", a.kind);
            if let Some(s) = &a.skipped {
                println!("skipped: {s:?}");
                continue;
            }
            println!(
                "{} unknowns, {} equations, {} blocks, nullspace {} ({:.2} ms)",
                a.unknowns,
                a.equations,
                a.blocks,
                a.nullspace_dim,
                a.elapsed.as_secs_f64() * 1e3
            );
            for q in &a.basis {
                println!("      psi = {}   [{}]", q.display, q.verified.label());
            }
        }
        let ls = &report.linear_symmetries;
        println!(
            "   linear symmetries: symmetric dim {}, Lie algebra dim {}",
            ls.symmetric_dim, ls.lie_algebra_dim
        );
        for g in &ls.generators {
            println!("      x^T A x = {}", g.invariant.display);
        }
        let c = &report.completeness;
        println!(
            "   completeness: {:?} [{}] (depth {}, fields {}, ranks {:?})",
            c.summary,
            c.status.label(),
            c.depth,
            c.lie_fields,
            c.rank_by_depth
        );
        match prop {
            Some(p) => {
                println!("   proposal: {}", p.regularizer_line);
                for e in &p.excluded {
                    println!("      excluded {}: {:?}", e.psi_display, e.reason);
                }
            }
            None if flat.is_empty() => println!("   proposal: (no flat set given)"),
            None => println!("   proposal: none"),
        }
    }
}
