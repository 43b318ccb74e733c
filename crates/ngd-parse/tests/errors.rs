//! Every error, with its span and (where useful) its help line.

mod common;

use common::*;
use ngd_expr::Arena;
use ngd_parse::{
    expand_variables, parse_constant, parse_expr, ParamValue, Params, ParseError, MAX_NESTING,
    MAX_SOURCE_BYTES,
};

fn params() -> Params {
    let mut p = Params::new();
    p.insert("n".into(), scalar(q(3, 1)));
    p.insert("h".into(), scalar(q(1, 2)));
    p.insert("v".into(), ParamValue::Vector(vec![q(1, 1), q(2, 1)]));
    p.insert(
        "M".into(),
        ParamValue::Matrix(vec![vec![q(1, 1), q(2, 1)], vec![q(3, 1), q(4, 1)]]),
    );
    p
}

fn err(src: &str) -> ParseError {
    let mut a = arena(&["x", "y", "alpha", "u[3]", "X[2,3]"]);
    match parse_expr(&mut a, src, &params()) {
        Ok(e) => panic!("{src:?} parsed to {}", a.display(e)),
        Err(e) => e,
    }
}

/// (source, message (substring), span, help (substring, or "" for none))
const CASES: &[(&str, &str, std::ops::Range<usize>, &str)] = &[
    // empty input and stray tokens
    ("", "empty expression", 0..0, ""),
    ("   ", "empty expression", 0..3, ""),
    ("x +", "unexpected end of expression", 3..3, "missing"),
    (
        "x + * y",
        "expected a number, a name or `(`, found `*`",
        4..5,
        "",
    ),
    ("* y", "found `*`", 0..1, ""),
    ("x = 1", "unexpected `=` after the expression", 2..3, ""),
    ("x , y", "unexpected `,` after the expression", 2..3, ""),
    ("x .. y", "unexpected `..` after the expression", 2..4, ""),
    ("x . y", "unexpected `.`", 2..3, ""),
    // juxtaposition
    ("2x", "expected an operator", 1..2, "write `2*x`"),
    ("x y", "expected an operator", 2..3, "write `x*y`"),
    ("2 (x)", "expected an operator", 2..3, "write `2*(...)`"),
    ("(x)(y)", "expected an operator", 3..4, "write `(x)*(...)`"),
    ("x^2 y", "expected an operator", 4..5, "write `x^2*y`"),
    ("x*y 3", "expected an operator", 4..5, "write `x*y*3`"),
    ("x(y)", "expected an operator", 1..2, "write `x*(...)`"),
    ("h (y)", "expected an operator", 2..3, "write `h*(...)`"),
    ("1.5.5", "expected an operator", 3..5, ""),
    (
        "(x)[1]",
        "unexpected `[`",
        3..4,
        "only a named vector or matrix",
    ),
    ("u[1][2]", "unexpected `[`", 4..5, ""),
    // parentheses and brackets
    ("x + 1)", "unmatched `)`", 5..6, ""),
    ("(x + 1", "unclosed `(`", 0..1, "add a matching `)`"),
    ("((x)", "unclosed `(`", 0..1, ""),
    (
        "(x]",
        "expected `)` to close the `(` at byte 0, found `]`",
        2..3,
        "",
    ),
    ("exp(x", "unclosed `(`", 3..4, ""),
    ("u[1", "unclosed `[`", 1..2, "add a matching `]`"),
    ("u[1)", "expected `]`", 3..4, ""),
    ("x]", "unmatched `]`", 1..2, ""),
    ("()", "empty parentheses", 0..2, ""),
    ("u[]", "empty index", 1..3, ""),
    // characters
    ("x + é", "unexpected non-ASCII character `é`", 4..6, "ASCII"),
    ("x·y", "non-ASCII", 1..3, ""),
    ("x $ y", "unexpected character `$`", 2..3, ""),
    ("x\u{7}", "unexpected character", 1..2, ""),
    // numbers
    ("1e100000", "number too large", 0..8, ""),
    // names
    (
        "z + 1",
        "unknown variable `z`",
        0..1,
        "declared variables: x, y, alpha, u[3], X[2,3]",
    ),
    (
        "alpah",
        "unknown variable `alpah`",
        0..5,
        "did you mean `alpha`?",
    ),
    ("x + Y", "unknown variable `Y`", 4..5, "did you mean `y`?"),
    ("exp", "`exp` is a function", 0..3, "call it as `exp(...)`"),
    ("sum + 1", "`sum` is a keyword", 0..3, "sum(i = 1..n, body)"),
    (
        "foo(x)",
        "unknown function `foo`",
        0..3,
        "known functions: abs, exp, log, ln, sqrt, sign, max, min, sum, prod",
    ),
    (
        "epx(x)",
        "unknown function `epx`",
        0..3,
        "did you mean `exp`?",
    ),
    (
        "x + y*u",
        "`u` is a vector of length 3",
        6..7,
        "index it as `u[i]` with 1 <= i <= 3",
    ),
    (
        "X",
        "`X` is a 2x3 matrix",
        0..1,
        "`X[i,j]` with 1 <= i <= 2 and 1 <= j <= 3",
    ),
    ("v", "`v` is a vector parameter of length 2", 0..1, "`v[i]`"),
    ("M", "`M` is a 2x2 matrix parameter", 0..1, "`M[i,j]`"),
    ("y[1]", "`y` is a scalar and cannot be indexed", 0..4, ""),
    ("h[1]", "`h` is a scalar and cannot be indexed", 0..4, ""),
    ("exp[1]", "`exp` is a function", 0..6, ""),
    ("w[1]", "unknown variable `w`", 0..1, ""),
    (
        "u[1,1]",
        "`u` is a vector: it takes 1 index, found 2",
        0..6,
        "`u[i]`",
    ),
    (
        "X[1]",
        "`X` is a matrix: it takes 2 indices, found 1",
        0..4,
        "`X[i,j]`",
    ),
    // indices
    (
        "u[4]",
        "index 4 is out of range for `u` (1..=3)",
        2..3,
        "1-based",
    ),
    ("u[0]", "index 0 is out of range", 2..3, ""),
    ("u[n+1]", "index 4 is out of range", 2..5, ""),
    (
        "X[3, 1]",
        "row index 3 is out of range for `X` (1..=2)",
        2..3,
        "",
    ),
    (
        "X[1, 2*2]",
        "column index 4 is out of range for `X` (1..=3)",
        5..8,
        "",
    ),
    ("v[3]", "index 3 is out of range for `v` (1..=2)", 2..3, ""),
    (
        "M[1,3]",
        "column index 3 is out of range for `M` (1..=2)",
        4..5,
        "",
    ),
    ("u[1.5]", "an index must be an integer, found 3/2", 2..5, ""),
    (
        "u[h]",
        "the parameter `h` = 1/2 is not an integer",
        2..3,
        "",
    ),
    ("u[x]", "cannot depend on the variable `x`", 2..3, ""),
    ("u[4/2]", "division is not allowed", 4..5, ""),
    ("u[2^1]", "cannot contain a power", 2..5, ""),
    ("u[abs(1)]", "cannot contain a function call", 2..8, ""),
    ("u[v[1]]", "cannot contain an indexed name", 2..6, ""),
    (
        "u[9223372036854775807 + 1]",
        "index arithmetic overflows",
        2..25,
        "",
    ),
    (
        "u[99999999999999999999]",
        "index arithmetic overflows",
        2..22,
        "",
    ),
    // functions
    ("exp(x, y)", "`exp` takes 1 argument, found 2", 0..9, ""),
    ("sqrt()", "`sqrt` takes 1 argument, found 0", 0..6, ""),
    (
        "max(x)",
        "`max` takes at least 2 arguments, found 1",
        0..6,
        "",
    ),
    (
        "log(0)",
        "logarithm of the non-positive constant 0",
        4..5,
        "",
    ),
    (
        "ln(-h)",
        "logarithm of the non-positive constant -1/2",
        3..5,
        "",
    ),
    (
        "sqrt(x - x - 1)",
        "square root of the negative constant -1",
        5..14,
        "",
    ),
    (
        "(-1)^(1/2)",
        "even root of the negative constant -1",
        0..10,
        "",
    ),
    (
        "(-2)^x",
        "non-constant exponent is undefined",
        0..6,
        "positive base",
    ),
    ("0^y", "non-constant exponent is undefined", 0..3, ""),
    // division by zero
    ("x/0", "division by zero", 2..3, ""),
    ("x/(y - y)", "division by zero", 2..9, ""),
    ("1/(2 - 2*1)", "division by zero", 2..11, ""),
    ("0^-1", "division by zero", 0..4, ""),
    ("x + (1 - 1)^(-1/2)", "division by zero", 4..18, ""),
    // loops
    (
        "sum(x = 1..2, x)",
        "loop index `x` clashes with the variable `x`",
        4..5,
        "another index name",
    ),
    (
        "sum(u = 1..2, 1)",
        "clashes with the variable `u`",
        4..5,
        "",
    ),
    (
        "sum(n = 1..2, 1)",
        "clashes with the parameter `n`",
        4..5,
        "",
    ),
    (
        "sum(exp = 1..2, 1)",
        "clashes with the function `exp`",
        4..7,
        "",
    ),
    (
        "sum(i = 1..2, i = 1..2, 1)",
        "clashes with another index of this loop",
        14..15,
        "",
    ),
    (
        "sum(i = 1..2, sum(i = 1..2, 1))",
        "clashes with the index `i` of an enclosing loop",
        18..19,
        "",
    ),
    ("sum(i = 1..0, z)", "unknown variable `z`", 14..15, ""),
    ("sum(i = 1..0, u[i, i])", "`u` is a vector", 14..21, ""),
    (
        "sum(1, x)",
        "`sum` needs an index range",
        0..4,
        "sum(i = 1..n, body)",
    ),
    ("prod(x)", "`prod` needs an index range", 0..5, ""),
    (
        "sum(i = 1, x)",
        "expected `..` in the index range, found `,`",
        9..10,
        "",
    ),
    ("sum(i = 1..2 x)", "expected an operator", 13..14, ""),
    ("sum(i = 1..2; x)", "unexpected character `;`", 12..13, ""),
    (
        "sum(i = 1..2, x, y)",
        "too many arguments to `sum`",
        15..16,
        "",
    ),
    (
        "sum(i = 1..x, 1)",
        "cannot depend on the variable `x`",
        11..12,
        "",
    ),
    (
        "sum(i = 1..h, 1)",
        "`h` = 1/2 is not an integer",
        11..12,
        "",
    ),
    ("sum(i = 1..j, 1)", "unknown variable `j`", 11..12, ""),
    ("i", "unknown variable `i`", 0..1, ""),
    (
        "sum(i = 1..2, j)",
        "unknown variable `j`",
        14..15,
        "loop indices: i",
    ),
    (
        "sum(i = 1..2, i[1])",
        "`i` is a loop index and cannot be indexed",
        14..18,
        "",
    ),
    ("sum(i = 1..2, i(1))", "expected an operator", 15..16, ""),
    (
        "sum(i = 1..10000000, 1)",
        "`sum` expands to more than 1000000 terms",
        0..23,
        "",
    ),
    (
        "prod(i = 1..2000, j = 1..2000, 1)",
        "`prod` expands to more than 1000000 terms",
        0..33,
        "",
    ),
    (
        "sum(i = -9223372036854775807..9223372036854775807, sum(j = 1..0, 1))",
        "expands to more than",
        0..68,
        "",
    ),
];

