//! The benchmarks themselves: see `benches/process.rs`.

use roundtable::domain::Session;
use roundtable::ops::generate::{Spec, write};
use roundtable::store::journal;
use std::io::{BufRead, Read, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::pty::{bin, spawn, vm_kb};

pub fn main() {
    let runs: usize = std::env::var("ROUNDTABLE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let tmp = std::env::temp_dir().join(format!("roundtable-process-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("a temporary folder");
    println!("{runs} runs each; 2 cores; release build\n");
    // ROUNDTABLE_BENCH_ONLY=open, verify or replay: that part alone.
    let only = std::env::var("ROUNDTABLE_BENCH_ONLY").unwrap_or_default();
    let part = |name: &str| only.is_empty() || only == name;
    if part("open") {
        open_and_memory(&tmp, runs);
    }
    if part("commit") {
        commit_latency(&live_100k(&tmp), "100k statements", runs.min(3));
    }
    if part("verify") || part("replay") || part("commit") || part("fresh") {
        let big = big_journal(&tmp);
        if part("verify") {
            verify_against_sha256sum(&tmp, &big, runs);
        }
        if part("replay") {
            replay_against_json(&big, runs.min(3));
        }
        if part("commit") {
            commit_latency(&big, "1M records", runs.min(3));
        }
        if part("fresh") {
            fresh_replay_against_json(&tmp, &big, runs);
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// min / median / max of some figures.
fn spread(mut xs: Vec<f64>) -> String {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    format!("{:.3} / {:.3} / {:.3}", xs[0], xs[n / 2], xs[n - 1])
}

fn live_100k(tmp: &Path) -> PathBuf {
    let dir = tmp.join("live100k");
    write(
        &dir,
        Spec {
            statements: 100_000,
            rounds: 1_000,
            concepts: 500,
            records: 0,
            live: true,
            // Opening replays these after reading the snapshot.
            after_snapshot: 5_000,
        },
    )
    .expect("generate");
    dir
}

fn evict(path: &Path) {
    let f = std::fs::File::open(path).expect("open to evict");
    // SAFETY: a valid descriptor; the call only advises the page cache.
    unsafe {
        libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
    }
}

/// `roundtable run DIR` in a 160×48 pseudo-terminal: seconds from starting
/// it to the end of its first frame, and its resident memory in MB once
/// it has settled.
fn first_frame(dir: &Path, home: &Path) -> (f64, f64, f64) {
    let start = Instant::now();
    let (mut child, mut master) = spawn(&["run".as_ref(), dir.as_os_str()], home, 48, 160);
    // The first frame is the first burst of output (one flush, written in
    // well under a millisecond): it ends where the output pauses for 20 ms
    // (the next write is the countdown's tick, at the next second).
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 1 << 16];
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 || tx.send((Instant::now(), n)).is_err() {
                break;
            }
        }
    });
    let mut bytes = 0;
    let mut last = start;
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok((at, n)) => {
                bytes += n;
                last = at;
            }
            Err(_) if bytes > 4_000 => break,
            Err(_) if start.elapsed() > Duration::from_secs(10) => {
                panic!("no frame in 10 s ({bytes} bytes)")
            }
            Err(_) => {}
        }
    }
    let frame = (last - start).as_secs_f64();
    // Resident memory once it stops changing (the proof replay has ended).
    let pid = child.id();
    let mut rss = vm_kb(pid, "VmRSS:");
    let mut steady = 0;
    let settle = Instant::now();
    while steady < 10 && settle.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
        let now = vm_kb(pid, "VmRSS:");
        steady = if now == rss { steady + 1 } else { 0 };
        rss = now;
    }
    // The most it held at once: while the snapshot's proof replay ran.
    let peak = vm_kb(pid, "VmHWM:");
    let _ = child.kill();
    let _ = child.wait();
    drop(rx);
    let _ = reader.join();
    (frame, rss as f64 / 1024.0, peak as f64 / 1024.0)
}

