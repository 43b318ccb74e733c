//! Every dimension from 1 up: random polynomial problems with n = 1..4 variables run through
//! the whole report without a panic, and end with a verdict (exit status 0, 1 or 3).

mod support;

use proptest::prelude::*;
use std::process::Command;
use std::time::Duration;
use support::run_limited;

/// A random polynomial in `x1..xn`: a few monomials with small integer coefficients.
fn polynomial(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec((-3i32..=3, proptest::collection::vec(0u32..=2, n)), 1..=3).prop_map(
        move |terms| {
            let mut s = String::from("1");
            for (c, exps) in terms {
                let mono: Vec<String> = exps
                    .iter()
                    .enumerate()
                    .filter(|(_, &e)| e > 0)
                    .map(|(i, &e)| format!("x{}^{e}", i + 1))
                    .collect();
                let mono = if mono.is_empty() {
                    "1".to_string()
                } else {
                    mono.join("*")
                };
                s.push_str(&format!(" + ({c})*{mono}"));
            }
            s
        },
    )
}

fn problem() -> impl Strategy<Value = (usize, String, String)> {
    (1usize..=4).prop_flat_map(|n| (Just(n), polynomial(n), polynomial(n)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn random_problems_in_every_dimension_end_with_a_verdict((n, g, psi) in problem()) {
        let vars: Vec<String> = (1..=n).map(|i| format!("\"x{i}\"")).collect();
        let case = format!(
            "variables = [{}]\nobjective = \"({g})^2\"\nregularizer = \"({psi})^2\"\n\
             [search]\nbox = {{ default = [-2, 2] }}\n[ngd]\nstarts = 4\niterations = 200\n",
            vars.join(", ")
        );
        let dir = std::env::temp_dir().join(format!("ngd-dimensions-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("n{n}-{:x}.case", fxhash(&case)));
        std::fs::write(&path, &case).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ngd-verify"));
        cmd.arg(&path);
        let run = run_limited(cmd, Duration::from_secs(120));
        let stderr = String::from_utf8_lossy(&run.stderr);
        prop_assert!(run.status.is_some(), "timed out on\n{case}");
        let code = run.status.and_then(|s| s.code());
        prop_assert!(matches!(code, Some(0 | 1 | 3)), "exit {code:?} on\n{case}\n{stderr}");
        prop_assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// A small stable hash for file names.
fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}
