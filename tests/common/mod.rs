#![allow(dead_code)]

pub mod grid;
pub mod os;
pub mod phone;
pub mod privacy;

use roundtable::domain::*;
use roundtable::store::Writer;
use std::path::{Path, PathBuf};

pub fn t(sec: i64) -> Timestamp {
    Timestamp::from_unix_millis(1_773_482_400_000 + sec * 1000)
}

/// A small session written through the real store: created, one
/// participant, one stage, then `n` statements.
pub fn small_session(dir: &Path, n: usize) -> Writer {
    let mut w = Writer::create(
        dir,
        "facilitator",
        t(0),
        &[
            Event::SessionCreated {
                title: "Store test".into(),
                focus: "Does it keep everything?".into(),
                facilitator: "Sam".into(),
                created: t(0),
                template: None,
            },
            Event::ParticipantAdded {
                participant: Participant {
                    id: "P1".into(),
                    role: Role::ServiceUser,
                    sector: None,
                    level: None,
                    real_name: Some("Real Name".into()),
                    consent: true,
                    person: None,
                    attributes: Default::default(),
                },
            },
            Event::StageAdded {
                id: "S1".into(),
                kind: StageKind::Discuss,
                title: "Talk".into(),
                prompt: "Say".into(),
                planned_secs: 600,
            },
        ],
    )
    .expect("create");
    for i in 0..n {
        w.record("note-taker", t(i as i64 + 1), &statement(i))
            .expect("record");
    }
    w
}

pub fn statement(i: usize) -> Event {
    Event::StatementAdded {
        id: StatementId::new(format!("st{}", i + 1)),
        kind: StatementKind::Quote,
        speaker: Speaker::Participant("P1".into()),
        stage: Some("S1".into()),
        text: format!(
            "Statement number {}, with \"quotes\", commas and\na line break",
            i + 1
        ),
        tags: vec!["barrier".into()],
        captured_by: "note-taker".into(),
        at: t(i as i64 + 1),
    }
}

pub fn journal(dir: &Path) -> PathBuf {
    dir.join("journal.ron")
}

/// Byte offsets where each line starts, and the file's bytes.
pub fn lines(dir: &Path) -> (Vec<u8>, Vec<usize>) {
    let bytes = std::fs::read(journal(dir)).expect("read journal");
    let mut starts = vec![0];
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' && i + 1 < bytes.len() {
            starts.push(i + 1);
        }
    }
    (bytes, starts)
}

/// Canonical text of a session, to compare states exactly (order included).
pub fn canon(s: &Session) -> String {
    ron::to_string(s).expect("serialise session")
}

/// What a terminal shows, as text: one line per row, trailing spaces trimmed.
pub fn screen_text(term: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_owned())
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A disk the tests control: it holds `space` more bytes (then writes fail
/// with `os_error`, 28 = "No space left on device"), its syncs can fail, and
/// it logs what was done to it. Shared by every handle opened on it.
#[derive(Debug, Default)]
pub struct Disk {
    pub space: Option<usize>,
    pub os_error: i32,
    pub sync_fails: bool,
    pub reopen_fails: bool,
    pub log: Vec<String>,
}

pub type SharedDisk = std::sync::Arc<std::sync::Mutex<Disk>>;

pub fn disk() -> SharedDisk {
    std::sync::Arc::new(std::sync::Mutex::new(Disk {
        os_error: 28,
        ..Disk::default()
    }))
}

/// A real journal file whose writes and syncs go through a [`Disk`].
pub struct FaultyFile {
    pub file: std::fs::File,
    pub disk: SharedDisk,
}

impl roundtable::store::appender::JournalFile for FaultyFile {
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        let mut d = self.disk.lock().unwrap();
        let n = d.space.map_or(bytes.len(), |s| s.min(bytes.len()));
        self.file.write_all(&bytes[..n])?;
        if let Some(s) = d.space.as_mut() {
            *s -= n;
        }
        d.log.push(format!("write {n}"));
        if n < bytes.len() {
            return Err(std::io::Error::from_raw_os_error(d.os_error));
        }
        Ok(())
    }
    fn sync(&mut self) -> std::io::Result<()> {
        let mut d = self.disk.lock().unwrap();
        if d.sync_fails {
            d.log.push("sync failed".into());
            return Err(std::io::Error::from_raw_os_error(5));
        }
        d.log.push("sync".into());
        self.file.sync_data()
    }
    fn size(&mut self) -> std::io::Result<u64> {
        roundtable::store::appender::JournalFile::size(&mut self.file)
    }
    fn read_at(&mut self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        roundtable::store::appender::JournalFile::read_at(&mut self.file, offset, len)
    }
    fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        let mut d = self.disk.lock().unwrap();
        let before = self.file.metadata()?.len();
        if let Some(s) = d.space.as_mut() {
            *s += before.saturating_sub(len) as usize;
        }
        d.log.push(format!("truncate {len}"));
        roundtable::store::appender::JournalFile::truncate(&mut self.file, len)
    }
}

