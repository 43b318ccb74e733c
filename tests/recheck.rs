//! `recheck` end to end: every exact claim of real reports re-checks, and a report whose
//! witness value or SOS certificate was tampered with fails (exit 1) naming the claim.

mod support;

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ngd-verify"))
}

/// Writes `json` to a temporary file and runs `recheck` on it: (exit status, stdout).
fn recheck(name: &str, json: &str) -> (i32, String) {
    let path = std::env::temp_dir().join(format!("ngd-recheck-{}-{name}.json", std::process::id()));
    std::fs::write(&path, json).unwrap();
    let out = bin().arg("recheck").arg(&path).output().unwrap();
    std::fs::remove_file(&path).ok();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn identity_json(f: &str, phi: &str) -> String {
    let out = bin()
        .args(["check-identity", f, phi, "--format", "json"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sos_and_witness_claims_recheck_and_tampering_is_caught() {
    // <grad f, grad phi> = 12 (x^6 - 2 x^3 y^3 + y^6): proved >= 0 by a sum of squares.
    let json = identity_json("x^2 + y^2", "(x^2 - y^2)^2*(x^2 + y^2) + (x*y)^2*(x - y)^2");
    let (code, out) = recheck("sos", &json);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("sum of squares conservation.lyapunov.sos.claim"),
        "{out}"
    );
    assert!(out.contains("2 of 2 exact claims re-checked"), "{out}");

    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let gram = &mut v["conservation"]["lyapunov"]["sos"]["claim"]["certificate"]["gram"];
    let first = gram[0][0].as_str().unwrap().to_string();
    gram[0][0] = serde_json::Value::String(format!("{first}1"));
    let (code, out) = recheck("sos-bad", &v.to_string());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED: the certificate fails"), "{out}");
}

#[test]
fn a_witness_with_a_wrong_value_fails() {
    let json = identity_json("(x*y - 1)^2", "x^2 + y^2");
    assert_eq!(recheck("witness", &json).0, 0);
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let value = &mut v["conservation"]["nonzero_witness"]["value"]["value"];
    let printed: i64 = value.as_str().unwrap().parse().unwrap();
    *value = serde_json::Value::String((printed + 1).to_string());
    let (code, out) = recheck("witness-bad", &v.to_string());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED: printed"), "{out}");
}

#[test]
fn a_false_conserved_claim_fails() {
    let json = identity_json("(x*y - 1)^2", "x^2 - y^2");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["case"]["regularizer"] = serde_json::Value::String("x^2 + y^2".into());
    let (code, out) = recheck("conserved-bad", &v.to_string());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("C1 conserved: <grad f, grad phi> == 0: FAILED"),
        "{out}"
    );
}

#[test]
fn every_shipped_case_report_rechecks() {
    for case in support::shipped_cases() {
        let out = bin()
            .arg(&case)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let json = String::from_utf8(out.stdout).unwrap();
        let (code, text) = recheck("case", &json);
        assert_eq!(code, 0, "{}: {text}", case.display());
        // The time target (under 1 s per case, issue 18) is measured by bench/run.sh (job
        // `sos`), not asserted here: a timed test fails on a loaded machine.
    }
}

#[test]
fn input_that_is_not_a_report_is_refused() {
    let (code, _) = recheck("garbage", "{\"not\": \"a report\"");
    assert_eq!(code, 2);
}

#[test]
fn the_c4_sos_certificate_of_product4_rechecks() {
    let case = "title = \"product4\"\nvariables = [\"x[4]\"]\n\
                objective = \"(prod(i = 1..4, x[i]) - 1)^2\"\n\
                regularizer = \"sum(i = 1..4, sum(j = i+1..4, (x[i]^2 - x[j]^2)^2))\"\n\
                [ngd]\niterations = 2000\nstarts = 8\n";
    let path = std::env::temp_dir().join(format!("ngd-recheck-{}-p4.case", std::process::id()));
    std::fs::write(&path, case).unwrap();
    let out = bin()
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    let json = String::from_utf8(out.stdout).unwrap();
    let (code, text) = recheck("p4", &json);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("sum of squares decrease.sos.claim"), "{text}");
}

#[test]
fn the_c4_boxes_of_xy_recheck_and_a_moved_box_fails() {
    let out = bin()
        .args(["cases/xy.case", "--format", "json"])
        .output()
        .unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    let (code, text) = recheck("xy", &json);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("C4 box decrease.cover.examples[0]"), "{text}");
    assert!(
        text.contains(
            "C4 cover decrease.cover: every leaf of the 931 boxes of its bisection tree: holds"
        ),
        "{text}"
    );

    // A certified leaf relabelled "disjoint" (the first `c` of the tree): the leaf meets M,
    // so the cover no longer rechecks.
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let tree = v["decrease"]["cover"]["tree"]
        .as_str()
        .unwrap()
        .replacen('c', "d", 1);
    v["decrease"]["cover"]["tree"] = serde_json::json!(tree);
    let (code, text) = recheck("xy-relabelled", &v.to_string());
    assert_eq!(code, 1, "{text}");

    // Move the first printed box onto the point (-1, -1) of S, where Q = 0.
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let b = &mut v["decrease"]["cover"]["examples"][0];
    let half = (b["hi"][0].as_f64().unwrap() - b["lo"][0].as_f64().unwrap()) / 2.0;
    b["lo"] = serde_json::json!([-1.0 - half, -1.0 - half]);
    b["hi"] = serde_json::json!([-1.0 + half, -1.0 + half]);
    let (code, text) = recheck("xy-moved", &v.to_string());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("FAILED: not proved by the small interval path"),
        "{text}"
    );
}

