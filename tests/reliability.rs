//! Reliability: what happens when the process, the disk, the clock or the
//! input misbehaves. See RELIABILITY.md for the promises these back.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_roundtable");

fn tmux(socket: &str, args: &[&str]) -> String {
    let out = Command::new("tmux").arg("-L").arg(socket).args(args).output().expect("tmux is needed; .ci/run installs it");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(socket: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let s = tmux(socket, &["capture-pane", "-p", "-t", "t"]);
        if s.contains(text) {
            return s;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "waited for `{text}`:\n{s}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_panic_leaves_the_terminal_usable() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 2));
    let socket = format!("rt-panic-{}", std::process::id());
    tmux(&socket, &["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", "bash --norc --noprofile"]);
    tmux(&socket, &["send-keys", "-t", "t", &format!("PS1='ready> '; RUST_BACKTRACE=0 ROUNDTABLE_DEBUG_PANIC=1 {BIN} run {}", dir.display()), "Enter"]);
    wait_for(&socket, "Focus: Does it keep everything?");
    assert_eq!(tmux(&socket, &["display-message", "-p", "-t", "t", "#{alternate_on}"]).trim(), "1", "the TUI uses the alternate screen");
    tmux(&socket, &["send-keys", "-t", "t", "F12"]);
        let after = wait_for(&socket, "debug panic requested");
    wait_for(&socket, "ready> ");
    assert_eq!(tmux(&socket, &["display-message", "-p", "-t", "t", "#{alternate_on}"]).trim(), "0", "back on the main screen:\n{after}");
    // The shell answers normally: typed text echoes and the line discipline is cooked again.
    tmux(&socket, &["send-keys", "-t", "t", "-l", "stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo STTY-$((40+2))"]);
    tmux(&socket, &["send-keys", "-t", "t", "Enter"]);
        let s = wait_for(&socket, "STTY-42");
    let _ = tmux(&socket, &["kill-server"]);
        let line = s.lines().find(|l| l.contains("STTY-42")).unwrap_or_default();
    assert!(line.contains("icanon echo") && !line.contains("-icanon") && !line.contains("-echo"), "terminal not restored: {line}\n{s}");
}

#[test]
fn a_second_writer_is_refused_and_readers_still_work() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let w = small_session(&dir, 3);
    let out = Command::new(BIN).args(["run", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already open for writing by roundtable (process"), "{err}");
    assert!(err.contains("review, export and verify work meanwhile"), "{err}");
    let out = Command::new(BIN).args(["verify", dir.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let out = Command::new(BIN).args(["export", dir.to_str().unwrap(), "--format", "md"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(roundtable::review::Loaded::open(&dir).is_ok());
    drop(w);
    assert!(Path::new(&dir).join("exports").exists());
}
