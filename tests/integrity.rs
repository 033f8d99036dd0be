//! Nothing lost, nothing forged on disk: each way found to lose or forge a
//! session's record, tried again with the real program as it was found.
// Linux only: this suite kills processes with signals, makes named pipes and checks Unix modes.
#![cfg(unix)]

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_roundtable");
const HARNESS: &str = env!("CARGO_BIN_EXE_roundtable-harness");

fn roundtable(sessions: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--sessions")
        .arg(sessions)
        .args(args)
        .output()
        .expect("run roundtable")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A sessions folder holding copies of the shipped templates and example,
/// and the example's folder in it.
fn shipped() -> (tempfile::TempDir, PathBuf) {
    let tmp = copy_of_shipped();
    let dir = tmp.path().join(EXAMPLE);
    (tmp, dir)
}

const TRUE_QUOTE: &str = "Nobody told me I was going home until the transport was at the door.";
const FORGED_QUOTE: &str = "The staff told me everything in good time.";

#[test]
fn a_forged_snapshot_is_never_believed() {
    let (tmp, dir) = shipped();
    forge_snapshot(&dir, TRUE_QUOTE, FORGED_QUOTE);
    let sessions = tmp.path();

    let o = roundtable(sessions, &["verify", EXAMPLE]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("FAILED: "), "{out}");
    assert!(
        out.contains("snapshot.ron: does not match record 141"),
        "{out}"
    );
    assert!(out.contains("statement st2 differs"), "{out}");
    assert!(
        out.contains("The journal itself is sound: 141 records"),
        "{out}"
    );

    let o = roundtable(sessions, &["show", EXAMPLE]);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains(TRUE_QUOTE) && !out.contains(FORGED_QUOTE),
        "{out}"
    );

    for format in ["md", "html", "csv", "qdpx"] {
        let o = roundtable(sessions, &["export", EXAMPLE, "--format", format]);
        assert!(o.status.success(), "{format}: {}", text(&o));
    }
    let md = std::fs::read_to_string(dir.join("exports").join(format!("{EXAMPLE}.md"))).unwrap();
    assert!(md.contains(TRUE_QUOTE) && !md.contains(FORGED_QUOTE));
    let csv = std::fs::read_to_string(dir.join("exports/csv/statements.csv")).unwrap();
    assert!(csv.contains(TRUE_QUOTE) && !csv.contains(FORGED_QUOTE));

    // Opening for writing starts from the snapshot for speed, proves it by a
    // full replay, switches to the journal's state and rewrites the snapshot.
    let (mut w, _) = roundtable::store::Writer::open(&dir, t(0)).unwrap();
    let said = |w: &roundtable::store::Writer| w.session().statements["st2"].current().text.clone();
    let notice = w.settle().expect("the mismatch is reported");
    assert!(
        notice.contains("snapshot.ron does not match the journal"),
        "{notice}"
    );
    assert!(notice.contains("statement st2 differs"), "{notice}");
    assert_eq!(said(&w), TRUE_QUOTE);
    drop(w);
    let o = roundtable(sessions, &["verify", EXAMPLE]);
    assert!(o.status.success(), "{}", text(&o));
}

