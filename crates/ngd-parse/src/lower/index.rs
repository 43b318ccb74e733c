//! Integer index arithmetic: evaluating index expressions and loop bounds to `i64`, with
//! the errors for non-integer, overflowing or divided indices. See docs/math.md.

use super::{Kind, Lowerer, R};
use crate::error::ParseError;
use crate::parser::{Expr, ExprKind};
use crate::ParamValue;
use rug::Rational;

impl<'c> Lowerer<'c> {
    #[cold]
    #[inline(never)]
    fn err_not_index(&self, e: &Expr<'c>) -> ParseError {
        let what = match &e.kind {
            ExprKind::Pow(_) => "a power",
            ExprKind::Index(_) => "an indexed name",
            ExprKind::Call(_) => "a function call",
            ExprKind::Loop(_) => "a sum or product",
            ExprKind::Name(_) => "a function name or a vector or matrix parameter",
            _ => "this",
        };
        ParseError::new(
            format!("an index or range bound cannot contain {what}"),
            e.span.clone(),
        )
        .with_help("use integers, loop indices and integer parameters with `+`, `-`, `*`")
    }

    #[cold]
    #[inline(never)]
    fn err_overflow(&self, e: &Expr<'c>) -> ParseError {
        ParseError::new("index arithmetic overflows", e.span.clone())
    }

    /// The integer value of an index expression. In the check pass loop indices are 1 and
    /// overflow is ignored, so that only structural errors are reported there.
    pub(super) fn int_eval(&self, e: &Expr<'c>) -> R<i64> {
        match &e.kind {
            ExprKind::Num(q) => self.int_literal(q, e),
            ExprKind::Name(n) => self.int_name(n, e),
            ExprKind::Neg(a) => {
                let v = self.int_eval(a)?;
                if self.checking {
                    Ok(v.wrapping_neg())
                } else {
                    v.checked_neg().ok_or_else(|| self.err_overflow(e))
                }
            }
            ExprKind::Sum(terms) => {
                let mut acc: i64 = 0;
                for (neg, t) in terms {
                    let v = self.int_eval(t)?;
                    let v = if *neg { v.checked_neg() } else { Some(v) };
                    let r = v.and_then(|v| acc.checked_add(v));
                    acc = match r {
                        Some(r) => r,
                        None if self.checking => 0,
                        None => return Err(self.err_overflow(e)),
                    };
                }
                Ok(acc)
            }
            ExprKind::Product(factors) => {
                let mut acc: i64 = 1;
                for (div, f) in factors {
                    if *div {
                        return Err(self.err_int_division(f));
                    }
                    let v = self.int_eval(f)?;
                    acc = match acc.checked_mul(v) {
                        Some(r) => r,
                        None if self.checking => 0,
                        None => return Err(self.err_overflow(e)),
                    };
                }
                Ok(acc)
            }
            _ => Err(self.err_not_index(e)),
        }
    }

    #[cold]
    #[inline(never)]
    fn err_int_division(&self, f: &Expr<'c>) -> ParseError {
        ParseError::new(
            "division is not allowed in an index or range bound",
            f.span.clone(),
        )
        .with_help("use integers, loop indices and integer parameters with `+`, `-`, `*`")
    }

    #[inline(never)]
    fn int_literal(&self, q: &Rational, e: &Expr<'c>) -> R<i64> {
        if !q.is_integer() {
            return Err(ParseError::new(
                format!("an index must be an integer, found {q}"),
                e.span.clone(),
            ));
        }
        q.numer().to_i64().ok_or_else(|| self.err_overflow(e))
    }

    #[inline(never)]
    fn int_name(&self, n: &str, e: &Expr<'c>) -> R<i64> {
        match self.classify(n, &e.span, false)? {
            Kind::LoopIndex(v) => Ok(v),
            Kind::Param(ParamValue::Scalar(q)) => {
                if q.is_integer() {
                    q.numer().to_i64().ok_or_else(|| self.err_overflow(e))
                } else {
                    Err(ParseError::new(
                        format!("the parameter `{n}` = {q} is not an integer"),
                        e.span.clone(),
                    )
                    .with_help("indices and range bounds must be integers"))
                }
            }
            Kind::Var(_) | Kind::Array(_) => Err(ParseError::new(
                format!("an index or range bound cannot depend on the variable `{n}`"),
                e.span.clone(),
            )),
            Kind::Unknown => Err(self.unknown_name(n, &e.span)),
            Kind::Param(_) | Kind::Function(_) | Kind::Keyword => Err(self.err_not_index(e)),
        }
    }
}
