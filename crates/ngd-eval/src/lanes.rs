//! The fast f64 paths over many points ("lanes", structure of arrays) and over one point,
//! with their buffers: [`LaneBlock`] and [`PointSlots`].
//!
//! Lane layout: a block of `width` lanes is one buffer of rows, each `width` values rounded
//! up to whole cache lines (the buffer starts on a cache line, so every row does). Rows
//! `0..n_vars` hold the inputs, the others hold instruction results. Rows are reused once
//! their value is dead (linear scan over the straight-line program), constant operands are
//! folded into the instructions (no constant rows), and every output owns a row that no
//! later instruction overwrites: outputs are read in place, never copied.

use crate::instr::{apply, Instr, Op};
use crate::scalar::kernels;
use std::collections::HashMap;

/// An operand of the lane program: a row, or a constant.
#[derive(Clone, Copy, Debug)]
enum Src {
    Row(u32),
    K(f64),
}

/// A pass over the lanes: `d = f(a, b, k)`, where each kernel reads the operands its
/// operation has (a constant operand, or a power's exponent, travels in `k`).
type Kernel = fn(&mut [f64], &[f64], &[f64], f64);

/// One instruction of the lane program: one operation as one tight loop over the lanes
/// (the arithmetic ones inlined into the program's loop, compiled once per instruction-set
/// level; the others one indirect call per instruction and block). Each lane performs
/// exactly the scalar operation of [`crate::Tape::eval_f64`] (a constant operand keeps its
/// side).
#[derive(Clone, Copy, Debug)]
struct LInstr {
    op: LaneOp,
    d: u32,
    a: u32,
    b: u32,
    k: f64,
}

/// The lane program of a tape, fixed at compile time.
#[derive(Clone, Debug)]
pub(crate) struct LanePlan {
    n_in: usize,
    n_rows: usize,
    code: Vec<LInstr>,
    /// Output rows holding a constant: written once when a block is made.
    fills: Vec<(u32, f64)>,
    /// The row of each output.
    outputs: Vec<u32>,
}

impl LanePlan {
    /// Plans the tape `instrs` over `n_vars` inputs and the constant slots `consts` (the f64
    /// nearest to each), with outputs read from the slots `outputs`.
    pub(crate) fn new(n_vars: usize, consts: &[f64], instrs: &[Instr], outputs: &[u32]) -> Self {
        let base = n_vars + consts.len();
        let ni = instrs.len();
        // The value of each slot: a row, or a constant (an operation of constants is the
        // same scalar operation, done once here).
        let mut val: Vec<Src> = Vec::with_capacity(base + ni);
        val.extend((0..n_vars).map(|v| Src::Row(v as u32)));
        val.extend(consts.iter().map(|&c| Src::K(c)));
        // The last instruction reading each instruction's value (outputs: never dead).
        let mut last = vec![0usize; ni];
        for (i, ins) in instrs.iter().enumerate() {
            for s in [ins.a, ins.b] {
                if let Some(j) = (s as usize).checked_sub(base) {
                    last[j] = i;
                }
            }
        }
        for &s in outputs {
            if let Some(j) = (s as usize).checked_sub(base) {
                last[j] = usize::MAX;
            }
        }
        let mut n_rows = n_vars;
        let mut free: Vec<u32> = Vec::new();
        let mut code = Vec::new();
        for (i, ins) in instrs.iter().enumerate() {
            let (op, unary) = (ins.op, ins.op.is_unary());
            let (a, b) = (val[ins.a as usize], val[ins.b as usize]);
            let v = match (a, b) {
                (Src::K(x), _) if unary => Src::K(apply(op, x, x)),
                (Src::K(x), Src::K(y)) => Src::K(apply(op, x, y)),
                _ => {
                    // The destination is taken before the rows of the operands dying here
                    // are freed, so it never aliases an operand.
                    let d = free.pop().unwrap_or_else(|| {
                        n_rows += 1;
                        (n_rows - 1) as u32
                    });
                    let (lane_op, a, b, k) = match (a, b) {
                        (Src::Row(a), _) if unary => {
                            let (lane_op, k) = lane_r(op);
                            (lane_op, a, a, k)
                        }
                        (Src::Row(a), Src::Row(b)) => (lane_rr(op), a, b, 0.0),
                        (Src::Row(a), Src::K(k)) => (lane_rk(op), a, a, k),
                        (Src::K(k), Src::Row(b)) => (lane_kr(op), b, b, k),
                        (Src::K(_), _) => unreachable!("folded above"),
                    };
                    code.push(LInstr {
                        op: lane_op,
                        d,
                        a,
                        b,
                        k,
                    });
                    Src::Row(d)
                }
            };
            let ops: &[u32] = if unary || ins.a == ins.b {
                &[ins.a]
            } else {
                &[ins.a, ins.b]
            };
            for &s in ops {
                if let Some(j) = (s as usize).checked_sub(base) {
                    if let (true, Src::Row(r)) = (last[j] == i, val[s as usize]) {
                        free.push(r);
                    }
                }
            }
            val.push(v);
        }
        // Outputs: rows in place; variables copied and constants filled into rows of their
        // own (fresh rows, which no instruction writes).
        let mut fills = Vec::new();
        let mut made: HashMap<u32, u32> = HashMap::new();
        let mut out_rows = Vec::with_capacity(outputs.len());
        for &s in outputs {
            let r = match val[s as usize] {
                Src::Row(r) if r as usize >= n_vars => r,
                arg => *made.entry(s).or_insert_with(|| {
                    n_rows += 1;
                    let d = (n_rows - 1) as u32;
                    match arg {
                        Src::Row(a) => code.push(LInstr {
                            op: LaneOp::Copy,
                            d,
                            a,
                            b: a,
                            k: 0.0,
                        }),
                        Src::K(k) => fills.push((d, k)),
                    }
                    d
                }),
            };
            out_rows.push(r);
        }
        LanePlan {
            n_in: n_vars,
            n_rows,
            code,
            fills,
            outputs: out_rows,
        }
    }

