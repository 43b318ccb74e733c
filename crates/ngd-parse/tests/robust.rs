//! Robustness: no panic, no stack overflow, no hang, on any input.

mod common;

use common::*;
use ngd_parse::{expand_variables, parse_constant, parse_expr, parse_rational, ParamValue, Params};
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Runs `f` in a fresh thread with the default (2 MiB) stack.
fn in_thread<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::spawn(f).join().expect("no panic, no overflow");
}

fn params() -> Params {
    let mut p = Params::new();
    p.insert("n".into(), scalar(q(3, 1)));
    p.insert("h".into(), scalar(q(1, 2)));
    p.insert("v".into(), ParamValue::Vector(vec![q(1, 1), q(2, 1)]));
    p.insert(
        "M".into(),
        ParamValue::Matrix(vec![vec![q(1, 1)], vec![q(3, 1), q(4, 1)]]),
    );
    p
}

fn try_all(src: &str) {
    let mut a = arena(&["x", "y", "u[3]", "X[2,2]"]);
    let p = params();
    if let Ok(e) = parse_expr(&mut a, src, &p) {
        // Whatever parses displays and parses back.
        let d = a.display(e);
        let _ = parse_expr(&mut a, &d, &p);
    }
    let _ = parse_constant(&mut a, src, &p);
    let _ = parse_rational(src);
    let _ = expand_variables(&[src.to_string()]);
}

#[test]
fn very_deep_input_fails_fast_on_a_small_stack() {
    in_thread(|| {
        let t = Instant::now();
        for (open, close) in [
            ("(", ")"),
            ("exp(", ")"),
            ("-", ""),
            ("+", ""),
            ("x^", ""),
            ("u[", "]"),
        ] {
            for n in [100_000usize, 1_000] {
                let src = format!("{}x{}", open.repeat(n), close.repeat(n));
                let mut a = arena(&["x", "u[3]"]);
                let e = parse_expr(&mut a, &src, &Params::new()).unwrap_err();
                assert!(e.message.contains("nested too deeply"), "{open}: {e:?}");
                let e = parse_expr(&mut a, &src[..src.len() / 2], &Params::new()).unwrap_err();
                assert!(e.message.contains("nested too deeply"), "{open}: {e:?}");
            }
        }
        let src = format!("{}x", "sum(i = 1..1, ".repeat(100_000));
        let mut a = arena(&["x"]);
        assert!(parse_expr(&mut a, &src, &Params::new()).is_err());
        assert!(t.elapsed() < Duration::from_secs(5));
    });
}

#[test]
fn maximal_nesting_evaluates_on_a_small_stack() {
    in_thread(|| {
        let n = ngd_parse::MAX_NESTING;
        let mut a = arena(&["x", "u[3]"]);
        let p = Params::new();
        let srcs = [
            format!("{}x{}", "(".repeat(n), ")".repeat(n)),
            format!("{}x{}", "exp(".repeat(n), ")".repeat(n)),
            format!("{}x{}", "(x + 2*".repeat(n), ")".repeat(n)),
            format!("{}x", "-".repeat(n)),
            vec!["x"; n + 1].join("^"),
            format!("u[{}1{}]", "(".repeat(n - 1), ")".repeat(n - 1)),
        ];
        for s in &srcs {
            parse_expr(&mut a, s, &p).unwrap();
        }
        let nested_sums = format!(
            "{}x{}",
            (0..n / 2)
                .map(|k| format!("sum(i{k} = 1..1, "))
                .collect::<String>(),
            ")".repeat(n / 2)
        );
        parse_expr(&mut a, &nested_sums, &p).unwrap();
    });
}

#[test]
fn long_flat_input_is_fine() {
    in_thread(|| {
        let mut a = arena(&["x"]);
        let p = Params::new();
        let src = vec!["x*x/x"; 100_000].join(" - ");
        let e = parse_expr(&mut a, &src, &p).unwrap();
        let x = a.var(0);
        let c = a.int(-99_998);
        assert_eq!(e, a.mul2(c, x));
        let src = "1".repeat(20_000);
        assert!(parse_rational(&src).is_ok());
        // The powers of one base are combined, up to the exponent limit (10000).
        let src = format!("x{}", "*x".repeat(9_999));
        let e = parse_expr(&mut a, &src, &p).unwrap();
        assert_eq!(e, a.powi(x, 10_000));
        let src = format!("x{}", "*x".repeat(100_000));
        let e = parse_expr(&mut a, &src, &p).unwrap_err();
        assert!(e.message.contains("exponent too large"), "{e:?}");
        assert_eq!(e.span, 0..src.len());
    });
}

