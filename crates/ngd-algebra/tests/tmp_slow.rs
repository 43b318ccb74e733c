include!("proptest_eval_gen.rs");
#[test]
fn find_slow() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let st = (expr(true), expr(true));
    let mut worst = (0.0, String::new());
    for _ in 0..3000 {
        let (x, y) = st.new_tree(&mut runner).unwrap().current();
        let mut a = new_arena();
        let u = build(&mut a, &x);
        let v = build(&mut a, &y);
        let s = a.add2(u, v);
        let s3 = a.powi(s, 3);
        let au = a.func(Func::Abs, u);
        let w = a.add2(au, v);
        let w2 = a.powi(w, 2);
        for c in [s3, w2] {
            let t = std::time::Instant::now();
            let _ = canonicalize(&a, c);
            let el = t.elapsed().as_secs_f64();
            if el > worst.0 {
                worst = (el, a.display(c));
                println!("{el:.3}s {}", worst.1);
            }
        }
    }
    let _ = zero_test;
    let _ = eval;
    let _ = point;
}