    /// Rows of one block (inputs included).
    pub(crate) fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// A buffer for `width` lanes, constant outputs filled in.
    pub(crate) fn block(&self, width: usize) -> LaneBlock {
        let stride = row_stride(width);
        let mut rows = AlignedRows::new(self.n_rows * stride);
        self.init(rows.as_mut(), stride);
        LaneBlock {
            width,
            stride,
            n_in: self.n_in,
            n_rows: self.n_rows,
            rows,
            outputs: self.outputs.clone(),
        }
    }

    /// Writes the constant outputs into a buffer of rows of `stride` values.
    pub(crate) fn init(&self, rows: &mut [f64], stride: usize) {
        for &(r, k) in &self.fills {
            rows[r as usize * stride..][..stride].fill(k);
        }
    }

    /// The row of output `o`.
    pub(crate) fn output_row(&self, o: usize) -> usize {
        self.outputs[o] as usize
    }

    /// Runs the program on lanes `0..m` of `rows` (rows of `stride` values, inputs filled in,
    /// constant outputs written by [`LanePlan::init`]).
    pub(crate) fn eval(&self, rows: &mut [f64], stride: usize, m: usize) {
        assert!(
            m <= stride && rows.len() == self.n_rows * stride,
            "lane buffer of the wrong shape"
        );
        simd::dispatch(
            #[inline(always)]
            || {
                for ins in &self.code {
                    let (d, a, b) = rows3(rows, stride, m, ins.d, ins.a, ins.b);
                    run_lanes(ins, d, a, b);
                }
            },
        )
    }
}

