//! roundtable: deliberative workshops with a trustworthy audit trail.

pub mod app;
pub mod cli;
pub mod domain;
pub mod export;
pub mod live;
pub mod net;
pub mod ops;
pub mod safe;
pub mod store;
pub mod tui;
pub mod ui;

/// TEMPORARY: timing trace for investigating the first frame.
pub fn trace(what: &str) {
    use std::io::Write;
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(std::time::Instant::now);
    if let Some(p) = std::env::var_os("ROUNDTABLE_TRACE") {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
        {
            let _ = writeln!(
                f,
                "{:>8.1} ms {what}",
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