/// Opens the journal at `path` afresh, through the same [`Disk`].
pub struct FaultyOpener {
    pub path: PathBuf,
    pub disk: SharedDisk,
}

impl roundtable::store::appender::JournalOpener for FaultyOpener {
    fn open(&mut self) -> std::io::Result<Box<dyn roundtable::store::appender::JournalFile>> {
        let mut d = self.disk.lock().unwrap();
        d.log.push("reopen".into());
        if d.reopen_fails {
            return Err(std::io::Error::from_raw_os_error(d.os_error));
        }
        drop(d);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)?;
        Ok(Box::new(FaultyFile {
            file,
            disk: self.disk.clone(),
        }))
    }
}

/// Opens the session in `dir` for writing with its journal on `disk`.
pub fn writer_on(dir: &Path, disk: &SharedDisk) -> Writer {
    use roundtable::store::appender::{Appender, JournalOpener};
    let (w, _) = Writer::open(dir, t(0)).expect("open");
    let (session, records, head) = (w.session().clone(), w.records(), w.head().to_owned());
    drop(w);
    let len = std::fs::metadata(journal(dir)).unwrap().len();
    let mut opener = FaultyOpener {
        path: journal(dir),
        disk: disk.clone(),
    };
    let file = opener.open().unwrap();
    disk.lock().unwrap().log.clear();
    let appender = Appender::new(file, Box::new(opener), journal(dir), records, head, len);
    Writer::with_appender(
        dir,
        session,
        appender,
        roundtable::store::lock::acquire(dir, t(0)).unwrap(),
    )
}

/// Edits `snapshot.ron` as a forger would: replaces `from` with `to` in the
/// session line and recomputes the line's hash in the header, so the
/// snapshot still reads as sound.
pub fn forge_snapshot(dir: &Path, from: &str, to: &str) {
    let path = dir.join("snapshot.ron");
    let text = std::fs::read_to_string(&path).expect("snapshot");
    let (head, body) = text.split_once('\n').expect("two lines");
    let body = body.trim_end_matches('\n');
    assert!(body.contains(from), "`{from}` is not in the snapshot");
    let forged = body.replace(from, to);
    let old = roundtable::store::record::sha256_hex(body.as_bytes());
    let new = roundtable::store::record::sha256_hex(forged.as_bytes());
    let head = head.replace(&old, &new);
    std::fs::write(&path, format!("{head}\n{forged}\n")).expect("write snapshot");
}

/// A small filesystem of its own (tmpfs), unmounted when dropped. `None`
/// where this machine does not allow mounting (it needs root).
pub struct SmallDisk {
    pub at: PathBuf,
    _tmp: tempfile::TempDir,
}

impl SmallDisk {
    pub fn mount() -> Option<SmallDisk> {
        let tmp = tempfile::tempdir().unwrap();
        let at = tmp.path().join("disk");
        std::fs::create_dir(&at).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs"])
            .arg(&at)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then_some(SmallDisk { at, _tmp: tmp })
    }

    /// Writes a filler file until the disk refuses another byte.
    pub fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.at.join("filler")).unwrap();
        let block = vec![b'x'; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(b"x").is_ok() {}
        let _ = f.sync_all();
    }

    pub fn free(&self) {
        std::fs::remove_file(self.at.join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.at).output();
    }
}

/// `update` on an app and a session that the messages do not change (keys,
/// pastes, failures): the test keeps its own copies.
pub fn update_on(
    app: &mut roundtable::app::App,
    session: &Session,
    msg: roundtable::app::Msg,
    now: Timestamp,
) -> Vec<roundtable::app::Effect> {
    use roundtable::app::{App, Model, keymap::Keymap, update};
    let mut model = Model::new(
        std::mem::replace(app, App::new(Keymap::default(), "-")),
        session.clone(),
    );
    let fx = update(&mut model, msg, now);
    *app = model.app;
    fx
}

