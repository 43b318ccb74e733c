use ngd_algebra::canonicalize;
use ngd_expr::{Arena, Func};
fn main() {
    let mut a = Arena::new(vec!["x0".into()]);
    let x = a.var(0);
    let z = a.int(0);
    let m = a.min(x, z);
    let mi = a.powi(m, -1);
    let s = a.func(Func::Sign, mi);
    for e in [m, mi, s] {
        let c = canonicalize(&a, e).unwrap();
        let ee = c.to_expr(&mut a);
        println!("{} => {}", a.display(e), a.display(ee));
    }
    let p = a.add2(x, s);
    let p2 = a.powi(p, 2);
    let x2 = a.powi(x, 2);
    let s2 = a.powi(s, 2);
    let two = a.int(2);
    let t = a.mul(vec![two, x, s]);
    let r = a.add(vec![x2, s2, t]);
    for e in [p2, r, s2] {
        let c = canonicalize(&a, e).unwrap();
        let ee = c.to_expr(&mut a);
        println!("{} => {}", a.display(e), a.display(ee));
    }
}
