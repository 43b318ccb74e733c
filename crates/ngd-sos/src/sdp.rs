//! The numerical step: Clarabel solves `max t` subject to the program's equations and
//! `G - t I` positive semidefinite (with `t <= 1` after scaling the right-hand side to unit
//! size). An interior-point method ends near the analytic centre of the optimal face, the
//! point that rounds best. Its answer is only a guess: nothing here is a proof.

use crate::program::GramProgram;
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};

/// What the solver returned.
#[derive(Clone, Debug)]
pub struct NumericalSolution {
    /// The unknowns (Gram entries, then multiplier coefficients), rescaled to the program.
    pub x: Vec<f64>,
    /// The smallest eigenvalue bound `t` reached, relative to the scale of the target.
    pub margin: f64,
    /// Interior-point iterations used.
    pub iterations: u32,
}

/// Why the solver gave no usable point.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SolverFailure {
    /// The program is (numerically) infeasible: no Gram matrix with this basis exists.
    Infeasible,
    /// The solver stopped without a solution (iteration limit, numerical trouble).
    Stopped {
        /// Clarabel's status, e.g. `MaxIterations`.
        status: String,
    },
}

/// Solves the SDP of `program` with at most `max_iterations` interior-point iterations.
pub fn solve(
    program: &GramProgram,
    max_iterations: u32,
) -> Result<NumericalSolution, SolverFailure> {
    let scale = program
        .equations
        .iter()
        .map(|e| e.rhs.to_f64().abs())
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let n_unknowns = program.n_unknowns();
    let t = n_unknowns; // the column of t
    let mut triplets = Triplets::default();
    let mut b = Vec::new();
    // Zero cone: the coefficient equations.
    for eq in &program.equations {
        let row = b.len();
        for (v, c) in &eq.terms {
            triplets.push(row, *v, c.to_f64());
        }
        b.push(eq.rhs.to_f64() / scale);
    }
    let n_eq = b.len();
    // Non-negative cone: 1 - t >= 0.
    triplets.push(b.len(), t, 1.0);
    b.push(1.0);
    // PSD cone: svec(G - t I), off-diagonal entries scaled by sqrt 2.
    for (k, &(i, j)) in program.pairs.iter().enumerate() {
        let row = b.len();
        let s = if i == j {
            1.0
        } else {
            std::f64::consts::SQRT_2
        };
        triplets.push(row, k, -s);
        if i == j {
            triplets.push(row, t, 1.0);
        }
        b.push(0.0);
    }
    let a = triplets.into_csc(b.len(), n_unknowns + 1);
    let p = CscMatrix::zeros((n_unknowns + 1, n_unknowns + 1));
    let mut q = vec![0.0; n_unknowns + 1];
    q[t] = -1.0;
    let cones = [
        SupportedConeT::ZeroConeT(n_eq),
        SupportedConeT::NonnegativeConeT(1),
        SupportedConeT::PSDTriangleConeT(program.basis.len()),
    ];
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .max_iter(max_iterations)
        .build()
        .expect("valid settings");
    let mut solver = DefaultSolver::new(&p, &q, &a, &b, &cones, settings).map_err(|e| {
        SolverFailure::Stopped {
            status: format!("{e:?}"),
        }
    })?;
    solver.solve();
    let status = solver.solution.status;
    match status {
        SolverStatus::Solved | SolverStatus::AlmostSolved => Ok(NumericalSolution {
            x: solver.solution.x[..n_unknowns]
                .iter()
                .map(|v| v * scale)
                .collect(),
            margin: solver.solution.x[t],
            iterations: solver.solution.iterations,
        }),
        SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
            Err(SolverFailure::Infeasible)
        }
        other => Err(SolverFailure::Stopped {
            status: format!("{other:?}"),
        }),
    }
}

/// A sparse matrix in coordinate form.
#[derive(Default)]
struct Triplets {
    rows: Vec<usize>,
    cols: Vec<usize>,
    vals: Vec<f64>,
}

impl Triplets {
    fn push(&mut self, row: usize, col: usize, val: f64) {
        if val != 0.0 {
            self.rows.push(row);
            self.cols.push(col);
            self.vals.push(val);
        }
    }

    fn into_csc(self, m: usize, n: usize) -> CscMatrix<f64> {
        CscMatrix::new_from_triplets(m, n, self.rows, self.cols, self.vals)
    }
}
