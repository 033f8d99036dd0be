use roundtable::domain::Session;
use roundtable::store::journal;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let mut s = Session::default();
    let scan = journal::scan(std::path::Path::new(&path), 1, 0, &mut |r| {
        s.apply_owned(r.event).map_err(|e| e.to_string())
    })
    .unwrap();
    println!("{} records {:.2}s", scan.records, t.elapsed().as_secs_f64());
    std::mem::forget(s);
}
