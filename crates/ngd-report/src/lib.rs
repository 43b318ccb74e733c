//! The certificate report of ngd-verify as a library: [`report::build_report`] runs the checks
//! C1-C6 and the critical-set search on a problem, [`outcomes`] turns their typed results into
//! the verdict table (`ngd-verdict`), [`harness`] connects a case to the NGD harness, and
//! [`render::render`] is the one renderer (text, Markdown, LaTeX, JSON). The binary only parses
//! arguments and does I/O. See `docs/architecture.md` and `docs/report.md`.

pub mod harness;
pub mod outcomes;
pub mod render;
pub mod report;
