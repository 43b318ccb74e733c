//! The expression core of ngd-verify: a hash-consed expression DAG over exact rational
//! constants, symbolic differentiation, and printing.
//!
//! Parsing lives in `ngd-parse`, exact canonical forms in `ngd-algebra`, numeric evaluation
//! in `ngd-eval`; this crate knows nothing about NGD.
//!
//! ```
//! use ngd_expr::Arena;
//!
//! let mut a = Arena::new(vec!["x".into(), "y".into()]);
//! let (x, y) = (a.var(0), a.var(1));
//! let xy = a.mul2(x, y);
//! let one = a.int(1);
//! let g = a.sub(xy, one);
//! let f = a.powi(g, 2);
//! assert_eq!(a.display(f), "(x*y - 1)^2");
//!
//! // Hash-consing: the same expression built again is the same node.
//! let yx = a.mul2(y, x);
//! let g2 = a.sub(yx, one);
//! assert_eq!(a.powi(g2, 2), f);
//!
//! // d f/dx = 2 (x y - 1) y, as a node of the same arena.
//! let dfx = a.derivative(f, 0);
//! let two = a.int(2);
//! assert_eq!(dfx, a.mul(vec![two, g, y]));
//! ```

mod dag;
mod diff;
mod display;

pub use dag::{Arena, ExprId, Func, Node};
pub use rug::Rational;
