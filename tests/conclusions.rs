//! End to end: each kind of conclusion of the verdict table (global, restricted, local, none),
//! and reports that are byte-identical whatever the thread count or the machine's load.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_with(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ngd-verify"));
    c.current_dir(root()).args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("run ngd-verify")
}

fn verdict(case: &str) -> (Option<i32>, serde_json::Value) {
    let o = run_with(&[case, "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{case}: {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

#[test]
fn global_conclusion_for_the_xy_example() {
    let (code, v) = verdict("cases/xy.case");
    assert_eq!(code, Some(0));
    assert_eq!(v["verdict"]["table"]["conclusion"]["kind"], "global");
    assert_eq!(v["verdict"]["table"]["local"]["reach"], "proved");
}

#[test]
fn restricted_conclusion_names_the_attracting_critical_set() {
    let (code, v) = verdict("tests/conclusions/restricted-x2y.case");
    assert_eq!(code, Some(0), "{}", v["verdict"]);
    let t = &v["verdict"]["table"];
    assert_eq!(t["conclusion"]["kind"], "global_restricted", "{t}");
    let comps = v["critical_sets"]["components"]
        .as_array()
        .expect("components");
    assert!(
        comps
            .iter()
            .any(|c| c["exact"] == "x = 0" && c["attracting"] == true),
        "{comps:?}"
    );
    // Runs that stop on x = 0 are explained, never contradictions.
    assert_ne!(t["cross_validation"]["outcome"], "contradicted", "{t}");
}

#[test]
fn local_conclusion_for_the_cubic() {
    let (code, v) = verdict("cases/cubic.case");
    assert_eq!(code, Some(0));
    assert_eq!(v["verdict"]["table"]["conclusion"]["kind"], "local");
}

#[test]
fn no_conclusion_for_matrix_factorization() {
    let (code, v) = verdict("cases/matfact2.case");
    assert_eq!(code, Some(0), "its claims (d_lyapunov = false) match");
    assert_eq!(v["verdict"]["table"]["conclusion"]["kind"], "none");
}

#[test]
fn reports_are_identical_across_thread_counts_and_load() {
    let args = ["cases/xy.case", "--format", "json"];
    let one = run_with(&args, &[("RAYON_NUM_THREADS", "1")]);
    let two = run_with(&args, &[("RAYON_NUM_THREADS", "2")]);
    assert_eq!(one.stdout, two.stdout, "RAYON_NUM_THREADS=1 vs 2");
    // A CPU hog on every core while the report runs: budgets are counts, not seconds.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hogs: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                }
                x
            })
        })
        .collect();
    let loaded = run_with(&args, &[]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for h in hogs {
        h.join().expect("hog");
    }
    assert_eq!(one.stdout, loaded.stdout, "idle vs loaded");
}