#[test]
fn errors_have_messages_spans_and_help() {
    for (src, msg, span, help) in CASES {
        if *help == "SKIP" {
            continue;
        }
        let e = err(src);
        assert!(e.message.contains(msg), "{src:?}: message {:?}", e.message);
        assert_eq!(&e.span, span, "{src:?}: span of {e:?}");
        assert!(e.span.end <= src.len(), "{src:?}");
        assert!(src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end));
        if !help.is_empty() {
            let h = e.help.clone().unwrap_or_default();
            assert!(h.contains(help), "{src:?}: help {h:?}");
        }
        assert_eq!(e.to_string(), e.message, "Display is the message");
    }
}

#[test]
fn constants_too_large() {
    for src in [
        "(2^4096)^4096",
        "(10^4096)^4096",
        "prod(i = 1..100000, 12345678901234567890)",
        "sum(i = 1..100000, 1/i)",
        "prod(i = 1..100000, x^(1/i))",
        "sum(i = 1..100000, x/i)",
    ] {
        let t = std::time::Instant::now();
        let mut a = arena(&["x"]);
        let r = parse_expr(&mut a, src, &params());
        println!("{src}: {:?} {:?}", r.as_ref().map(|_| ()), t.elapsed());
        let e = r.unwrap_err();
        assert!(e.message.contains("too large"), "{src}: {e:?}");
    }
}

