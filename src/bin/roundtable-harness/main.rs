//! Test harness: the shipped program's host, joining side and store
//! without screens, for the crash, network and integrity tests (which run
//! them as separate processes they can kill). Not part of `roundtable`.
//!
//! ```text
//! roundtable-harness append SESSION            statements as fast as the disk allows
//! roundtable-harness host SESSION [--lan ADDR] a host, serving until killed
//! roundtable-harness join TARGET --as NAME --outbox FILE [--code CODE]
//! roundtable-harness crowd DIR --participants N  a session of N participants
//! roundtable-harness phones-load URL --phones N --round ID [--together]
//! roundtable-harness json-records FILE          serde_json parses a journal as JSON lines
//! ```

use clap::{Parser, Subcommand};
use roundtable::domain::{Event, Speaker, StatementId, StatementKind, Timestamp};
use roundtable::live::{Hosting, Reply, host as start_host};
use roundtable::ops;
use roundtable::store::Writer;
use std::io::Write;
use std::path::PathBuf;
use tokio::sync::mpsc;

mod phones_load;

#[derive(Parser)]
struct Harness {
    /// Folder holding sessions (for session names).
    #[arg(long, default_value = "sessions")]
    sessions: PathBuf,
    #[command(subcommand)]
    command: Run,
}

#[derive(Subcommand)]
enum Run {
    /// Appends statements as fast as possible, printing each committed
    /// sequence number only after it is synced.
    Append { session: String },
    /// Hosts a session with no screens until killed: prints `socket PATH`,
    /// then `lan ADDR CODE` with `--lan`, then `wrong N` as wrong join
    /// codes are tried and `code CODE` when it changes. A line `remove
    /// NAME (ROLE)` on stdin disconnects that terminal, as the projector's
    /// `d` does, and prints `removed yes|no`.
    Host {
        session: String,
        #[arg(long)]
        lan: Option<std::net::SocketAddr>,
        #[arg(long)]
        phones: Option<std::net::SocketAddr>,
        /// Let every phone asking to join in at once, as a facilitator
        /// pressing yes to each would (for load tests). Without it, a line
        /// `admit ID yes|no` on stdin answers `asking ID PARTICIPANT NUMBER`.
        #[arg(long)]
        admit_all: bool,
    },
    /// Creates a session at DIR with participants P1…PN, their roles in
    /// turn service user, carer, staff and other.
    Crowd {
        dir: PathBuf,
        #[arg(long)]
        participants: usize,
        /// Also open an anonymous resonance round with this id, for phones.
        #[arg(long)]
        round: Option<String>,
    },
    /// Many phones at once, each joining as a participant (P1, P2, …) and
    /// casting one ballot in `round`; prints one line of JSON with the
    /// times from vote to "recorded". Loopback only.
    PhonesLoad {
        url: String,
        #[arg(long)]
        phones: usize,
        #[arg(long)]
        round: String,
        /// No phone votes until every phone is in.
        #[arg(long)]
        together: bool,
    },
    /// Parses a journal's records written as JSON lines (one `Record` a
    /// line) with serde_json and drops them, printing how many: what a
    /// fresh-process replay is measured against (`cargo bench --bench
    /// process`, part `fresh`).
    JsonRecords { file: PathBuf },
    /// Joins with no screens, proposing `ID TEXT` lines from stdin; prints
    /// `acked ID SEQ`, `failed ID WHY` and `link up|down TEXT`.
    Join {
        target: String,
        #[arg(long)]
        code: Option<String>,
        #[arg(long = "as")]
        name: String,
        #[arg(long)]
        outbox: PathBuf,
    },
}

fn main() {
    let h = Harness::parse();
    let result: Result<(), String> = match h.command {
        Run::Append { session } => append(&h.sessions, &session),
        Run::Host {
            session,
            lan,
            phones,
            admit_all,
        } => (|| {
            let dir = ops::locate::resolve(&h.sessions, &session).map_err(|e| e.to_string())?;
            let (writer, _) = Writer::open(&dir, ops::locate::now()).map_err(|e| e.to_string())?;
            host(writer, roundtable::live::Listen { lan, phones }, admit_all)
                .map_err(|e| e.to_string())
        })(),
        Run::PhonesLoad {
            url,
            phones,
            round,
            together,
        } => phones_load::run(&url, phones, &round, together),
        Run::Crowd {
            dir,
            participants,
            round,
        } => crowd(&dir, participants, round),
        Run::JsonRecords { file } => json_records(&file),
        Run::Join {
            target,
            code,
            name,
            outbox,
        } => (|| {
            let (target, _) =
                ops::join::join_target(&h.sessions, &target, code).map_err(|e| e.to_string())?;
            join(roundtable::net::client::JoinOptions {
                target,
                name,
                role: roundtable::net::wire::Role::NoteTaker,
                outbox,
            })
            .map_err(|e| e.to_string())
        })(),
    };
    if let Err(e) = result {
        eprintln!("roundtable-harness: {}", roundtable::safe::text(&e));
        std::process::exit(2);
    }
}

