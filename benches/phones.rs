//! `cargo bench --bench phones`: a room full of phones. A host process
//! (`roundtable-harness host --phones`) serves a session of 500
//! participants (`ROUNDTABLE_BENCH_PHONES`) with an anonymous round open;
//! the load generator (`roundtable-harness phones-load`, its own process,
//! each phone from its own loopback address) opens them all at once, each
//! joining and casting one ballot. Three runs, a fresh host each: the time
//! from sending a ballot to its "recorded" (p50, p99, slowest), how long
//! the whole room took, and how much the host's memory grew. Linux only.

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const HARNESS: &str = env!("CARGO_BIN_EXE_roundtable-harness");

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::var("ROUNDTABLE_BENCH_PHONES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    println!("{n} phones at once, 3 runs; 2 cores; release build\n");
    for run in 1..=3 {
        let tmp =
            std::env::temp_dir().join(format!("roundtable-phones-{}-{run}", std::process::id()));
        let dir = tmp.join("crowd");
        assert!(
            Command::new(HARNESS)
                .arg("crowd")
                .arg(&dir)
                .args(["--participants", &n.to_string()])
                .status()
                .expect("harness")
                .success()
        );
        let mut host = Command::new(HARNESS)
            .arg("host")
            .arg(&dir)
            .args(["--phones", "127.0.0.1:0", "--admit-all"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("host");
        let mut lines = std::io::BufReader::new(host.stdout.take().expect("stdout")).lines();
        let mut wait_for = |start: &str| loop {
            let l = lines.next().expect("a line").expect("text");
            if l.starts_with(start) {
                return l;
            }
        };
        let url = wait_for("phones ").trim_start_matches("phones ").to_owned();
        writeln!(host.stdin.as_mut().expect("stdin"), "round v1").expect("round");
        wait_for("saved ");
        std::thread::sleep(Duration::from_millis(300));
        let before = rss_kb(host.id());
        let out = Command::new(HARNESS)
            .arg("phones-load")
            .arg(&url)
            .args(["--phones", &n.to_string(), "--round", "v1"])
            .output()
            .expect("load");
        let after = rss_kb(host.id());
        let load: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("the load generator's answer");
        println!(
            "  run {run}: {} of {n} recorded, {} failed; ballot to recorded p50 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms; the whole room {:.0} ms; host resident {:.1} → {:.1} MB (+{:.1} MB)",
            load["recorded"],
            load["failed"],
            load["p50_ms"].as_f64().unwrap_or(0.0),
            load["p99_ms"].as_f64().unwrap_or(0.0),
            load["max_ms"].as_f64().unwrap_or(0.0),
            load["all_ms"].as_f64().unwrap_or(0.0),
            before as f64 / 1024.0,
            after as f64 / 1024.0,
            (after as f64 - before as f64) / 1024.0,
        );
        let _ = host.kill();
        let _ = host.wait();
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
