//! `cargo bench --bench process`: the program as a user runs it, measured
//! from outside, each figure over several runs (`ROUNDTABLE_BENCH_RUNS`,
//! 5 by default) with min / median / max, and every ratio taken within one
//! run so that a busy machine slows both sides alike:
//!
//! - `roundtable run` on a 100k-statement session in the middle of a
//!   workshop (a stage running, a vote open), its snapshot 5,000 records
//!   behind the journal's head, in a pseudo-terminal at 160×48: time from
//!   starting the process to the end of its first full frame, with the
//!   session's files in the page cache and evicted from it
//!   (`posix_fadvise(DONTNEED)`), and its resident memory (`VmRSS`) once
//!   the snapshot's proof has finished;
//! - `roundtable verify` on a 1M-record journal with its snapshot, against
//!   `sha256sum` of the same journal (wall clock), and its peak memory
//!   against `verify` of the same journal without a snapshot (the replayed
//!   session alone);
//! - a replay of the 1M records in this process against serde_json's parse
//!   of the same records as JSON lines, in wall-clock and in CPU time
//!   (every thread's, from `getrusage`).
//!
//! Linux only (a pseudo-terminal, `/proc`, `posix_fadvise`).

#[cfg(unix)]
#[path = "process/linux.rs"]
mod linux;
#[cfg(unix)]
#[path = "common/pty.rs"]
mod pty;

#[cfg(unix)]
fn main() {
    linux::main()
}

#[cfg(not(unix))]
fn main() {
    eprintln!("the process benchmarks run on Linux only (a pseudo-terminal, /proc)");
}