#[test]
fn heavy_loops_stop_quickly() {
    let t = Instant::now();
    for src in [
        "sum(i = 1..1000000, j = 1..1000000, x)",
        "sum(i = 1..1000, j = 1..1000, k = 1..1000, x)",
        "prod(i = 1..9223372036854775807, 1)",
        "sum(i = -9223372036854775807-1..9223372036854775807, 1)",
        "sum(i = 1..1000, sum(j = 1..1000, sum(k = 1..1000, x)))",
    ] {
        let mut a = arena(&["x"]);
        let e = parse_expr(&mut a, src, &Params::new()).unwrap_err();
        assert!(e.message.contains("more than"), "{src}: {e:?}");
    }
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}

#[test]
fn fixed_nasty_inputs() {
    for src in [
        "",
        " ",
        "(",
        ")",
        "[",
        "]",
        ",",
        "=",
        "..",
        ".",
        "e",
        "1e",
        "1e+",
        "1.e5",
        "..5",
        "1...2",
        "x[",
        "x[1,",
        "x[,]",
        "u[1,2,3]",
        "X[1,,2]",
        "sum(",
        "sum(i",
        "sum(i=",
        "sum(i=1",
        "sum(i=1..",
        "sum(i=1..2",
        "sum(i=1..2,",
        "sum(i=1..2,)",
        "sum()",
        "prod(i=2..1,",
        "max(",
        "max(,)",
        "exp()",
        "x^",
        "^x",
        "x**",
        "***",
        "x^^y",
        "-",
        "+-+-",
        "0/0",
        "0^0",
        "0^-0",
        "(-0)^(-1)",
        "1/(1/0)",
        "x/(x-x)",
        "log(-0)",
        "sqrt(-0)",
        "u[-1]",
        "u[0-0]",
        "u[9223372036854775807*2]",
        "X[2147483648,1]",
        "M[2,2]",
        "M[1,2]",
        "v[n]",
        "h^h^h^h^h",
        "2^2^2^2^2",
        "(1/2)^(1/2)^(1/2)",
        "(-8)^(2/3)",
        "(-1)^(1/3)",
        "0^(1/2)",
        "10^-20000",
        "1e20000",
        "1e-20000",
        "0.000000000000000000000000000001",
        "x^(10^100)",
        "(2*x)^(10^100)",
        "\u{0}",
        "\u{feff}x",
        "x\u{200b}",
        "ℝ",
        "💥",
        "x\r\n+\ty",
    ] {
        in_thread(move || try_all(src));
    }
}

fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "x", "y", "u", "X", "n", "h", "v", "M", "i", "j", "z", "0", "1", "2", "3", "0.5", "1e-3",
        "2.5E2", "+", "-", "*", "/", "^", "**", "(", ")", "[", "]", ",", "=", "..", "sum", "prod",
        "exp", "log", "ln", "sqrt", "max", "min", "abs", "sign", " ", ".", "e", "é",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_strings_never_panic(s in "\\PC{0,40}") {
        try_all(&s);
    }

    #[test]
    fn random_bytes_never_panic(s in ".{0,40}") {
        try_all(&s);
    }

    #[test]
    fn token_soup_never_panics(toks in prop::collection::vec(token(), 0..40)) {
        try_all(&toks.concat());
        try_all(&toks.join(" "));
    }

    #[test]
    fn grammar_shaped_soup_never_panics(
        toks in prop::collection::vec(token(), 0..20),
        wrap in prop::sample::select(vec![
            "sum(i = 1..3, #)", "prod(i = 1..n, j = i..3, #)", "u[#]", "X[#, 1]",
            "max(#, x)", "(#)^(1/3)", "x/(#)", "#^-1", "sqrt(#)", "log(#)",
        ]),
    ) {
        let inner = toks.join(" ");
        try_all(&wrap.replace('#', &inner));
    }
}
