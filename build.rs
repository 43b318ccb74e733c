//! Fails early, with the fix, when the C toolchain that `gmp-mpfr-sys` needs is missing.
//!
//! `rug` and `inari` build GMP and MPFR from source; without `m4` that build stops after a
//! minute inside GMP's `configure` with a panic and a backtrace that do not say what to
//! install. This script runs in parallel with it and usually first.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-env-changed=GMP_MPFR_SYS_CACHE");
    println!("cargo:rerun-if-env-changed=XDG_CACHE_HOME");
    if gmp_already_built() {
        return;
    }
    let missing: Vec<&str> = ["m4", "make"]
        .into_iter()
        .filter(|tool| !on_path(tool))
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "error: building GMP/MPFR (for rug and inari) needs {} on PATH.\n\
             Install the prerequisites first (README, \"Prerequisites\"), e.g. on Debian/Ubuntu:\n\
             \n    sudo apt-get install m4 make gcc libopenblas-dev libgfortran-12-dev\n",
            missing.join(" and ")
        );
        std::process::exit(1);
    }
}

/// `gmp-mpfr-sys` keeps built libraries in a cache folder; with it, `m4` is not needed.
fn gmp_already_built() -> bool {
    let cache = match std::env::var_os("GMP_MPFR_SYS_CACHE") {
        Some(dir) if dir.is_empty() => return false,
        Some(dir) => PathBuf::from(dir),
        None => match (std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME")) {
            (Some(xdg), _) if !xdg.is_empty() => PathBuf::from(xdg).join("gmp-mpfr-sys"),
            (_, Some(home)) => PathBuf::from(home).join(".cache").join("gmp-mpfr-sys"),
            _ => return false,
        },
    };
    std::fs::read_dir(cache).is_ok_and(|mut entries| entries.next().is_some())
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}
