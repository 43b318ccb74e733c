//! The adversarial suite: cases in `tests/adversarial/` for which some check must never be
//! labelled "proved" (the claim is false, holds only almost everywhere, or is undefined).
//!
//! The suite is data-driven: adding a case is adding a `.case` file. Each file starts with
//! comment lines that this test reads:
//!
//! - `# never-proved: ITEM[, ITEM...]` (required). An item is a JSON path into the
//!   `--format json` report (`.`-separated keys, `*` for every element of an array, e.g.
//!   `minima.strictness.points.*.evidence`) whose value must never be `"proved"`; `A|B` names
//!   the same verdict under two schema versions (e.g. `decrease.certificate.evidence|
//!   decrease.cover.evidence`): every alternative that exists is checked, and at least one
//!   must exist. The item `minima.strictness.points at (X, Y); (X2, Y2)` names points where
//!   `f + phi` has no strict local minimum (a kink, a nonzero gradient, an indefinite Hessian)
//!   and no critical point within `1e-6`: no C6 entry whose box (of radius at most `1e-7`)
//!   contains one of them may be proved, whichever points the report chooses to examine (the
//!   flat points in schema 2, the points of `S` in schema 3);
//! - `# why: ...` (required, may continue on `#   ...` lines): the mathematical reason, with a
//!   counterexample point where there is one;
//! - `# never-refuted: PATH[, PATH...]` (optional): values that must never be `"refuted"`
//!   (a refutation whose witness lies outside the domain is as unsound as a false proof);
//! - `# may-reject: REASON` (optional): the binary may refuse the case as bad input (exit
//!   status 2, nothing on stdout), e.g. when `phi` is defined nowhere.
//!
//! For every case the test also asserts: no panic (exit status 101 or "panicked" on stderr),
//! the run finishes within the timeout (`NGD_ADVERSARIAL_TIMEOUT` seconds, default 60), the
//! exit status is the report's `verdict.exit_code`, and, since every claim an adversarial case
//! makes in `[expect]` is false by convention, the exit status is not 0 when the case has an
//! `[expect]` claim, every claim shows up in `expectations` and none is "matched". Where a
//! never-proved path is one of the hypotheses of the paper's conclusions, the verdict must not
//! conclude them either: no local or global attraction without C1, C4 near S and C6, no global
//! attraction without C4 on M \ S and C5.
//!
//! All failures of all cases are collected and reported together. `NGD_ADVERSARIAL_FILTER=sub`
//! runs only the cases whose file name contains `sub`.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::{parallel, run_limited, Finished as Run};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn timeout() -> Duration {
    let secs = std::env::var("NGD_ADVERSARIAL_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// Runs the binary with `args`, killing it (our own child, by its handle) after `limit`.
fn run_with_timeout(args: &[&str], limit: Duration) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ngd-verify"));
    cmd.current_dir(root()).args(args);
    run_limited(cmd, limit)
}

/// The comment header of a case.
#[derive(Debug, Default)]
struct Header {
    never_proved: Vec<String>,
    never_refuted: Vec<String>,
    may_reject: bool,
    why: String,
    /// The keys of the `[expect]` table (all false claims by convention).
    claims: Vec<String>,
}

