//! The human-readable listing of a tape (`Display`).

use super::Tape;
use crate::instr::Op;

/// A human-readable listing, one instruction per line (`s5 = mul s2 s3   ; node 7`),
/// for debugging and documentation; not a stable format.
impl std::fmt::Display for Tape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (k, c) in self.consts.iter().enumerate() {
            writeln!(f, "s{} = const {}", self.n_vars + k, c.rational())?;
        }
        let base = self.base();
        for (i, (ins, node)) in self.instrs.iter().zip(&self.instr_nodes).enumerate() {
            let op = format!("{:?}", ins.op).to_lowercase();
            let binary = matches!(
                ins.op,
                Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Max | Op::Min
            );
            if binary {
                writeln!(
                    f,
                    "s{} = {op} s{} s{}   ; node {}",
                    base + i,
                    ins.a,
                    ins.b,
                    node.0
                )?;
            } else {
                writeln!(f, "s{} = {op} s{}   ; node {}", base + i, ins.a, node.0)?;
            }
        }
        let outs: Vec<String> = self.outputs.iter().map(|s| format!("s{s}")).collect();
        write!(f, "outputs: {}", outs.join(" "))
    }
}