/// Runs a command to its end and asserts it succeeded, showing what it said
/// on standard error when it did not; returns its output.
pub fn succeeds(cmd: &mut std::process::Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Makes the snapshot in `dir` one of `bytes` bytes whose hashes are all
/// correct (as a forger would write it): the first statement's words padded
/// with `a`s. Written and hashed a megabyte at a time.
pub fn huge_snapshot(dir: &Path, bytes: u64) {
    use sha2::Digest;
    use std::io::Write;
    let path = dir.join("snapshot.ron");
    let text = std::fs::read_to_string(&path).expect("snapshot");
    let (head, body) = text.split_once('\n').expect("two lines");
    let body = body.trim_end_matches('\n');
    let at = body.find("text:\"").expect("a statement's text") + "text:\"".len();
    let (before, after) = body.split_at(at);
    let chunk = vec![b'a'; 1 << 20];
    let pad = bytes - text.len() as u64;
    let pieces = || {
        (0..pad.div_ceil(chunk.len() as u64)).map(|i| {
            let left = pad - i * chunk.len() as u64;
            &chunk[..left.min(chunk.len() as u64) as usize]
        })
    };
    let mut hasher = sha2::Sha256::new();
    hasher.update(before.as_bytes());
    for p in pieces() {
        hasher.update(p);
    }
    hasher.update(after.as_bytes());
    let old = roundtable::store::record::sha256_hex(body.as_bytes());
    let head = head.replace(&old, &hex::encode(hasher.finalize()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    f.write_all(format!("{head}\n{before}").as_bytes()).unwrap();
    for p in pieces() {
        f.write_all(p).unwrap();
    }
    f.write_all(format!("{after}\n").as_bytes()).unwrap();
    f.flush().unwrap();
    drop(f);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), bytes);
}

/// A copy of the shipped example's journal and snapshot in a new folder `dir`.
pub fn copy_example(dir: &Path) {
    std::fs::create_dir(dir).expect("a new folder");
    for name in ["journal.ron", "snapshot.ron"] {
        std::fs::copy(
            Path::new("sessions/2026-03-14-cag-findings").join(name),
            dir.join(name),
        )
        .expect("the shipped example");
    }
}

/// A title that ratatui cut at its box's corner ends in a letter against
/// `┐` ("… hi┐", "q qu┐"); a title fitted to its box ends at a whole word,
/// with "…" where words were left out.
pub fn titles_whole(screen: &str, what: &str) {
    for line in screen.lines() {
        let chars: Vec<char> = line.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if *c == '┐' && i > 0 {
                let before = chars[i - 1];
                assert!(
                    matches!(before, '─' | '…' | ' ' | '┐' | '┌'),
                    "{what}: a title cut at its corner: {line:?}\n{screen}"
                );
            }
        }
    }
}

/// The shipped example's folder name.
pub const EXAMPLE: &str = "2026-03-14-cag-findings";

/// A sessions folder holding copies of the shipped templates and example
/// (its writer lock left behind).
pub fn copy_of_shipped() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["templates", EXAMPLE] {
        std::fs::create_dir_all(tmp.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(Path::new("sessions").join(sub)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() != "writer.lock" {
                std::fs::copy(entry.path(), tmp.path().join(sub).join(entry.file_name())).unwrap();
            }
        }
    }
    tmp
}

/// A workshop at `dir` agrees interpretation `i1` by a hidden agree/disagree
/// round `v1`: `people` (pseudonym, register id) added, present for stage
/// S1 (`t` to ten minutes after), each agreeing; the decision's reason is
/// "N agree".
pub fn workshop_agrees_i1(dir: &Path, people: &[(&str, Option<&str>)], t: Timestamp) {
    let (mut w, _) = Writer::open(dir, t).unwrap();
    let later = Timestamp::from_unix_millis(t.unix_millis() + 600_000);
    let mut events = Vec::new();
    for (p, person) in people {
        events.push(Event::ParticipantAdded {
            participant: Participant {
                id: (*p).into(),
                role: Role::ServiceUser,
                sector: None,
                level: None,
                real_name: None,
                consent: true,
                person: person.map(str::to_owned),
                attributes: Default::default(),
            },
        });
    }
    events.push(Event::StageStarted {
        stage: "S1".into(),
        at: t,
    });
    events.push(Event::VoteOpened {
        id: "v1".into(),
        target: VoteTarget::Interpretation("i1".into()),
        question: "Does this hold across our cases?".into(),
        method: VoteMethod::AgreeDisagree,
        mode: BallotMode::PerParticipant,
        hidden: true,
        named: false,
        stage: None,
        at: t,
    });
    for (p, _) in people {
        events.push(Event::BallotCast {
            round: "v1".into(),
            participant: (*p).into(),
            choice: Choice::Agreement(Agreement::Agree),
            at: t,
            recorded_by: "facilitator".into(),
        });
    }
    events.push(Event::VoteClosed {
        round: "v1".into(),
        at: t,
    });
    events.push(Event::StageEnded {
        stage: "S1".into(),
        at: later,
    });
    events.push(Event::InterpretationStatusChanged {
        interpretation: "i1".into(),
        status: InterpretationStatus::Agreed,
        reason: format!("{} agree", people.len()),
        round: Some("v1".into()),
        at: t,
    });
    for e in events {
        w.record("facilitator", t, &e).unwrap();
    }
}
