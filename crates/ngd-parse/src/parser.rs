//! Recursive-descent parser from tokens to a syntax tree with spans.
//!
//! Nesting (parentheses, brackets, calls, index ranges, unary signs, powers) is counted and
//! limited to [`MAX_NESTING`], so the recursion depth is bounded whatever the input. Sums and
//! products are n-ary nodes, so long chains such as `1+1+...+1` stay shallow. Error paths
//! live in separate cold functions to keep the recursive frames small.

use crate::error::ParseError;
use crate::lexer::{Tok, Token};
use crate::number::decimal_value;
use crate::MAX_NESTING;
use rug::Rational;
use std::ops::Range;

/// `sum` or `prod`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum LoopKind {
    Sum,
    Prod,
}

impl LoopKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            LoopKind::Sum => "sum",
            LoopKind::Prod => "prod",
        }
    }
}

/// A syntax tree node with the byte span of its text.
#[derive(Debug)]
pub(crate) struct Expr<'a> {
    pub kind: ExprKind<'a>,
    pub span: Range<usize>,
}

/// `name[indices]`.
#[derive(Debug)]
pub(crate) struct IndexExpr<'a> {
    pub name: &'a str,
    pub name_span: Range<usize>,
    pub indices: Vec<Expr<'a>>,
}

/// `name(args)`.
#[derive(Debug)]
pub(crate) struct CallExpr<'a> {
    pub name: &'a str,
    pub name_span: Range<usize>,
    pub paren_span: Range<usize>,
    pub args: Vec<Expr<'a>>,
}

/// One index range `name = lo..hi` of a `sum` or `prod`.
#[derive(Debug)]
pub(crate) struct LoopRange<'a> {
    pub name: &'a str,
    pub name_span: Range<usize>,
    pub lo: Expr<'a>,
    pub hi: Expr<'a>,
}

/// `sum(ranges, body)` or `prod(ranges, body)`.
#[derive(Debug)]
pub(crate) struct LoopExpr<'a> {
    pub kind: LoopKind,
    pub ranges: Vec<LoopRange<'a>>,
    pub body: Expr<'a>,
}

