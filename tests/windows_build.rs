//! The Windows program (built for x86_64-pc-windows-gnu and run under
//! Wine) says and writes what the Linux program does: every command that
//! needs no terminal, on copies of the shipped example. `./run-tests`
//! builds the Windows program first and runs this (it is ignored by a plain
//! `cargo test`, which has no Windows build to compare).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{EXAMPLE, copy_of_shipped};

fn windows_program() -> PathBuf {
    let exe = std::env::var_os("ROUNDTABLE_WINDOWS_EXE").map_or_else(
        || PathBuf::from("target/x86_64-pc-windows-gnu/debug/roundtable.exe"),
        PathBuf::from,
    );
    assert!(
        exe.is_file(),
        "{} is not built: ./run-tests builds it (cargo build --target x86_64-pc-windows-gnu)",
        exe.display()
    );
    exe
}

/// Runs `args` with the Linux program, or the Windows one under Wine.
fn run(windows: bool, sessions: &Path, args: &[&str]) -> Output {
    let mut c = if windows {
        let mut c = Command::new(".ci/wine-run");
        c.arg(windows_program());
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_roundtable"))
    };
    c.arg("--sessions").arg(sessions).args(args);
    c.output().expect("run roundtable")
}

/// Every file under `dir`, by its path below it, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
#[ignore = "needs the Windows build and Wine: ./run-tests runs it"]
fn the_windows_program_says_and_writes_what_the_linux_program_does() {
    let (linux, windows) = (copy_of_shipped(), copy_of_shipped());
    let commands: &[&[&str]] = &[
        &["list"],
        &["templates"],
        &["show", EXAMPLE],
        &["verify", EXAMPLE],
        &["export", EXAMPLE, "--format", "md"],
        &["export", EXAMPLE, "--format", "html"],
        &["export", EXAMPLE, "--format", "csv"],
        &["export", EXAMPLE, "--format", "qdpx"],
        &["export", EXAMPLE, "--format", "md", "--for", "group"],
        &["programme", EXAMPLE],
    ];
    for args in commands {
        let (l, w) = (
            run(false, linux.path(), args),
            run(true, windows.path(), args),
        );
        assert_eq!(l.status.code(), w.status.code(), "{args:?}: exit status");
        // The one difference: a folder is printed as each system writes
        // it (`sessions/…` and `sessions\…`), and each ran in its own copy.
        let said = |o: &Output, root: &Path| {
            String::from_utf8_lossy(&o.stdout)
                .replace(&root.display().to_string(), "SESSIONS")
                .replace('\\', "/")
        };
        assert_eq!(
            said(&l, linux.path()),
            said(&w, windows.path()),
            "{args:?}: what it printed"
        );
        assert_eq!(
            String::from_utf8_lossy(&l.stderr).replace(&linux.path().display().to_string(), "S"),
            String::from_utf8_lossy(&w.stderr)
                .replace(&windows.path().display().to_string(), "S")
                .replace('\\', "/"),
            "{args:?}: what it said on stderr"
        );
    }
    let (l, w) = (
        files(&linux.path().join(EXAMPLE).join("exports")),
        files(&windows.path().join(EXAMPLE).join("exports")),
    );
    assert!(
        l.len() >= 8,
        "{:?}",
        l.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let names = |v: &[(String, Vec<u8>)]| -> Vec<String> {
        v.iter().map(|(n, _)| n.replace('\\', "/")).collect()
    };
    assert_eq!(names(&l), names(&w), "the same files");
    for ((name, lb), (_, wb)) in l.iter().zip(&w) {
        assert!(
            lb == wb,
            "{name} differs: {} bytes on Linux, {} on Windows",
            lb.len(),
            wb.len()
        );
        assert!(!lb.is_empty(), "{name} is empty");
    }
}
