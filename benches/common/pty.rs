//! The real `roundtable` in a pseudo-terminal, as a person runs it: shared
//! by the process and phones benchmarks. Linux only.

use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_roundtable");

/// The program measured: this build's, or `ROUNDTABLE_BENCH_BIN` (another
/// build's, to measure two side by side).
pub fn bin() -> std::ffi::OsString {
    std::env::var_os("ROUNDTABLE_BENCH_BIN").unwrap_or_else(|| BIN.into())
}

/// A new pseudo-terminal of `rows`×`cols`: our end, and the child's.
pub fn pty(rows: u16, cols: u16) -> (std::fs::File, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: out-pointers to two ints and a valid winsize.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: openpty returned two new descriptors that nothing else owns.
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            OwnedFd::from_raw_fd(slave),
        )
    }
}

/// `roundtable ARGS` in a new 160×48 (or `rows`×`cols`) pseudo-terminal,
/// as its controlling terminal, with its settings under `home`: the child
/// and our end of the terminal.
pub fn spawn(
    args: &[&std::ffi::OsStr],
    home: &Path,
    rows: u16,
    cols: u16,
) -> (Child, std::fs::File) {
    let (master, slave) = pty(rows, cols);
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("TERM", "xterm-256color")
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        .stderr(Stdio::null());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let child = cmd.spawn().expect("run roundtable");
    // Only the child may hold the terminal's other end, or reading ours
    // never ends when the child does.
    drop(cmd);
    drop(slave);
    (child, master)
}

/// A field of `/proc/PID/status` in kB (`VmRSS:`, `VmHWM:`).
pub fn vm_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}