/// One instruction on the lanes of its rows: the arithmetic inlined (compiled for the
/// caller's instruction-set level), other operations through their lane kernel.
#[inline(always)]
fn run_lanes(ins: &LInstr, d: &mut [f64], x: &[f64], y: &[f64]) {
    let k = ins.k;
    match ins.op {
        LaneOp::AddRR => map2_body(d, x, y, |a, b| a + b),
        LaneOp::SubRR => map2_body(d, x, y, |a, b| a - b),
        LaneOp::MulRR => map2_body(d, x, y, |a, b| a * b),
        LaneOp::DivRR => map2_body(d, x, y, |a, b| a / b),
        LaneOp::AddRK => map1_body(d, x, |a| a + k),
        LaneOp::SubRK => map1_body(d, x, |a| a - k),
        LaneOp::MulRK => map1_body(d, x, |a| a * k),
        LaneOp::DivRK => map1_body(d, x, |a| a / k),
        LaneOp::AddKR => map1_body(d, x, |a| k + a),
        LaneOp::SubKR => map1_body(d, x, |a| k - a),
        LaneOp::MulKR => map1_body(d, x, |a| k * a),
        LaneOp::DivKR => map1_body(d, x, |a| k / a),
        LaneOp::Neg => map1_body(d, x, |a| -a),
        LaneOp::Sqr => map1_body(d, x, |a| a * a),
        LaneOp::Copy => d.copy_from_slice(x),
        LaneOp::Call(kernel) => kernel(d, x, y, k),
    }
}

/// The operation of a lane instruction for [`run_lanes`]: `RR` two rows, `RK` a row and a
/// constant, `KR` a constant and a row (the row in the instruction's `a`); `Call` runs a lane
/// kernel.
#[derive(Clone, Copy, Debug)]
enum LaneOp {
    AddRR,
    SubRR,
    MulRR,
    DivRR,
    AddRK,
    SubRK,
    MulRK,
    DivRK,
    AddKR,
    SubKR,
    MulKR,
    DivKR,
    Neg,
    Sqr,
    Copy,
    Call(Kernel),
}

/// Lanes `0..m` of the destination row `d` and of the operand rows `a` and `b` (both
/// different from `d`).
#[inline(always)]
fn rows3(
    rows: &mut [f64],
    stride: usize,
    m: usize,
    d: u32,
    a: u32,
    b: u32,
) -> (&mut [f64], &[f64], &[f64]) {
    let d = d as usize;
    let (lo, rest) = rows.split_at_mut(d * stride);
    let (dst, hi) = rest.split_at_mut(stride);
    let (lo, hi) = (&*lo, &*hi);
    let pick = |r: u32| -> &[f64] {
        let r = r as usize;
        if r < d {
            &lo[r * stride..][..m]
        } else {
            &hi[(r - d - 1) * stride..][..m]
        }
    };
    (&mut dst[..m], pick(a), pick(b))
}

/// A zeroed buffer of f64 starting on a 64-byte boundary (a cache line, and the width of
/// an AVX-512 vector), so that the vector loads and stores of a row never straddle two
/// lines when the row stride is a multiple of 8 values.
#[derive(Clone, Debug)]
struct AlignedRows {
    lines: Vec<CacheLine>,
    len: usize,
}

/// Eight f64 aligned to 64 bytes.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct CacheLine([f64; 8]);

impl AlignedRows {
    fn new(len: usize) -> AlignedRows {
        AlignedRows {
            lines: vec![CacheLine([0.0; 8]); len.div_ceil(8)],
            len,
        }
    }

    fn as_ref(&self) -> &[f64] {
        let all: &[[f64; 8]] = bytemuck_lines(&self.lines);
        &all.as_flattened()[..self.len]
    }

    fn as_mut(&mut self) -> &mut [f64] {
        let len = self.len;
        let all: &mut [[f64; 8]] = bytemuck_lines_mut(&mut self.lines);
        &mut all.as_flattened_mut()[..len]
    }
}

/// The lines as arrays of eight f64.
fn bytemuck_lines(l: &[CacheLine]) -> &[[f64; 8]] {
    // SAFETY: `CacheLine` is `repr(C)` with one field `[f64; 8]` of size 64 and alignment
    // 64, so its size is 64 with no padding: a slice of lines is a slice of `[f64; 8]`.
    unsafe { std::slice::from_raw_parts(l.as_ptr().cast(), l.len()) }
}

/// The lines as arrays of eight f64, to write.
fn bytemuck_lines_mut(l: &mut [CacheLine]) -> &mut [[f64; 8]] {
    // SAFETY: as in `bytemuck_lines`.
    unsafe { std::slice::from_raw_parts_mut(l.as_mut_ptr().cast(), l.len()) }
}

/// The row stride of a block of `width` lanes: `width` rounded up to whole cache lines, so
/// that every row of an [`AlignedRows`] buffer starts on a cache line. (Padding rows
/// further against 4K aliasing was measured and gained nothing.)
pub(crate) fn row_stride(width: usize) -> usize {
    width.next_multiple_of(8)
}

