//! Where opening from a snapshot spends its time: reading, checking UTF-8,
//! hashing and parsing the body, each on its own; then the two-thread
//! parse, and the whole read as opening does it.
use std::time::Instant;

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: snapshot_parts SESSION_DIR"),
    );
    let t = Instant::now();
    let bytes = std::fs::read(dir.join("snapshot.ron")).unwrap();
    println!("read: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let text = std::str::from_utf8(&bytes).unwrap();
    println!("UTF-8: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let body = text.split_once('\n').unwrap().1.trim_end_matches('\n');
    let t = Instant::now();
    let h = roundtable::store::record::sha256_hex(body.as_bytes());
    println!(
        "SHA-256: {:.0} ms ({})",
        t.elapsed().as_secs_f64() * 1000.0,
        &h[..8]
    );
    let t = Instant::now();
    let s: roundtable::domain::Session = roundtable::store::ron_text::parse_fast(body).unwrap();
    println!(
        "parse: {:.0} ms ({} statements)",
        t.elapsed().as_secs_f64() * 1000.0,
        s.statements.len()
    );
    let t = Instant::now();
    drop(s);
    println!("drop: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let s = roundtable::store::compact::session_in_two(body).expect("read in two");
    println!(
        "parse by two threads: {:.0} ms ({} statements)",
        t.elapsed().as_secs_f64() * 1000.0,
        s.statements.len()
    );
    let t = Instant::now();
    let _ = roundtable::store::snapshot::read(&dir).unwrap();
    println!(
        "snapshot::read as opening does it (read, UTF-8, hash alongside the two-thread parse): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}
