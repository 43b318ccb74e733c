//! The first lowering pass ("check"): every node visited once, each loop entered a single
//! time, so name, arity and shape errors are reported even inside empty loops.
//! See docs/math.md.

use super::{Kind, Lowerer, R};
use crate::parser::{CallExpr, Expr, ExprKind, IndexExpr, LoopExpr};
use crate::ParamValue;
use std::ops::Range;

impl<'c> Lowerer<'c> {
    pub(super) fn check(&mut self, e: &Expr<'c>) -> R<()> {
        match &e.kind {
            ExprKind::Num(_) => Ok(()),
            ExprKind::Name(n) => self.check_name(n, &e.span),
            ExprKind::Index(ix) => self.check_index(ix, &e.span),
            ExprKind::Call(c) => self.check_call(c, &e.span),
            ExprKind::Loop(l) => self.check_loop(l),
            ExprKind::Neg(a) => self.check(a),
            ExprKind::Sum(items) | ExprKind::Product(items) => {
                items.iter().try_for_each(|(_, t)| self.check(t))
            }
            ExprKind::Pow(bx) => {
                self.check(&bx[0])?;
                self.check(&bx[1])
            }
        }
    }

    #[inline(never)]
    fn check_name(&mut self, n: &str, span: &Range<usize>) -> R<()> {
        // Resolution only: build nothing that could be large.
        match self.classify(n, span, false)? {
            Kind::LoopIndex(_) | Kind::Param(ParamValue::Scalar(_)) => Ok(()),
            Kind::Var(_) if self.allow_vars => Ok(()),
            _ => self.name_value(n, span).map(|_| ()),
        }
    }

    #[inline(never)]
    fn check_index(&mut self, ix: &IndexExpr<'c>, span: &Range<usize>) -> R<()> {
        self.index_target(ix.name, &ix.name_span, ix.indices.len(), span)?;
        for i in &ix.indices {
            self.int_eval(i)?;
        }
        Ok(())
    }

    #[inline(never)]
    fn check_call(&mut self, c: &CallExpr<'c>, span: &Range<usize>) -> R<()> {
        self.call_op(c.name, &c.name_span, &c.paren_span, c.args.len(), span)?;
        c.args.iter().try_for_each(|a| self.check(a))
    }

    #[inline(never)]
    fn check_loop(&mut self, l: &LoopExpr<'c>) -> R<()> {
        let depth = self.loops.len();
        for (k, r) in l.ranges.iter().enumerate() {
            self.check_loop_name(r, &l.ranges[..k])?;
            self.int_eval(&r.lo)?;
            self.int_eval(&r.hi)?;
            self.loops.push((r.name, 1));
        }
        let res = self.check(&l.body);
        self.loops.truncate(depth);
        res
    }
}