/// A buffer for evaluating one tape at `width` points at once (structure of arrays), made by
/// [`crate::Tape::lane_block`] and evaluated by [`crate::Tape::eval_lanes`].
///
/// Input `v` of lane `l` is `input(v)[l]` and output `o` is `output(o)[l]`. Inputs are only
/// read by an evaluation, so they can hold the caller's state between evaluations; outputs
/// stay valid until the next evaluation.
#[derive(Clone, Debug)]
pub struct LaneBlock {
    width: usize,
    /// The distance between two rows in `rows` (see [`row_stride`]).
    stride: usize,
    n_in: usize,
    n_rows: usize,
    rows: AlignedRows,
    outputs: Vec<u32>,
}

impl LaneBlock {
    /// The number of lanes.
    #[inline]
    pub fn width(&self) -> usize {
        self.width
    }

    /// Input `v` of every lane.
    #[inline]
    pub fn input(&self, v: usize) -> &[f64] {
        assert!(v < self.n_in, "LaneBlock::input: no such input");
        &self.rows.as_ref()[v * self.stride..][..self.width]
    }

    /// The distance between two rows of the block: input `v` of lane `l` is
    /// `x[v * stride() + l]` in the inputs of [`LaneBlock::split`].
    #[inline]
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Input `v` of every lane, to write.
    #[inline]
    pub fn input_mut(&mut self, v: usize) -> &mut [f64] {
        assert!(v < self.n_in, "LaneBlock::input_mut: no such input");
        &mut self.rows.as_mut()[v * self.stride..][..self.width]
    }

    /// Output `o` of every lane (of the last evaluation).
    #[inline]
    pub fn output(&self, o: usize) -> &[f64] {
        &self.rows.as_ref()[self.outputs[o] as usize * self.stride..][..self.width]
    }

    /// The inputs to write (`x[v * stride() + l]`, `l < width()`) next to the outputs to
    /// read, at once.
    #[inline]
    pub fn split(&mut self) -> (&mut [f64], LaneOutputs<'_>) {
        let (x, rest) = self.rows.as_mut().split_at_mut(self.n_in * self.stride);
        (
            x,
            LaneOutputs {
                rest,
                n_in: self.n_in,
                width: self.width,
                stride: self.stride,
                outputs: &self.outputs,
            },
        )
    }

    /// The whole buffer, for [`LanePlan::eval`], if it was made for a plan of `n_rows` rows.
    pub(crate) fn rows_for(&mut self, n_rows: usize) -> &mut [f64] {
        assert_eq!(n_rows, self.n_rows, "LaneBlock of another tape");
        self.rows.as_mut()
    }
}

/// The outputs of a [`LaneBlock`], borrowed next to its inputs (see [`LaneBlock::split`]).
#[derive(Clone, Copy, Debug)]
pub struct LaneOutputs<'a> {
    rest: &'a [f64],
    n_in: usize,
    width: usize,
    stride: usize,
    outputs: &'a [u32],
}

impl<'a> LaneOutputs<'a> {
    /// Output `o` of every lane.
    #[inline]
    pub fn get(&self, o: usize) -> &'a [f64] {
        &self.rest[(self.outputs[o] as usize - self.n_in) * self.stride..][..self.width]
    }
}

/// Slots for evaluating one tape at one point without per-call setup, made by
/// [`crate::Tape::point_slots`] and evaluated by [`crate::Tape::eval_point`]: the constants
/// are written once, the inputs stay where the caller wrote them and the outputs are read
/// in place.
#[derive(Clone, Debug)]
pub struct PointSlots {
    pub(crate) slots: Vec<f64>,
    pub(crate) n_in: usize,
    pub(crate) outputs: Vec<u32>,
}

impl PointSlots {
    /// The inputs (one per variable).
    #[inline]
    pub fn input(&self) -> &[f64] {
        &self.slots[..self.n_in]
    }

    /// The inputs, to write; an evaluation only reads them.
    #[inline]
    pub fn input_mut(&mut self) -> &mut [f64] {
        &mut self.slots[..self.n_in]
    }