/// The JSON report of a shipped case.
fn case_json(case: &str) -> serde_json::Value {
    let out = bin().args([case, "--format", "json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_closed_balls_of_xy_and_hyperbola_recheck_and_tampering_fails() {
    for case in ["cases/xy.case", "cases/hyperbola.case"] {
        let v = case_json(case);
        let (code, text) = recheck("balls", &v.to_string());
        assert_eq!(code, 0, "{case}: {text}");
        // Every closed ball's argument is re-proved, none is listed as not re-checked.
        assert!(
            !text.contains(".argument: not re-checked"),
            "{case}: {text}"
        );
    }
    let v = case_json("cases/xy.case");
    let ball = |v: &mut serde_json::Value| v["decrease"]["cover"]["balls"][1].take();
    let with_ball = |mut v: serde_json::Value, b: serde_json::Value| {
        v["decrease"]["cover"]["balls"][1] = b;
        v
    };
    let mut original = v.clone();
    let b = ball(&mut original);
    assert_eq!(b["argument"]["point"], serde_json::json!(["1", "1"]), "{b}");

    // The ball around (1, 1) enlarged with its radius (a dyadic box, so that it stays
    // between its radii): it no longer lies in the chart box of its argument.
    let mut enlarged = b.clone();
    enlarged["lo"] = serde_json::json!([0.875, 0.875]);
    enlarged["hi"] = serde_json::json!([1.125, 1.125]);
    enlarged["radius"] = serde_json::json!(0.125);
    let (code, text) = recheck(
        "ball-enlarged",
        &with_ball(v.clone(), enlarged.clone()).to_string(),
    );
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("decrease.cover.balls[1]: the ball's box does not lie in its chart box"),
        "{text}"
    );

    // ... and the chart box enlarged with it. Where the argument holds on the bigger box the
    // bigger ball is a true claim (Q < 0 on all of M but S here); on this one M is no graph
    // over x (the top face y = 7/4 meets it at x = 4/7), so the argument fails.
    enlarged["lo"] = serde_json::json!([0.5, 0.5]);
    enlarged["hi"] = serde_json::json!([1.5, 1.5]);
    enlarged["radius"] = serde_json::json!(0.5);
    enlarged["argument"]["chart"]["chart_box"]["lo"] = serde_json::json!([0.5, 0.25]);
    enlarged["argument"]["chart"]["chart_box"]["hi"] = serde_json::json!([1.5, 1.75]);
    let (code, text) = recheck(
        "chart-enlarged",
        &with_ball(v.clone(), enlarged).to_string(),
    );
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("closing argument of decrease.cover.balls[1]: g does not have"),
        "{text}"
    );

    // The centre moved off M (with its exact point): g(s) != 0.
    let mut moved = b.clone();
    moved["argument"]["point"] = serde_json::json!(["1", "65/64"]);
    let (code, text) = recheck("centre-moved", &with_ball(v.clone(), moved).to_string());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("not on M"), "{text}");

    // The printed Q(s) changed.
    let mut value = b;
    value["argument"]["q"] = serde_json::json!("-1/2");
    let (code, text) = recheck("q-changed", &with_ball(v, value).to_string());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("printed -1/2"), "{text}");
}

