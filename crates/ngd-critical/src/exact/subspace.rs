//! Linear subspaces `E` of the exact route (docs/math.md, "Conclusions"): the patterns to test
//! (coordinate subspaces and, for `n <= 4`, diagonals `x_k = ±x_l`), their intersection with
//! the box, exact rational sample points, distances and inclusion.

use crate::CriticalOptions;
use ngd_certify::RationalBox;
use ngd_expr::{Arena, ExprId};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use rug::Rational;

/// A linear subspace given by a pattern: for each coordinate `k`, `form[k] = (s, l)` means
/// `x_k = s x_l` with `l` a free coordinate (`(1, k)` when `x_k` itself is free) and `s = 0`
/// means `x_k = 0`.
pub(crate) struct Subspace {
    pub desc: String,
    pub dim: usize,
    form: Vec<(i8, usize)>,
    pub(super) subst: Vec<ExprId>,
    /// Integer normal vectors spanning a complement of the tangent space (the gradients of
    /// the defining equations).
    pub(super) normals: Vec<Vec<i64>>,
    /// The free coordinates with their ranges on `E` intersected with the box.
    pub(super) params: Vec<(usize, Rational, Rational)>,
}

impl Subspace {
    /// The subspace of a pattern, `None` when it misses the box.
    pub(super) fn new(
        arena: &mut Arena,
        form: Vec<(i8, usize)>,
        bx: &RationalBox,
    ) -> Option<Subspace> {
        let n = form.len();
        let names = arena.var_names().to_vec();
        let zero = arena.int(0);
        let mut subst: Vec<ExprId> = Vec::with_capacity(n);
        let mut normals = Vec::new();
        let mut ranges: Vec<Option<(Rational, Rational)>> = vec![None; n];
        for k in 0..n {
            if form[k] == (1, k) {
                ranges[k] = Some((bx.lo[k].clone(), bx.hi[k].clone()));
            }
        }
        let mut zeros = Vec::new();
        let mut eqs = Vec::new();
        for (k, &(s, l)) in form.iter().enumerate() {
            if (s, l) == (1, k) {
                subst.push(arena.var(k));
                continue;
            }
            let mut v = vec![0; n];
            v[k] = 1;
            if s == 0 {
                if bx.lo[k] > 0 || bx.hi[k] < 0 {
                    return None;
                }
                subst.push(zero);
                zeros.push(names[k].clone());
            } else {
                v[l] = -i64::from(s);
                let xl = arena.var(l);
                subst.push(if s > 0 { xl } else { arena.neg(xl) });
                // s t_l in [lo_k, hi_k].
                let (a, b) = if s > 0 {
                    (bx.lo[k].clone(), bx.hi[k].clone())
                } else {
                    (Rational::from(-&bx.hi[k]), Rational::from(-&bx.lo[k]))
                };
                let r = ranges[l].as_mut()?;
                if a > r.0 {
                    r.0 = a;
                }
                if b < r.1 {
                    r.1 = b;
                }
                let sign = if s > 0 { "" } else { "-" };
                eqs.push(format!("{} = {sign}{}", names[l], names[k]));
            }
            normals.push(v);
        }
        let mut params = Vec::new();
        for (k, r) in ranges.into_iter().enumerate() {
            if let Some((a, b)) = r {
                if a > b {
                    return None;
                }
                params.push((k, a, b));
            }
        }
        let mut parts = Vec::new();
        if !zeros.is_empty() {
            parts.push(format!("{} = 0", zeros.join(" = ")));
        }
        parts.extend(eqs);
        Some(Subspace {
            desc: parts.join(", "),
            dim: params.len(),
            form,
            subst,
            normals,
            params,
        })
    }

    /// The point of `E` with these values of the free coordinates.
    pub(super) fn point(&self, n: usize, vals: &[Rational]) -> Vec<Rational> {
        let mut p = vec![Rational::new(); n];
        for ((v, _, _), q) in self.params.iter().zip(vals) {
            p[*v] = q.clone();
        }
        for (k, &(s, l)) in self.form.iter().enumerate() {
            if (s, l) != (1, k) && s != 0 {
                p[k] = if s > 0 {
                    p[l].clone()
                } else {
                    Rational::from(-&p[l])
                };
            }
        }
        p
    }