/// Splits a header list at the commas outside parentheses.
fn paths(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in list.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `(1, 1); (-1, -1)` as points.
fn parse_points(list: &str) -> Result<Vec<Vec<f64>>, String> {
    list.split(';')
        .map(|p| {
            let p = p.trim();
            let inner = p
                .strip_prefix('(')
                .and_then(|q| q.strip_suffix(')'))
                .ok_or_else(|| format!("`{p}` is not a point `(x, y, ...)`"))?;
            inner
                .split(',')
                .map(|c| {
                    c.trim()
                        .parse::<f64>()
                        .map_err(|e| format!("`{c}` in `{p}`: {e}"))
                })
                .collect()
        })
        .collect()
}

/// One C6 entry: its JSON path, its evidence, and its box `[lo, hi]`.
type C6Entry = (String, String, Vec<f64>, Vec<f64>);

/// The C6 entries of a report: where each claims a strict local minimum (its box, in f64)
/// and the evidence. Schema 3 prints `box_lo`/`box_hi`; schema 2 a `box_radius` around the
/// flat point `minima.flat.flat_points[flat_point]` (or `point`).
fn c6_entries(v: &Value) -> Result<Vec<C6Entry>, String> {
    let list = lookup(v, "minima.strictness.points")?;
    let mut out = Vec::new();
    for (at, arr) in list {
        let Some(items) = arr.as_array() else {
            return Err(format!("`{at}` is not an array"));
        };
        for (i, e) in items.iter().enumerate() {
            let nums = |x: &Value| -> Option<Vec<f64>> {
                x.as_array()?
                    .iter()
                    .map(|c| c.as_f64().or_else(|| c.as_str()?.parse().ok()))
                    .collect()
            };
            let centre = nums(&e["coords"])
                .or_else(|| {
                    let k = e["flat_point"].as_u64()? as usize;
                    nums(&v["minima"]["flat"]["flat_points"][k]["point"]["approx"])
                })
                .or_else(|| nums(&e["point"]));
            let (lo, hi) = match (nums(&e["box_lo"]), nums(&e["box_hi"])) {
                (Some(lo), Some(hi)) => (lo, hi),
                _ => {
                    let (Some(c), Some(r)) = (centre, e["box_radius"].as_f64()) else {
                        return Err(format!("cannot locate the box of `{at}[{i}]`: {e}"));
                    };
                    (
                        c.iter().map(|x| x - r).collect(),
                        c.iter().map(|x| x + r).collect(),
                    )
                }
            };
            let ev = e["evidence"].as_str().unwrap_or("?").to_string();
            out.push((format!("{at}[{i}]"), ev, lo, hi));
        }
    }
    Ok(out)
}

fn parse_header(text: &str) -> Header {
    let mut h = Header::default();
    let mut in_why = false;
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("# never-proved:") {
            h.never_proved.extend(paths(rest));
            in_why = false;
        } else if let Some(rest) = t.strip_prefix("# never-refuted:") {
            h.never_refuted.extend(paths(rest));
            in_why = false;
        } else if t.starts_with("# may-reject:") {
            h.may_reject = true;
            in_why = false;
        } else if let Some(rest) = t.strip_prefix("# why:") {
            h.why.push_str(rest.trim());
            in_why = true;
        } else if in_why && t.starts_with("#   ") {
            h.why.push(' ');
            h.why.push_str(t.trim_start_matches('#').trim());
        } else if !t.starts_with('#') {
            in_why = false;
        }
    }
    // The keys of [expect]: lines `key = ...` after the `[expect]` header, up to the next table.
    let mut in_expect = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_expect = t == "[expect]";
            continue;
        }
        if in_expect && !t.is_empty() && !t.starts_with('#') {
            if let Some((k, _)) = t.split_once('=') {
                h.claims.push(k.trim().to_string());
            }
        }
    }
    h
}

/// Every value at `path` (`*` expands arrays). A `null` on the way means "absent" (no
/// values). A key missing from an object is an error: the schema changed, and a silent pass
/// would hide it.
fn lookup<'a>(v: &'a Value, path: &str) -> Result<Vec<(String, &'a Value)>, String> {
    let mut cur: Vec<(String, &Value)> = vec![(String::new(), v)];
    for key in path.split('.') {
        let mut next = Vec::new();
        for (at, node) in cur {
            match node {
                Value::Null => {}
                Value::Array(items) if key == "*" => {
                    for (i, item) in items.iter().enumerate() {
                        next.push((format!("{at}[{i}]"), item));
                    }
                }
                Value::Array(items) => match key.parse::<usize>() {
                    Ok(i) if i < items.len() => next.push((format!("{at}[{i}]"), &items[i])),
                    _ => return Err(format!("no element `{key}` in the array at `{at}`")),
                },
                Value::Object(map) => match map.get(key) {
                    Some(x) => next.push((format!("{at}.{key}"), x)),
                    None => {
                        return Err(format!(
                            "no key `{key}` at `{}` (keys: {:?})",
                            if at.is_empty() { "." } else { &at },
                            map.keys().collect::<Vec<_>>()
                        ))
                    }
                },
                other => {
                    return Err(format!("`{at}` is {other}, not an object or array"));
                }
            }
        }
        cur = next;
    }
    Ok(cur)
}