fn crowd(dir: &std::path::Path, n: usize, round: Option<String>) -> Result<(), String> {
    use roundtable::domain::{Participant, Role};
    let roles = [
        Role::ServiceUser,
        Role::UnpaidCarer,
        Role::Staff,
        Role::Other,
    ];
    let mut events = vec![Event::SessionCreated {
        title: "A full room".into(),
        focus: "Does every phone get its say?".into(),
        facilitator: "Sam".into(),
        created: ops::locate::now(),
        template: None,
    }];
    events.extend((1..=n).map(|i| Event::ParticipantAdded {
        participant: Participant::consenting(format!("P{i}"), roles[i % roles.len()]),
    }));
    events.extend(round.map(|id| open_round(&id)));
    Writer::create(dir, "facilitator", ops::locate::now(), &events)
        .map(drop)
        .map_err(|e| e.to_string())
}

fn json_records(file: &std::path::Path) -> Result<(), String> {
    use std::io::BufRead;
    let f = std::fs::File::open(file).map_err(|e| e.to_string())?;
    let mut n = 0u64;
    for line in std::io::BufReader::with_capacity(1 << 16, f).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let r: roundtable::store::record::Record =
            serde_json::from_str(&line).map_err(|e| e.to_string())?;
        n += r.seq.min(1);
    }
    println!("{n}");
    Ok(())
}

/// An anonymous resonance round on the session's question, for phones.
fn open_round(id: &str) -> Event {
    Event::VoteOpened {
        id: id.into(),
        target: roundtable::domain::VoteTarget::Question,
        question: "How strongly does this resonate?".into(),
        method: roundtable::domain::VoteMethod::Resonance,
        mode: roundtable::domain::BallotMode::Anonymous,
        hidden: false,
        named: false,
        stage: None,
        at: ops::locate::now(),
    }
}

fn append(sessions: &std::path::Path, session: &str) -> Result<(), String> {
    let dir = ops::locate::resolve(sessions, session).map_err(|e| e.to_string())?;
    let (mut w, _) = Writer::open(&dir, ops::locate::now()).map_err(|e| e.to_string())?;
    w.snapshot_every = 0;
    let mut out = std::io::stdout().lock();
    loop {
        let n = w.session().statements.len() + 1;
        let event = Event::StatementAdded {
            id: StatementId::new(format!("st{n}")),
            kind: StatementKind::Quote,
            speaker: Speaker::Group,
            stage: None,
            text: format!("statement {n}, written as fast as the disk allows"),
            tags: Vec::new(),
            captured_by: "crash-test".into(),
            at: ops::locate::now(),
        };
        let c = w
            .record("crash-test", ops::locate::now(), &event)
            .map_err(|e| e.to_string())?;
        writeln!(out, "{} st{n}", c.seq)
            .and_then(|()| out.flush())
            .map_err(|e| e.to_string())?;
    }
}

