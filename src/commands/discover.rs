//! `discover`: conserved quantities of the gradient flow of `f` and a proposed regularizer.

use super::Output;
use crate::cli::{DiscoverArgs, GlobalArgs};
use crate::input;
use ngd_case::InputError;
use ngd_report::{discovery, render};

/// `ngd-verify discover CASE`.
pub fn discover(args: DiscoverArgs, global: &GlobalArgs) -> Result<Output, InputError> {
    let mut case = input::load_case(&args.case)?;
    let opts = ngd_discover::DiscoverOptions {
        degree: args.degree,
        laurent: args.laurent,
        exp: args.exp,
        seed: args.seed,
        ..ngd_discover::DiscoverOptions::default()
    };
    if args.latex {
        let out = discovery::discover_case(&mut case, &opts, false)?;
        return Ok(Output {
            text: render::latex_discovery(&case.arena, case.objective, &out),
            status: 0,
            colourable: false,
            interrupted: false,
        });
    }
    let out = discovery::discover_case(&mut case, &opts, args.check)?;
    let status = out.check.as_ref().map_or(0, |r| r.verdict.exit_code as u8);
    Ok(Output::rendered(
        render::render_discovery(&out, global.format),
        status,
        global.format,
    ))
}