fn open_and_memory(tmp: &Path, runs: usize) {
    let dir = live_100k(tmp);
    let home = tmp.join("home");
    let _ = first_frame(&dir, &home); // warms the binary and the files
    let mut warm = Vec::new();
    let mut cold = Vec::new();
    let mut rss = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..runs {
        let (t, m, peak) = first_frame(&dir, &home);
        warm.push(t * 1000.0);
        rss.push(m);
        peaks.push(peak / m);
        for f in ["journal.ron", "snapshot.ron"] {
            evict(&dir.join(f));
        }
        cold.push(first_frame(&dir, &home).0 * 1000.0);
    }
    println!("run, 100k statements, stage running, vote open, snapshot 5,000 records behind:");
    let over = warm.iter().filter(|t| **t > 150.0).count();
    println!(
        "  first frame, warm cache (ms): {} ({over} of {runs} over 150 ms: {:?})",
        spread(warm.clone()),
        warm.iter()
            .filter(|t| **t > 150.0)
            .map(|t| t.round())
            .collect::<Vec<_>>()
    );
    println!("  first frame, files evicted (ms): {}", spread(cold));
    println!("  resident once settled (MB, VmRSS): {}", spread(rss));
    println!("  peak (VmHWM) / settled, same run: {}\n", spread(peaks));
}

fn big_journal(tmp: &Path) -> PathBuf {
    let records: usize = std::env::var("ROUNDTABLE_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tmp.join("big");
    write(
        &dir,
        Spec {
            statements: 100_000,
            rounds: 1_000,
            concepts: 500,
            records,
            live: false,
            after_snapshot: 0,
        },
    )
    .expect("generate");
    dir
}

/// Runs a command; its wall-clock seconds and peak resident MB.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its peak memory
fn timed(cmd: &mut Command) -> (f64, f64) {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, with valid out-pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4");
    assert_eq!(status, 0, "{cmd:?} failed");
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    CPU.with(|c| {
        c.set((
            secs(usage.ru_utime) + secs(usage.ru_stime),
            secs(usage.ru_stime),
        ))
    });
    (
        start.elapsed().as_secs_f64(),
        usage.ru_maxrss as f64 / 1024.0,
    )
}

thread_local! {
    /// The CPU seconds of the last command [`timed`] ran, and the part in
    /// the kernel.
    static CPU: std::cell::Cell<(f64, f64)> = const { std::cell::Cell::new((0.0, 0.0)) };
}

/// A replay in a fresh process, as a user's `verify`, `show` or `export`
/// is: `roundtable verify` of the 1M-record journal without its snapshot
/// against `roundtable-harness json-records`, serde_json parsing the same
/// records as JSON lines into the same `Record` (same allocator), each its
/// own process, alternately; wall clock and CPU (user and system, from
/// `wait4`), and the kernel's share.
fn fresh_replay_against_json(tmp: &Path, big: &Path, runs: usize) {
    let bare = tmp.join("bare-fresh");
    std::fs::create_dir_all(&bare).expect("mkdir");
    let _ = std::fs::hard_link(big.join("journal.ron"), bare.join("journal.ron"));
    let json = big.join("journal.json");
    if !json.exists() {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&json).expect("create"));
        let path = big.join("journal.ron");
        for line in std::io::BufReader::new(std::fs::File::open(&path).expect("open")).lines() {
            let r =
                roundtable::store::record::decode(line.expect("line").as_bytes()).expect("decode");
            writeln!(out, "{}", serde_json::to_string(&r).expect("json")).expect("write");
        }
    }
    let harness = env!("CARGO_BIN_EXE_roundtable-harness");
    let (mut walls, mut cpus, mut kernel) = (vec![], vec![], vec![]);
    // One untimed round of each first (the files into the page cache).
    for run in 0..=runs {
        let (v, _) = timed(Command::new(bin()).arg("verify").arg(&bare));
        let (vc, vsys) = CPU.with(std::cell::Cell::get);
        let (j, _) = timed(Command::new(harness).arg("json-records").arg(&json));
        let (jc, jsys) = CPU.with(std::cell::Cell::get);
        if run == 0 {
            continue;
        }
        println!(
            "  verify {v:.2} s wall, {vc:.2} s CPU ({vsys:.2} s of it the kernel's); serde_json {j:.2} s wall, {jc:.2} s CPU ({jsys:.2} s kernel): {:.2}× wall, {:.2}× CPU{}",
            v / j,
            vc / jc,
            if v / j > 1.5 || vc / jc > 2.0 {
                "  OVER"
            } else {
                ""
            }
        );
        walls.push(v / j);
        cpus.push(vc / jc);
        kernel.push(vsys);
    }
    println!("fresh-process replay of the 1M records (verify, no snapshot) against serde_json:");
    println!("  ratio, wall clock: {}", spread(walls));
    println!("  ratio, CPU time: {}", spread(cpus));
    println!("  verify's time in the kernel (s): {}\n", spread(kernel));
}