    /// Output `o` of the last evaluation.
    #[inline]
    pub fn output(&self, o: usize) -> f64 {
        self.slots[self.outputs[o] as usize]
    }
}

// The four arithmetic operations, `neg` and `sqr` are inlined into the program's loop
// ([`run_lanes`]); the others are lane kernels kept out of line, so each is one clean
// vectorized loop (inlined into the arms of one `match`, LLVM may merge the arms' stores
// before vectorizing). Each lane performs exactly the operation of `apply` for its op.

/// The lane operation of `d = op(a, b)`.
fn lane_rr(op: Op) -> LaneOp {
    match op {
        Op::Add => LaneOp::AddRR,
        Op::Sub => LaneOp::SubRR,
        Op::Mul => LaneOp::MulRR,
        Op::Div => LaneOp::DivRR,
        Op::Max => LaneOp::Call(|d, a, b, _| map2(d, a, b, kernels::max)),
        Op::Min => LaneOp::Call(|d, a, b, _| map2(d, a, b, kernels::min)),
        _ => unreachable!("a unary operation has one operand"),
    }
}

/// The lane operation of `d = op(a, k)`.
fn lane_rk(op: Op) -> LaneOp {
    match op {
        Op::Add => LaneOp::AddRK,
        Op::Sub => LaneOp::SubRK,
        Op::Mul => LaneOp::MulRK,
        Op::Div => LaneOp::DivRK,
        Op::Max => LaneOp::Call(|d, a, _, k| map1(d, a, |x| kernels::max(x, k))),
        Op::Min => LaneOp::Call(|d, a, _, k| map1(d, a, |x| kernels::min(x, k))),
        _ => unreachable!("a unary operation has one operand"),
    }
}

/// The lane operation of `d = op(k, b)` (the row in the instruction's `a`).
fn lane_kr(op: Op) -> LaneOp {
    match op {
        Op::Add => LaneOp::AddKR,
        Op::Sub => LaneOp::SubKR,
        Op::Mul => LaneOp::MulKR,
        Op::Div => LaneOp::DivKR,
        Op::Max => LaneOp::Call(|d, b, _, k| map1(d, b, |y| kernels::max(k, y))),
        Op::Min => LaneOp::Call(|d, b, _, k| map1(d, b, |y| kernels::min(k, y))),
        _ => unreachable!("a unary operation of a constant is folded"),
    }
}

/// The lane operation of `d = op(a)`, with the parameter it takes in `k` (exact: an `i32`
/// or a `u32` is an f64).
fn lane_r(op: Op) -> (LaneOp, f64) {
    match op {
        Op::Neg => (LaneOp::Neg, 0.0),
        Op::Sqr => (LaneOp::Sqr, 0.0),
        Op::Recip => (LaneOp::Call(|d, a, _, _| map1(d, a, |x| 1.0 / x)), 0.0),
        Op::Powi(n) => (
            LaneOp::Call(|d, a, _, k| powi_lanes(d, a, k as i32)),
            f64::from(n),
        ),
        Op::Root(q) => (
            LaneOp::Call(|d, a, _, k| map1(d, a, |x| kernels::root(x, k as u32))),
            f64::from(q),
        ),
        Op::Exp => (LaneOp::Call(|d, a, _, _| map1(d, a, f64::exp)), 0.0),
        Op::Log => (LaneOp::Call(|d, a, _, _| map1(d, a, f64::ln)), 0.0),
        Op::Abs => (LaneOp::Call(|d, a, _, _| map1(d, a, f64::abs)), 0.0),
        Op::Sign => (LaneOp::Call(|d, a, _, _| map1(d, a, kernels::sign)), 0.0),
        _ => unreachable!("a binary operation has two operands"),
    }
}

// Each kernel runs compiled for the active instruction-set level ([`simd::dispatch`]): its
// loop body is `#[inline(always)]` so that every level gets its own vectorized copy.

#[inline(never)]
fn map1(d: &mut [f64], a: &[f64], f: impl Fn(f64) -> f64) {
    simd::dispatch(
        #[inline(always)]
        || map1_body(d, a, f),
    )
}

