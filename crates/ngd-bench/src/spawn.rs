//! Whole-process timing: wall time from spawning a command to reaping it, and the child's
//! peak resident set size, from `wait4`'s resource usage of that one child.

use crate::stats::Samples;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One finished child: wall seconds, peak RSS in KiB, exit status.
struct Finished {
    wall_s: f64,
    rss_kib: u64,
    status: i32,
}

/// Spawns `argv` (stdout and stderr to `/dev/null`) and reaps it with `wait4`.
fn spawn_once(argv: &[String]) -> Result<Finished, String> {
    let t = Instant::now();
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", argv[0]))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `ru` is a valid zeroed rusage; `wait4` reaps our own child `pid` (the `Child`
    // handle is never waited on afterwards, and dropping it does not wait).
    let (rc, ru) = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        let rc = loop {
            let rc = libc::wait4(pid, &mut status, 0, &mut ru);
            if rc != -1 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted
            {
                break rc;
            }
        };
        (rc, ru)
    };
    let wall_s = t.elapsed().as_secs_f64();
    drop(child);
    if rc != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    let status = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok(Finished {
        wall_s,
        rss_kib: ru.ru_maxrss.max(0) as u64,
        status,
    })
}

/// Runs `argv` `warmup` times untimed, then `reps` times; returns the JSON record.
///
/// # Errors
///
/// When the command cannot be started.
pub fn run(argv: &[String], warmup: usize, reps: usize, label: &str) -> Result<Value, String> {
    if argv.is_empty() {
        return Err("spawn: no command given (use `-- CMD ARGS...`)".into());
    }
    for _ in 0..warmup {
        spawn_once(argv)?;
    }
    let mut times = Vec::new();
    let mut rss = 0;
    let mut statuses = Vec::new();
    for _ in 0..reps.max(1) {
        let r = spawn_once(argv)?;
        times.push(r.wall_s);
        rss = rss.max(r.rss_kib);
        if !statuses.contains(&r.status) {
            statuses.push(r.status);
        }
    }
    Ok(json!({
        "job": "spawn",
        "label": label,
        "program": argv[0],
        "timing": Samples::from_times(times),
        "peak_rss_kib": rss,
        "exit_status": statuses,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_exit_status_and_memory_of_the_child() {
        let argv: Vec<String> = ["sh", "-c", "exit 3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let v = run(&argv, 0, 2, "t").unwrap();
        assert_eq!(v["exit_status"], json!([3]));
        assert_eq!(v["timing"]["n"], json!(2));
        assert!(v["peak_rss_kib"].as_u64().unwrap() > 0);
    }
}