/// A journal, lock or snapshot that is a link to some other file: nothing
/// is written, truncated or renamed through it.
#[test]
fn nothing_is_written_through_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let precious = tmp.path().join("precious.txt");
    let keep = b"an unrelated file, with no newline at its end";
    std::fs::write(&precious, keep).unwrap();

    let s = tmp.path().join("journal-link");
    std::fs::create_dir(&s).unwrap();
    std::os::unix::fs::symlink(&precious, journal(&s)).unwrap();
    for (bin, command) in [
        (BIN, "run"),
        (HARNESS, "append"),
        (BIN, "verify"),
        (BIN, "show"),
    ] {
        let o = Command::new(bin)
            .args([command, s.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{command}: {}", text(&o));
        assert!(
            text(&o).contains("symbolic link"),
            "{command}: {}",
            text(&o)
        );
        assert_eq!(std::fs::read(&precious).unwrap(), keep, "{command}");
    }

    for name in ["writer.lock", "snapshot.ron"] {
        let s = tmp.path().join(format!("link-{name}"));
        drop(small_session(&s, 1));
        let _ = std::fs::remove_file(s.join(name));
        std::os::unix::fs::symlink(&precious, s.join(name)).unwrap();
        let opened = roundtable::store::Writer::open(&s, t(5));
        if name == "writer.lock" {
            let e = opened.err().expect("a linked lock file is refused");
            assert!(e.to_string().contains("symbolic link"), "{e}");
        } else {
            let (mut w, warnings) = opened.unwrap();
            assert!(warnings.join(" ").contains("symbolic link"), "{warnings:?}");
            w.snapshot().unwrap();
            assert!(
                !std::fs::symlink_metadata(s.join(name))
                    .unwrap()
                    .is_symlink()
            );
        }
        assert_eq!(std::fs::read(&precious).unwrap(), keep, "{name}");
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every folder and file under `dir`, with its mode.
fn modes(dir: &Path, out: &mut Vec<(PathBuf, u32)>) {
    out.push((dir.to_owned(), mode(dir)));
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            modes(&p, out);
        } else {
            out.push((p.clone(), mode(&p)));
        }
    }
}

#[test]
fn session_folders_and_everything_in_them_are_owner_only() {
    let (tmp, _) = shipped();
    let people = tmp.path().join("people.ron");
    std::fs::write(
        &people,
        "[(id: \"P1\", role: ServiceUser, real_name: \"Ada Lovelace\", consent: true)]",
    )
    .unwrap();
    // Even with a permissive umask, the modes are owner-only.
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 000; exec {BIN} --sessions {} new --template cag-roundtable --title Private \
             --focus Who --participants {}",
            tmp.path().display(),
            people.display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let dir = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("-private"))
        .unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
    for format in ["md", "html", "csv", "qdpx"] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask 000; exec {BIN} --sessions {} export {name} --format {format} --names",
                tmp.path().display()
            ))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
    }
    let mut all = Vec::new();
    modes(&dir, &mut all);
    assert!(all.len() >= 10, "{all:?}");
    for (path, m) in &all {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(*m, want, "{} is {m:o}", path.display());
    }

    // A folder an earlier version left world-readable is made private when
    // it is next opened for writing.
    let (_keep, example) = shipped();
    std::fs::set_permissions(&example, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(journal(&example), std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(roundtable::store::Writer::open(&example, t(0)).unwrap());
    assert_eq!(mode(&example), 0o700);
    assert_eq!(mode(&journal(&example)), 0o600);
}

/// A file in the session folder that is also another file's name (a hard
/// link to someone's document) keeps that document's permissions: opening
/// the session says so instead of changing them, on the real `run` as on
/// the writer.
#[test]
fn tightening_a_folder_never_changes_a_file_through_a_hard_link() {
    let (keep, example) = shipped();
    let victim = keep.path().join("victim.txt");
    let devices = keep.path().join("their-devices.txt");
    for v in [&victim, &devices] {
        std::fs::write(v, "someone else's document\n").unwrap();
        std::fs::set_permissions(v, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let _ = std::fs::remove_file(example.join("snapshot.ron"));
    std::fs::hard_link(&victim, example.join("snapshot.ron")).unwrap();
    std::fs::hard_link(&devices, example.join("devices.ron")).unwrap();
    let (w, warnings) = roundtable::store::Writer::open(&example, t(0)).unwrap();
    drop(w);
    assert_eq!(mode(&victim), 0o644, "changed through a link");
    assert_eq!(mode(&devices), 0o644, "changed through a link");
    let said = warnings.join(" ");
    assert!(
        said.contains("snapshot.ron is also another file's name")
            && said.contains("devices.ron is also another file's name"),
        "{said}"
    );
    assert_eq!(mode(&journal(&example)), 0o600);
}

/// One-line fields are one line everywhere: a title holding a newline and
/// a made-up session row cannot add a row to `list`, and an id holding one
/// (in a record that fails, its chain recomputed) cannot add a line to
/// `verify`'s `FAILED:` or to `show`.
#[test]
fn a_newline_in_session_text_never_makes_a_line_of_its_own() {
    use roundtable::domain::*;
    const FAKE: &str = "\n2026-01-01  fake-session\n            FAKE ROW";
    let tmp = tempfile::tempdir().unwrap();
    let sessions = tmp.path();
    let dir = sessions.join("s");
    let w = roundtable::store::Writer::create(
        &dir,
        "facilitator",
        t(0),
        &[
            Event::SessionCreated {
                title: format!("Harmless{FAKE}"),
                focus: format!("Focus{FAKE}"),
                facilitator: "F".into(),
                created: t(0),
                template: None,
            },
            Event::StageAdded {
                id: "S1".into(),
                kind: StageKind::Discuss,
                title: format!("Stage{FAKE}"),
                prompt: "Prompt".into(),
                planned_secs: 600,
            },
        ],
    )
    .unwrap();
    let (records, head) = (w.records(), w.head().to_owned());
    drop(w);
    // A record the session refuses, naming an id with a newline in it.
    let bad = Event::StatementRetracted {
        statement: StatementId::new(format!("st9{FAKE}")),
        reason: "r".into(),
        by: "note-taker".into(),
        at: t(5),
    };
    let (line, _) =
        roundtable::store::record::encode(records + 1, &head, t(5), "note-taker", &bad).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(journal(&dir))
        .unwrap();
    std::io::Write::write_all(&mut f, line.as_bytes()).unwrap();
    drop(f);
    for args in [vec!["list"], vec!["verify", "s"], vec!["show", "s"]] {
        let o = roundtable(sessions, &args);
        let out = text(&o);
        for l in out
            .lines()
            .filter(|l| l.contains("fake-session") || l.contains("FAKE ROW"))
        {
            assert!(
                l.contains('␤'),
                "{args:?} printed a line of its own: {l:?}\n{out}"
            );
        }
        assert!(
            out.contains("fake-session"),
            "{args:?} shows it visibly: {out}"
        );
    }
    let o = roundtable(sessions, &["verify", "s"]);
    let said = text(&o);
    let failed: Vec<&str> = said.lines().filter(|l| l.starts_with("FAILED")).collect();
    assert_eq!(failed.len(), 1, "{said}");
    assert!(failed[0].contains("st9␤2026-01-01"), "{}", failed[0]);
}

/// Address space the commands get while a huge snapshot lies beside the
/// journal: half of what reading it whole would take.
const ULIMIT_KB: u64 = 512 * 1024;

/// Size of the forged snapshot: 1 GiB, unless `ROUNDTABLE_BIG_SNAPSHOT_MB`
/// says otherwise (for a quick run).
pub fn big_snapshot_bytes() -> u64 {
    std::env::var("ROUNDTABLE_BIG_SNAPSHOT_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(1024)
        << 20
}

/// A 1 GiB snapshot with every hash correct beside the example's 48 KB
/// journal: refused for its size before it is read, with a sentence,
/// under half a gigabyte of address space; the commands go on from the
/// journal.
#[test]
fn a_gigabyte_snapshot_is_refused_before_it_is_read() {
    let (keep, example) = shipped();
    huge_snapshot(&example, big_snapshot_bytes());
    for args in [
        vec!["verify", EXAMPLE],
        vec!["show", EXAMPLE],
        vec!["export", EXAMPLE, "--format", "md"],
    ] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v {ULIMIT_KB}; exec {BIN} --sessions {} {}",
                keep.path().display(),
                args.join(" ")
            ))
            .current_dir(keep.path())
            .output()
            .unwrap();
        let said = text(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {said}");
        if args[0] == "verify" {
            assert!(
                said.contains("far more than the journal it would stand for"),
                "{said}"
            );
        }
    }
    // The writer refuses it the same way, and replays the journal.
    let (w, warnings) = roundtable::store::Writer::open(&example, t(0)).unwrap();
    assert!(
        warnings.join(" ").contains("it is not read"),
        "{warnings:?}"
    );
    assert!(w.session().statements.len() > 10);
}

/// What a viewer's terminal must never receive: OSC 52 (clipboard), OSC 0
/// (window title), CSI 2J (clear), BEL, backspace, C1 CSI and a bidi override.
const HOSTILE: &str =
    "x\u{1b}]52;c;aGFja2Vk\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{8}\u{9b}31m\u{202e}evil";

fn no_escapes(what: &str, bytes: &[u8]) {
    let s = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = s
        .chars()
        .filter(|c| roundtable::safe::is_unsafe(*c) && *c != '\n')
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{s}");
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    use roundtable::domain::*;
    let tmp = tempfile::tempdir().unwrap();
    let sessions = tmp.path();
    std::fs::create_dir(sessions.join("templates")).unwrap();
    let template = std::fs::read_to_string("sessions/templates/cag-roundtable.ron")
        .unwrap()
        .replacen(
            "description: \"",
            &format!("description: \"{}", HOSTILE.escape_default()),
            1,
        );
    std::fs::write(sessions.join("templates/hostile.ron"), template).unwrap();
    std::fs::write(sessions.join("templates/bad\u{1b}]0;t\u{7}.ron"), "(oops").unwrap();

    let dir = sessions.join("s");
    let mut w = roundtable::store::Writer::create(
        &dir,
        "facilitator",
        t(0),
        &[
            Event::SessionCreated {
                title: format!("Title {HOSTILE}"),
                focus: format!("Focus {HOSTILE}"),
                facilitator: format!("F {HOSTILE}"),
                created: t(0),
                template: None,
            },
            Event::ParticipantAdded {
                participant: Participant {
                    id: "P1".into(),
                    role: Role::ServiceUser,
                    sector: None,
                    level: None,
                    real_name: Some(format!("Name {HOSTILE}")),
                    consent: true,
                    person: None,
                    attributes: Default::default(),
                },
            },
            Event::StageAdded {
                id: "S1".into(),
                kind: StageKind::Discuss,
                title: format!("Stage {HOSTILE}"),
                prompt: format!("Prompt {HOSTILE}"),
                planned_secs: 600,
            },
        ],
    )
    .unwrap();
    w.record(
        "note-taker",
        t(1),
        &Event::StatementAdded {
            id: "st1".into(),
            kind: StatementKind::Quote,
            speaker: Speaker::Participant("P1".into()),
            stage: None,
            text: format!("Said {HOSTILE}"),
            tags: vec![],
            captured_by: "note-taker".into(),
            at: t(1),
        },
    )
    .unwrap();
    drop(w);
    for args in [
        vec!["show", "s"],
        vec!["list"],
        vec!["templates"],
        vec!["verify", "s"],
    ] {
        let o = roundtable(sessions, &args);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        no_escapes(&format!("{args:?} stdout"), &o.stdout);
        no_escapes(&format!("{args:?} stderr"), &o.stderr);
        if args[0] != "verify" {
            assert!(
                text(&o).contains("␛]52;c;aGFja2Vk␇"),
                "{args:?} shows the sequence visibly: {}",
                text(&o)
            );
        }
    }
    // A statement captured outside any stage is listed too.
    let o = roundtable(sessions, &["show", "s"]);
    assert!(text(&o).contains("Outside any stage"), "{}", text(&o));
    assert!(text(&o).contains("st1"), "{}", text(&o));
    // Every CSV table, the session's and the programme's, read as `cat`
    // would show them: line ends aside, nothing acts on the terminal.
    let out = sessions.join("csv");
    let o = roundtable(
        sessions,
        &[
            "export",
            "s",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let prog = sessions.join("prog");
    let o = roundtable(sessions, &["programme", "--out", prog.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    no_escapes("programme stdout", &o.stdout);
    let mut tables = 0;
    for folder in [&out, &prog] {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv") {
                let bytes = std::fs::read_to_string(&path)
                    .unwrap()
                    .replace("\r\n", "\n")
                    .replacen('\u{feff}', "", 1);
                no_escapes(&path.display().to_string(), bytes.as_bytes());
                tables += 1;
            }
        }
    }
    assert!(tables >= 6, "{tables} tables");
}

#[test]
fn export_out_takes_a_bare_file_name_a_path_or_a_folder() {
    let (tmp, _) = shipped();
    let sessions = tmp.path().canonicalize().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    for (format, ext) in [("md", "md"), ("html", "html"), ("qdpx", "qdpx")] {
        let bare = format!("x.{ext}");
        let o = Command::new(BIN)
            .current_dir(&work)
            .arg("--sessions")
            .arg(&sessions)
            .args(["export", EXAMPLE, "--format", format, "--out", &bare])
            .output()
            .unwrap();
        assert!(o.status.success(), "{format} bare: {}", text(&o));
        assert!(work.join(&bare).is_file(), "{format}");
        let path = work.join(format!("sub/y.{ext}"));
        let o = roundtable(
            &sessions,
            &[
                "export",
                EXAMPLE,
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{format} path: {}", text(&o));
        assert!(path.is_file(), "{format}");
        let o = roundtable(
            &sessions,
            &[
                "export",
                EXAMPLE,
                "--format",
                format,
                "--out",
                work.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{format} folder: {}", text(&o));
        assert!(work.join(format!("{EXAMPLE}.{ext}")).is_file(), "{format}");
    }
    let o = roundtable(
        &sessions,
        &[
            "export",
            EXAMPLE,
            "--format",
            "csv",
            "--out",
            work.join("tables").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(work.join("tables/statements.csv").is_file());
}

/// Two `join`s under one name on one computer would share an outbox; the
/// second is refused and the first's kept statement stays kept.
#[test]
fn a_second_join_with_the_same_outbox_is_refused_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let outbox = tmp.path().join("outbox.ron");
    // Nobody listens on port 9, so statements wait in the outbox.
    let join = || {
        Command::new(HARNESS)
            .args(["join", "127.0.0.1:9", "--code", "123-456", "--as", "Sam"])
            .arg("--outbox")
            .arg(&outbox)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = join();
    {
        use std::io::Write;
        let stdin = first.stdin.as_mut().unwrap();
        writeln!(stdin, "sam-st1 kept while the host is away").unwrap();
    }
    let start = Instant::now();
    while !std::fs::read_to_string(&outbox)
        .unwrap_or_default()
        .contains("kept while the host is away")
    {
        assert!(start.elapsed() < Duration::from_secs(20), "never kept");
        std::thread::sleep(Duration::from_millis(50));
    }
    let second = join().wait_with_output().unwrap();
    assert_ne!(second.status.code(), Some(0));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("already using"), "{err}");
    assert!(
        std::fs::read_to_string(&outbox)
            .unwrap()
            .contains("kept while the host is away"),
        "the first join's statement was lost"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(mode(&outbox), 0o600);
}

/// Hand-written files from Windows editors start with a byte-order mark; a
/// bad 100 KB line is named, not echoed back.
#[test]
fn a_bom_is_accepted_and_bad_input_is_quoted_short() {
    let (tmp, _) = shipped();
    let people = tmp.path().join("people.ron");
    std::fs::write(
        &people,
        "\u{feff}[(id: \"P1\", role: ServiceUser, consent: true)]",
    )
    .unwrap();
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "cag-roundtable",
            "--title",
            "With a BOM",
            "--focus",
            "Does it read?",
            "--participants",
            people.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 participant)"), "{}", text(&o));

    let keymap = tmp.path().join("keymap.ron");
    std::fs::write(
        &keymap,
        format!(
            "\u{feff}[(screen: Projector, key: \"{}\", action: StartStage)]",
            "x".repeat(100_000)
        ),
    )
    .unwrap();
    let o = roundtable(
        tmp.path(),
        &["run", EXAMPLE, "--keymap", keymap.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o);
    assert!(err.len() < 400, "{} bytes: {err}", err.len());
    assert!(
        err.contains("keymap.ron line 1") && err.contains("is not a key"),
        "{err}"
    );
    let bad = std::fs::read_to_string(&people)
        .unwrap()
        .replace("ServiceUser", &"Q".repeat(100_000));
    std::fs::write(&people, bad).unwrap();
    let o = roundtable(
        tmp.path(),
        &[
            "new",
            "--template",
            "cag-roundtable",
            "--title",
            "x",
            "--focus",
            "y",
            "--participants",
            people.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).len() < 400, "{}", text(&o).len());
}

/// `roundtable ARGS`, killed if it has not finished within 10 s: its
/// output, or `None` when it hung.
fn within_10_s(sessions: &Path, args: &[&str]) -> Option<Output> {
    let mut child = Command::new(BIN)
        .arg("--sessions")
        .arg(sessions)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run roundtable");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(Some(_)) = child.try_wait() {
            return child.wait_with_output().ok();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let _ = std::fs::remove_file(path);
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a NUL-terminated path and a mode.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// A named pipe where a file should be — the journal, the snapshot,
/// `devices.ron`, a template, a participants list, a keymap — never hangs
/// a command: each is refused with a sentence naming the file.
#[test]
fn a_named_pipe_in_place_of_a_file_is_refused_never_waited_on() {
    let cases: &[(&str, &[&str])] = &[
        ("journal.ron", &["verify", EXAMPLE]),
        ("journal.ron", &["show", EXAMPLE]),
        ("journal.ron", &["export", EXAMPLE, "--format", "md"]),
        ("journal.ron", &["list"]),
        ("snapshot.ron", &["verify", EXAMPLE]),
        ("template", &["templates"]),
        (
            "template",
            &[
                "new",
                "--template",
                "cag-roundtable",
                "--title",
                "T",
                "--focus",
                "F",
            ],
        ),
        (
            "participants",
            &[
                "new",
                "--template",
                "barriers-enablers",
                "--title",
                "T2",
                "--focus",
                "F",
                "--participants",
                "PEOPLE",
            ],
        ),
        ("keymap", &["keys", "--keymap", "KEYMAP"]),
    ];
    for (which, args) in cases {
        let (tmp, dir) = shipped();
        let sessions = tmp.path();
        let people = sessions.join("people.ron");
        let keymap = sessions.join("keymap.ron");
        match *which {
            "template" => mkfifo(&sessions.join("templates/cag-roundtable.ron")),
            "participants" => mkfifo(&people),
            "keymap" => mkfifo(&keymap),
            file => mkfifo(&dir.join(file)),
        }
        let args: Vec<&str> = args
            .iter()
            .map(|a| match *a {
                "PEOPLE" => people.to_str().unwrap(),
                "KEYMAP" => keymap.to_str().unwrap(),
                a => a,
            })
            .collect();
        let out = within_10_s(sessions, &args)
            .unwrap_or_else(|| panic!("`{}` with a pipe for {which} hung", args.join(" ")));
        let said = text(&out);
        assert!(
            said.contains("not a regular file"),
            "`{}` with a pipe for {which}: {said}",
            args.join(" ")
        );
    }
    // A joined terminal's outbox: opening it neither waits nor reads a pipe.
    let tmp = tempfile::tempdir().unwrap();
    let outbox = tmp.path().join("outbox.ron");
    mkfifo(&outbox);
    let (tx, rx) = std::sync::mpsc::channel();
    let opening = outbox.clone();
    std::thread::spawn(move || {
        let said = roundtable::net::outbox::Outbox::open(opening)
            .err()
            .map(|e| e.to_string());
        let _ = tx.send(said);
    });
    let said = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("opening an outbox that is a pipe hung")
        .expect("a pipe is refused as an outbox");
    assert!(said.contains("not a regular file"), "{said}");
}
