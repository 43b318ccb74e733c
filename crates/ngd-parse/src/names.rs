//! Names: reserved words, the variable table rebuilt from an arena, suggestions.

use rustc_hash::FxHashMap as HashMap;

/// Functions of the language with their arity (`None`: two or more arguments).
pub(crate) const FUNCTIONS: &[(&str, Option<usize>)] = &[
    ("abs", Some(1)),
    ("exp", Some(1)),
    ("log", Some(1)),
    ("ln", Some(1)),
    ("sqrt", Some(1)),
    ("sign", Some(1)),
    ("max", None),
    ("min", None),
];

/// Names that are neither variables nor functions of one expression.
pub(crate) const KEYWORDS: &[&str] = &["sum", "prod"];

/// True for function names and keywords, which cannot name variables, parameters or indices.
pub(crate) fn is_reserved(name: &str) -> bool {
    FUNCTIONS.iter().any(|(f, _)| *f == name) || KEYWORDS.contains(&name)
}

/// The list of known functions, for help messages.
pub(crate) fn function_list() -> String {
    let mut v: Vec<&str> = FUNCTIONS.iter().map(|(f, _)| *f).collect();
    v.extend_from_slice(KEYWORDS);
    v.join(", ")
}

/// Splits `base[i]` / `base[i,j]` (1-based integers) into the base and the indices.
pub(crate) fn split_indexed(name: &str) -> Option<(&str, Vec<usize>)> {
    let open = name.find('[')?;
    let inner = name[open + 1..].strip_suffix(']')?;
    let base = &name[..open];
    if base.is_empty() {
        return None;
    }
    let idx: Option<Vec<usize>> = inner
        .split(',')
        .map(|s| {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
                None
            } else {
                s.parse().ok()
            }
        })
        .collect();
    let idx = idx?;
    if idx.is_empty() || idx.len() > 2 || idx.contains(&0) {
        return None;
    }
    Some((base, idx))
}

/// A vector (`dims.len() == 1`) or matrix (`2`) of scalar variables.
#[derive(Debug, Default)]
pub(crate) struct ArrayVar {
    pub dims: Vec<usize>,
    /// `(i, j)` (1-based; `j = 1` for vectors) to the variable index.
    pub entries: HashMap<(usize, usize), usize>,
}

/// The variables of an arena, grouped back into scalars, vectors and matrices.
#[derive(Debug, Default)]
pub(crate) struct Symbols {
    pub scalars: HashMap<String, usize>,
    pub arrays: HashMap<String, ArrayVar>,
    /// Bases in declaration order, with their shape text (`x`, `x[3]`, `X[2,2]`).
    pub listing: Vec<(String, String)>,
}

impl Symbols {
    pub(crate) fn from_names(names: &[String]) -> Self {
        let mut s = Symbols::default();
        for (k, name) in names.iter().enumerate() {
            match split_indexed(name) {
                Some((base, idx)) => {
                    let a = s
                        .arrays
                        .entry(base.to_string())
                        .or_insert_with(|| ArrayVar {
                            dims: vec![0; idx.len()],
                            entries: HashMap::default(),
                        });
                    if a.dims.is_empty() && a.entries.is_empty() {
                        a.dims = vec![0; idx.len()];
                    }
                    if a.dims.len() != idx.len() {
                        continue;
                    }
                    for (d, &i) in a.dims.iter_mut().zip(&idx) {
                        *d = (*d).max(i);
                    }
                    let key = (idx[0], idx.get(1).copied().unwrap_or(1));
                    a.entries.entry(key).or_insert(k);
                    if !s.listing.iter().any(|(b, _)| b == base) {
                        s.listing.push((base.to_string(), String::new()));
                    }
                }
                None => {
                    s.scalars.entry(name.clone()).or_insert(k);
                    s.listing.push((name.clone(), String::new()));
                }
            }
        }
        for (base, shape) in s.listing.iter_mut() {
            *shape = match s.arrays.get(base.as_str()) {
                Some(a) if !s.scalars.contains_key(base.as_str()) => format!(
                    "{base}[{}]",
                    a.dims
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                _ => base.clone(),
            };
        }
        s
    }
}

/// Edit distance with adjacent transpositions (optimal string alignment), or `None` for
/// long names (suggestions are for typos).
pub(crate) fn edit_distance(a: &str, b: &str) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > 64 || b.len() > 64 {
        return None;
    }
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        for j in 0..b.len() {
            let sub = prev[j] + usize::from(a[i] != b[j]);
            let mut d = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(prev2[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()])
}

/// The closest candidate within a small edit distance (ties: the first one).
pub(crate) fn closest<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = if name.len() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        if name.len() == 1 || c.len() == 1 {
            // Any two one-letter names are one edit apart: suggest only a change of case.
            if name.eq_ignore_ascii_case(c) && best.is_none() {
                best = Some((1, c));
            }
            continue;
        }
        if let Some(d) = edit_distance(name, c) {
            if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// `a, b, c` or `a, b, ..., (N in all)` when long.
pub(crate) fn abbreviated_list(items: &[String]) -> String {
    const SHOW: usize = 10;
    if items.len() <= SHOW + 2 {
        items.join(", ")
    } else {
        format!("{}, ... ({} in all)", items[..SHOW].join(", "), items.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_indexed_names() {
        assert_eq!(split_indexed("x[3]"), Some(("x", vec![3])));
        assert_eq!(split_indexed("X[1,2]"), Some(("X", vec![1, 2])));
        assert_eq!(split_indexed("x"), None);
        assert_eq!(split_indexed("x[0]"), None);
        assert_eq!(split_indexed("x[a]"), None);
        assert_eq!(split_indexed("[1]"), None);
    }

    #[test]
    fn symbols_recover_shapes() {
        let names: Vec<String> = ["a", "x[1]", "x[2]", "X[1,1]", "X[1,2]", "X[2,1]", "X[2,2]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let s = Symbols::from_names(&names);
        assert_eq!(s.scalars["a"], 0);
        assert_eq!(s.arrays["x"].dims, vec![2]);
        assert_eq!(s.arrays["X"].dims, vec![2, 2]);
        assert_eq!(s.arrays["X"].entries[&(2, 1)], 5);
        let shapes: Vec<&str> = s.listing.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(shapes, vec!["a", "x[2]", "X[2,2]"]);
    }

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), Some(3));
        assert_eq!(closest("z", ["x", "y"].into_iter()), None);
        assert_eq!(closest("X", ["x", "y"].into_iter()), Some("x"));
        assert_eq!(closest("xx", ["x", "y"].into_iter()), None);
        assert_eq!(closest("x1", ["x2", "y"].into_iter()), Some("x2"));
        assert_eq!(edit_distance("epx", "exp"), Some(1));
        assert_eq!(edit_distance("", "abc"), Some(3));
        assert_eq!(closest("lgo", ["log", "exp"].into_iter()), Some("log"));
        assert_eq!(closest("sin", ["log", "exp"].into_iter()), None);
        assert_eq!(closest("epx", ["log", "exp"].into_iter()), Some("exp"));
        assert_eq!(
            closest("alpah", ["alpha", "beta"].into_iter()),
            Some("alpha")
        );
    }
}
