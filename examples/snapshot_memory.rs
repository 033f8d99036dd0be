//! Resident memory of a session open for writing, before and after it
//! writes snapshots (as `run` does every 1,000 records): a snapshot must not
//! leave its text behind in memory.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: snapshot_memory SESSION_DIR"),
    );
    let (mut w, _) =
        roundtable::store::Writer::open(&dir, roundtable::domain::Timestamp::default()).unwrap();
    let _ = w.settle();
    // As the store thread does once the proof replay has ended.
    roundtable::store::give_back_freed_memory();
    println!("open and proven: {:.0} MB", rss_mb());
    for i in 1..=3 {
        w.snapshot().unwrap();
        println!("after snapshot {i}: {:.0} MB", rss_mb());
    }
}
