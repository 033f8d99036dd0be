//! Reading the journal line by line with every check, and appending to it
//! durably.

use super::error::{FileProblem, Result, StoreError, io_err};
use super::limits::{MAX_JOURNAL, MAX_LINE};
use super::record::{self, GENESIS, Record};
use std::fs::File;
use std::io::Read;
use std::path::Path;

pub const JOURNAL: &str = "journal.ron";

/// A last line that cannot be a committed record: either it has no newline
/// (the program stopped while writing it), or it is complete but fails its
/// hash (what a power cut leaves when the disk wrote the newline before the
/// rest). A record is reported committed only once its whole line is synced
/// and checks out, so neither was ever reported saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// 1-based line number of the torn line.
    pub line: u64,
    /// Byte offset where it starts: the journal's good length.
    pub offset: u64,
    pub bytes: Vec<u8>,
    /// `Some(why)` when the line has its newline but is damaged.
    pub damaged: Option<String>,
}

impl TornTail {
    /// What happened to the line, for a warning.
    pub fn what(&self) -> String {
        match &self.damaged {
            None => "the last record was cut short (the program stopped while writing it)".into(),
            Some(why) => format!(
                "the last record is complete but fails its check ({why}); a power cut can leave this"
            ),
        }
    }
}

/// What a scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Good records read.
    pub records: u64,
    /// Hash of the last good record (GENESIS when there is none).
    pub head: String,
    /// Hash of record `remember` if the scan reached it.
    pub remembered: Option<String>,
    /// Where record `remember`'s line ends, if the scan reached it.
    pub remembered_at: Option<u64>,
    /// Bytes from the start to the end of the last good record's line.
    pub good_len: u64,
    /// The first damaged line; nothing after it was read.
    pub damage: Option<FileProblem>,
    pub torn: Option<TornTail>,
}

/// Bytes read from the journal at a time; the lines they complete are
/// passed on together, in the block they were read into.
const READ_AT_ONCE: usize = 1 << 20;
/// A block holds what one read brings after the longest line a record may
/// be that the read before left unfinished.
const BLOCK: usize = MAX_LINE + 1 + READ_AT_ONCE;
/// Batches the checking thread may run ahead by.
const BATCHES_AHEAD: usize = 4;

/// Checked lines to parse: the block they were read into (and given back
/// to the checker to read into again once they are applied), and each
/// line's number, sequence number, offset in the file and place in `bytes`
/// (without its newline).
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    lines: Vec<(u64, u64, u64, std::ops::Range<usize>)>,
}

/// Reads `path`, checking each line's hash, sequence and chain. Records with
/// `seq >= parse_from` are fully parsed and handed to `visit`; an error from
/// `visit` (an event the session rejects) counts as damage on that line.
///
/// Three stages, a few batches apart: checking (reading and hashing) on one
/// thread, parsing on a second, and `visit` on the caller's; a record
/// reaches `visit` only after its line, and every line before it, checked
/// out.
pub fn scan(
    path: &Path,
    parse_from: u64,
    remember: u64,
    visit: &mut dyn FnMut(Record) -> std::result::Result<(), String>,
) -> Result<Scan> {
    let file = super::fsutil::open_for_reading(path, "the journal")?;
    scan_file(file, path, u64::MAX, parse_from, remember, visit)
}

/// [`scan`] over the first `limit` bytes of an open journal: what a writer
/// holding the file sees, whatever is appended meanwhile.
pub fn scan_file(
    file: File,
    path: &Path,
    limit: u64,
    parse_from: u64,
    remember: u64,
    visit: &mut dyn FnMut(Record) -> std::result::Result<(), String>,
) -> Result<Scan> {
    scan_file_from(file, path, limit, None, parse_from, remember, visit)
}

