//! The second lowering pass: evaluating the tree into the DAG, with loop expansion and the
//! work and loop-instance limits. See docs/math.md.

use super::limits::{exponent_ok, exponent_too_large, rat_bits};
use super::{Lowerer, Op, Target, MAX_CONST_BITS, MAX_LOOP_INSTANCES, MAX_WORK, R};
use crate::error::ParseError;
use crate::parser::{CallExpr, Expr, ExprKind, IndexExpr, LoopExpr, LoopKind, LoopRange};
use crate::MAX_EXPONENT;
use ngd_expr::{ExprId, Func};
use rug::Rational;
use std::ops::Range;

fn too_many_instances(span: Range<usize>, kind: LoopKind) -> ParseError {
    ParseError::new(
        format!(
            "`{}` expands to more than {MAX_LOOP_INSTANCES} terms",
            kind.name()
        ),
        span,
    )
    .with_help("reduce the index ranges")
}

impl<'c> Lowerer<'c> {
    fn tick(&mut self, span: &Range<usize>) -> R<()> {
        self.work += 1;
        if self.work > MAX_WORK {
            return Err(self.err_work(span));
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn err_work(&self, span: &Range<usize>) -> ParseError {
        ParseError::new(
            format!("expression too large to expand (more than {MAX_WORK} steps)"),
            span.clone(),
        )
        .with_help("reduce the index ranges or the size of the loop bodies")
    }

    pub(super) fn eval(&mut self, e: &Expr<'c>) -> R<ExprId> {
        self.tick(&e.span)?;
        match &e.kind {
            ExprKind::Num(q) => Ok(self.arena.constant_ref(q)),
            ExprKind::Name(n) => self.name_value(n, &e.span),
            ExprKind::Index(ix) => self.eval_index(ix, &e.span),
            ExprKind::Call(c) => self.eval_call(c, &e.span),
            ExprKind::Loop(l) => self.eval_loop(l, &e.span),
            ExprKind::Neg(a) => {
                let v = self.eval(a)?;
                Ok(self.arena.neg(v))
            }
            ExprKind::Sum(terms) => self.eval_sum(terms, &e.span),
            ExprKind::Product(factors) => self.eval_product(factors, &e.span),
            ExprKind::Pow(bx) => self.eval_pow(&bx[0], &bx[1], &e.span),
        }
    }

    #[inline(never)]
    fn eval_sum(&mut self, terms: &[(bool, Expr<'c>)], span: &Range<usize>) -> R<ExprId> {
        let mut v = Vec::with_capacity(terms.len());
        for (neg, t) in terms {
            let x = self.eval(t)?;
            v.push(if *neg { self.arena.neg(x) } else { x });
        }
        self.guard_add(&v, span)?;
        Ok(self.arena.add(v))
    }

    #[inline(never)]
    fn eval_product(&mut self, factors: &[(bool, Expr<'c>)], span: &Range<usize>) -> R<ExprId> {
        let mut v = Vec::with_capacity(factors.len());
        for (div, f) in factors {
            let x = self.eval(f)?;
            if *div {
                if self.arena.is_const(x, 0) {
                    return Err(ParseError::new("division by zero", f.span.clone())
                        .with_help("the denominator simplifies to the constant 0"));
                }
                v.push(self.arena.pow(x, Rational::from(-1)));
            } else {
                v.push(x);
            }
        }
        self.guard_mul(&v, span)?;
        let r = self.arena.mul(v);
        self.check_exponents(r, span)?;
        Ok(r)
    }

    #[inline(never)]
    fn eval_loop(&mut self, l: &LoopExpr<'c>, span: &Range<usize>) -> R<ExprId> {
        let mut items = Vec::new();
        self.loop_level(l.kind, &l.ranges, &l.body, span, &mut items)?;
        match l.kind {
            LoopKind::Sum => {
                self.guard_add(&items, span)?;
                Ok(self.arena.add(items))
            }
            LoopKind::Prod => {
                self.guard_mul(&items, span)?;
                let r = self.arena.mul(items);
                self.check_exponents(r, span)?;
                Ok(r)
            }
        }
    }

    #[inline(never)]
    fn eval_index(&mut self, ix: &IndexExpr<'c>, span: &Range<usize>) -> R<ExprId> {
        let name = ix.name;
        let indices = &ix.indices;
        let target = self.index_target(name, &ix.name_span, indices.len(), span)?;
        let mut vals = Vec::with_capacity(indices.len());
        for i in indices {
            vals.push(self.int_eval(i)?);
        }
        let out_of_range = |k: usize, v: i64, n: usize| {
            let which = match (indices.len(), k) {
                (1, _) => "index",
                (_, 0) => "row index",
                _ => "column index",
            };
            ParseError::new(
                format!("{which} {v} is out of range for `{name}` (1..={n})"),
                indices[k].span.clone(),
            )
            .with_help("indices are 1-based")
        };
        let check = |k: usize, n: usize| -> R<usize> {
            let v = vals[k];
            if v >= 1 && (v as u64) <= n as u64 {
                Ok(v as usize)
            } else {
                Err(out_of_range(k, v, n))
            }
        };
        match target {
            Target::Var(a) => {
                let i = check(0, a.dims[0])?;
                let j = if a.dims.len() == 2 {
                    check(1, a.dims[1])?
                } else {
                    1
                };
                match a.entries.get(&(i, j)) {
                    Some(&v) => Ok(self.arena.var(v)),
                    None => Err(ParseError::new(
                        format!("`{}` is not a declared variable", &span_text(name, &vals)),
                        span.clone(),
                    )),
                }
            }
            Target::Vector(v) => {
                let i = check(0, v.len())?;
                Ok(self.arena.constant_ref(&v[i - 1]))
            }
            Target::Matrix(m) => {
                let i = check(0, m.len())?;
                let row = &m[i - 1];
                let j = check(1, row.len())?;
                Ok(self.arena.constant_ref(&row[j - 1]))
            }
        }
    }

    #[inline(never)]
    fn eval_call(&mut self, c: &CallExpr<'c>, span: &Range<usize>) -> R<ExprId> {
        let op = self.call_op(c.name, &c.name_span, &c.paren_span, c.args.len(), span)?;
        let args = &c.args;
        match op {
            Op::Unary(f) => {
                let a = self.eval(&args[0])?;
                if f == Func::Log {
                    if let Some(c) = self.arena.as_const(a) {
                        if c.cmp0() != std::cmp::Ordering::Greater {
                            return Err(ParseError::new(
                                format!("logarithm of the non-positive constant {c}"),
                                args[0].span.clone(),
                            ));
                        }
                    }
                }
                Ok(self.arena.func(f, a))
            }
            Op::Sqrt => {
                let a = self.eval(&args[0])?;
                if let Some(c) = self.arena.as_const(a) {
                    if c.cmp0() == std::cmp::Ordering::Less {
                        return Err(ParseError::new(
                            format!("square root of the negative constant {c}"),
                            args[0].span.clone(),
                        ));
                    }
                }
                let r = self.arena.pow(a, Rational::from((1, 2)));
                self.check_exponents(r, span)?;
                Ok(r)
            }
            Op::Max | Op::Min => {
                let mut acc = self.eval(&args[0])?;
                for a in &args[1..] {
                    let v = self.eval(a)?;
                    acc = if matches!(op, Op::Max) {
                        self.arena.max(acc, v)
                    } else {
                        self.arena.min(acc, v)
                    };
                }
                Ok(acc)
            }
        }
    }

    #[inline(never)]
    fn eval_pow(&mut self, b: &Expr<'c>, x: &Expr<'c>, span: &Range<usize>) -> R<ExprId> {
        let base = self.eval(b)?;
        let ex = self.eval(x)?;
        // Fast path for an integer exponent of moderate size: the same checks and the same
        // node as below (`q.to_f64()` is exactly `k as f64` for |k| <= 2^53).
        let small = self
            .arena
            .as_const(ex)
            .filter(|q| q.is_integer())
            .and_then(|q| q.numer().to_i64())
            .filter(|k| k.unsigned_abs() <= 1 << 53);
        if let Some(k) = small {
            if k.unsigned_abs() > u64::from(MAX_EXPONENT) {
                return Err(exponent_too_large(&Rational::from(k), &x.span, false));
            }
            if let Some(c) = self.arena.as_const(base) {
                if *c == 0 && k < 0 {
                    return Err(ParseError::new("division by zero", span.clone())
                        .with_help("zero to a negative power is undefined"));
                }
            }
            let grow = self.const_bits(base, 0) * (k as f64).abs().min(4096.0);
            let q_bits = self.arena.as_const(ex).map_or(0.0, rat_bits);
            if grow > MAX_CONST_BITS || q_bits > MAX_CONST_BITS {
                return Err(self.too_large(span));
            }
            let r = self.arena.powi(base, k);
            self.check_exponents(r, span)?;
            return Ok(r);
        }
        if let Some(q) = self.arena.as_const(ex).cloned() {
            if !exponent_ok(&q) {
                return Err(exponent_too_large(&q, &x.span, false));
            }
            if let Some(c) = self.arena.as_const(base) {
                if *c == 0 && q < 0 {
                    return Err(ParseError::new("division by zero", span.clone())
                        .with_help("zero to a negative power is undefined"));
                }
                if *c < 0 && q.denom().is_even() {
                    return Err(ParseError::new(
                        format!("even root of the negative constant {c}"),
                        span.clone(),
                    ));
                }
            }
            let grow = self.const_bits(base, 0) * q.to_f64().abs().min(4096.0);
            if grow > MAX_CONST_BITS || rat_bits(&q) > MAX_CONST_BITS {
                return Err(self.too_large(span));
            }
            let r = self.arena.pow(base, q);
            self.check_exponents(r, span)?;
            return Ok(r);
        }
        if let Some(c) = self.arena.as_const(base) {
            if c.cmp0() != std::cmp::Ordering::Greater {
                return Err(ParseError::new(
                    format!("the power of {c} to a non-constant exponent is undefined"),
                    span.clone(),
                )
                .with_help("a non-constant exponent needs a positive base"));
            }
        }
        let l = self.arena.func(Func::Log, base);
        let m = self.arena.mul2(ex, l);
        Ok(self.arena.func(Func::Exp, m))
    }

    fn loop_level(
        &mut self,
        kind: LoopKind,
        ranges: &[LoopRange<'c>],
        body: &Expr<'c>,
        span: &Range<usize>,
        items: &mut Vec<ExprId>,
    ) -> R<()> {
        let Some((r, rest)) = ranges.split_first() else {
            self.instances += 1;
            if self.instances > MAX_LOOP_INSTANCES {
                return Err(too_many_instances(span.clone(), kind));
            }
            items.push(self.eval(body)?);
            return Ok(());
        };
        let lo = self.int_eval(&r.lo)?;
        let hi = self.int_eval(&r.hi)?;
        if hi < lo {
            return Ok(());
        }
        if i128::from(hi) - i128::from(lo) + 1 > i128::from(MAX_LOOP_INSTANCES) {
            return Err(too_many_instances(span.clone(), kind));
        }
        for i in lo..=hi {
            self.tick(span)?;
            self.loops.push((r.name, i));
            let res = self.loop_level(kind, rest, body, span, items);
            self.loops.pop();
            res?;
        }
        Ok(())
    }
}

fn span_text(name: &str, vals: &[i64]) -> String {
    let v: Vec<String> = vals.iter().map(i64::to_string).collect();
    format!("{name}[{}]", v.join(","))
}
