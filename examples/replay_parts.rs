//! Where a full replay's time goes: reading, hashing, parsing, applying.
use roundtable::domain::Session;
use roundtable::store::record;
use std::io::BufRead;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: replay_parts JOURNAL");
    let lines: Vec<Vec<u8>> = std::io::BufReader::new(std::fs::File::open(&path).unwrap())
        .split(b'\n')
        .map(|l| l.unwrap())
        .collect();
    let t = Instant::now();
    for l in &lines {
        std::hint::black_box(record::check_hash(l).unwrap());
    }
    println!(
        "hash {} lines: {:.2} s",
        lines.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let mut records = Vec::with_capacity(lines.len());
    for l in &lines {
        let text = std::str::from_utf8(l).unwrap();
        let r: record::Record = ron::from_str(text).unwrap();
        records.push(r);
    }
    println!("ron parse: {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut s = Session::default();
    for r in &records {
        s.apply(&r.event).unwrap();
    }
    println!("apply: {:.2} s", t.elapsed().as_secs_f64());
}