/// Whether the line that ends at byte `at` of `file` is record `seq`, whole
/// and hashing to `hash`: where a snapshot says its record ends. Reads at
/// most one line's bytes.
pub fn record_ends_at(file: &File, at: u64, seq: u64, hash: &str) -> bool {
    let from = at.saturating_sub(MAX_LINE as u64 + 1);
    let mut window = vec![0u8; (at - from) as usize];
    if at == 0 || crate::os::read_exact_at(file, &mut window, from).is_err() {
        return false;
    }
    let Some(body) = window.strip_suffix(b"\n") else {
        return false;
    };
    let line = match body.iter().rposition(|b| *b == b'\n') {
        Some(i) => &body[i + 1..],
        None if from == 0 => body,
        None => return false,
    };
    record::check_hash(line).is_ok_and(|h| h == hash)
        && record::header(line).is_ok_and(|(s, _)| s == seq)
}

/// Where a scan starts when the records before are taken as read: the
/// byte after record `records`, whose hash is `head`.
#[derive(Clone, Debug)]
pub struct Resume {
    pub offset: u64,
    pub records: u64,
    pub head: String,
}

/// [`scan_file`] from `from` when given: the records before it are neither
/// read nor checked (the caller has checked the line before it, and a full
/// replay checks them all).
pub fn scan_file_from(
    file: File,
    path: &Path,
    limit: u64,
    from: Option<Resume>,
    parse_from: u64,
    remember: u64,
    visit: &mut dyn FnMut(Record) -> std::result::Result<(), String>,
) -> Result<Scan> {
    let len = file.metadata().map_err(io_err(path))?.len().min(limit);
    if len > MAX_JOURNAL {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: format!("the journal is {len} bytes; at most {MAX_JOURNAL} can be read"),
        });
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_AHEAD);
        let (parsed_tx, parsed_rx) = std::sync::mpsc::sync_channel::<Parsed>(BATCHES_AHEAD);
        // Blocks go back to be read into again: no fresh memory per batch.
        let (used_tx, used_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let blocks = Blocks {
            batches: tx,
            used: used_rx,
        };
        let checker =
            scope.spawn(move || check_all(file, len, path, from, parse_from, remember, blocks));
        let parser = scope.spawn(move || parse_all(rx, parsed_tx));
        let mut failed = None;
        'batches: for Parsed { batch, records } in &parsed_rx {
            for ((line_no, seq, at, range), record) in batch.lines.iter().zip(records) {
                let outcome = match record {
                    Ok(r) => {
                        visit(r).map_err(|why| format!("record {seq} cannot be applied: {why}"))
                    }
                    Err(why) => Err(format!("record {seq}: {why}")),
                };
                if let Err(why) = outcome {
                    // The checker has read this line's `prev`: the head before it.
                    let line = &batch.bytes[range.clone()];
                    let prev = record::header(line).map(|(_, p)| p.to_owned());
                    failed = Some((*line_no, *seq, *at, prev.unwrap_or_default(), why));
                    break 'batches;
                }
            }
            let _ = used_tx.send(batch.bytes);
        }
        // A parser and checker still running find nobody listening and stop.
        drop(parsed_rx);
        if let Err(panic) = parser.join() {
            std::panic::resume_unwind(panic);
        }
        let mut scan = match checker.join() {
            Ok(scan) => scan?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        if let Some((line, seq, at, prev, why)) = failed {
            let records = seq - 1;
            scan = Scan {
                records,
                head: prev,
                remembered: scan.remembered.filter(|_| remember <= records),
                remembered_at: scan.remembered_at.filter(|_| remember <= records),
                good_len: at,
                damage: Some(FileProblem {
                    file: path.to_owned(),
                    line,
                    col: 0,
                    reason: why,
                }),
                torn: None,
            };
        }
        Ok(scan)
    })
}

/// A batch of checked lines with each one's parsed record (or why it is
/// not one), in order; a batch ends at the first line that is not.
struct Parsed {
    batch: Batch,
    records: Vec<std::result::Result<Record, String>>,
}