    /// The Euclidean distance of `x` to `E`.
    pub fn distance(&self, x: &[f64]) -> f64 {
        let n = self.form.len();
        let mut d2 = 0.0;
        for l in 0..n {
            if self.form[l] != (1, l) {
                if self.form[l].0 == 0 {
                    d2 += x[l] * x[l];
                }
                continue;
            }
            // The group of coordinates tied to x_l: least squares for t_l.
            let group: Vec<(f64, usize)> = (0..n)
                .filter(|&k| self.form[k].1 == l && self.form[k].0 != 0)
                .map(|k| (f64::from(self.form[k].0), k))
                .collect();
            let t = group.iter().map(|(s, k)| s * x[*k]).sum::<f64>() / group.len() as f64;
            d2 += group
                .iter()
                .map(|(s, k)| (x[*k] - s * t).powi(2))
                .sum::<f64>();
        }
        d2.sqrt()
    }

    /// Whether `E` lies inside the subspace `other`: every defining equation of `other`
    /// holds on `E`'s parametrization.
    pub(super) fn inside(&self, other: &Subspace) -> bool {
        let lin = |k: usize| -> (i8, usize) {
            let (s, l) = self.form[k];
            if s == 0 {
                (0, 0)
            } else {
                (s, l)
            }
        };
        other.form.iter().enumerate().all(|(k, &(s, l))| {
            if (s, l) == (1, k) {
                return true;
            }
            let a = lin(k);
            if s == 0 {
                return a.0 == 0;
            }
            let b = lin(l);
            (a.0 == 0 && b.0 == 0) || (a.1 == b.1 && a.0 == s * b.0 && b.0 != 0)
        })
    }

    /// Deterministic rational points of `E` in the box: a regular grid of `count` points on a
    /// line, else the centre and points with coordinates `lo + (hi - lo) k/24`.
    pub(super) fn samples(&self, n: usize, count: usize, seed: u64) -> Vec<Vec<Rational>> {
        let count = count.max(1);
        let lerp = |lo: &Rational, hi: &Rational, t: Rational| -> Rational {
            Rational::from(hi - lo) * t + lo
        };
        match self.params.len() {
            0 => vec![self.point(n, &[])],
            1 => {
                let (_, lo, hi) = &self.params[0];
                let q = (count - 1).max(1) as i64;
                let mut out: Vec<Vec<Rational>> = (0..=q)
                    .map(|k| self.point(n, &[lerp(lo, hi, Rational::from((k, q)))]))
                    .collect();
                out.dedup();
                out
            }
            _ => {
                let mut rng = Pcg64::seed_from_u64(seed);
                let centre: Vec<Rational> = self
                    .params
                    .iter()
                    .map(|(_, lo, hi)| lerp(lo, hi, Rational::from((1, 2))))
                    .collect();
                let mut out = vec![self.point(n, &centre)];
                for _ in 1..count {
                    let vals: Vec<Rational> = self
                        .params
                        .iter()
                        .map(|(_, lo, hi)| {
                            let k: i64 = rng.random_range(0..=24);
                            lerp(lo, hi, Rational::from((k, 24)))
                        })
                        .collect();
                    out.push(self.point(n, &vals));
                }
                out
            }
        }
    }

    pub(super) fn samples_f64(&self, n: usize) -> Vec<Vec<f64>> {
        [(1, 2), (1, 3)]
            .iter()
            .map(|&t| {
                let vals: Vec<Rational> = self
                    .params
                    .iter()
                    .map(|(_, lo, hi)| Rational::from(hi - lo) * Rational::from(t) + lo)
                    .collect();
                self.point(n, &vals).iter().map(Rational::to_f64).collect()
            })
            .collect()
    }
}