/// What one case found: its failures and a one-line summary for the table.
struct Outcome {
    name: String,
    failures: Vec<String>,
    summary: String,
}

/// Every value at `path`, where `path` may list alternatives `A|B` (schema versions): the
/// values of every alternative that exists; an error only when none exists.
fn lookup_any<'a>(v: &'a Value, path: &str) -> Result<Vec<(String, &'a Value)>, String> {
    let mut found = None;
    let mut errors = Vec::new();
    for alt in path.split('|') {
        match lookup(v, alt.trim()) {
            Ok(vals) => found.get_or_insert_with(Vec::new).extend(vals),
            Err(e) => errors.push(e),
        }
    }
    found.ok_or_else(|| errors.join("; "))
}

/// What the verdict concludes about the attraction of `S`: `local`, `global` or `none`
/// (schema 2: `verdict.attraction`; schema 3: `verdict.table.conclusion.kind`, where
/// `global_restricted` counts as `global`).
fn attraction(v: &Value) -> Option<String> {
    let a = v["verdict"]["attraction"]
        .as_str()
        .or_else(|| v["verdict"]["table"]["conclusion"]["kind"].as_str())?;
    Some(if a.starts_with("global") { "global" } else { a }.to_string())
}

fn label(v: &Value, path: &str) -> String {
    match lookup_any(v, path) {
        Ok(vals) if vals.is_empty() => "-".into(),
        Ok(vals) => vals
            .iter()
            .map(|(_, x)| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => "?".into(),
    }
}

fn check_case(path: &Path) -> Outcome {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).expect("case file is UTF-8");
    let h = parse_header(&text);
    let mut failures = Vec::new();
    let mut fail = |s: String| failures.push(s);
    if h.never_proved.is_empty() {
        fail("no `# never-proved:` header".into());
    }
    if h.why.is_empty() {
        fail("no `# why:` header".into());
    }
    let rel = path.strip_prefix(root()).unwrap_or(path);
    let run = run_with_timeout(&[rel.to_str().unwrap(), "--format", "json"], timeout());
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    let secs = run.elapsed.as_secs_f64();
    let Some(status) = run.status else {
        fail(format!(
            "did not finish within {:?} (killed); the run must end, with an inconclusive verdict if need be",
            timeout()
        ));
        return Outcome {
            name,
            failures,
            summary: format!("TIMEOUT after {secs:.1}s"),
        };
    };
    let code = status.code();
    if code == Some(101) || stderr.contains("panicked") {
        fail(format!(
            "panicked (exit {code:?}): {}",
            first_lines(&stderr, 6)
        ));
    }
    if code == Some(2) {
        if !h.may_reject {
            fail(format!(
                "rejected as bad input (exit 2) without `# may-reject`: {}",
                first_lines(&stderr, 4)
            ));
        } else if !run.stdout.is_empty() {
            fail("exit 2 with a report on stdout".into());
        }
        return Outcome {
            name,
            failures,
            summary: format!("rejected (exit 2) in {secs:.1}s"),
        };
    }
    let v: Value = match serde_json::from_slice(&run.stdout) {
        Ok(v) => v,
        Err(e) => {
            fail(format!(
                "no valid JSON on stdout (exit {code:?}): {e}; stderr: {}",
                first_lines(&stderr, 4)
            ));
            return Outcome {
                name,
                failures,
                summary: format!("exit {code:?}, no JSON"),
            };
        }
    };
    let mut falsely = Vec::new();
    for p in &h.never_proved {
        if let Some((path, pts)) = p.split_once(" at ") {
            // C6 at given points: no entry whose (small) box contains one of them is proved.
            if path.trim() != "minima.strictness.points" {
                fail(format!(
                    "`PATH at POINTS` is only for minima.strictness.points: `{p}`"
                ));
                continue;
            }
            let pts = match parse_points(pts) {
                Ok(x) => x,
                Err(e) => {
                    fail(format!("bad points in `{p}`: {e}"));
                    continue;
                }
            };
            match c6_entries(&v) {
                Err(e) => fail(format!("never-proved `{p}`: {e}")),
                Ok(entries) => {
                    for (at, ev, lo, hi) in entries {
                        let rad = lo
                            .iter()
                            .zip(&hi)
                            .map(|(a, b)| (b - a) / 2.0)
                            .fold(0.0, f64::max);
                        for q in &pts {
                            let contains = q.len() == lo.len()
                                && q.iter().zip(lo.iter().zip(&hi)).all(|(x, (a, b))| {
                                    let eps = 1e-12 * x.abs().max(1.0);
                                    *x >= a - eps && *x <= b + eps
                                });
                            if contains && rad <= 1e-7 && ev == "proved" {
                                fail(format!(
                                    "`{}.evidence` is \"proved\" on a box (radius {rad:.1e}) around {q:?}, where f + phi has no strict local minimum",
                                    at.trim_start_matches('.')
                                ));
                                falsely.push(format!("{} at {q:?}", at.trim_start_matches('.')));
                            }
                        }
                    }
                }
            }
            continue;
        }
        match lookup_any(&v, p) {
            Err(e) => fail(format!("never-proved path `{p}`: {e}")),
            Ok(vals) => {
                for (at, x) in vals {
                    if x == "proved" {
                        fail(format!("`{at}` is \"proved\" but must never be"));
                        falsely.push(at.trim_start_matches('.').to_string());
                    }
                }
            }
        }
    }
    for p in &h.never_refuted {
        match lookup_any(&v, p) {
            Err(e) => fail(format!("never-refuted path `{p}`: {e}")),
            Ok(vals) => {
                for (at, x) in vals {
                    if x == "refuted" {
                        fail(format!("`{at}` is \"refuted\" but must never be"));
                        falsely.push(format!("{} (refuted)", at.trim_start_matches('.')));
                    }
                }
            }
        }
    }
    // The conclusions of the paper need the hypotheses this case says are never proved.
    let attraction = attraction(&v).unwrap_or_else(|| {
        fail(
            "the report states no conclusion (verdict.attraction or verdict.table.conclusion.kind)"
                .into(),
        );
        "?".into()
    });
    let local_hyp = h.never_proved.iter().any(|p| {
        p == "conservation.evidence"
            || p == "decrease.local"
            || (p.starts_with("minima.strictness") && !p.contains(" at "))
    });
    let global_hyp = local_hyp
        || h.never_proved
            .iter()
            .any(|p| p == "decrease.evidence" || p == "coercivity.evidence");
    if local_hyp && (attraction == "local" || attraction == "global") {
        fail(format!(
            "verdict.attraction is \"{attraction}\" although a hypothesis of Thm 2.9 is false"
        ));
    }
    if global_hyp && attraction == "global" {
        fail("verdict.attraction is \"global\" although a hypothesis of Thm 2.10 is false".into());
    }
    match v["verdict"]["exit_code"].as_i64() {
        Some(e) if Some(e as i32) != code => fail(format!(
            "the process exit status {code:?} differs from verdict.exit_code {e}"
        )),
        Some(_) => {}
        None => fail("no verdict.exit_code in the report".into()),
    }
    if !h.claims.is_empty() {
        if code == Some(0) {
            fail(format!(
                "exit status 0 although the case makes false claims {:?}",
                h.claims
            ));
        }
        let listed = v["expectations"].as_array().cloned().unwrap_or_default();
        for claim in &h.claims {
            match listed.iter().find(|e| e["claim"] == claim.as_str()) {
                None => fail(format!(
                    "the [expect] claim `{claim}` is missing from `expectations`"
                )),
                Some(e) if e["status"] == "matched" => fail(format!(
                    "the false [expect] claim `{claim}` is reported as matched ({})",
                    e["found"]
                )),
                Some(_) => {}
            }
        }
    }
    let summary = format!(
        "exit {} in {secs:.1}s; C1 {} (conserved {}, lyapunov {}); C4 {} (near S {}); C5 {}; C6 {}; conclusion {attraction}{}",
        code.map_or("?".into(), |c| c.to_string()),
        label(&v, "conservation.evidence"),
        label(&v, "conservation.conserved"),
        label(&v, "conservation.lyapunov.evidence"),
        label(&v, "decrease.evidence"),
        label(&v, "decrease.local"),
        label(&v, "coercivity.evidence"),
        label(&v, "minima.strictness.evidence"),
        if falsely.is_empty() {
            String::new()
        } else {
            format!("; FALSELY: {}", falsely.join(", "))
        }
    );
    if !failures.is_empty() {
        failures.push(format!("why: {}", h.why));
    }
    Outcome {
        name,
        failures,
        summary,
    }
}