#[test]
fn work_limit() {
    // 1000 * 1000 instantiations each of a body with ~25 nodes.
    let body = vec!["x"; 25].join("+");
    let src = format!("sum(i = 1..1000, j = 1..1000, {body})");
    let t = std::time::Instant::now();
    let e = err(&src);
    assert!(e.message.contains("too large to expand"), "{e:?}");
    assert!(t.elapsed().as_secs() < 20);
}

#[test]
fn nesting_limit() {
    let mut a = arena(&["x"]);
    let p = no_params();
    let ok = format!("{}x{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    parse_expr(&mut a, &ok, &p).unwrap();
    let bad = format!(
        "{}x{}",
        "(".repeat(MAX_NESTING + 1),
        ")".repeat(MAX_NESTING + 1)
    );
    let e = parse_expr(&mut a, &bad, &p).unwrap_err();
    assert!(e.message.contains("nested too deeply"), "{e:?}");
    assert_eq!(e.span, MAX_NESTING..MAX_NESTING + 1);
    let e = parse_expr(&mut a, &format!("{}x", "-".repeat(MAX_NESTING + 1)), &p).unwrap_err();
    assert_eq!(e.span, MAX_NESTING..MAX_NESTING + 1);
    parse_expr(&mut a, &format!("{}x", "-".repeat(MAX_NESTING)), &p).unwrap();
    let e = parse_expr(&mut a, &vec!["x"; MAX_NESTING + 2].join("^"), &p).unwrap_err();
    assert!(e.message.contains("nested too deeply"));
    parse_expr(&mut a, &vec!["x"; MAX_NESTING + 1].join("^"), &p).unwrap();
    let calls = format!(
        "{}x{}",
        "exp(".repeat(MAX_NESTING + 1),
        ")".repeat(MAX_NESTING + 1)
    );
    let e = parse_expr(&mut a, &calls, &p).unwrap_err();
    assert_eq!(e.span, 4 * MAX_NESTING + 3..4 * MAX_NESTING + 4);
}

#[test]
fn source_size_limit() {
    let mut a = arena(&["x"]);
    let src = format!("x{}", " + x".repeat(MAX_SOURCE_BYTES / 4));
    let t = std::time::Instant::now();
    let e = parse_expr(&mut a, &src, &no_params()).unwrap_err();
    assert!(e.message.contains("too long"));
    assert_eq!(e.span, MAX_SOURCE_BYTES..MAX_SOURCE_BYTES + 1);
    // The limit falls inside a multi-byte character: the span is that character.
    let src = format!("{}é", " ".repeat(MAX_SOURCE_BYTES - 1));
    let e = parse_expr(&mut a, &src, &no_params()).unwrap_err();
    assert_eq!(e.span, MAX_SOURCE_BYTES - 1..MAX_SOURCE_BYTES + 1);
    let e = parse_constant(&mut a, &src, &no_params()).unwrap_err();
    assert!(e.message.contains("too long"));
    assert!(t.elapsed().as_secs() < 5);
    // Just below the limit is fine.
    let src = format!("x{}", " + x".repeat((MAX_SOURCE_BYTES - 1) / 4));
    assert!(src.len() <= MAX_SOURCE_BYTES);
    parse_expr(&mut a, &src, &no_params()).unwrap();
}

#[test]
fn ambiguous_names() {
    let mut a = arena(&["x", "y"]);
    let mut p = Params::new();
    p.insert("x".into(), scalar(q(1, 1)));
    let e = parse_expr(&mut a, "y + x", &p).unwrap_err();
    assert_eq!(e.message, "`x` is both a variable and a parameter");
    assert_eq!(e.span, 4..5);
}

#[test]
fn unknown_variable_help_is_abbreviated() {
    let decls: Vec<String> = (0..30).map(|i| format!("v{i}")).collect();
    let mut a = Arena::new(expand_variables(&decls).unwrap());
    let e = parse_expr(&mut a, "v99", &no_params()).unwrap_err();
    let h = e.help.unwrap();
    assert!(h.contains("v0, v1, v2"), "{h}");
    assert!(h.contains("... (30 in all)"), "{h}");
    let mut a = Arena::new(Vec::new());
    let e = parse_expr(&mut a, "x", &no_params()).unwrap_err();
    assert!(e.help.unwrap().contains("no variables are declared"));
}

fn decl_err(decls: &[&str]) -> (usize, ParseError) {
    let d: Vec<String> = decls.iter().map(|s| s.to_string()).collect();
    expand_variables(&d).unwrap_err()
}

#[test]
fn expand_variables_expands() {
    let d = |v: &[&str]| -> Vec<String> {
        let d: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        expand_variables(&d).unwrap()
    };
    assert_eq!(d(&["x"]), ["x"]);
    assert_eq!(d(&["x[3]"]), ["x[1]", "x[2]", "x[3]"]);
    assert_eq!(d(&["X[2,2]"]), ["X[1,1]", "X[1,2]", "X[2,1]", "X[2,2]"]);
    assert_eq!(d(&[" y ", "x [ 2 , 1 ]"]), ["y", "x[1,1]", "x[2,1]"]);
    assert_eq!(d(&["a_1", "B2[1]"]), ["a_1", "B2[1]"]);
    assert_eq!(d(&[]), Vec::<String>::new());
    assert_eq!(d(&["x[10000]"]).len(), 10_000);
    assert_eq!(d(&["x[100,100]"]).len(), 10_000);
}

#[test]
fn expand_variables_errors() {
    let cases: &[(&[&str], usize, &str, std::ops::Range<usize>)] = &[
        (&[""], 0, "empty variable declaration", 0..0),
        (&["x", "  "], 1, "empty variable declaration", 0..2),
        (&["x[0]"], 0, "a size must be at least 1", 2..3),
        (&["x[3,0]"], 0, "a size must be at least 1", 4..5),
        (&["x[3"], 0, "unclosed `[`", 1..2),
        (&["x[]"], 0, "unexpected `]`", 2..3),
        (&["x[a]"], 0, "unexpected `a`", 2..3),
        (&["x[-1]"], 0, "unexpected `-`", 2..3),
        (&["x[2,2,2]"], 0, "at most two dimensions", 1..8),
        (&["x[2] y"], 0, "unexpected `y`", 5..6),
        (&["2x"], 0, "unexpected `2`", 0..1),
        (&["x y"], 0, "unexpected `y`", 2..3),
        (&["é"], 0, "non-ASCII", 0..2),
        (&["exp"], 0, "`exp` is a reserved name", 0..3),
        (&["y", "sum[2]"], 1, "`sum` is a reserved name", 0..3),
        (&["ln"], 0, "reserved", 0..2),
        (
            &["x", "y", "x"],
            2,
            "the variable `x` is declared twice",
            0..1,
        ),
        (&["x[2]", " x"], 1, "declared twice", 1..2),
        (&["x[10001]"], 0, "too many variables", 2..7),
        (
            &["x[99999999999999999999999]"],
            0,
            "too many variables",
            2..25,
        ),
        (&["x[101,100]"], 0, "too many variables", 0..10),
        (&["x[5000]", "y[5000]", "z"], 2, "too many variables", 0..1),
    ];
    for (decls, idx, msg, span) in cases {
        let (k, e) = decl_err(decls);
        assert_eq!(k, *idx, "{decls:?}");
        assert!(e.message.contains(msg), "{decls:?}: {e:?}");
        assert_eq!(&e.span, span, "{decls:?}: {e:?}");
    }
}