/// The patterns to test, larger sets (smaller codimension) first: for `n <= 4` (with
/// `diagonals`) every pattern of zeros and `x_k = ±x_l`, else the coordinate subspaces;
/// codimension at most `max_subspace_codim`.
pub(super) fn plan(n: usize, opts: &CriticalOptions) -> Vec<Vec<(i8, usize)>> {
    let maxc = n.min(opts.max_subspace_codim);
    let mut out: Vec<Vec<(i8, usize)>> = Vec::new();
    if opts.diagonals && n <= 4 {
        fn rec(n: usize, form: &mut Vec<(i8, usize)>, out: &mut Vec<Vec<(i8, usize)>>) {
            let k = form.len();
            if k == n {
                out.push(form.clone());
                return;
            }
            form.push((1, k));
            rec(n, form, out);
            form.pop();
            form.push((0, 0));
            rec(n, form, out);
            form.pop();
            let leaders: Vec<usize> = (0..k).filter(|&l| form[l] == (1, l)).collect();
            for l in leaders {
                for s in [1, -1] {
                    form.push((s, l));
                    rec(n, form, out);
                    form.pop();
                }
            }
        }
        rec(n, &mut Vec::new(), &mut out);
    } else {
        // Coordinate subspaces only: bitmasks would overflow for large n, so combinations.
        for k in 1..=maxc {
            let mut idx: Vec<usize> = (0..k).collect();
            loop {
                out.push(
                    (0..n)
                        .map(|i| if idx.contains(&i) { (0, 0) } else { (1, i) })
                        .collect(),
                );
                let mut i = k;
                while i > 0 && idx[i - 1] == n - k + i - 1 {
                    i -= 1;
                }
                if i == 0 {
                    break;
                }
                idx[i - 1] += 1;
                for t in i..k {
                    idx[t] = idx[t - 1] + 1;
                }
            }
        }
    }
    let codim = |f: &Vec<(i8, usize)>| f.iter().enumerate().filter(|(k, p)| **p != (1, *k)).count();
    out.retain(|f| (1..=maxc).contains(&codim(f)));
    // Stable: within a codimension, the generation order.
    out.sort_by_key(codim);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arena(n: usize) -> Arena {
        Arena::new(
            ["x", "y", "z", "w"][..n]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
    }

    #[test]
    fn plans_by_codimension() {
        let o = CriticalOptions::default();
        let p2 = plan(2, &o);
        assert_eq!(p2.len(), 5);
        assert_eq!(p2[0], vec![(1, 0), (0, 0)]); // y = 0 before the origin
        assert_eq!(plan(1, &o).len(), 1);
        // n = 4: 115 patterns, minus those of codimension 4.
        let p4 = plan(4, &o);
        assert!(p4.len() < 115 && p4.len() > 50);
        // n = 6: coordinate subspaces with |S| <= 3.
        assert_eq!(plan(6, &o).len(), 6 + 15 + 20);
        let no_diag = CriticalOptions {
            diagonals: false,
            ..CriticalOptions::default()
        };
        assert_eq!(plan(3, &no_diag).len(), 3 + 3 + 1);
    }

    #[test]
    fn subspaces_describe_sample_and_contain() {
        let mut a = arena(3);
        let bx = RationalBox::cube(3, 2);
        let line = Subspace::new(&mut a, vec![(1, 0), (0, 0), (1, 0)], &bx).unwrap();
        assert_eq!(line.desc, "y = 0, x = z");
        assert_eq!(line.dim, 1);
        let plane = Subspace::new(&mut a, vec![(1, 0), (1, 1), (1, 0)], &bx).unwrap();
        assert_eq!(plane.desc, "x = z");
        let anti = Subspace::new(&mut a, vec![(1, 0), (-1, 0), (1, 2)], &bx).unwrap();
        assert_eq!(anti.desc, "x = -y");
        let origin = Subspace::new(&mut a, vec![(0, 0), (0, 0), (0, 0)], &bx).unwrap();
        assert_eq!(origin.desc, "x = y = z = 0");
        assert!(line.inside(&plane));
        assert!(!plane.inside(&line));
        assert!(origin.inside(&line) && origin.inside(&anti));
        assert!(!line.inside(&anti));
        assert!((line.distance(&[1.0, 0.0, 1.0])).abs() < 1e-15);
        assert!((line.distance(&[1.0, 1.0, -1.0]) - 3f64.sqrt()).abs() < 1e-12);
        let s = line.samples(3, 5, 1);
        assert_eq!(s.len(), 5);
        for p in &s {
            assert_eq!(p[1], 0);
            assert_eq!(p[0], p[2]);
        }
        // A subspace missing the box.
        let off = RationalBox::new(
            vec![Rational::from(1), Rational::from(-1), Rational::from(-1)],
            vec![Rational::from(2), Rational::from(1), Rational::from(1)],
        )
        .unwrap();
        assert!(Subspace::new(&mut a, vec![(0, 0), (1, 1), (1, 2)], &off).is_none());
        // x = -y with x in [1, 2] needs y in [-2, -1]: misses y in [-1, 1] except y = -1.
        let s = Subspace::new(&mut a, vec![(1, 0), (-1, 0), (1, 2)], &off).unwrap();
        assert_eq!(s.params[0].1, 1);
        assert_eq!(s.params[0].2, 1);
    }
}