#[inline(always)]
fn map1_body(d: &mut [f64], a: &[f64], f: impl Fn(f64) -> f64) {
    for (d, &a) in d.iter_mut().zip(a) {
        *d = f(a);
    }
}

#[inline(never)]
fn map2(d: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    simd::dispatch(
        #[inline(always)]
        || map2_body(d, a, b, f),
    )
}

#[inline(always)]
fn map2_body(d: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    for ((d, &a), &b) in d.iter_mut().zip(a).zip(b) {
        *d = f(a, b);
    }
}

/// [`kernels::powi`] on every lane, with the same sequence of roundings per lane.
#[inline(never)]
fn powi_lanes(d: &mut [f64], a: &[f64], n: i32) {
    simd::dispatch(
        #[inline(always)]
        || powi_lanes_body(d, a, n),
    )
}

#[inline(always)]
fn powi_lanes_body(d: &mut [f64], a: &[f64], n: i32) {
    const PIECE: usize = 64;
    let mut buf = [0.0; PIECE];
    for (d, a) in d.chunks_mut(PIECE).zip(a.chunks(PIECE)) {
        let b = &mut buf[..a.len()];
        b.copy_from_slice(a);
        d.fill(1.0);
        let mut e = n.unsigned_abs();
        while e > 0 {
            if e & 1 == 1 {
                for (r, &x) in d.iter_mut().zip(b.iter()) {
                    *r *= x;
                }
            }
            e >>= 1;
            if e > 0 {
                for x in b.iter_mut() {
                    *x *= *x;
                }
            }
        }
        if n < 0 {
            for r in d.iter_mut() {
                *r = 1.0 / *r;
            }
        }
    }
}

/// Runtime CPU dispatch of the vectorized loops: one binary runs them with AVX-512 where
/// the CPU has it, with AVX2/FMA otherwise (the workspace's x86-64 baseline,
/// `target-cpu=haswell`), or as portable code (on aarch64 the portable code is NEON code:
/// NEON is part of every aarch64 target).
///
/// Every level performs exactly the same IEEE operations in the same order per lane (Rust
/// never contracts `a * b + c` into a fused multiply-add, and the loops only vectorize
/// across independent lanes), so results are bit-identical whichever level runs.
pub mod simd {
    use std::fmt;
    use std::sync::atomic::{AtomicU8, Ordering};