fn verify_against_sha256sum(tmp: &Path, big: &Path, runs: usize) {
    // The same journal without a snapshot: the replayed session alone.
    let bare = tmp.join("bare");
    std::fs::create_dir_all(&bare).expect("mkdir");
    std::fs::hard_link(big.join("journal.ron"), bare.join("journal.ron")).expect("link");
    let journal = big.join("journal.ron");
    let (mut ratios, mut verify, mut sums, mut mem) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let (sum, _) = timed(Command::new("sha256sum").arg(&journal));
        let (v, peak) = timed(Command::new(bin()).arg("verify").arg(big));
        let (_, alone) = timed(Command::new(bin()).arg("verify").arg(&bare));
        ratios.push(v / sum);
        verify.push(v);
        sums.push(sum);
        mem.push(peak / alone);
        println!(
            "  verify {v:.2} s, sha256sum {sum:.2} s: {:.2}×; peak {peak:.0} MB, without the snapshot {alone:.0} MB: {:.2}×",
            v / sum,
            peak / alone
        );
    }
    let bytes = std::fs::metadata(&journal).map(|m| m.len()).unwrap_or(0);
    println!("verify, {} MB journal with its snapshot:", bytes >> 20);
    println!("  verify (s): {}", spread(verify));
    println!("  sha256sum (s): {}", spread(sums));
    println!("  verify / sha256sum, same run: {}", spread(ratios));
    println!(
        "  peak memory / peak without the snapshot, same run: {}\n",
        spread(mem)
    );
}

/// CPU seconds this process has used, every thread's.
/// CPU time of every thread of this process so far, and the part of it
/// spent in the kernel (mostly handing out fresh memory).
fn cpu_and_system() -> (f64, f64) {
    // SAFETY: an all-zero rusage is valid; getrusage fills it.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (secs(u.ru_utime) + secs(u.ru_stime), secs(u.ru_stime))
}

fn cpu() -> f64 {
    cpu_and_system().0
}

