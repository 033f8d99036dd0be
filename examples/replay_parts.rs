//! Where a full replay's time goes: the real replay first, then hashing,
//! parsing and applying on their own.
use roundtable::domain::Session;
use roundtable::store::{journal, record, ron_text};
use std::io::BufRead;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: replay_parts JOURNAL");
    let path = std::path::Path::new(&path);
    let t = Instant::now();
    let mut s = Session::default();
    let scan = journal::scan(path, 1, 0, &mut |r| {
        s.apply_owned(r.event).map_err(|e| e.to_string())
    })
    .unwrap();
    assert!(scan.damage.is_none());
    println!(
        "replay {} records: {:.2} s",
        scan.records,
        t.elapsed().as_secs_f64()
    );
    if std::env::var_os("REPLAY_ONLY").is_some() {
        std::mem::forget(s);
        return;
    }
    let t = Instant::now();
    let body = roundtable::store::snapshot::body_hash(&s).unwrap();
    println!(
        "the session serialised into SHA-256 (a snapshot's check): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    if let Some(dir) = path.parent() {
        let t = Instant::now();
        let claim = roundtable::store::snapshot::read_claim(dir).ok().flatten();
        println!(
            "the snapshot's bytes hashed: {:.2} s (matches: {})",
            t.elapsed().as_secs_f64(),
            claim.is_some_and(|c| c.body == body)
        );
    }
    let lines: Vec<Vec<u8>> = std::io::BufReader::new(std::fs::File::open(path).unwrap())
        .split(b'\n')
        .map(|l| l.unwrap())
        .collect();
    let t = Instant::now();
    for l in &lines {
        std::hint::black_box(record::check_hash(l).unwrap());
    }
    println!("hash: {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    for l in &lines {
        let text = std::str::from_utf8(l).unwrap();
        let r: record::Record = ron_text::parse_fast(text).unwrap();
        std::hint::black_box(r);
    }
    println!("parse: {:.2} s", t.elapsed().as_secs_f64());
    let records: Vec<record::Record> = lines
        .iter()
        .map(|l| ron_text::parse_fast(std::str::from_utf8(l).unwrap()).unwrap())
        .collect();
    let t = Instant::now();
    let mut s = Session::default();
    for r in records {
        s.apply_owned(r.event).unwrap();
    }
    println!("apply: {:.2} s", t.elapsed().as_secs_f64());
}