#[test]
fn the_order_certificate_of_degenerate_order4_rechecks_and_tampering_fails() {
    let v = case_json("cases/degenerate-order4.case");
    let (code, text) = recheck("order4", &v.to_string());
    assert_eq!(code, 0, "{text}");
    let claim = "C4 cover decrease.degenerate.certificate.charts[0]";
    assert!(text.contains(claim) && text.contains("holds"), "{text}");
    let tampered = |name: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut t = v.clone();
        edit(&mut t);
        let (code, text) = recheck(name, &t.to_string());
        assert_eq!(code, 1, "{name}: {text}");
        assert!(
            text.contains(&format!("{claim}: ")) && text.contains("FAILED"),
            "{text}"
        );
    };
    let cert = |t: &mut serde_json::Value| t["decrease"]["degenerate"]["certificate"].take();
    // c doubled: -x0^2 a^4 (the exact change, up to a^8) is above -2c a^4 near the balls.
    tampered("order4-c", &|t| {
        let mut c = cert(t);
        c["c"] = serde_json::json!(c["c"].as_f64().unwrap() * 2.0);
        t["decrease"]["degenerate"]["certificate"] = c;
    });
    // a0 enlarged to 1/2: the remainder is no longer below -c q! at the box's ends.
    tampered("order4-a0", &|t| {
        let mut c = cert(t);
        c["a0"] = serde_json::json!(0.5);
        t["decrease"]["degenerate"]["certificate"] = c;
    });
    // The point of S moved: its ball no longer covers x = 0, where the decrease vanishes.
    tampered("order4-s", &|t| {
        let reg = &mut t["minima"]["flat"]["regularizer"];
        let i = reg["s_points"][0].as_u64().unwrap() as usize;
        reg["critical_points"][i]["point"]["approx"] = serde_json::json!([0.1, 0.0]);
    });
}

/// The line of the claim `phi = 0` on `S` in a recheck's text output.
fn phi_zero_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.contains("minima.flat.regularizer.phi_exact_zero"))
        .unwrap_or_else(|| panic!("no line for phi = 0 on S: {text}"))
}

#[test]
fn phi_zero_on_s_of_cubic_xy_and_ellipse_rechecks() {
    for (case, witness) in [
        ("cases/cubic.case", "(2^(-1/3), 2^(-1/3))"),
        ("cases/xy.case", "(-1, -1)"),
        ("cases/ellipse.case", "(1, 0)"),
    ] {
        let v = case_json(case);
        let (code, text) = recheck("phi-zero", &v.to_string());
        assert_eq!(code, 0, "{case}: {text}");
        let line = phi_zero_line(&text);
        assert!(
            line.contains(witness) && line.ends_with(": holds"),
            "{case}: {line}"
        );
    }
}

#[test]
fn a_tampered_phi_zero_claim_of_cubic_fails() {
    let v = case_json("cases/cubic.case");
    let tampered = |name: &str, expected: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut t = v.clone();
        edit(&mut t);
        let (code, text) = recheck(name, &t.to_string());
        assert_eq!(code, 1, "{name}: {text}");
        let line = phi_zero_line(&text);
        assert!(
            line.contains("FAILED") && line.contains(expected),
            "{name}: {line}"
        );
    };
    let claim = |t: &mut serde_json::Value, key: &str, value: serde_json::Value| {
        t["minima"]["flat"]["regularizer"]["phi_exact_zero"][key] = value;
    };
    // phi(w) = 0 still (x = y), but f(w) = (2^(-1/2) - 1)^2.
    tampered("phi-zero-witness", "printed f(w) = 0", &|t| {
        claim(t, "witness", serde_json::json!(["2^(-1/2)", "2^(-1/2)"]))
    });
    tampered("phi-zero-infimum", "C2's lower bound 0", &|t| {
        claim(t, "infimum", serde_json::json!("1/2"))
    });
    tampered("phi-zero-phi", "printed phi(w) = 0", &|t| {
        t["case"]["regularizer"] = serde_json::json!("(1/x - 1/y)^2 + 1/1000");
    });
    // The box cut at x <= 3/4 < 2^(-1/3) = 0.7937...
    tampered("phi-zero-box", "outside the search box", &|t| {
        t["case"]["search_box"][0][2] = serde_json::json!("3/4");
    });
}

