//! Times C5 on the shipped cases: `cargo run --release -p ngd-coercive --example coercive_timing`.
//! Pass `--json` to print the full reports.

#[path = "../tests/common/mod.rs"]
mod common;

use ngd_coercive::{check_coercivity, CoercivityOptions};
use std::time::Instant;

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let opts = CoercivityOptions::default();
    for (name, ..) in common::CASES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let (mut a, f, phi) = common::case(name);
        let t = Instant::now();
        let r = check_coercivity(&mut a, f, phi, &opts);
        let dt = t.elapsed();
        println!(
            "{name:10} {:>8.3} s  {:?} / {:?}",
            dt.as_secs_f64(),
            r.evidence,
            r.verdict
        );
        println!("    argument: {:?}", r.argument);
        if let Some(fa) = &r.f_alone {
            println!(
                "    f alone: {:?} / {:?}: {:?}",
                fa.evidence, fa.verdict, fa.argument
            );
        }
        if json {
            println!("{r:#?}");
        }
    }
}
