//! From a built program to a [`Tape`]: dead-code elimination, then the final slot layout
//! (inputs, live constants, live instructions) and the per-instruction data of the fast
//! paths.

use super::build::{Builder, Ref};
use super::Tape;
use crate::instr::Instr;
use crate::lanes::LanePlan;
use crate::scalar::TapeConst;
use ngd_expr::ExprId;

/// Which instructions and constants some output needs.
struct Live {
    ins: Vec<bool>,
    consts: Vec<bool>,
}

impl Live {
    /// Marks `r` as needed.
    fn mark(&mut self, r: Ref) {
        match r {
            Ref::Ins(i) => self.ins[i as usize] = true,
            Ref::Const(k) => self.consts[k as usize] = true,
            Ref::Var(_) => {}
        }
    }

    /// The instructions and constants the outputs `out_refs` depend on (instructions are
    /// in dependency order, so one backward pass suffices).
    fn of(b: &Builder<'_>, out_refs: &[Ref]) -> Live {
        let mut live = Live {
            ins: vec![false; b.instrs.len()],
            consts: vec![false; b.consts.len()],
        };
        for &r in out_refs {
            live.mark(r);
        }
        for i in (0..b.instrs.len()).rev() {
            if live.ins[i] {
                let (_, x, y) = b.instrs[i];
                live.mark(x);
                live.mark(y);
            }
        }
        live
    }
}

/// The final slot of every built value: variable `i` in slot `i`, then the live constants,
/// then the live instructions (`u32::MAX` for a dead one).
struct Slots {
    consts: Vec<u32>,
    ins: Vec<u32>,
}

impl Slots {
    /// The slot of `r` (live, or placed already).
    fn of(&self, r: Ref) -> u32 {
        match r {
            Ref::Var(i) => i,
            Ref::Const(k) => self.consts[k as usize],
            Ref::Ins(i) => self.ins[i as usize],
        }
    }
}

impl Tape {
    /// Dead-code elimination and the final slot layout of a built program whose outputs
    /// are `out_refs`.
    pub(super) fn finish(b: Builder<'_>, out_refs: &[Ref]) -> Tape {
        let n_vars = b.arena.n_vars();
        let live = Live::of(&b, out_refs);
        let mut slots = Slots {
            consts: vec![u32::MAX; b.consts.len()],
            ins: vec![u32::MAX; b.instrs.len()],
        };
        let (consts, const_nodes) = place_consts(&b, &live, n_vars, &mut slots);
        let base = n_vars + consts.len();
        let (instrs, instr_nodes) = place_instrs(&b, &live, base, &mut slots);
        let outputs: Vec<u32> = out_refs.iter().map(|&r| slots.of(r)).collect();
        let nearest: Vec<f64> = consts.iter().map(|c| c.f64_nearest()).collect();
        let lanes = LanePlan::new(n_vars, &nearest, &instrs, &outputs);
        let prev = prev_flags(&instrs, base);
        Tape {
            n_vars,
            consts,
            const_nodes,
            instrs,
            instr_nodes,
            outputs,
            lanes,
            prev,
        }
    }
}

/// The live constants in order from slot `n_vars` on, with the node each names.
fn place_consts(
    b: &Builder<'_>,
    live: &Live,
    n_vars: usize,
    slots: &mut Slots,
) -> (Vec<TapeConst>, Vec<ExprId>) {
    let mut consts = Vec::new();
    let mut const_nodes = Vec::new();
    for (k, q) in b.consts.iter().enumerate() {
        if live.consts[k] {
            slots.consts[k] = (n_vars + consts.len()) as u32;
            consts.push(TapeConst::new(q.clone()));
            const_nodes.push(b.const_nodes[k]);
        }
    }
    (consts, const_nodes)
}

/// The live instructions in order from slot `base` on, operands renumbered to slots, with
/// the node each names.
fn place_instrs(
    b: &Builder<'_>,
    live: &Live,
    base: usize,
    slots: &mut Slots,
) -> (Vec<Instr>, Vec<ExprId>) {
    let mut instrs = Vec::new();
    let mut instr_nodes = Vec::new();
    for (i, &(op, x, y)) in b.instrs.iter().enumerate() {
        if live.ins[i] {
            let (a, bb) = (slots.of(x), slots.of(y));
            slots.ins[i] = (base + instrs.len()) as u32;
            instrs.push(Instr { op, a, b: bb });
            instr_nodes.push(b.instr_nodes[i]);
        }
    }
    (instrs, instr_nodes)
}

/// Per instruction (the first at slot `base`): bit 0 set when operand `a` is the previous
/// instruction's slot, bit 1 when the (binary) operand `b` is.
fn prev_flags(instrs: &[Instr], base: usize) -> Vec<u8> {
    instrs
        .iter()
        .enumerate()
        .map(|(i, ins)| {
            let p = (base + i) as u32;
            let unary = ins.op.is_unary();
            u8::from(i > 0 && ins.a == p - 1) | (u8::from(i > 0 && !unary && ins.b == p - 1) << 1)
        })
        .collect()
}
