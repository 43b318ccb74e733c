//! The identity-check benchmark cases of `bench/cases.py` (`prodN`, `matN`), rebuilt as
//! strings: shared by the gradient tests and the `gradient_timing` example.

// Each user compiles this file and uses a subset of it.
#![allow(dead_code)]

/// A case: variable names, `f` and `phi` as parser input.
pub struct Case {
    pub name: String,
    pub vars: Vec<String>,
    pub f: String,
    pub phi: String,
}

/// `f = (x1*...*xn - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`.
pub fn prod(n: usize) -> Case {
    let vars: Vec<String> = (1..=n).map(|i| format!("x{i}")).collect();
    let f = format!("({} - 1)**2", vars.join("*"));
    let mut terms = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            terms.push(format!("({}**2 - {}**2)**2", vars[i], vars[j]));
        }
    }
    Case {
        name: format!("prod{n}"),
        vars,
        f,
        phi: terms.join(" + "),
    }
}

/// `f = ||X Y^T - diag(1..n)||_F^2`, `phi = ||X^T X - Y^T Y||_F^2` for `n x n` factors.
pub fn mat(n: usize) -> Case {
    let mut vars = Vec::new();
    for m in ["X", "Y"] {
        for i in 1..=n {
            for k in 1..=n {
                vars.push(format!("{m}_{i}_{k}"));
            }
        }
    }
    let mut fterms = Vec::new();
    for i in 1..=n {
        for j in 1..=n {
            let s: Vec<String> = (1..=n).map(|k| format!("X_{i}_{k}*Y_{j}_{k}")).collect();
            let s = s.join(" + ");
            let r = if i == j { format!("{s} - {i}") } else { s };
            fterms.push(format!("({r})**2"));
        }
    }
    let mut pterms = Vec::new();
    for a in 1..=n {
        for b in 1..=n {
            let xx: Vec<String> = (1..=n).map(|k| format!("X_{k}_{a}*X_{k}_{b}")).collect();
            let yy: Vec<String> = (1..=n).map(|k| format!("Y_{k}_{a}*Y_{k}_{b}")).collect();
            pterms.push(format!("({} - {})**2", xx.join(" + "), yy.join(" - ")));
        }
    }
    Case {
        name: format!("mat{n}"),
        vars,
        f: fterms.join(" + "),
        phi: pterms.join(" + "),
    }
}
