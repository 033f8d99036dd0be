//! Property-based bad input: arbitrary bytes and mutated valid files never
//! panic, never overflow the stack, and every error names the file and
//! line. 10,000 cases per target by default (`ROUNDTABLE_FUZZ_CASES`).

mod common;
use common::*;
use proptest::prelude::*;
use roundtable::store::record::{encode, sha256_hex};
use roundtable::store::{journal, snapshot, template};
use std::path::Path;

fn cases() -> u32 {
    std::env::var("ROUNDTABLE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn mutate(mut v: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let n = v.len().max(1);
        match *m {
            Mutation::Flip(i, b) => {
                if !v.is_empty() {
                    let i = i % n;
                    v[i] ^= b.max(1);
                }
            }
            Mutation::Insert(i, b) => v.insert(i % (v.len() + 1), b),
            Mutation::Delete(i) => {
                if !v.is_empty() {
                    v.remove(i % n);
                }
            }
            Mutation::Truncate(i) => v.truncate(i % n),
        }
    }
    v
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop_oneof![any::<u8>(), Just(b'('), Just(b'['), Just(b'"'), Just(b'\n')]
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// Arbitrary bytes, deep brackets, or a valid input with a few mutations.
fn input(valid: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        (
            1usize..60_000,
            prop_oneof![Just(b'('), Just(b'['), Just(b'{')]
        )
            .prop_map(|(n, b)| vec![b; n]),
        prop::collection::vec(mutation(), 1..6).prop_map(move |m| mutate(valid.clone(), &m)),
    ]
}

/// A journal line as a forger would leave it: whatever it says, with its
/// own hash recomputed, so the check reaches the parser instead of stopping
/// at the hash.
fn resealed_line(bytes: &[u8]) -> Vec<u8> {
    let tag = b",hash:\"";
    let end = bytes
        .windows(tag.len())
        .rposition(|w| w == tag)
        .unwrap_or_else(|| bytes.len() - usize::from(bytes.ends_with(b"\n")));
    let body = &bytes[..end];
    let mut v = body.to_vec();
    v.extend_from_slice(format!(",hash:\"{}\")\n", sha256_hex(body)).as_bytes());
    v
}

/// A snapshot as a forger would leave it: its header's `body` hash
/// recomputed for whatever its second line now holds.
fn resealed_snapshot(bytes: &[u8]) -> Vec<u8> {
    let Some(i) = bytes.iter().position(|b| *b == b'\n') else {
        return bytes.to_vec();
    };
    let (head, rest) = (&bytes[..i], &bytes[i + 1..]);
    let body = rest.strip_suffix(b"\n").unwrap_or(rest);
    let tag = b"body:\"";
    let Some(at) = head.windows(tag.len()).position(|w| w == tag) else {
        return bytes.to_vec();
    };
    let start = at + tag.len();
    let end = head[start..]
        .iter()
        .position(|b| *b == b'"')
        .map_or(head.len(), |n| start + n);
    let mut v = head[..start].to_vec();
    v.extend_from_slice(sha256_hex(body).as_bytes());
    v.extend_from_slice(&head[end..]);
    v.push(b'\n');
    v.extend_from_slice(rest);
    v
}

fn names_file_and_line(err: &str, file: &str) -> bool {
    err.contains(file) && err.contains("line ")
}

