//! Reading the journal line by line with every check, and appending to it
//! durably.

use super::error::{FileProblem, Result, StoreError, io_err};
use super::limits::{MAX_JOURNAL, MAX_LINE};
use super::record::{self, GENESIS, Record};
use crate::domain::{Event, Timestamp};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

pub const JOURNAL: &str = "journal.ron";

/// A last line that was being written when the program stopped: it has no
/// newline, so it was never reported committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// 1-based line number of the torn line.
    pub line: u64,
    /// Byte offset where it starts: the journal's good length.
    pub offset: u64,
    pub bytes: Vec<u8>,
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
    /// The first damaged line; nothing after it was read.
    pub damage: Option<FileProblem>,
    pub torn: Option<TornTail>,
}

/// Reads `path`, checking each line's hash, sequence and chain. Records with
/// `seq >= parse_from` are fully parsed and handed to `visit`; an error from
/// `visit` (an event the session rejects) counts as damage on that line.
pub fn scan(
    path: &Path,
    parse_from: u64,
    remember: u64,
    visit: &mut dyn FnMut(Record) -> std::result::Result<(), String>,
) -> Result<Scan> {
    let file = File::open(path).map_err(io_err(path))?;
    let len = file.metadata().map_err(io_err(path))?.len();
    if len > MAX_JOURNAL {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: format!("the journal is {len} bytes; at most {MAX_JOURNAL} can be read"),
        });
    }
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut scan = Scan {
        records: 0,
        head: GENESIS.to_owned(),
        remembered: None,
        damage: None,
        torn: None,
    };
    let mut buf = Vec::with_capacity(4096);
    let mut offset = 0u64;
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(io_err(path))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let problem = |reason: String| FileProblem {
            file: path.to_owned(),
            line: line_no,
            col: 0,
            reason,
        };
        if buf.last() != Some(&b'\n') {
            if n > MAX_LINE {
                scan.damage = Some(problem(format!(
                    "the line is longer than {MAX_LINE} bytes, the most a record may be"
                )));
            } else {
                scan.torn = Some(TornTail {
                    line: line_no,
                    offset,
                    bytes: buf.clone(),
                });
            }
            break;
        }
        let line = &buf[..buf.len() - 1];
        match check_line(line, scan.records + 1, &scan.head, parse_from) {
            Ok((hash, parsed)) => {
                if let Some(rec) = parsed
                    && let Err(why) = visit(rec)
                {
                    scan.damage = Some(problem(format!(
                        "record {} cannot be applied: {why}",
                        scan.records + 1
                    )));
                    break;
                }
                scan.records += 1;
                if scan.records == remember {
                    scan.remembered = Some(hash.clone());
                }
                scan.head = hash;
            }
            Err(why) => {
                scan.damage = Some(problem(format!("record {}: {why}", scan.records + 1)));
                break;
            }
        }
        offset += n as u64;
    }
    Ok(scan)
}

fn check_line(
    line: &[u8],
    expect_seq: u64,
    prev: &str,
    parse_from: u64,
) -> std::result::Result<(String, Option<Record>), String> {
    if line.is_empty() {
        return Err("the line is empty".into());
    }
    let (seq, hash, parsed) = if expect_seq >= parse_from {
        let r = record::decode(line)?;
        if r.prev != prev {
            return Err(prev_mismatch(expect_seq));
        }
        (r.seq, r.hash.clone(), Some(r))
    } else {
        let hash = record::check_hash(line)?.to_owned();
        let (seq, p) = record::header(line)?;
        if p != prev {
            return Err(prev_mismatch(expect_seq));
        }
        (seq, hash, None)
    };
    if seq != expect_seq {
        return Err(format!(
            "sequence number {seq} where {expect_seq} was expected (duplicated, missing or out of order)"
        ));
    }
    Ok((hash, parsed))
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

/// Where records go: a file, or a test double that can fail on purpose.
pub trait Durable: Write + Send {
    /// Makes everything written so far survive a crash or power loss.
    fn sync(&mut self) -> io::Result<()>;
}

impl Durable for File {
    fn sync(&mut self) -> io::Result<()> {
        // fdatasync also flushes the file size, which an append changes.
        self.sync_data()
    }
}

/// Proof that a record reached the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub seq: u64,
    pub hash: String,
}

/// Appends records: write the line, sync, and only then report it committed.
pub struct Appender {
    out: Box<dyn Durable>,
    path: PathBuf,
    next_seq: u64,
    head: String,
    poisoned: Option<String>,
}

impl Appender {
    pub fn new(out: Box<dyn Durable>, path: PathBuf, records: u64, head: String) -> Self {
        Self {
            out,
            path,
            next_seq: records + 1,
            head,
            poisoned: None,
        }
    }

    pub fn records(&self) -> u64 {
        self.next_seq - 1
    }

    pub fn head(&self) -> &str {
        &self.head
    }

    pub fn append(&mut self, at: Timestamp, actor: &str, event: &Event) -> Result<Committed> {
        if let Some(why) = &self.poisoned {
            return Err(StoreError::Poisoned(why.clone()));
        }
        let (line, hash) =
            record::encode(self.next_seq, &self.head, at, actor, event).map_err(|reason| {
                StoreError::Invalid {
                    path: self.path.clone(),
                    reason: format!("not saved: {reason}"),
                }
            })?;
        // After a failed write or sync the file's state is unknown (part of a
        // line may be there, or the kernel may have dropped dirty pages), so
        // this handle is never used again: the session must be reopened,
        // which re-checks the journal from disk.
        let result = self
            .out
            .write_all(line.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| ("write", e))
            .and_then(|()| self.out.sync().map_err(|e| ("sync", e)));
        if let Err((what, e)) = result {
            let why = format!("{what} of {} failed: {e}", self.path.display());
            self.poisoned = Some(why.clone());
            return Err(StoreError::WriteFailed(why));
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.head = hash.clone();
        Ok(Committed { seq, hash })
    }
}
