//! The benchmark itself: see `benches/phones.rs`.

use super::pty::{spawn, vm_kb};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HARNESS: &str = env!("CARGO_BIN_EXE_roundtable-harness");
const F2: &[u8] = b"\x1bOQ";
const F4: &[u8] = b"\x1bOS";
const F7: &[u8] = b"\x1b[18~";

fn list(var: &str, default: &str) -> Vec<String> {
    std::env::var(var)
        .unwrap_or_else(|_| default.to_owned())
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn main() {
    let sizes: Vec<usize> = list("ROUNDTABLE_BENCH_PHONES", "500")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let screens = list("ROUNDTABLE_BENCH_SCREENS", "join,projector,vote");
    let runs: usize = std::env::var("ROUNDTABLE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    println!("roundtable run --phones in a 160×48 pseudo-terminal; 2 cores; release build\n");
    for &n in &sizes {
        for screen in &screens {
            println!("{n} phones, the {screen} screen up:");
            let mut p99s = Vec::new();
            for run in 1..=runs {
                let (line, p99) = one_run(n, screen, run);
                println!("  run {run}: {line}");
                p99s.push(p99);
            }
            p99s.sort_by(f64::total_cmp);
            println!(
                "  p99 min / median / max: {:.1} / {:.1} / {:.1} ms\n",
                p99s[0],
                p99s[p99s.len() / 2],
                p99s[p99s.len() - 1]
            );
        }
    }
}

/// What the terminal shows, as the bytes written to it are read.
type Screen = Arc<Mutex<vt100::Parser>>;

fn text(screen: &Screen) -> String {
    screen
        .lock()
        .map(|p| p.screen().contents())
        .unwrap_or_default()
}

/// Waits until the screen shows something `ok` accepts; its text.
fn wait_for(screen: &Screen, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let t = text(screen);
        if ok(&t) {
            return t;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the screen never showed {what}:\n{t}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The phones' address as the join screen shows it (it may wrap between
/// groups of the room key).
fn address(shown: &str) -> Option<String> {
    let mut lines = shown
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.contains("http://"));
    let first = lines.next()?;
    let mut url = first[first.find("http://")?..].trim().to_owned();
    for more in lines {
        let word = more.split_whitespace().last().unwrap_or_default();
        if word.is_empty() || !word.bytes().all(|b| b == b'-' || b.is_ascii_alphanumeric()) {
            break;
        }
        url.push_str(word);
    }
    Some(url.replace('-', ""))
}

/// One room: a fresh session of `n` participants with a round open, the
/// program in a pseudo-terminal on `screen`, `n` phones; a line for the
/// table and the p99 in ms.
fn one_run(n: usize, screen_name: &str, run: usize) -> (String, f64) {
    let tmp = std::env::temp_dir().join(format!(
        "roundtable-phones-{}-{n}-{screen_name}-{run}",
        std::process::id()
    ));
    let dir = tmp.join("crowd");
    assert!(
        Command::new(HARNESS)
            .arg("crowd")
            .arg(&dir)
            .args(["--participants", &n.to_string(), "--round", "v1"])
            .status()
            .expect("harness")
            .success()
    );
    let (child, master) = spawn(
        &[
            "run".as_ref(),
            dir.as_os_str(),
            "--phones".as_ref(),
            "127.0.0.1:0".as_ref(),
        ],
        &tmp.join("home"),
        48,
        160,
    );
    let child = Killed(child);
    let screen: Screen = Arc::new(Mutex::new(vt100::Parser::new(
        NonZeroU16::new(48).expect("rows"),
        NonZeroU16::new(160).expect("cols"),
        0,
    )));
    let mut reader = master.try_clone().expect("dup");
    let shown = screen.clone();
    let reading = std::thread::spawn(move || {
        let mut buf = [0u8; 1 << 16];
        while let Ok(k) = reader.read(&mut buf) {
            if k == 0 {
                break;
            }
            if let Ok(mut p) = shown.lock() {
                p.process(&buf[..k]);
            }
        }
    });
    let mut pressing = master.try_clone().expect("dup");
    let mut key = |bytes: &[u8]| {
        let _ = pressing.write_all(bytes).and_then(|()| pressing.flush());
    };
    // The projector, then its join screen, which shows the address.
    wait_for(&screen, "the first frame", |t| !t.trim().is_empty());
    key(F2);
    std::thread::sleep(Duration::from_millis(200));
    key(b"j");
    let url = address(&wait_for(&screen, "the phones' address", |t| {
        t.contains("Scan the code")
            && address(t)
                .is_some_and(|u| u.split_once("/#").is_some_and(|(_, key)| key.len() >= 20))
    }))
    .expect("an address");
    match screen_name {
        "projector" => key(b"j"),
        "vote" => key(F4),
        _ => {}
    }
    std::thread::sleep(Duration::from_millis(300));
    let pid = child.0.id();
    let before = vm_kb(pid, "VmRSS:");
    // The facilitator lets each phone in as it asks.
    let done = Arc::new(AtomicBool::new(false));
    let stop = done.clone();
    let watched = screen.clone();
    let mut keys = master.try_clone().expect("dup");
    let mut admit_keys = move |bytes: &[u8]| {
        let _ = keys.write_all(bytes).and_then(|()| keys.flush());
    };
    let admitting = std::thread::scope(|scope| {
        let admitter = scope.spawn(move || {
            let mut admitted = 0usize;
            let mut last_f7 = Instant::now() - Duration::from_secs(1);
            while !stop.load(Ordering::Relaxed) {
                let t = text(&watched);
                if let Some(who) = t
                    .lines()
                    .find(|l| l.contains("A phone asks to join as"))
                    .map(str::to_owned)
                {
                    admit_keys(b"y");
                    admitted += 1;
                    // Until the screen has taken it.
                    let start = Instant::now();
                    while text(&watched).contains(&who) && start.elapsed() < Duration::from_secs(2)
                    {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    admit_keys(F7);
                    last_f7 = Instant::now();
                } else if last_f7.elapsed() > Duration::from_millis(50) {
                    admit_keys(F7);
                    last_f7 = Instant::now();
                } else {
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
            admitted
        });
        let out = Command::new(HARNESS)
            .arg("phones-load")
            .arg(&url)
            .args(["--phones", &n.to_string(), "--round", "v1", "--together"])
            .output()
            .expect("load");
        done.store(true, Ordering::Relaxed);
        if std::env::var_os("ROUNDTABLE_BENCH_DEBUG").is_some() {
            eprintln!("{}", String::from_utf8_lossy(&out.stdout));
            eprintln!("{}", text(&screen));
        }
        (out, admitter.join().unwrap_or(0))
    });
    let (out, admitted) = admitting;
    let after = vm_kb(pid, "VmRSS:");
    drop(child);
    let _ = reading.join();
    let _ = std::fs::remove_dir_all(&tmp);
    let load: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "the load generator's answer: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let ms = |k: &str| load[k].as_f64().unwrap_or(f64::NAN);
    let p99 = ms("p99_ms");
    (
        format!(
            "{} of {n} recorded, {} failed{}; ballot to recorded p50 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms; the whole room {:.0} ms ({admitted} let in by keys); host resident {:.1} → {:.1} MB (+{:.1} MB){}",
            load["recorded"],
            load["failed"],
            match load["failures"].as_array() {
                Some(f) if !f.is_empty() => format!(" ({})", f[0]),
                _ => String::new(),
            },
            ms("p50_ms"),
            p99,
            ms("max_ms"),
            ms("all_ms"),
            before as f64 / 1024.0,
            after as f64 / 1024.0,
            (after as f64 - before as f64) / 1024.0,
            if p99 > budget(n) {
                format!("  OVER the {:.0} ms budget", budget(n))
            } else {
                String::new()
            }
        ),
        p99,
    )
}

/// The p99 budget for a room of `n` phones.
fn budget(n: usize) -> f64 {
    if n <= 500 { 100.0 } else { 300.0 }
}

/// The program under test, stopped however the run ends (a panic too).
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