/// A journal of three good records; bad bytes become line 4.
fn journal_fixture(tmp: &Path) -> (std::path::PathBuf, Vec<u8>, Vec<u8>) {
    let dir = tmp.join("j");
    let w = small_session(&dir, 0);
    let next = statement(0);
    let (line, _) = encode(w.records() + 1, w.head(), t(9), "note-taker", &next).unwrap();
    drop(w);
    (
        dir.clone(),
        std::fs::read(journal(&dir)).unwrap(),
        line.into_bytes(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn journal_lines((bytes, reseal) in ({
        let tmp = tempfile::tempdir().unwrap();
        let (_, _, line) = journal_fixture(tmp.path());
        input(line)
    }, any::<bool>())) {
        let bytes = match reseal && !bytes.is_empty() {
            true => resealed_line(&bytes),
            false => bytes,
        };
        let tmp = tempfile::tempdir().unwrap();
        let (dir, good, line) = journal_fixture(tmp.path());
        let mut all = good.clone();
        all.extend_from_slice(&bytes);
        std::fs::write(journal(&dir), &all).unwrap();
        let scan = journal::scan(&journal(&dir), 1, 0, &mut |_| Ok(())).unwrap();
        if bytes.is_empty() || bytes == line {
            prop_assert!(scan.damage.is_none() && scan.torn.is_none());
        } else if let Some(d) = &scan.damage {
            let text = d.to_string();
            prop_assert!(names_file_and_line(&text, "journal.ron"), "{}", text);
            prop_assert!(d.line >= 4, "damage reported before the bad bytes: {}", text);
        } else if let Some(t) = &scan.torn {
            // A complete last line that fails its hash counts its own newline.
            let newlines = bytes.iter().filter(|b| **b == b'\n').count();
            let own = usize::from(t.damaged.is_some());
            prop_assert_eq!(t.line as usize, 4 + newlines - own);
            prop_assert!(t.damaged.is_none() || bytes.ends_with(b"\n"));
        } else {
            // Only a valid record could pass: the mutation must have rebuilt one.
            prop_assert!(scan.records >= 4, "bad bytes accepted silently");
        }
        prop_assert_eq!(scan.records.min(3), 3, "good records before the damage are kept");
    }

    #[test]
    fn templates(bytes in input(std::fs::read("sessions/templates/cag-roundtable.ron").unwrap())) {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("mutated.ron");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = template::load_template(&path) {
            let text = e.to_string();
            prop_assert!(names_file_and_line(&text, "mutated.ron"), "{}", text);
        }
    }

    #[test]
    fn snapshots((bytes, reseal) in ({
        let tmp = tempfile::tempdir().unwrap();
        let mut w = small_session(&tmp.path().join("s"), 2);
        w.snapshot().unwrap();
        input(std::fs::read(tmp.path().join("s").join("snapshot.ron")).unwrap())
    }, any::<bool>())) {
        let bytes = match reseal {
            true => resealed_snapshot(&bytes),
            false => bytes,
        };
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        let w = small_session(&dir, 2);
        let live = canon(&w.session());
        drop(w);
        std::fs::write(dir.join("snapshot.ron"), &bytes).unwrap();
        if let Err(e) = snapshot::read(&dir) {
            let text = e.to_string();
            prop_assert!(names_file_and_line(&text, "snapshot.ron"), "{}", text);
        }
        // Whatever the snapshot holds, opening gives the journal's session.
        // (once the proof replay has finished, as before anything is written).
        let (mut w, _) = roundtable::store::Writer::open(&dir, t(50)).unwrap();
        w.settle();
        prop_assert_eq!(canon(&w.session()), live);
    }

    #[test]
    fn keymaps(bytes in input(b"[\n  (screen: Projector, key: \"x\", action: StartStage),\n  (screen: Capture, key: \"ctrl-s\", action: Commit),\n]\n".to_vec())) {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("keymap.ron");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = roundtable::app::keymap::Keymap::load(Some(&path)) {
            let e = e.to_string();
            prop_assert!(names_file_and_line(&e, "keymap.ron"), "{}", e);
        }
    }
}

/// What `ron` makes of text, read as roundtable's readers read it.
fn ron_reads<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ron::error::SpannedError> {
    ron::Options::default()
        .with_recursion_limit(128)
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
}

/// Every line of the shipped example's journal and its snapshot body: the
/// texts the fast reader exists for.
fn fast_reader_inputs() -> Vec<Vec<u8>> {
    let journal = std::fs::read("sessions/2026-03-14-cag-findings/journal.ron").unwrap();
    let snapshot =
        std::fs::read_to_string("sessions/2026-03-14-cag-findings/snapshot.ron").unwrap();
    let mut v: Vec<Vec<u8>> = journal
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    v.push(snapshot.lines().nth(1).unwrap().as_bytes().to_vec());
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// The fast reader of roundtable's own compact RON, on mutated journal
    /// lines and snapshot bodies: whatever it accepts decodes to exactly
    /// what `ron` decodes, and whatever `ron` rejects it rejects too.
    #[test]
    fn the_fast_reader_agrees_with_ron_on_mutated_input(
        (which, muts) in (any::<prop::sample::Index>(), prop::collection::vec(mutation(), 1..5)),
    ) {
        use roundtable::domain::Session;
        use roundtable::store::{compact, record::Record};
        let inputs = fast_reader_inputs();
        let original = &inputs[which.index(inputs.len())];
        let bytes = mutate(original.clone(), &muts);
        let Ok(text) = std::str::from_utf8(&bytes) else { return Ok(()) };
        if original.starts_with(b"(seq:") {
            let fast: Result<Record, _> = compact::from_str(text);
            let slow: Result<Record, _> = ron_reads(text);
            match (fast, slow) {
                (Ok(f), Ok(s)) => prop_assert_eq!(f, s),
                (Ok(f), Err(e)) => prop_assert!(false, "fast accepted what ron rejects ({}): {:?}", e, f),
                (Err(_), _) => {}
            }
        } else {
            let fast: Result<Session, _> = compact::from_str(text);
            let slow: Result<Session, _> = ron_reads(text);
            match (fast, slow) {
                (Ok(f), Ok(s)) => prop_assert!(f == s, "the two readers disagree"),
                (Ok(_), Err(e)) => prop_assert!(false, "fast accepted what ron rejects: {}", e),
                (Err(_), _) => {}
            }
        }
    }
}
