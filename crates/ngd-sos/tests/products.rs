//! The paper's product family: `f = (x_1 ... x_n - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`.
//! The numerator of `Q` along `M` is `N = grad g^T Hess phi grad g` (`g = x_1 ... x_n - 1`);
//! `-N` is a sum of squares, so `Q <= 0` everywhere. The sizes are reported for the bench.

#[path = "support/product_family.rs"]
mod product_family;

use ngd_sos::{prove_nonnegative, SosOptions, SosOutcome};
use product_family::minus_numerator;

#[test]
fn the_product_family_decrease_is_a_sum_of_squares() {
    for n in 3..=6 {
        let p = minus_numerator(n);
        let outcome = prove_nonnegative(&p, &[], &SosOptions::default());
        let SosOutcome::Proved(c) = &outcome else {
            panic!("product{n}: {outcome:?}");
        };
        assert!(c.verify(&p, &[]).is_ok());
        eprintln!("product{n}: {:?}", c.sizes);
    }
}