#[derive(Debug)]
pub(crate) enum ExprKind<'a> {
    Num(Box<Rational>),
    Name(&'a str),
    Index(Box<IndexExpr<'a>>),
    Call(Box<CallExpr<'a>>),
    Loop(Box<LoopExpr<'a>>),
    Neg(Box<Expr<'a>>),
    /// Terms with a flag "subtracted".
    Sum(Vec<(bool, Expr<'a>)>),
    /// Factors with a flag "divisor".
    Product(Vec<(bool, Expr<'a>)>),
    Pow(Box<[Expr<'a>; 2]>),
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
}

type PResult<T> = Result<T, ParseError>;

/// `s`, or its first `max` characters followed by `...`.
pub(crate) fn abbreviate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((k, _)) => format!("{}...", &s[..k]),
    }
}

impl<'a> Parser<'a> {
    pub(crate) fn new(src: &'a str, toks: Vec<Token>) -> Self {
        Parser {
            src,
            toks,
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Tok {
        self.toks[self.pos].kind
    }

    fn peek_at(&self, k: usize) -> Tok {
        self.toks.get(self.pos + k).map_or(Tok::Eof, |t| t.kind)
    }

    fn cur(&self) -> &Token {
        &self.toks[self.pos]
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if t.kind != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: &Token) -> &'a str {
        &self.src[t.span()]
    }

    fn enter(&mut self, at: &Token) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.err_too_deep(at));
        }
        Ok(())
    }

    // ----- errors (cold, out of line) ----------------------------------------------------

    #[cold]
    #[inline(never)]
    fn describe_cur(&self) -> String {
        let t = self.cur();
        match t.kind {
            Tok::Eof => "the end of the expression".to_string(),
            _ => format!("`{}`", abbreviate(self.text(t), 24)),
        }
    }

    #[cold]
    #[inline(never)]
    fn err_too_deep(&self, at: &Token) -> ParseError {
        ParseError::new(
            format!("expression nested too deeply (more than {MAX_NESTING} levels)"),
            at.span(),
        )
        .with_help("simplify the expression or introduce a parameter")
    }

    #[cold]
    #[inline(never)]
    fn err_trailing(&self) -> ParseError {
        let span = self.cur().span();
        match self.peek() {
            Tok::RParen => ParseError::new("unmatched `)`", span)
                .with_help("remove it or add a matching `(` before it"),
            Tok::RBracket => ParseError::new("unmatched `]`", span),
            _ => ParseError::new(
                format!("unexpected {} after the expression", self.describe_cur()),
                span,
            ),
        }
    }

    /// After a complete operand `operand`, the current token cannot follow it.
    #[cold]
    #[inline(never)]
    fn err_after_operand(&self, operand: &Range<usize>) -> ParseError {
        let next = self.cur();
        if next.kind == Tok::LBracket {
            return ParseError::new("unexpected `[`", next.span())
                .with_help("only a named vector or matrix can be indexed, as `x[i]` or `X[i,j]`");
        }
        let l = abbreviate(&self.src[operand.clone()], 16);
        let r = match next.kind {
            Tok::LParen => "(...)".to_string(),
            _ => abbreviate(self.text(next), 16),
        };
        ParseError::new("expected an operator", next.span())
            .with_help(format!("write `{l}*{r}` for a product"))
    }

    #[cold]
    #[inline(never)]
    fn err_expected_operand(&self) -> ParseError {
        let t = self.cur();
        match t.kind {
            Tok::Eof => ParseError::new("unexpected end of expression", t.span())
                .with_help("an operand (a number, a name or `(`) is missing here"),
            _ => ParseError::new(
                format!(
                    "expected a number, a name or `(`, found {}",
                    self.describe_cur()
                ),
                t.span(),
            ),
        }
    }

    #[cold]
    #[inline(never)]
    fn err_unclosed(&self, close: Tok, open: &Token) -> ParseError {
        let (o, c) = match close {
            Tok::RBracket => ("[", "]"),
            _ => ("(", ")"),
        };
        if self.peek() == Tok::Eof {
            ParseError::new(format!("unclosed `{o}`"), open.span())
                .with_help(format!("add a matching `{c}`"))
        } else {
            ParseError::new(
                format!(
                    "expected `{c}` to close the `{o}` at byte {}, found {}",
                    open.start,
                    self.describe_cur()
                ),
                self.cur().span(),
            )
        }
    }

    #[cold]
    #[inline(never)]
    fn err_loop(&self, what: &str, kind: LoopKind) -> ParseError {
        let name = kind.name();
        let usage = format!("write `{name}(i = 1..n, body)`");
        let span = self.cur().span();
        match what {
            "range" => {
                ParseError::new(format!("`{name}` needs an index range"), span).with_help(usage)
            }
            "args" => ParseError::new(format!("too many arguments to `{name}`"), span).with_help(
                format!("{usage}; several ranges come first: `{name}(i = 1..n, j = 1..n, body)`"),
            ),
            tok => ParseError::new(
                format!(
                    "expected `{tok}` {} the index range, found {}",
                    if tok == ".." { "in" } else { "after" },
                    self.describe_cur()
                ),
                span,
            )
            .with_help(usage),
        }
    }

    // ----- grammar -----------------------------------------------------------------------

    /// The whole input: one expression followed by the end.
    pub(crate) fn parse_all(&mut self) -> PResult<Expr<'a>> {
        if self.peek() == Tok::Eof {
            return Err(ParseError::new("empty expression", 0..self.src.len()));
        }
        let e = self.parse_sum()?;
        if self.peek() != Tok::Eof {
            return Err(self.err_trailing());
        }
        Ok(e)
    }

    /// `term (('+' | '-') term)*`
    fn parse_sum(&mut self) -> PResult<Expr<'a>> {
        let first = self.parse_term()?;
        if !matches!(self.peek(), Tok::Plus | Tok::Minus) {
            return Ok(first);
        }
        let start = first.span.start;
        let mut terms = vec![(false, first)];
        while matches!(self.peek(), Tok::Plus | Tok::Minus) {
            let neg = self.bump().kind == Tok::Minus;
            let t = self.parse_term()?;
            terms.push((neg, t));
        }
        let end = terms.last().map_or(start, |t| t.1.span.end);
        Ok(Expr {
            kind: ExprKind::Sum(terms),
            span: start..end,
        })
    }

    /// `unary (('*' | '/') unary)*`; an operand directly followed by another is an error.
    fn parse_term(&mut self) -> PResult<Expr<'a>> {
        let first = self.parse_unary()?;
        if self.peek().starts_operand() || self.peek() == Tok::LBracket {
            return Err(self.err_after_operand(&first.span));
        }
        if !matches!(self.peek(), Tok::Star | Tok::Slash) {
            return Ok(first);
        }
        let start = first.span.start;
        let mut factors = vec![(false, first)];
        while matches!(self.peek(), Tok::Star | Tok::Slash) {
            let div = self.bump().kind == Tok::Slash;
            let f = self.parse_unary()?;
            let end = f.span.end;
            factors.push((div, f));
            if self.peek().starts_operand() || self.peek() == Tok::LBracket {
                return Err(self.err_after_operand(&(start..end)));
            }
        }
        let end = factors.last().map_or(start, |t| t.1.span.end);
        Ok(Expr {
            kind: ExprKind::Product(factors),
            span: start..end,
        })
    }

    /// `('-' | '+')* power`; each sign counts as a nesting level.
    fn parse_unary(&mut self) -> PResult<Expr<'a>> {
        let start = self.cur().start;
        let depth = self.depth;
        let mut neg = false;
        while matches!(self.peek(), Tok::Plus | Tok::Minus) {
            let t = self.bump();
            neg ^= t.kind == Tok::Minus;
            self.enter(&t)?;
        }
        let e = self.parse_power()?;
        self.depth = depth;
        if !neg {
            return Ok(e);
        }
        let span = start..e.span.end;
        Ok(Expr {
            kind: ExprKind::Neg(Box::new(e)),
            span,
        })
    }

    /// `primary ('^' unary)?`: right-associative, and `x^-1` is allowed.
    fn parse_power(&mut self) -> PResult<Expr<'a>> {
        let base = self.parse_primary()?;
        if self.peek() != Tok::Caret {
            return Ok(base);
        }
        let op = self.bump();
        self.enter(&op)?;
        let exp = self.parse_unary()?;
        self.depth -= 1;
        let span = base.span.start..exp.span.end;
        Ok(Expr {
            kind: ExprKind::Pow(Box::new([base, exp])),
            span,
        })
    }

    fn parse_primary(&mut self) -> PResult<Expr<'a>> {
        match self.peek() {
            Tok::Num => self.parse_number(),
            Tok::Ident => {
                let t = self.bump();
                match self.peek() {
                    Tok::LParen => match self.text(&t) {
                        "sum" => self.parse_loop(t, LoopKind::Sum),
                        "prod" => self.parse_loop(t, LoopKind::Prod),
                        _ => self.parse_call(t),
                    },
                    Tok::LBracket => self.parse_index(t),
                    _ => Ok(Expr {
                        kind: ExprKind::Name(self.text(&t)),
                        span: t.span(),
                    }),
                }
            }
            Tok::LParen => self.parse_paren(),
            _ => Err(self.err_expected_operand()),
        }
    }

    #[inline(never)]
    fn parse_number(&mut self) -> PResult<Expr<'a>> {
        let t = self.bump();
        match decimal_value(self.text(&t)) {
            Ok(v) => Ok(Expr {
                kind: ExprKind::Num(Box::new(v)),
                span: t.span(),
            }),
            Err(m) => Err(ParseError::new(m, t.span())),
        }
    }

    #[inline(never)]
    fn parse_paren(&mut self) -> PResult<Expr<'a>> {
        let open = self.bump();
        self.enter(&open)?;
        if self.peek() == Tok::RParen {
            return Err(ParseError::new(
                "empty parentheses",
                open.start..self.cur().end,
            ));
        }
        let inner = self.parse_sum()?;
        let close = self.expect_close(Tok::RParen, &open)?;
        self.depth -= 1;
        Ok(Expr {
            kind: inner.kind,
            span: open.start..close.end,
        })
    }

    /// Consumes the closing token of a group opened by `open`.
    fn expect_close(&mut self, close: Tok, open: &Token) -> PResult<Token> {
        if self.peek() == close {
            Ok(self.bump())
        } else {
            Err(self.err_unclosed(close, open))
        }
    }

    /// Comma-separated expressions up to the closing token (the opening one is consumed).
    fn parse_list(&mut self, open: &Token, close: Tok) -> PResult<(Vec<Expr<'a>>, Token)> {
        let mut items = Vec::new();
        if self.peek() != close {
            loop {
                items.push(self.parse_sum()?);
                if self.peek() != Tok::Comma {
                    break;
                }
                self.bump();
            }
        }
        let end = self.expect_close(close, open)?;
        Ok((items, end))
    }

    #[inline(never)]
    fn parse_call(&mut self, name_tok: Token) -> PResult<Expr<'a>> {
        let open = self.bump();
        self.enter(&open)?;
        let (args, close) = self.parse_list(&open, Tok::RParen)?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Call(Box::new(CallExpr {
                name: self.text(&name_tok),
                name_span: name_tok.span(),
                paren_span: open.span(),
                args,
            })),
            span: name_tok.start..close.end,
        })
    }

    #[inline(never)]
    fn parse_index(&mut self, name_tok: Token) -> PResult<Expr<'a>> {
        let open = self.bump();
        self.enter(&open)?;
        let (indices, close) = self.parse_list(&open, Tok::RBracket)?;
        self.depth -= 1;
        if indices.is_empty() {
            return Err(ParseError::new("empty index", open.start..close.end)
                .with_help("indices are 1-based: `x[1]`, `X[i,j]`"));
        }
        Ok(Expr {
            kind: ExprKind::Index(Box::new(IndexExpr {
                name: self.text(&name_tok),
                name_span: name_tok.span(),
                indices,
            })),
            span: name_tok.start..close.end,
        })
    }

    /// `sum(i = lo..hi, [j = lo..hi, ...] body)`; each range counts as a nesting level.
    #[inline(never)]
    fn parse_loop(&mut self, name_tok: Token, kind: LoopKind) -> PResult<Expr<'a>> {
        let open = self.bump();
        let depth = self.depth;
        self.enter(&open)?;
        let mut ranges = Vec::new();
        while self.peek() == Tok::Ident && self.peek_at(1) == Tok::Eq {
            let name_t = self.bump();
            let eq = self.bump();
            self.enter(&eq)?;
            let lo = self.parse_sum()?;
            if self.peek() != Tok::DotDot {
                return Err(self.err_loop("..", kind));
            }
            self.bump();
            let hi = self.parse_sum()?;
            if self.peek() != Tok::Comma {
                return Err(self.err_loop(",", kind));
            }
            self.bump();
            ranges.push(LoopRange {
                name: self.text(&name_t),
                name_span: name_t.span(),
                lo,
                hi,
            });
        }
        if ranges.is_empty() {
            let mut e = self.err_loop("range", kind);
            e.span = name_tok.start..open.end;
            return Err(e);
        }
        let body = self.parse_sum()?;
        if self.peek() == Tok::Comma {
            return Err(self.err_loop("args", kind));
        }
        let close = self.expect_close(Tok::RParen, &open)?;
        self.depth = depth;
        Ok(Expr {
            kind: ExprKind::Loop(Box::new(LoopExpr { kind, ranges, body })),
            span: name_tok.start..close.end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::tokenize;

    fn parse(src: &str) -> Result<Expr<'_>, ParseError> {
        Parser::new(src, tokenize(src)?).parse_all()
    }

    /// A compact rendering of the tree, with explicit structure.
    fn show(e: &Expr<'_>) -> String {
        let list = |v: &[(bool, Expr<'_>)], a: &str, b: &str| {
            v.iter()
                .map(|(f, t)| format!("{}{}", if *f { b } else { a }, show(t)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        match &e.kind {
            ExprKind::Num(q) => q.to_string(),
            ExprKind::Name(n) => n.to_string(),
            ExprKind::Index(ix) => format!(
                "{}[{}]",
                ix.name,
                ix.indices.iter().map(show).collect::<Vec<_>>().join(",")
            ),
            ExprKind::Call(c) => format!(
                "{}({})",
                c.name,
                c.args.iter().map(show).collect::<Vec<_>>().join(",")
            ),
            ExprKind::Loop(l) => format!(
                "{}({}; {})",
                l.kind.name(),
                l.ranges
                    .iter()
                    .map(|r| format!("{}={}..{}", r.name, show(&r.lo), show(&r.hi)))
                    .collect::<Vec<_>>()
                    .join(", "),
                show(&l.body)
            ),
            ExprKind::Neg(a) => format!("(neg {})", show(a)),
            ExprKind::Sum(v) => format!("(sum {})", list(v, "+", "-")),
            ExprKind::Product(v) => format!("(prod {})", list(v, "*", "/")),
            ExprKind::Pow(b) => format!("(pow {} {})", show(&b[0]), show(&b[1])),
        }
    }

    #[test]
    fn tree_shapes() {
        let cases = [
            ("1 + 2 - 3 + 4", "(sum +1 +2 -3 +4)"),
            ("a*b/c*d", "(prod *a *b /c *d)"),
            ("-x^2", "(neg (pow x 2))"),
            ("--x", "x"),
            ("---x", "(neg x)"),
            ("2^-1/3", "(prod *(pow 2 (neg 1)) /3)"),
            ("x^y^z", "(pow x (pow y z))"),
            ("x**-y**2", "(pow x (neg (pow y 2)))"),
            ("(a + b)*c", "(prod *(sum +a +b) *c)"),
            ("-a*b", "(prod *(neg a) *b)"),
            ("f(a, b + c)", "f(a,(sum +b +c))"),
            ("X[i + 1, 2]", "X[(sum +i +1),2]"),
            ("sum(i = 1..n, j = i..n, x)", "sum(i=1..n, j=i..n; x)"),
            ("prod(k = 0..2*m, k)", "prod(k=0..(prod *2 *m); k)"),
            ("0.5e1", "5"),
        ];
        for (src, want) in cases {
            assert_eq!(show(&parse(src).unwrap()), want, "{src}");
        }
    }

    #[test]
    fn spans() {
        let e = parse(" (x + y) ").unwrap();
        assert_eq!(e.span, 1..8);
        let e = parse("-x^2 + 1").unwrap();
        match &e.kind {
            ExprKind::Sum(v) => {
                assert_eq!(v[0].1.span, 0..4);
                assert_eq!(v[1].1.span, 7..8);
            }
            k => panic!("{k:?}"),
        }
        let e = parse("exp(x)*u[2]").unwrap();
        match &e.kind {
            ExprKind::Product(v) => {
                assert_eq!(v[0].1.span, 0..6);
                assert_eq!(v[1].1.span, 7..11);
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn depth_is_restored_after_groups() {
        // Many sibling groups, each within the limit, never add up.
        let src = vec!["((((x))))"; 1000].join(" + ");
        assert!(parse(&src).is_ok());
        let src = vec!["-(-(-x^-2))"; 1000].join(" * ");
        assert!(parse(&src).is_ok());
        let src = vec!["sum(i = 1..2, j = 1..2, x)"; 1000].join(" + ");
        assert!(parse(&src).is_ok());
    }
}
