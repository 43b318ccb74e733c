//! Prints the C2/C3/C6 report of one objective as JSON (for inspection).
//!
//! `cargo run --release -p ngd-minima --example minima_case -- 'x,y' '(x*y-1)^2' '(x^2-y^2)^2' -3 3`
//! (the variable list is comma-separated declarations; phi may be `-` for none).

use ngd_check::RationalBox;
use ngd_expr::{Arena, Rational};
use ngd_minima::{analyse_minima, MinimaOptions};
use ngd_parse::{expand_variables, parse_expr, Params};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 6 {
        eprintln!("usage: minima_case VARS F PHI LO HI");
        std::process::exit(2);
    }
    let decls: Vec<String> = args[1].split(';').map(str::to_string).collect();
    let names = expand_variables(&decls).expect("variables");
    let n = names.len();
    let mut a = Arena::new(names);
    let params = Params::new();
    let f = parse_expr(&mut a, &args[2], &params).expect("f");
    let phi = (args[3] != "-").then(|| parse_expr(&mut a, &args[3], &params).expect("phi"));
    let lo: i64 = args[4].parse().expect("lo");
    let hi: i64 = args[5].parse().expect("hi");
    let bx = RationalBox::new(vec![Rational::from(lo); n], vec![Rational::from(hi); n]).unwrap();
    let t = std::time::Instant::now();
    let r = analyse_minima(&mut a, f, phi, &bx, &MinimaOptions::default());
    eprintln!("time {:?}", t.elapsed());
    println!("{}", serde_json::to_string_pretty(&r).unwrap());
}
