//! The program is one program on Linux, macOS and Windows: what differs
//! between them is said in one place, `src/os/` (the file layer, and the
//! local channel in `src/os/local.rs`). This test reads the source and
//! names any line elsewhere that asks which system it is on or reaches for
//! one system's interfaces.

use std::path::{Path, PathBuf};

/// What only one kind of system has, or asks which system this is.
const SYSTEM_ONLY: &[&str] = &[
    "cfg(unix)",
    "cfg(windows)",
    "cfg(not(unix))",
    "cfg(not(windows))",
    "target_os",
    "target_family",
    "std::os::unix",
    "std::os::windows",
    "std::os::linux",
    "std::os::fd",
    "libc::",
    "windows_sys",
    "libmimalloc_sys",
    "\"/proc",
    "\"/etc/",
    "\"/dev/",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_src_os_knows_which_system_it_is_on() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    assert!(files.len() > 50, "the source was not found");
    let os = Path::new("src").join("os");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&os)) {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in SYSTEM_ONLY {
                if code.contains(word) {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "system-specific code outside src/os/ (move it behind roundtable::os):\n{}",
        found.join("\n")
    );
}
