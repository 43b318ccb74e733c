//! Lowering of the syntax tree into an [`Arena`]: name resolution, index arithmetic, loop
//! expansion, and the semantic errors (division by zero, out-of-range indices, limits).
//!
//! Lowering runs twice over the tree. The first pass ("check") visits every node once, with
//! each loop entered a single time and its index set to a dummy value, so that every name,
//! arity and shape error is reported even inside loops whose range turns out to be empty.
//! The second pass evaluates and builds the DAG.

use crate::error::ParseError;
use crate::names::{
    abbreviated_list, closest, function_list, ArrayVar, Symbols, FUNCTIONS, KEYWORDS,
};
use crate::parser::{
    abbreviate, CallExpr, Expr, ExprKind, IndexExpr, LoopExpr, LoopKind, LoopRange,
};
use crate::{ParamValue, Params, MAX_EXPONENT, MAX_ROOT_INDEX};
use ngd_expr::{Arena, ExprId, Func, Node};
use rug::{Integer, Rational};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

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

fn bits(n: &Integer) -> f64 {
    f64::from(n.significant_bits())
}

fn rat_bits(q: &Rational) -> f64 {
    bits(q.numer()) + bits(q.denom())
}

fn shape_text(p: &ParamValue) -> String {
    match p {
        ParamValue::Scalar(_) => String::new(),
        ParamValue::Vector(v) => format!("[{}]", v.len()),
        ParamValue::Matrix(m) => format!("[{},{}]", m.len(), m.first().map_or(0, Vec::len)),
    }
}

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

/// A bound on the size in bits of a sum of rationals, from the summands.
#[derive(Default)]
struct SumBound {
    dens: HashSet<Integer>,
    den_bits: f64,
    max_mag: f64,
    count: f64,
}

impl SumBound {
    fn push(&mut self, q: &Rational) {
        self.count += 1.0;
        let d = q.denom();
        if *d != 1 && !self.dens.contains(d) {
            self.den_bits += bits(d);
            self.dens.insert(d.clone());
        }
        self.max_mag = self.max_mag.max(bits(q.numer()) - bits(d) + 1.0);
    }

    fn bound(&self) -> f64 {
        2.0 * self.den_bits + self.max_mag.max(0.0) + self.count.max(1.0).log2() + 2.0
    }
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

    // ----- names -------------------------------------------------------------------------

