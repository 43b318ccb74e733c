//! The SOS benchmark (`bash bench/run.sh --only sos`): for the product family
//! `f = (x_1 ... x_n - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`, the C4 numerator
//! `-grad g^T Hess(phi) grad g` proved a sum of squares, with the SDP sizes before and after the
//! reductions and the time of the whole search (SDP, rounding, exact check), best of 3.

#[path = "../tests/support/product_family.rs"]
mod product_family;

use ngd_sos::{prove_nonnegative, SosOptions, SosOutcome};
use product_family::minus_numerator;
use std::time::Instant;

fn main() {
    println!(
        "{:<10} {:>6} {:>8} {:>8} {:>7} {:>9} {:>10} {:>8} {:>10}",
        "case", "terms", "basis", "reduced", "kernel", "unknowns", "equations", "1/denom", "time"
    );
    for n in 3..=6 {
        let p = minus_numerator(n);
        let mut best = f64::INFINITY;
        let mut outcome = None;
        for _ in 0..3 {
            let start = Instant::now();
            let o = prove_nonnegative(&p, &[], &SosOptions::default());
            best = best.min(start.elapsed().as_secs_f64());
            outcome = Some(o);
        }
        match outcome.expect("ran") {
            SosOutcome::Proved(c) => {
                let s = c.sizes;
                println!(
                    "{:<10} {:>6} {:>8} {:>8} {:>7} {:>9} {:>10} {:>8} {:>8.1} ms",
                    format!("product{n}"),
                    p.len(),
                    s.basis.full,
                    s.basis.reduced,
                    s.kernel,
                    s.unknowns,
                    s.equations,
                    s.denominator,
                    best * 1e3
                );
            }
            SosOutcome::NotFound { reason, .. } => {
                println!("product{n}: no certificate ({reason:?})");
            }
        }
    }
}