/// The report with its cover tampered: `edit` changes `decrease.cover`.
fn with_cover(v: &serde_json::Value, edit: impl Fn(&mut serde_json::Value)) -> String {
    let mut v = v.clone();
    edit(&mut v["decrease"]["cover"]);
    v.to_string()
}

#[test]
fn the_covers_of_non_polynomial_cases_recheck_and_tampering_fails() {
    // f = log(1 + g^2), |g| and g^2 with g = exp(x) y - 1: M = {g = 0} is confirmed from the
    // syntax of f; the last one's enclosures come from the smooth evaluator.
    for case in [
        "cases/log-loss.case",
        "cases/abs-xy.case",
        "cases/exp-field.case",
    ] {
        let v = case_json(case);
        let (code, text) = recheck("non-polynomial", &v.to_string());
        assert_eq!(code, 0, "{case}: {text}");
        assert!(
            text.contains("C4 cover decrease.cover: every leaf of the")
                && text.contains("bisection tree: holds"),
            "{case}: {text}"
        );
        assert!(
            !text.contains("not syntactic polynomials"),
            "{case}: {text}"
        );

        // min_c doubled: the leaf of the smallest margin no longer holds.
        let doubled = with_cover(&v, |c| {
            let min_c = c["min_c"].as_f64().unwrap();
            c["min_c"] = serde_json::json!(2.0 * min_c);
        });
        let (code, text) = recheck("min-c-doubled", &doubled);
        assert_eq!(code, 1, "{case}: {text}");
        assert!(text.contains("the leaf `c` on"), "{case}: {text}");

        // The first disjoint leaf (a quarter of the search box, where Q > 0 somewhere)
        // relabelled certified, with the counts to match.
        let relabelled = with_cover(&v, |c| {
            let tree = c["tree"].as_str().unwrap().replacen('d', "c", 1);
            c["tree"] = serde_json::json!(tree);
            c["disjoint"] = serde_json::json!(c["disjoint"].as_u64().unwrap() - 1);
            c["certified"] = serde_json::json!(c["certified"].as_u64().unwrap() + 1);
        });
        let (code, text) = recheck("d-relabelled", &relabelled);
        assert_eq!(code, 1, "{case}: {text}");
        assert!(text.contains("the leaf `c` on"), "{case}: {text}");
    }

    // An outer function not on recheck's list (log(2 + t^2) is increasing in |t| too, but
    // unlisted), and t^2 - t^4 (whose minimum is not on g = 0): not re-checked, never "holds".
    for objective in ["log(2 + (x*y - 1)^2)", "(x*y - 1)^2 - (x*y - 1)^4"] {
        let mut v = case_json("cases/log-loss.case");
        v["case"]["objective"] = serde_json::json!(objective);
        let (_, text) = recheck("unlisted", &v.to_string());
        assert!(text.contains("  - decrease: not re-checked"), "{text}");
        assert!(!text.contains("C4 cover"), "{text}");
    }
}

/// The report of a soundness-suite case (`tests/adversarial/NAME.case`).
fn adversarial_json(name: &str) -> String {
    let case = format!(
        "{}/tests/adversarial/{name}.case",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = bin().args([&case, "--format", "json"]).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn boxes_where_hessian_entries_cancel_recheck_by_the_centred_forms() {
    // phi of degree 12 and 40: u^T Hess phi u cancels entries far larger than itself, so
    // the product and mean-value enclosures miss the printed C4 boxes; the exact forms in
    // (x, xi) expanded around each box's centre re-prove them (and tampering with c is
    // refused in crates/ngd-recheck/tests/recheck_c4_tight.rs).
    for name in ["c4-conserved-q-positive", "c6-degree-40"] {
        let (code, text) = recheck(name, &adversarial_json(name));
        assert_eq!(code, 0, "{name}: {text}");
        assert!(text.contains("C4 box"), "{name}: {text}");
        assert!(!text.contains("not re-checked"), "{name}: {text}");
    }
}

#[test]
fn the_c4_cover_of_a_sum_of_losses_rechecks() {
    // f = sum c_i h_i(g_i): M = V(g_1, ..., g_k) confirmed from the sum (each h_i on
    // recheck's list, minimal at 0), then the cover's leaves by every row-space direction.
    let json = serde_json::to_string(&case_json("cases/sum-losses.case")).unwrap();
    let (code, text) = recheck("sum-losses", &json);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("C4 cover decrease.cover"), "{text}");
    assert!(!text.contains("not re-checked"), "{text}");
}