    fn classify(&self, name: &str, span: &Range<usize>, indexed: bool) -> R<Kind<'c>> {
        if let Some(&(_, v)) = self.loops.iter().rev().find(|(n, _)| *n == name) {
            return Ok(Kind::LoopIndex(v));
        }
        if let Some((_, arity)) = FUNCTIONS.iter().find(|(f, _)| *f == name) {
            return Ok(Kind::Function(*arity));
        }
        if KEYWORDS.contains(&name) {
            return Ok(Kind::Keyword);
        }
        let syms: &'c Symbols = self.syms;
        let scalar = syms.scalars.get(name).map(|&i| Kind::Var(i));
        let array = syms.arrays.get(name).map(Kind::Array);
        let var = if indexed {
            array.or(scalar)
        } else {
            scalar.or(array)
        };
        let params: &'c Params = self.params;
        match (var, params.get(name)) {
            (Some(_), Some(_)) => Err(ParseError::new(
                format!("`{name}` is both a variable and a parameter"),
                span.clone(),
            )
            .with_help("rename the parameter or the variable")),
            (Some(k), None) => Ok(k),
            (None, Some(p)) => Ok(Kind::Param(p)),
            (None, None) => Ok(Kind::Unknown),
        }
    }

    fn unknown_name(&self, name: &str, span: &Range<usize>) -> ParseError {
        let loop_names: Vec<&str> = self.loops.iter().map(|(n, _)| *n).collect();
        let candidates = self
            .syms
            .listing
            .iter()
            .map(|(b, _)| b.as_str())
            .chain(self.params.keys().map(String::as_str))
            .chain(loop_names.iter().copied())
            .chain(FUNCTIONS.iter().map(|(f, _)| *f));
        let suggestion = closest(name, candidates).map(|s| format!("did you mean `{s}`? "));
        let mut help = Vec::new();
        let msg = if self.allow_vars {
            let shapes: Vec<String> = self.syms.listing.iter().map(|(_, s)| s.clone()).collect();
            if shapes.is_empty() {
                help.push("no variables are declared".to_string());
            } else {
                help.push(format!("declared variables: {}", abbreviated_list(&shapes)));
            }
            format!("unknown variable `{name}`")
        } else {
            help.push("a constant may use numbers, parameters and functions".to_string());
            format!("unknown name `{name}`")
        };
        if !self.params.is_empty() {
            let ps: Vec<String> = self
                .params
                .iter()
                .map(|(k, v)| format!("{k}{}", shape_text(v)))
                .collect();
            help.push(format!("parameters: {}", abbreviated_list(&ps)));
        }
        if !loop_names.is_empty() {
            help.push(format!("loop indices: {}", loop_names.join(", ")));
        }
        let help = format!("{}{}", suggestion.unwrap_or_default(), help.join("; "));
        ParseError::new(msg, span.clone()).with_help(help)
    }

    fn constant_uses_var(&self, name: &str, span: &Range<usize>) -> ParseError {
        ParseError::new(
            format!("a constant cannot depend on the variable `{name}`"),
            span.clone(),
        )
    }

    fn array_shape_error(&self, name: &str, k: &Kind<'c>, span: &Range<usize>) -> ParseError {
        let (what, dims): (&str, Vec<usize>) = match k {
            Kind::Array(a) => ("", a.dims.clone()),
            Kind::Param(ParamValue::Vector(v)) => (" parameter", vec![v.len()]),
            Kind::Param(ParamValue::Matrix(m)) => {
                (" parameter", vec![m.len(), m.first().map_or(0, Vec::len)])
            }
            _ => ("", vec![]),
        };
        if dims.len() == 1 {
            ParseError::new(
                format!("`{name}` is a vector{what} of length {}", dims[0]),
                span.clone(),
            )
            .with_help(format!(
                "index it as `{name}[i]` with 1 <= i <= {}",
                dims[0]
            ))
        } else {
            let (m, n) = (
                dims.first().copied().unwrap_or(0),
                dims.get(1).copied().unwrap_or(0),
            );
            ParseError::new(format!("`{name}` is a {m}x{n} matrix{what}"), span.clone()).with_help(
                format!("index it as `{name}[i,j]` with 1 <= i <= {m} and 1 <= j <= {n}"),
            )
        }
    }

    /// The value of a bare name, or the error explaining why it is not a value.
    fn name_value(&mut self, name: &str, span: &Range<usize>) -> R<ExprId> {
        let k = self.classify(name, span, false)?;
        match k {
            Kind::LoopIndex(v) => Ok(self.arena.int(v)),
            Kind::Var(i) => {
                if self.allow_vars {
                    Ok(self.arena.var(i))
                } else {
                    Err(self.constant_uses_var(name, span))
                }
            }
            Kind::Param(ParamValue::Scalar(q)) => Ok(self.arena.constant_ref(q)),
            Kind::Array(_) if !self.allow_vars => Err(self.constant_uses_var(name, span)),
            Kind::Array(_) | Kind::Param(_) => Err(self.array_shape_error(name, &k, span)),
            Kind::Function(_) => Err(ParseError::new(
                format!("`{name}` is a function"),
                span.clone(),
            )
            .with_help(format!("call it as `{name}(...)`"))),
            Kind::Keyword => Err(
                ParseError::new(format!("`{name}` is a keyword"), span.clone())
                    .with_help(format!("write `{name}(i = 1..n, body)`")),
            ),
            Kind::Unknown => Err(self.unknown_name(name, span)),
        }
    }

    fn index_target(
        &self,
        name: &str,
        name_span: &Range<usize>,
        n_idx: usize,
        span: &Range<usize>,
    ) -> R<Target<'c>> {
        let k = self.classify(name, name_span, true)?;
        let (target, dims) = match k {
            Kind::Array(a) => {
                if !self.allow_vars {
                    return Err(self.constant_uses_var(name, span));
                }
                (Target::Var(a), a.dims.len())
            }
            Kind::Param(ParamValue::Vector(v)) => (Target::Vector(v), 1),
            Kind::Param(ParamValue::Matrix(m)) => (Target::Matrix(m), 2),
            Kind::Var(_) | Kind::Param(ParamValue::Scalar(_)) => {
                return Err(ParseError::new(
                    format!("`{name}` is a scalar and cannot be indexed"),
                    span.clone(),
                )
                .with_help(format!("write `{name}`")))
            }
            Kind::LoopIndex(_) => {
                return Err(ParseError::new(
                    format!("`{name}` is a loop index and cannot be indexed"),
                    span.clone(),
                ))
            }
            Kind::Function(_) => {
                return Err(
                    ParseError::new(format!("`{name}` is a function"), span.clone())
                        .with_help(format!("call it with parentheses: `{name}(...)`")),
                )
            }
            Kind::Keyword => {
                return Err(
                    ParseError::new(format!("`{name}` is a keyword"), span.clone())
                        .with_help(format!("write `{name}(i = 1..n, body)`")),
                )
            }
            Kind::Unknown => return Err(self.unknown_name(name, name_span)),
        };
        if n_idx != dims {
            let k2 = match &target {
                Target::Var(a) => Kind::Array(a),
                _ => k,
            };
            let e = self.array_shape_error(name, &k2, span);
            let what = if dims == 1 { "vector" } else { "matrix" };
            return Err(ParseError {
                message: format!(
                    "`{name}` is a {what}: it takes {dims} {}, found {n_idx}",
                    if dims == 1 { "index" } else { "indices" }
                ),
                ..e
            });
        }
        Ok(target)
    }

    fn call_op(
        &self,
        name: &str,
        name_span: &Range<usize>,
        paren_span: &Range<usize>,
        n_args: usize,
        span: &Range<usize>,
    ) -> R<Op> {
        match self.classify(name, name_span, false)? {
            Kind::Function(arity) => {
                match arity {
                    Some(a) if a != n_args => {
                        return Err(ParseError::new(
                            format!(
                                "`{name}` takes {a} argument{}, found {n_args}",
                                if a == 1 { "" } else { "s" }
                            ),
                            span.clone(),
                        ))
                    }
                    None if n_args < 2 => {
                        return Err(ParseError::new(
                            format!("`{name}` takes at least 2 arguments, found {n_args}"),
                            span.clone(),
                        ))
                    }
                    _ => {}
                }
                Ok(match name {
                    "abs" => Op::Unary(Func::Abs),
                    "exp" => Op::Unary(Func::Exp),
                    "log" | "ln" => Op::Unary(Func::Log),
                    "sign" => Op::Unary(Func::Sign),
                    "sqrt" => Op::Sqrt,
                    "max" => Op::Max,
                    _ => Op::Min,
                })
            }
            Kind::Keyword => Err(ParseError::new(
                format!("`{name}` needs an index range"),
                span.clone(),
            )
            .with_help(format!("write `{name}(i = 1..n, body)`"))),
            Kind::Unknown => {
                let mut help = String::new();
                if let Some(s) = closest(
                    name,
                    FUNCTIONS
                        .iter()
                        .map(|(f, _)| *f)
                        .chain(KEYWORDS.iter().copied()),
                ) {
                    help.push_str(&format!("did you mean `{s}`? "));
                }
                help.push_str(&format!("known functions: {}", function_list()));
                Err(
                    ParseError::new(format!("unknown function `{name}`"), name_span.clone())
                        .with_help(help),
                )
            }
            _ => Err(
                ParseError::new("expected an operator", paren_span.clone()).with_help(format!(
                    "write `{}*(...)` for a product",
                    abbreviate(name, 16)
                )),
            ),
        }
    }

    fn check_loop_name(&self, r: &LoopRange<'c>, earlier: &[LoopRange<'c>]) -> R<()> {
        let name = r.name;
        let clash = if earlier.iter().any(|e| e.name == name) {
            Some("another index of this loop".to_string())
        } else if self.loops.iter().any(|(n, _)| *n == name) {
            Some(format!("the index `{name}` of an enclosing loop"))
        } else if FUNCTIONS.iter().any(|(f, _)| *f == name) || KEYWORDS.contains(&name) {
            Some(format!("the function `{name}`"))
        } else if self.syms.scalars.contains_key(name) || self.syms.arrays.contains_key(name) {
            Some(format!("the variable `{name}`"))
        } else if self.params.contains_key(name) {
            Some(format!("the parameter `{name}`"))
        } else {
            None
        };
        match clash {
            Some(what) => Err(ParseError::new(
                format!("loop index `{name}` clashes with {what}"),
                r.name_span.clone(),
            )
            .with_help("choose another index name")),
            None => Ok(()),
        }
    }

    // ----- integer index arithmetic ------------------------------------------------------

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
    fn int_eval(&self, e: &Expr<'c>) -> R<i64> {
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

    // ----- pass 1: check -----------------------------------------------------------------

    fn check(&mut self, e: &Expr<'c>) -> R<()> {
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

    // ----- pass 2: evaluation ------------------------------------------------------------

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

    fn eval(&mut self, e: &Expr<'c>) -> R<ExprId> {
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

    // ----- size guards -------------------------------------------------------------------

    /// Refuses a freshly built node whose exponents (its own, or those of its factors when it
    /// is a product) exceed [`MAX_EXPONENT`] or [`MAX_ROOT_INDEX`]: the arena combines the
    /// powers of one base (`x^(1/999)*x^(1/998) = x^(1997/997002)`), so a product of
    /// accepted powers can exceed the limits.
    fn check_exponents(&self, id: ExprId, span: &Range<usize>) -> R<()> {
        let bad = |e: &Rational| (!exponent_ok(e)).then(|| exponent_too_large(e, span, true));
        match self.arena.node(id) {
            Node::Pow(_, e) => bad(e).map_or(Ok(()), Err),
            Node::Mul(fs) => {
                for &f in fs.iter() {
                    if let Node::Pow(_, e) = self.arena.node(f) {
                        if let Some(err) = bad(e) {
                            return Err(err);
                        }
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn too_large(&self, span: &Range<usize>) -> ParseError {
        ParseError::new(
            format!("exact constant too large (more than {MAX_CONST_BITS} bits)"),
            span.clone(),
        )
    }

    /// An upper bound on the bits of the constants that powers of `id` can fold into.
    fn const_bits(&self, id: ExprId, depth: usize) -> f64 {
        if depth > 64 {
            return 0.0;
        }
        match self.arena.node(id) {
            Node::Const(c) => rat_bits(c),
            Node::Mul(fs) => fs.iter().map(|&f| self.const_bits(f, depth + 1)).sum(),
            Node::Pow(b, e) => self.const_bits(*b, depth + 1) * e.to_f64().abs().min(4096.0),
            _ => 0.0,
        }
    }

    /// Refuses sums whose folded coefficients could exceed [`MAX_CONST_BITS`].
    fn guard_add(&self, items: &[ExprId], span: &Range<usize>) -> R<()> {
        if items.len() < 2 || self.add_surely_small(items) {
            return Ok(());
        }
        let mut groups: HashMap<Vec<ExprId>, SumBound> = HashMap::new();
        let push = |id: ExprId, groups: &mut HashMap<Vec<ExprId>, SumBound>| {
            let one = Rational::from(1);
            let (key, c): (Vec<ExprId>, &Rational) = match self.arena.node(id) {
                Node::Const(c) => (Vec::new(), c),
                Node::Mul(fs) => match self.arena.node(fs[0]) {
                    Node::Const(c) => (fs[1..].to_vec(), c),
                    _ => (vec![id], &one),
                },
                _ => (vec![id], &one),
            };
            groups.entry(key).or_default().push(c);
        };
        for &t in items {
            match self.arena.node(t) {
                Node::Add(ts) => ts.iter().for_each(|&u| push(u, &mut groups)),
                _ => push(t, &mut groups),
            }
        }
        if groups.values().any(|g| g.bound() > MAX_CONST_BITS) {
            return Err(self.too_large(span));
        }
        Ok(())
    }

    /// True when no group of like terms of the sum can exceed the size bound: one
    /// [`SumBound`] over all terms bounds every group's (its denominators include the
    /// group's distinct ones, its magnitude and count are at least the group's).
    fn add_surely_small(&self, items: &[ExprId]) -> bool {
        let mut all = SumBound::default();
        let mut den_bits = 0.0;
        let mut push = |id: ExprId| {
            let c = match self.arena.node(id) {
                Node::Const(c) => Some(c),
                Node::Mul(fs) => self.arena.as_const(fs[0]),
                _ => None,
            };
            all.count += 1.0;
            match c {
                Some(q) => {
                    let d = q.denom();
                    if *d != 1 {
                        den_bits += bits(d);
                    }
                    all.max_mag = all.max_mag.max(bits(q.numer()) - bits(d) + 1.0);
                }
                None => all.max_mag = all.max_mag.max(1.0),
            }
        };
        for &t in items {
            match self.arena.node(t) {
                Node::Add(ts) => ts.iter().for_each(|&u| push(u)),
                _ => push(t),
            }
        }
        all.den_bits = den_bits;
        all.bound() <= MAX_CONST_BITS
    }

    /// True when [`Lowerer::guard_mul`] surely accepts the product: the same total of
    /// constant sizes, and one [`SumBound`] over all exponents (as in `add_surely_small`).
    fn mul_surely_small(&self, items: &[ExprId]) -> bool {
        let mut total = 0.0;
        let mut all = SumBound::default();
        let mut den_bits = 0.0;
        let mut push = |id: ExprId, total: &mut f64| {
            let e = match self.arena.node(id) {
                Node::Const(c) => {
                    *total += rat_bits(c);
                    return;
                }
                Node::Pow(_, e) => Some(e),
                _ => None,
            };
            *total += self.const_bits(id, 0);
            all.count += 1.0;
            match e {
                Some(q) => {
                    let d = q.denom();
                    if *d != 1 {
                        den_bits += bits(d);
                    }
                    all.max_mag = all.max_mag.max(bits(q.numer()) - bits(d) + 1.0);
                }
                None => all.max_mag = all.max_mag.max(1.0),
            }
        };
        for &f in items {
            match self.arena.node(f) {
                Node::Mul(fs) => fs.iter().for_each(|&g| push(g, &mut total)),
                _ => push(f, &mut total),
            }
        }
        all.den_bits = den_bits;
        total <= MAX_CONST_BITS && all.bound() <= MAX_CONST_BITS
    }

    /// Refuses products whose folded constants or collected exponents could exceed
    /// [`MAX_CONST_BITS`].
    fn guard_mul(&self, items: &[ExprId], span: &Range<usize>) -> R<()> {
        if items.len() < 2 || self.mul_surely_small(items) {
            return Ok(());
        }
        let mut total = 0.0;
        let mut groups: HashMap<ExprId, SumBound> = HashMap::new();
        let one = Rational::from(1);
        let mut push = |id: ExprId, total: &mut f64| {
            let (base, e) = match self.arena.node(id) {
                Node::Const(c) => {
                    *total += rat_bits(c);
                    return;
                }
                Node::Pow(b, e) => (*b, e),
                _ => (id, &one),
            };
            *total += self.const_bits(id, 0);
            groups.entry(base).or_default().push(e);
        };
        for &f in items {
            match self.arena.node(f) {
                Node::Mul(fs) => fs.iter().for_each(|&g| push(g, &mut total)),
                _ => push(f, &mut total),
            }
        }
        if total > MAX_CONST_BITS || groups.values().any(|g| g.bound() > MAX_CONST_BITS) {
            return Err(self.too_large(span));
        }
        Ok(())
    }
}

/// True when the constant exponent `e = p/q` is within [`MAX_EXPONENT`] and
/// [`MAX_ROOT_INDEX`].
fn exponent_ok(e: &Rational) -> bool {
    e.numer()
        .to_i64()
        .is_some_and(|p| p.unsigned_abs() <= u64::from(MAX_EXPONENT))
        && e.denom().to_u32().is_some_and(|q| q <= MAX_ROOT_INDEX)
}

/// The error for an exponent beyond the limits; `combined` when it arose from combining the
/// powers of one base in a product (the span is then the product's).
#[cold]
#[inline(never)]
fn exponent_too_large(e: &Rational, span: &Range<usize>, combined: bool) -> ParseError {
    let shown = abbreviate(&e.to_string(), 40);
    let p_big = *e.numer().as_abs() > MAX_EXPONENT;
    let clause = match (p_big, e.is_integer()) {
        (true, true) => format!("above the limit {MAX_EXPONENT} in magnitude"),
        (true, false) => format!(
            "whose numerator {} is above the limit {MAX_EXPONENT} in magnitude",
            abbreviate(&e.numer().to_string(), 40)
        ),
        (false, _) => format!(
            "whose root index {} is above the limit {MAX_ROOT_INDEX}",
            abbreviate(&e.denom().to_string(), 40)
        ),
    };
    let msg = if combined {
        format!("exponent too large: the powers of one base combine to {shown}, {clause}")
    } else {
        format!("exponent too large: {shown}, {clause}")
    };
    ParseError::new(msg, span.clone()).with_help(format!(
        "constant exponents p/q are limited to |p| <= {MAX_EXPONENT} and root index q <= {MAX_ROOT_INDEX}"
    ))
}

fn span_text(name: &str, vals: &[i64]) -> String {
    let v: Vec<String> = vals.iter().map(i64::to_string).collect();
    format!("{name}[{}]", v.join(","))
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
