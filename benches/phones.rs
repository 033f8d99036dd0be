//! `cargo bench --bench phones`: a room full of phones against the real
//! program. `roundtable run SESSION --phones 127.0.0.1:0` runs in a 160×48
//! pseudo-terminal, as on the facilitator's laptop, with an anonymous round
//! open and one of its screens up: the join screen (the QR code, up while
//! people join), the projector, or the vote screen. The load generator
//! (`roundtable-harness phones-load`, its own process, each phone from its
//! own loopback address) opens every phone at once; each asks to join
//! under its name, and this benchmark, reading the screen as the
//! facilitator does, lets each in (`F7`, then `y` when the screen shows
//! "A phone asks to join"); each phone then casts one ballot. Measured:
//! the time from sending a ballot to its sealed "recorded" (p50, p99,
//! slowest), the whole room, and the host's memory before and after.
//!
//! `ROUNDTABLE_BENCH_PHONES=500,2000` the room sizes (500 by default),
//! `ROUNDTABLE_BENCH_SCREENS=join,projector,vote` the screens,
//! `ROUNDTABLE_BENCH_RUNS=3` the runs of each. Linux only.

#[cfg(unix)]
#[path = "phones/linux.rs"]
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
    eprintln!("the phones benchmark runs on Linux only (a pseudo-terminal, /proc)");
}