/// The middle of [`scan`]: parses the checked lines, a batch at a time,
/// while the caller applies the batch before and the checker hashes the
/// batches after. Stops at the first line that is not a record, or when
/// nobody listens.
fn parse_all(rx: std::sync::mpsc::Receiver<Batch>, tx: std::sync::mpsc::SyncSender<Parsed>) {
    for batch in rx {
        let mut records = Vec::with_capacity(batch.lines.len());
        for (_, _, _, range) in &batch.lines {
            let record = record::parse_checked(&batch.bytes[range.clone()]);
            let bad = record.is_err();
            records.push(record);
            if bad {
                break;
            }
        }
        let stop = records.last().is_some_and(|r| r.is_err());
        if tx.send(Parsed { batch, records }).is_err() || stop {
            return;
        }
    }
}

/// The checker's side of the blocks: where it sends them full of checked
/// lines, and where they come back to be read into again.
struct Blocks {
    batches: std::sync::mpsc::SyncSender<Batch>,
    used: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl Blocks {
    /// A block to read into: one given back when there is, a new one when not.
    fn take(&self) -> Vec<u8> {
        self.used.try_recv().unwrap_or_else(|_| vec![0; BLOCK])
    }

    /// Passes checked lines on; false when the parser has stopped.
    fn send(&self, batch: Batch) -> bool {
        self.batches.send(batch).is_ok()
    }
}

/// Reads into `buf` until it holds something or the file ends.
fn read_some(reader: &mut impl Read, buf: &mut [u8], path: &Path) -> Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other.map_err(io_err(path)),
        }
    }
}

/// The checking part of [`scan`]: hashes, sequence and chain of every line,
/// sending those to parse to `tx` in batches, each in the block it was read
/// into (no line is copied).
fn check_all(
    mut file: File,
    len: u64,
    path: &Path,
    from: Option<Resume>,
    parse_from: u64,
    remember: u64,
    blocks: Blocks,
) -> Result<Scan> {
    let from = from.unwrap_or(Resume {
        offset: 0,
        records: 0,
        head: GENESIS.to_owned(),
    });
    if from.offset > len {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: format!("record {} cannot end past the journal's end", from.records),
        });
    }
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(from.offset)).map_err(io_err(path))?;
    let mut reader = file.take(len - from.offset);
    let at_start = from.records == remember && from.records > 0;
    let mut scan = Scan {
        records: from.records,
        remembered: at_start.then(|| from.head.clone()),
        remembered_at: at_start.then_some(from.offset),
        head: from.head,
        good_len: from.offset,
        damage: None,
        torn: None,
    };
    let mut offset = from.offset;
    // One record per line: the line before the next record is its number.
    let mut line_no = from.records;
    // `block[start..filled]` is read but not yet taken as a line.
    let (mut block, mut start, mut filled) = (blocks.take(), 0, 0);
    let mut lines = Vec::new();
    // The hash of the last good record, as the line has it.
    let mut head = std::mem::take(&mut scan.head).into_bytes();
    let too_long = format!("the line is longer than {MAX_LINE} bytes, the most a record may be");
    'reading: loop {
        let n = read_some(&mut reader, &mut block[filled..filled + READ_AT_ONCE], path)?;
        filled += n;
        while let Some(newline) = memchr::memchr(b'\n', &block[start..filled]) {
            line_no += 1;
            let problem = |reason: String| FileProblem {
                file: path.to_owned(),
                line: line_no,
                col: 0,
                reason,
            };
            let (end, n) = (start + newline, newline as u64 + 1);
            if newline > MAX_LINE {
                scan.damage = Some(problem(too_long));
                break 'reading;
            }
            let line = &block[start..end];
            let is_last = offset + n == len;
            if is_last
                && let Err(why) = record::check_hash(line).and_then(|_| {
                    if line.is_empty() {
                        Err("the line is empty".into())
                    } else {
                        Ok(())
                    }
                })
            {
                scan.torn = Some(TornTail {
                    line: line_no,
                    offset,
                    bytes: block[start..=end].to_vec(),
                    damaged: Some(why),
                });
                break 'reading;
            }
            match check_line(line, scan.records + 1, &head) {
                Ok(hash) => {
                    if scan.records + 1 >= parse_from {
                        lines.push((line_no, scan.records + 1, offset, start..end));
                    }
                    scan.records += 1;
                    if scan.records == remember {
                        scan.remembered = Some(String::from_utf8_lossy(hash).into_owned());
                        scan.remembered_at = Some(offset + n);
                    }
                    // The same buffer each time: no allocation per record.
                    head.clear();
                    head.extend_from_slice(hash);
                    scan.good_len = offset + n;
                }
                Err(why) => {
                    scan.damage = Some(problem(format!("record {}: {why}", scan.records + 1)));
                    break 'reading;
                }
            }
            offset += n;
            start = end + 1;
        }
        // What is left is the start of a line the next read may finish.
        let rest = filled - start;
        if rest > MAX_LINE {
            scan.damage = Some(FileProblem {
                file: path.to_owned(),
                line: line_no + 1,
                col: 0,
                reason: too_long,
            });
            break;
        }
        if n == 0 {
            if rest > 0 {
                scan.torn = Some(TornTail {
                    line: line_no + 1,
                    offset,
                    bytes: block[start..filled].to_vec(),
                    damaged: None,
                });
            }
            break;
        }
        if lines.is_empty() {
            block.copy_within(start..filled, 0);
        } else {
            let mut next = blocks.take();
            next[..rest].copy_from_slice(&block[start..filled]);
            let batch = Batch {
                bytes: std::mem::replace(&mut block, next),
                lines: std::mem::take(&mut lines),
            };
            if !blocks.send(batch) {
                // The parser stopped at a record it could not use.
                break;
            }
        }
        (start, filled) = (0, rest);
    }
    if !lines.is_empty() {
        // If the parser has stopped, what it found replaces this scan.
        let _ = blocks.send(Batch {
            bytes: block,
            lines,
        });
    }
    // Only hashes that checked out (lowercase hex) were kept.
    scan.head = String::from_utf8_lossy(&head).into_owned();
    Ok(scan)
}

