//! SIGINT and SIGTERM during the NGD harness (`run`, and the harness part of the report). The
//! first signal sets [`STOP`], which the harness reads between chunks of runs; the command then
//! writes the runs finished so far, marked interrupted, and exits with 128 + the signal's
//! number (130 for SIGINT, 143 for SIGTERM), the status a shell gives a process the signal
//! killed. A second signal ends the process at once with that status, and so does the end of a
//! grace period ([`GRACE`]) after the first: the checks before the harness do not read the
//! flag, and a check stuck on hostile input (a huge power in C5) must not make the signal
//! ineffective. Commands without a harness keep the default handling (the signal ends the
//! process).

use ngd_case::InputError;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// How long the command may take after the first signal to write what it has and exit; then
/// the process ends with the signal's status. Only the exit depends on it, never the output.
const GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// [`GRACE`], or the whole seconds in `NGD_VERIFY_SIGNAL_GRACE` when set (tests use 0).
fn grace() -> std::time::Duration {
    std::env::var("NGD_VERIFY_SIGNAL_GRACE")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(GRACE, std::time::Duration::from_secs)
}

/// Set by the first SIGINT or SIGTERM (after [`watch`]).
pub static STOP: AtomicBool = AtomicBool::new(false);

/// 128 + the number of the first signal received; 0 before any.
static STATUS: AtomicU8 = AtomicU8::new(0);

/// Handles SIGINT and SIGTERM as the module says, from a thread of its own (so that the
/// message is written outside the signal handler).
pub fn watch() -> Result<(), InputError> {
    let cannot = |e: std::io::Error| {
        InputError::plain(format!("cannot install the signal handlers: {e}"), None)
    };
    let mut signals = Signals::new([SIGINT, SIGTERM]).map_err(cannot)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                on_signal(signal);
            }
        })
        .map_err(cannot)?;
    Ok(())
}

/// The exit status of a command whose output is marked interrupted: 128 + the number of the
/// signal that stopped it.
pub fn status() -> Option<u8> {
    match STATUS.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

fn on_signal(signal: i32) {
    // SIGINT = 2 and SIGTERM = 15 on every platform signal-hook supports.
    let status = 128 + u8::try_from(signal).unwrap_or(0);
    // The status first: whoever sees STOP set also finds the status.
    if STATUS
        .compare_exchange(0, status, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        std::process::exit(i32::from(status));
    }
    STOP.store(true, Ordering::SeqCst);
    // A timer thread of its own, so that this (signal) thread keeps listening and a second
    // signal still quits at once.
    let grace = grace();
    std::thread::spawn(move || {
        std::thread::sleep(grace);
        std::process::exit(i32::from(status));
    });
    let name = if signal == SIGINT {
        "SIGINT"
    } else {
        "SIGTERM"
    };
    eprintln!(
        "ngd-verify: {name}: the NGD harness stops at its next chunk of runs and the runs \
         finished are written, marked interrupted; the process ends within {} s in any case; \
         send {name} again to quit now",
        grace.as_secs()
    );
}