fn replay_against_json(big: &Path, runs: usize) {
    let path = big.join("journal.ron");
    let json = big.join("journal.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&json).expect("create"));
    for line in std::io::BufReader::new(std::fs::File::open(&path).expect("open")).lines() {
        let r = roundtable::store::record::decode(line.expect("line").as_bytes()).expect("decode");
        writeln!(out, "{}", serde_json::to_string(&r).expect("json")).expect("write");
    }
    drop(out);
    let (mut wall, mut cpus, mut jwall, mut jcpu) = (vec![], vec![], vec![], vec![]);
    // One untimed round of each first: the first replay after the journal
    // was written (and converted) ran 1.5× its later runs on this virtual
    // machine, whose memory is slow the first time a process touches it.
    for run in 0..=runs {
        let (t, (c, sys)) = (Instant::now(), cpu_and_system());
        let mut s = Session::default();
        let scan = journal::scan(&path, 1, 0, &mut |r| {
            s.apply_owned(r.event).map_err(|e| e.to_string())
        })
        .expect("replay");
        assert!(scan.damage.is_none());
        let (rw, rc) = (t.elapsed().as_secs_f64(), cpu() - c);
        let rsys = cpu_and_system().1 - sys;
        drop(s);
        let (t, c) = (Instant::now(), cpu());
        let mut n = 0u64;
        for line in
            std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&json).unwrap()).lines()
        {
            let r: roundtable::store::record::Record =
                serde_json::from_str(&line.expect("line")).expect("json");
            n += r.seq.min(1);
        }
        assert_eq!(n, scan.records);
        let (jw, jc) = (t.elapsed().as_secs_f64(), cpu() - c);
        if run == 0 {
            continue;
        }
        println!(
            "  replay {rw:.2} s wall, {rc:.2} s CPU ({rsys:.2} s of it system); serde_json {jw:.2} s wall, {jc:.2} s CPU: {:.2}× wall, {:.2}× CPU",
            rw / jw,
            rc / jc
        );
        wall.push(rw / jw);
        cpus.push(rc / jc);
        jwall.push(jw);
        jcpu.push(jc);
    }
    println!("replay of the 1M records against serde_json's parse of them:");
    println!("  ratio, wall clock: {}", spread(wall));
    println!("  ratio, CPU time: {}", spread(cpus));
}

/// Commits through the real writer (append, sync, apply) on a large
/// session with snapshots on, as `run` makes them: enough statements for
/// three snapshots and more (`ROUNDTABLE_BENCH_COMMITS`, 3,500 by
/// default; one is due every 1,000 records), each timed; p50, p99 and the
/// slowest, and how many snapshots were written meanwhile.
fn commit_latency(dir: &Path, what: &str, runs: usize) {
    println!("commit one statement, {what}, snapshots every 1,000 records:");
    let (mut p99s, mut slowest) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let (p99, max) = commit_run(dir, run);
        p99s.push(p99);
        slowest.push(max);
    }
    println!(
        "  p99 (ms): {}; slowest (ms): {}\n",
        spread(p99s),
        spread(slowest)
    );
}

/// One run of [`commit_latency`]: its p99 and slowest commit in ms.
fn commit_run(dir: &Path, run: usize) -> (f64, f64) {
    use roundtable::domain::{Event, Speaker, StatementKind, Timestamp};
    let commits: usize = std::env::var("ROUNDTABLE_BENCH_COMMITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_500);
    let now = || Timestamp::from_unix_millis(4_000_000_000_000);
    let (mut w, _) = roundtable::store::Writer::open(dir, now()).expect("open");
    // Opening proves the snapshot first; commits are timed after.
    w.settle();
    let seq_of = || roundtable::store::snapshot::claimed_seq(dir).unwrap_or(0);
    let mut seen = vec![seq_of()];
    let mut times = Vec::with_capacity(commits);
    for i in 0..commits {
        let event = Event::StatementAdded {
            id: format!("bench{run}x{i}x{}", std::process::id()).into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Group,
            stage: None,
            text: "A statement taken down while a snapshot may be written.".into(),
            tags: Vec::new(),
            captured_by: "note-taker".into(),
            at: now(),
        };
        let start = Instant::now();
        w.record("note-taker", now(), &event).expect("commit");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let s = seq_of();
        if seen.last() != Some(&s) {
            seen.push(s);
        }
    }
    let _ = w.snapshot_written();
    let s = seq_of();
    if seen.last() != Some(&s) {
        seen.push(s);
    }
    times.sort_by(f64::total_cmp);
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    let max = times[times.len() - 1];
    println!(
        "  run {run}: {commits} commits from record {}, p50 {:.3} ms, p99 {:.3} ms, slowest {:.3} ms{}; snapshots at records {:?} (the first was there before)",
        w.records() - commits as u64,
        at(50),
        at(99),
        max,
        if at(99) > 1.0 || max > 20.0 {
            "  OVER"
        } else {
            ""
        },
        seen,
    );
    (at(99), max)
}
