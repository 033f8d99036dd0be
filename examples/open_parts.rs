//! Where opening a session for writing spends its time, in this process:
//! `Writer::open` (lock, snapshot and journal read side by side, the tail
//! applied), then the proof replay that runs after it.
use std::time::Instant;

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: open_parts SESSION_DIR"),
    );
    let t = Instant::now();
    let (mut w, _) =
        roundtable::store::Writer::open(&dir, roundtable::domain::Timestamp::default()).unwrap();
    println!("Writer::open: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let _ = w.settle();
    println!(
        "then the proof replay, to its end: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}
