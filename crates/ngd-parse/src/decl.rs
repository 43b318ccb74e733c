//! Variable declarations: `x`, `x[3]`, `X[2,2]`.

use crate::error::ParseError;
use crate::lexer::{bad_char, is_ident_continue, is_ident_start};
use crate::names::is_reserved;
use crate::MAX_VARIABLES;
use std::collections::HashSet;
use std::ops::Range;

struct Decl {
    name: String,
    name_span: Range<usize>,
    dims: Vec<usize>,
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn parse_decl(src: &str) -> Result<Decl, ParseError> {
    let b = src.as_bytes();
    let usage = "declare a scalar `x`, a vector `x[3]` or a matrix `X[2,2]`";
    let unexpected = |i: usize| -> ParseError {
        if i >= b.len() {
            ParseError::new("unexpected end of the declaration", b.len()..b.len()).with_help(usage)
        } else if !b[i].is_ascii() || b[i].is_ascii_control() {
            bad_char(src, i).with_help(usage)
        } else {
            ParseError::new(
                format!("unexpected `{}` in a variable declaration", b[i] as char),
                i..i + 1,
            )
            .with_help(usage)
        }
    };
    let mut i = skip_ws(b, 0);
    if i == b.len() {
        return Err(ParseError::new("empty variable declaration", 0..b.len()).with_help(usage));
    }
    if !is_ident_start(b[i]) {
        return Err(unexpected(i));
    }
    let start = i;
    while i < b.len() && is_ident_continue(b[i]) {
        i += 1;
    }
    let name_span = start..i;
    let name = src[name_span.clone()].to_string();
    if is_reserved(&name) {
        return Err(ParseError::new(
            format!("`{name}` is a reserved name (a function or keyword)"),
            name_span,
        )
        .with_help("choose another variable name"));
    }
    i = skip_ws(b, i);
    let mut dims = Vec::new();
    if i < b.len() && b[i] == b'[' {
        let open = i;
        i += 1;
        loop {
            i = skip_ws(b, i);
            let ds = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if ds == i {
                return Err(unexpected(i));
            }
            let text = src[ds..i].trim_start_matches('0');
            let size: usize = if text.is_empty() {
                0
            } else if text.len() > 6 {
                usize::MAX
            } else {
                text.parse().unwrap_or(usize::MAX)
            };
            if size == 0 {
                return Err(ParseError::new("a size must be at least 1", ds..i));
            }
            if size > MAX_VARIABLES {
                return Err(ParseError::new(
                    format!("too many variables (at most {MAX_VARIABLES} scalar entries in all)"),
                    ds..i,
                ));
            }
            dims.push(size);
            i = skip_ws(b, i);
            match b.get(i) {
                Some(b',') => i += 1,
                Some(b']') => {
                    i += 1;
                    break;
                }
                None => {
                    return Err(ParseError::new("unclosed `[`", open..open + 1)
                        .with_help("add a matching `]`"))
                }
                Some(_) => return Err(unexpected(i)),
            }
        }
        if dims.len() > 2 {
            return Err(
                ParseError::new("at most two dimensions are supported", open..i)
                    .with_help("declare a vector `x[n]` or a matrix `X[m,n]`"),
            );
        }
        i = skip_ws(b, i);
    }
    if i < b.len() {
        return Err(unexpected(i));
    }
    Ok(Decl {
        name,
        name_span,
        dims,
    })
}

/// See [`crate::expand_variables`].
pub(crate) fn expand(decls: &[String]) -> Result<Vec<String>, (usize, ParseError)> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (k, src) in decls.iter().enumerate() {
        let d = parse_decl(src).map_err(|e| (k, e))?;
        if !seen.insert(d.name.clone()) {
            return Err((
                k,
                ParseError::new(
                    format!("the variable `{}` is declared twice", d.name),
                    d.name_span,
                )
                .with_help("each name may be declared once"),
            ));
        }
        let count: usize = d.dims.iter().product();
        if out.len() + count > MAX_VARIABLES {
            return Err((
                k,
                ParseError::new(
                    format!("too many variables (at most {MAX_VARIABLES} scalar entries in all)"),
                    0..src.len(),
                ),
            ));
        }
        match d.dims.as_slice() {
            [] => out.push(d.name),
            [n] => out.extend((1..=*n).map(|i| format!("{}[{i}]", d.name))),
            [m, n] => {
                for i in 1..=*m {
                    out.extend((1..=*n).map(|j| format!("{}[{i},{j}]", d.name)));
                }
            }
            _ => {} // refused by parse_decl
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations() {
        let d = parse_decl(" X [ 2 , 3 ] ").unwrap();
        assert_eq!(
            (d.name.as_str(), d.name_span, d.dims),
            ("X", 1..2, vec![2, 3])
        );
        let d = parse_decl("x_1").unwrap();
        assert!(d.dims.is_empty());
        assert_eq!(parse_decl("x[007]").unwrap().dims, vec![7]);
        assert!(parse_decl("x[").is_err());
        assert!(parse_decl("x[2,]").is_err());
        assert!(parse_decl("_").is_ok());
        assert!(parse_decl("prod").is_err());
    }
}