    /// An instruction-set level of the vectorized loops.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum SimdLevel {
        /// The build's baseline code, no extra target features (on x86-64 built with the
        /// workspace's `target-cpu=haswell` this is AVX2/FMA code as well).
        Portable,
        /// x86-64 AVX2 and FMA (256-bit vectors).
        Avx2Fma,
        /// x86-64 AVX-512 F/VL/DQ (512-bit vectors).
        Avx512,
    }

    impl SimdLevel {
        /// Every level, from the most portable to the widest.
        pub const ALL: [SimdLevel; 3] =
            [SimdLevel::Portable, SimdLevel::Avx2Fma, SimdLevel::Avx512];

        /// The level's name as accepted by [`SimdLevel::parse`].
        pub fn name(self) -> &'static str {
            match self {
                SimdLevel::Portable => "portable",
                SimdLevel::Avx2Fma => "avx2",
                SimdLevel::Avx512 => "avx512",
            }
        }

        /// The level named `s` (`portable`, `avx2`, `avx512`).
        pub fn parse(s: &str) -> Option<SimdLevel> {
            SimdLevel::ALL.into_iter().find(|l| l.name() == s)
        }

        /// Whether this binary can run the level on this CPU (compiled in, and the CPU and
        /// the operating system support its instructions).
        pub fn supported(self) -> bool {
            match self {
                SimdLevel::Portable => true,
                SimdLevel::Avx2Fma => x86::has_avx2_fma(),
                SimdLevel::Avx512 => x86::has_avx512(),
            }
        }

        /// The widest level this CPU supports.
        pub fn best() -> SimdLevel {
            let mut levels = SimdLevel::ALL.into_iter().rev();
            levels
                .find(|l| l.supported())
                .unwrap_or(SimdLevel::Portable)
        }
    }

    impl fmt::Display for SimdLevel {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.name())
        }
    }

    /// A level this binary cannot run on this CPU (see [`force`]).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Unsupported(pub SimdLevel);

    impl fmt::Display for Unsupported {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "this CPU (or this build) does not support the {} level",
                self.0
            )
        }
    }

    impl std::error::Error for Unsupported {}

    /// The active level, `UNSET` before the first use (then [`SimdLevel::best`]).
    static ACTIVE: AtomicU8 = AtomicU8::new(UNSET);
    const UNSET: u8 = u8::MAX;

    /// The level the vectorized loops run at: the one [`force`]d last, else the best one.
    #[inline]
    pub fn active() -> SimdLevel {
        match ACTIVE.load(Ordering::Relaxed) {
            0 => SimdLevel::Portable,
            1 => SimdLevel::Avx2Fma,
            2 => SimdLevel::Avx512,
            _ => {
                let best = SimdLevel::best();
                ACTIVE.store(best as u8, Ordering::Relaxed);
                best
            }
        }
    }

    /// Runs the vectorized loops at `level` from now on, process-wide (for tests that
    /// compare the levels and for benchmarks), if this CPU supports it.
    pub fn force(level: SimdLevel) -> Result<(), Unsupported> {
        if !level.supported() {
            return Err(Unsupported(level));
        }
        ACTIVE.store(level as u8, Ordering::Relaxed);
        Ok(())
    }

    /// Runs `body` compiled for the [`active`] level: `body` is inlined into one copy per
    /// level, each compiled with that level's target features. Whatever `body` calls must
    /// be `#[inline(always)]` to be compiled into those copies (a call that is not inlined
    /// runs the baseline code).
    #[inline(always)]
    pub fn dispatch<R>(body: impl FnOnce() -> R) -> R {
        match active() {
            // SAFETY: `active` only returns levels that `supported` confirmed on this CPU.
            SimdLevel::Avx512 => unsafe { x86::with_avx512(body) },
            // SAFETY: as above.
            SimdLevel::Avx2Fma => unsafe { x86::with_avx2_fma(body) },
            SimdLevel::Portable => body(),
        }
    }

    /// The x86-64 levels; elsewhere stand-ins that report them unsupported.
    #[cfg(target_arch = "x86_64")]
    mod x86 {
        /// Whether the CPU and the OS support AVX2 and FMA.
        pub(super) fn has_avx2_fma() -> bool {
            is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
        }

        /// Whether the CPU and the OS support AVX-512 F/VL/DQ and this compiler can
        /// target them (Rust 1.89 and later).
        pub(super) fn has_avx512() -> bool {
            AVX512_COMPILED
                && is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512vl")
                && is_x86_feature_detected!("avx512dq")
        }

        /// Runs `body` compiled with AVX2 and FMA.
        ///
        /// # Safety
        /// The CPU must support AVX2 and FMA.
        #[target_feature(enable = "avx2,fma")]
        pub(super) unsafe fn with_avx2_fma<R>(body: impl FnOnce() -> R) -> R {
            body()
        }

        #[rustversion::since(1.89)]
        const AVX512_COMPILED: bool = true;
        #[rustversion::before(1.89)]
        const AVX512_COMPILED: bool = false;

        /// Runs `body` compiled with AVX-512 F/VL/DQ.
        ///
        /// # Safety
        /// The CPU must support AVX-512 F, VL and DQ.
        #[rustversion::since(1.89)]
        #[target_feature(enable = "avx2,fma,avx512f,avx512vl,avx512dq")]
        pub(super) unsafe fn with_avx512<R>(body: impl FnOnce() -> R) -> R {
            body()
        }

        /// Never called: [`has_avx512`] is false on compilers before 1.89.
        #[rustversion::before(1.89)]
        pub(super) unsafe fn with_avx512<R>(body: impl FnOnce() -> R) -> R {
            body()
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    mod x86 {
        pub(super) fn has_avx2_fma() -> bool {
            false
        }
        pub(super) fn has_avx512() -> bool {
            false
        }
        pub(super) unsafe fn with_avx2_fma<R>(body: impl FnOnce() -> R) -> R {
            body()
        }
        pub(super) unsafe fn with_avx512<R>(body: impl FnOnce() -> R) -> R {
            body()
        }
    }
}