/// A host without screens, for tests and benchmarks (see [`Run::Host`]);
/// serves until killed.
fn host(writer: Writer, listen: roundtable::live::Listen, admit_all: bool) -> std::io::Result<()> {
    let Hosting {
        mut replies,
        listening,
        phones,
        store,
        ..
    } = start_host(writer, "facilitator".into(), listen);
    let l = std::sync::Arc::new(listening?);
    let phones = phones.transpose()?.map(std::sync::Arc::new);
    let for_stdin = l.clone();
    let phones_for_stdin = phones.clone();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            // `admit ID yes|no`: the facilitator's answer to a phone asking
            // to join.
            if let (Some((id, yes)), Some(p)) = (
                line.strip_prefix("admit ").and_then(|r| r.split_once(' ')),
                &phones_for_stdin,
            ) && let Ok(id) = id.parse()
            {
                p.admit(id, yes.trim() == "yes");
            }
            // `free NAME`: the facilitator frees a name a new laptop asked for.
            if let Some(name) = line.strip_prefix("free ") {
                let yes = for_stdin.free_name(name);
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "freed {}", if yes { "yes" } else { "no" });
                let _ = out.flush();
            }
            if let Some(shown) = line.strip_prefix("remove ") {
                let yes = for_stdin.remove(shown);
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "removed {}", if yes { "yes" } else { "no" });
                let _ = out.flush();
            }
            // `round ID`: the facilitator opens an anonymous resonance round.
            if let Some(id) = line.strip_prefix("round ") {
                let _ = store.send(roundtable::live::Request {
                    token: 0,
                    event: open_round(id.trim()),
                    from: roundtable::live::Origin::Local,
                });
            }
            // `accept N`: the facilitator takes a phone's statement N into
            // the record (answered by `saved SEQ` once it is).
            if let (Some(n), Some(p)) = (
                line.strip_prefix("accept ").and_then(|n| n.parse().ok()),
                &phones_for_stdin,
            ) && let Some(said) = p.settle(n, true)
            {
                let event = roundtable::net::phones::statement_from(
                    &said,
                    StatementId::new(format!("ph{n}")),
                    None,
                    "facilitator",
                    ops::locate::now(),
                );
                let _ = store.send(roundtable::live::Request {
                    token: n,
                    event,
                    from: roundtable::live::Origin::Local,
                });
            }
        }
    });
    let mut out = std::io::stdout();
    writeln!(out, "socket {}", l.socket.display())?;
    if let Some((addr, code)) = &l.lan {
        writeln!(out, "lan {addr} {code}")?;
    }
    if let Some(p) = &phones {
        writeln!(out, "phones {}", p.url)?;
    }
    out.flush()?;
    while let Some(reply) = replies.blocking_recv() {
        match reply {
            Reply::JoinCode { code, .. } => writeln!(out, "code {code}")?,
            Reply::WrongCodes(n) => writeln!(out, "wrong {n}")?,
            Reply::Flooding(who) => writeln!(out, "flooding {who}")?,
            Reply::Claimed(names) => writeln!(out, "claimed {}", names.join(" "))?,
            Reply::Saved { seq, .. } => writeln!(out, "saved {seq}")?,
            Reply::Phones(room) => {
                for a in &room.asking {
                    match (&phones, admit_all) {
                        (Some(p), true) => {
                            p.admit(a.id, true);
                        }
                        _ => writeln!(out, "asking {} {} {}", a.id, a.participant, a.number)?,
                    }
                }
                writeln!(
                    out,
                    "phones joined {} waiting {}",
                    room.connected.len(),
                    room.waiting.len()
                )?
            }
            _ => continue,
        }
        out.flush()?;
    }
    Ok(())
}

/// A joined terminal without screens, for tests: each line on stdin,
/// `ID TEXT`, is proposed as a statement by the whole group; prints
/// `acked ID SEQ`, `failed ID WHY` and `link up|down TEXT`. Runs until killed.
fn join(opts: roundtable::net::client::JoinOptions) -> std::io::Result<()> {
    use std::io::BufRead;
    let name = opts.name.clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let (proposals, mut replies) = roundtable::net::client::start(opts)?;
        let (line_tx, mut lines) = mpsc::unbounded_channel::<String>();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines().map_while(Result::ok) {
                if line_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut ids = std::collections::HashMap::new();
        let mut open = true;
        let mut out = std::io::stdout();
        loop {
            tokio::select! {
                line = lines.recv(), if open => match line {
                    Some(line) => {
                        let (id, text) = line.split_once(' ').unwrap_or((line.as_str(), "…"));
                        let token = ids.len() as u64 + 1;
                        ids.insert(token, id.to_owned());
                        let event = Event::StatementAdded {
                            id: StatementId::new(id),
                            kind: StatementKind::Paraphrase,
                            speaker: Speaker::Group,
                            stage: None,
                            text: text.to_owned(),
                            tags: Vec::new(),
                            captured_by: name.clone(),
                            at: Timestamp::from_unix_millis(0),
                        };
                        let _ = proposals.send((token, event));
                    }
                    None => open = false,
                },
                reply = replies.recv() => {
                    let id = |t: u64| ids.get(&t).cloned().unwrap_or_default();
                    match reply {
                        Some(Reply::Acked { token, seq }) => writeln!(out, "acked {} {seq}", id(token))?,
                        Some(Reply::Failed { token, error, .. }) => writeln!(out, "failed {} {error}", id(token))?,
                        Some(Reply::Link { connected, text }) => {
                            writeln!(out, "link {} {text}", if connected { "up" } else { "down" })?
                        }
                        Some(_) => continue,
                        None => return Ok(()),
                    }
                    out.flush()?;
                }
            }
        }
    })
}