/// Checks one line's hash, and its sequence number and chain against the
/// record before; returns its hash.
fn check_line<'a>(
    line: &'a [u8],
    expect_seq: u64,
    prev: &[u8],
) -> std::result::Result<&'a [u8], String> {
    if line.is_empty() {
        return Err("the line is empty".into());
    }
    let hash = record::check_hash_bytes(line)?;
    // A line that is not a record at all is better told by the parser.
    let (seq, p) = record::header_bytes(line)
        .map_err(|why| record::parse_checked(line).err().unwrap_or(why))?;
    if p != prev {
        return Err(prev_mismatch(expect_seq));
    }
    if seq != expect_seq {
        return Err(format!(
            "sequence number {seq} where {expect_seq} was expected (duplicated, missing or out of order)"
        ));
    }
    Ok(hash)
}

fn prev_mismatch(seq: u64) -> String {
    if seq == 1 {
        "the first record does not start the chain (its previous hash should be all zeros)".into()
    } else {
        format!(
            "its previous hash does not match record {} (a record was removed, inserted or changed)",
            seq - 1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Event, Timestamp};
    use crate::domain::{MemoId, synthesis::MemoKind};
    use std::path::PathBuf;

    /// A journal of `n` memos, and how many of its lines one read brings.
    fn journal(n: u64) -> (tempfile::TempDir, PathBuf, Vec<String>, u64) {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(JOURNAL);
        let (mut text, mut hashes) = (String::new(), Vec::<String>::new());
        for i in 1..=n {
            let e = Event::MemoAdded {
                id: MemoId::new(format!("m{i}")),
                kind: MemoKind::Process,
                text: format!("memo {i}"),
                stage: None,
                by: "f".into(),
                at: Timestamp::from_unix_millis(0),
            };
            let prev = hashes.last().map_or(GENESIS, |h| h.as_str());
            let (line, hash) =
                record::encode(i, prev, Timestamp::from_unix_millis(0), "f", &e).unwrap();
            text.push_str(&line);
            hashes.push(hash);
        }
        std::fs::write(&path, &text).unwrap();
        let per_read = (READ_AT_ONCE * n as usize / text.len()) as u64;
        (tmp, path, hashes, per_read)
    }

    /// How many of [`journal`]'s lines one read brings, about.
    fn lines_a_read() -> u64 {
        journal(1000).3
    }

    #[test]
    fn a_scan_reads_the_journal_a_block_at_a_time_without_losing_a_line() {
        // Many reads, lines crossing from one to the next, a torn last line.
        let n = 3 * lines_a_read() + 500;
        let (_tmp, path, hashes, _) = journal(n);
        let mut text = std::fs::read(&path).unwrap();
        let good = text.len() as u64;
        let torn = format!("(seq:{},prev:", n + 1);
        text.extend_from_slice(torn.as_bytes());
        std::fs::write(&path, &text).unwrap();
        let mut seen = Vec::new();
        let scan = scan(&path, 1, 0, &mut |r| {
            seen.push(r.seq);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, (1..=n).collect::<Vec<_>>());
        let last = hashes.last().unwrap();
        assert_eq!((&scan.head, scan.good_len), (last, good));
        let tail = scan.torn.unwrap();
        assert_eq!((tail.line, tail.offset), (n + 1, good));
        assert_eq!(tail.bytes, torn.into_bytes());
    }

    #[test]
    fn a_line_longer_than_a_record_may_be_is_damage_whether_or_not_it_ends() {
        for ending in ["\n", ""] {
            let (_tmp, path, _, _) = journal(2);
            let mut text = std::fs::read(&path).unwrap();
            text.extend(std::iter::repeat_n(b'x', MAX_LINE + 1));
            text.extend_from_slice(ending.as_bytes());
            std::fs::write(&path, &text).unwrap();
            let scan = scan(&path, 1, 0, &mut |_| Ok(())).unwrap();
            let damage = scan.damage.expect("damage");
            assert_eq!(damage.line, 3, "{ending:?}");
            assert!(damage.reason.contains("longer than"), "{}", damage.reason);
            assert_eq!(scan.records, 2);
        }
    }

    #[test]
    fn a_record_the_visitor_refuses_ends_the_scan_there() {
        // Three batches and more; the refusal falls in the third.
        let b = lines_a_read();
        let (_tmp, path, hashes, _) = journal(3 * b + 200);
        let (refused, remember) = (2 * b + 100, 2 * b + 300);
        let mut seen = Vec::new();
        let scan = scan(&path, 1, remember, &mut |r| {
            if r.seq == refused {
                return Err("no".into());
            }
            seen.push(r.seq);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, (1..refused).collect::<Vec<_>>());
        assert_eq!(scan.records, refused - 1);
        assert_eq!(scan.head, hashes[refused as usize - 2]);
        assert_eq!(scan.remembered, None, "record {remember} was never reached");
        let damage = scan.damage.unwrap();
        assert_eq!(
            (damage.line, damage.reason),
            (refused, format!("record {refused} cannot be applied: no"))
        );
    }

    #[test]
    fn damage_stops_the_visits_at_the_line_before() {
        // Parsing starts in the first batch; the damage is in the third.
        let b = lines_a_read();
        let (_tmp, path, hashes, _) = journal(3 * b);
        let (from, damaged) = (b / 2, 2 * b + 100);
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replacen(
            &format!("memo {damaged}\""),
            &format!("memo {damaged}!\""),
            1,
        );
        assert_ne!(edited, text);
        std::fs::write(&path, edited).unwrap();
        let mut seen = 0;
        let scan = scan(&path, from, 300, &mut |r| {
            assert_eq!(r.seq, from + seen);
            seen += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            damaged - from,
            "records {from} to {} parsed and visited",
            damaged - 1
        );
        assert_eq!(scan.records, damaged - 1);
        assert_eq!(scan.head, hashes[damaged as usize - 2]);
        assert_eq!(scan.remembered.as_deref(), Some(hashes[299].as_str()));
        assert!(
            scan.damage
                .unwrap()
                .reason
                .contains(&format!("record {damaged}: record hash does not match"))
        );
    }
}