fn first_lines(s: &str, n: usize) -> String {
    s.lines().take(n).collect::<Vec<_>>().join(" | ")
}

fn case_files() -> Vec<PathBuf> {
    let dir = root().join("tests/adversarial");
    let filter = std::env::var("NGD_ADVERSARIAL_FILTER").unwrap_or_default();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/adversarial exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(&filter))
        .collect();
    v.sort();
    v
}

#[test]
fn every_case_has_a_never_proved_and_a_why_header() {
    let files = case_files();
    if std::env::var("NGD_ADVERSARIAL_FILTER").is_err() {
        assert!(
            files.len() >= 40,
            "the adversarial suite needs at least 40 cases, found {}",
            files.len()
        );
    }
    for p in files {
        let h = parse_header(&std::fs::read_to_string(&p).unwrap());
        assert!(
            !h.never_proved.is_empty(),
            "{}: no never-proved",
            p.display()
        );
        assert!(!h.why.is_empty(), "{}: no why", p.display());
        for path in h.never_proved.iter().chain(&h.never_refuted) {
            if let Some((_, pts)) = path.split_once(" at ") {
                assert!(
                    parse_points(pts).is_ok(),
                    "{}: bad points in `{path}`",
                    p.display()
                );
                continue;
            }
            assert!(
                path.split('|')
                    .all(|a| a.split('.').all(|k| !k.trim().is_empty())),
                "{}: bad path `{path}`",
                p.display()
            );
        }
    }
}

#[test]
fn adversarial_cases_are_never_proved() {
    let files = case_files();
    assert!(!files.is_empty(), "no adversarial cases selected");
    let outcomes = parallel(&files, |p| check_case(p));
    let mut report = String::new();
    let mut failed = 0;
    for o in &outcomes {
        let mark = if o.failures.is_empty() {
            "ok  "
        } else {
            "FAIL"
        };
        report.push_str(&format!("{mark} {}: {}\n", o.name, o.summary));
        if !o.failures.is_empty() {
            failed += 1;
        }
    }
    eprintln!("{report}");
    let mut details = String::new();
    for o in outcomes.iter().filter(|o| !o.failures.is_empty()) {
        details.push_str(&format!("\n{}:\n", o.name));
        for f in &o.failures {
            details.push_str(&format!("  - {f}\n"));
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} adversarial cases failed (the summary table is printed above):\n{details}",
        outcomes.len()
    );
}
