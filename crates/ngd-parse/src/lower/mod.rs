//! Lowering of the syntax tree into an [`Arena`]: name resolution, index arithmetic, loop
//! expansion, and the semantic errors (division by zero, out-of-range indices, limits).
//!
//! Lowering runs twice over the tree. The first pass ("check") visits every node once, with
//! each loop entered a single time and its index set to a dummy value, so that every name,
//! arity and shape error is reported even inside loops whose range turns out to be empty.
//! The second pass evaluates and builds the DAG.

use crate::error::ParseError;
use crate::names::{ArrayVar, Symbols};
use crate::parser::Expr;
use crate::{ParamValue, Params};
use ngd_expr::{Arena, ExprId, Func};
use rug::Rational;

mod check;
mod eval;
mod index;
mod limits;
mod resolve;

/// At most this many loop body instantiations per parse.
pub(crate) const MAX_LOOP_INSTANCES: u64 = 1_000_000;
/// At most this many evaluation steps (tree nodes visited, loop iterations) per parse.
pub(crate) const MAX_WORK: u64 = 10_000_000;
/// Exact constants (and rational exponents) are limited to this many bits.
pub(crate) const MAX_CONST_BITS: f64 = (1u64 << 18) as f64;

type R<T> = Result<T, ParseError>;

/// What a name denotes.
enum Kind<'c> {
    LoopIndex(i64),
    Function(Option<usize>),
    Keyword,
    Var(usize),
    Array(&'c ArrayVar),
    Param(&'c ParamValue),
    Unknown,
}

/// A function call after validation.
#[derive(Clone, Copy)]
enum Op {
    Unary(Func),
    Sqrt,
    Max,
    Min,
}

/// An indexable object after validation.
enum Target<'c> {
    Var(&'c ArrayVar),
    Vector(&'c [Rational]),
    Matrix(&'c [Vec<Rational>]),
}

pub(crate) struct Lowerer<'c> {
    arena: &'c mut Arena,
    syms: &'c Symbols,
    params: &'c Params,
    allow_vars: bool,
    checking: bool,
    loops: Vec<(&'c str, i64)>,
    instances: u64,
    work: u64,
}

impl<'c> Lowerer<'c> {
    pub(crate) fn new(
        arena: &'c mut Arena,
        syms: &'c Symbols,
        params: &'c Params,
        allow_vars: bool,
    ) -> Self {
        Lowerer {
            arena,
            syms,
            params,
            allow_vars,
            checking: false,
            loops: Vec::new(),
            instances: 0,
            work: 0,
        }
    }

    /// Checks names, arities and shapes everywhere, then builds the expression.
    pub(crate) fn lower(&mut self, e: &Expr<'c>) -> R<ExprId> {
        self.checking = true;
        self.check(e)?;
        self.checking = false;
        self.loops.clear();
        self.eval(e)
    }
}

#[cfg(test)]
mod tests {
    use crate::{parse_constant, parse_expr, Params, MAX_EXPONENT, MAX_ROOT_INDEX};
    use ngd_expr::Arena;

    fn parse(src: &str) -> Result<String, crate::ParseError> {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        parse_expr(&mut a, src, &Params::new()).map(|e| a.display(e))
    }

    #[test]
    fn exponents_at_the_limits_are_accepted() {
        assert_eq!(MAX_EXPONENT, 10_000);
        assert_eq!(MAX_ROOT_INDEX, 1_000);
        for src in [
            "x^10000",
            "x^(-10000)",
            "x^(1/1000)",
            "x^(10000/999)",
            "(x + y)^10000",
            "x^5000*x^5000",
            "x^(1/2)*x^(1/3)",
            "1^(10000)",
            "x^0.001",
        ] {
            assert!(parse(src).is_ok(), "{src}: {:?}", parse(src));
        }
    }

    #[test]
    fn exponents_beyond_the_limits_are_located_errors() {
        // (source, span of the error, text in the message)
        let cases: &[(&str, std::ops::Range<usize>, &str)] = &[
            ("x^10001", 2..7, "10001, above the limit 10000 in magnitude"),
            ("x^(-10001)", 2..10, "-10001, above the limit 10000"),
            (
                "x^(10001/2)",
                2..11,
                "10001/2, whose numerator 10001 is above the limit 10000",
            ),
            (
                "(x+y)^(99999999999)",
                6..19,
                "99999999999, above the limit 10000",
            ),
            ("x^(600000000000)", 2..16, "above the limit 10000"),
            ("x^(10^100)", 2..10, "above the limit 10000"),
            (
                "x^(1/1001)",
                2..10,
                "1/1001, whose root index 1001 is above the limit 1000",
            ),
            (
                "x^(1/99999999999)",
                2..17,
                "root index 99999999999 is above the limit 1000",
            ),
            ("x^0.0001", 2..8, "1/10000, whose root index 10000"),
            (
                "y + x^6000*x^6000",
                4..17,
                "combine to 12000, above the limit",
            ),
            (
                "x^(1/999)*x^(1/998)",
                0..19,
                "combine to 1997/997002, whose root index 997002",
            ),
            ("prod(i = 1..3, x^5000)", 0..22, "combine to 15000"),
            ("(x^5000*y)^3", 0..12, "15000, above the limit 10000"),
            ("2^(1/99999999999)", 2..17, "root index"),
        ];
        for (src, span, text) in cases {
            let e = parse(src).unwrap_err();
            assert!(e.message.starts_with("exponent too large"), "{src}: {e:?}");
            assert!(e.message.contains(text), "{src}: {e:?}");
            assert_eq!(&e.span, span, "{src}: {e:?}");
            let help = e.help.unwrap_or_default();
            assert!(
                help.contains("|p| <= 10000") && help.contains("q <= 1000"),
                "{help}"
            );
        }
        let mut a = Arena::new(vec![]);
        let e = parse_constant(&mut a, "3^(1/5000)", &Params::new()).unwrap_err();
        assert!(e.message.contains("root index 5000"), "{e:?}");
    }
}
