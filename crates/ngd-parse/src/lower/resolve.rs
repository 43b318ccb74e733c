//! Name resolution: what a name denotes (variable, constant, parameter, array, function,
//! loop index), indexing and call targets, and the errors for unknown or misused names.
//! The language itself: docs/math.md.

use super::{Kind, Lowerer, Op, Target, R};
use crate::error::ParseError;
use crate::names::{abbreviated_list, closest, function_list, Symbols, FUNCTIONS, KEYWORDS};
use crate::parser::{abbreviate, LoopRange};
use crate::{ParamValue, Params};
use ngd_expr::{ExprId, Func};
use std::ops::Range;

fn shape_text(p: &ParamValue) -> String {
    match p {
        ParamValue::Scalar(_) => String::new(),
        ParamValue::Vector(v) => format!("[{}]", v.len()),
        ParamValue::Matrix(m) => format!("[{},{}]", m.len(), m.first().map_or(0, Vec::len)),
    }
}

impl<'c> Lowerer<'c> {
    pub(super) fn classify(&self, name: &str, span: &Range<usize>, indexed: bool) -> R<Kind<'c>> {
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

    pub(super) fn unknown_name(&self, name: &str, span: &Range<usize>) -> ParseError {
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
    pub(super) fn name_value(&mut self, name: &str, span: &Range<usize>) -> R<ExprId> {
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

    pub(super) fn index_target(
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

    pub(super) fn call_op(
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

    pub(super) fn check_loop_name(&self, r: &LoopRange<'c>, earlier: &[LoopRange<'c>]) -> R<()> {
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
}
