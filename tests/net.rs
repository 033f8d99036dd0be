//! Several terminals on one session, over loopback: a real host process
//! (`roundtable-harness host`, the same host `run` starts, without screens)
//! and clients built on the library's link.

mod common;
use common::*;
use roundtable::domain::*;
use roundtable::live::Reply;
use roundtable::net::client::{self, JoinOptions, Proposals, Target};
use roundtable::net::wire::Role;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const HARNESS: &str = env!("CARGO_BIN_EXE_roundtable-harness");
const WAIT: Duration = Duration::from_secs(120);

fn per_client() -> usize {
    std::env::var("ROUNDTABLE_NET_STATEMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// A child's standard output, line by line, as it comes.
fn stdout_lines(child: &mut Child) -> std_mpsc::Receiver<String> {
    let out = child.stdout.take().expect("stdout");
    let (tx, lines) = std_mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

struct Host {
    child: Child,
    socket: PathBuf,
    lan: Option<(String, String)>,
    lines: std_mpsc::Receiver<String>,
}

impl Host {
    fn start(dir: &Path, lan: bool) -> Host {
        Host::start_at(dir, lan.then_some("127.0.0.1:0"))
    }

    fn start_at(dir: &Path, lan: Option<&str>) -> Host {
        let mut cmd = Command::new(HARNESS);
        cmd.arg("host").arg(dir);
        if let Some(addr) = lan {
            cmd.args(["--lan", addr]);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the host");
        let lines = stdout_lines(&mut child);
        let next = |lines: &std_mpsc::Receiver<String>| {
            lines
                .recv_timeout(Duration::from_secs(20))
                .expect("the host says where it listens")
        };
        let first = next(&lines);
        let socket = PathBuf::from(first.strip_prefix("socket ").expect("socket line"));
        let lan = lan.map(|_| {
            let l = next(&lines);
            let mut parts = l.split(' ').skip(1);
            let addr = parts.next().expect("addr").to_owned();
            let code = parts.next().expect("code").to_owned();
            (addr, code)
        });
        Host {
            child,
            socket,
            lan,
            lines,
        }
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Removes the terminal listed as `shown`, as the facilitator's `d`
    /// does: whether it was connected, and the code the host then shows.
    fn remove(&mut self, shown: &str) -> (bool, Option<String>) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "remove {shown}").expect("tell the host");
        stdin.flush().expect("tell the host");
        let (mut removed, mut code) = (None, None);
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(2)) {
            if let Some(c) = line.strip_prefix("code ") {
                code = Some(c.to_owned());
            }
            if let Some(yes) = line.strip_prefix("removed ") {
                removed = Some(yes == "yes");
            }
        }
        (removed.expect("the host answers"), code)
    }

    /// Frees `name` for a new laptop, as the facilitator's `d` does:
    /// whether a laptop held it.
    fn free(&mut self, name: &str) -> bool {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "free {name}").expect("tell the host");
        stdin.flush().expect("tell the host");
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            if let Some(yes) = line.strip_prefix("freed ") {
                return yes == "yes";
            }
        }
        panic!("the host did not answer")
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.kill();
    }
}

fn session(tmp: &Path) -> PathBuf {
    let dir = tmp.join("s");
    drop(small_session(&dir, 0));
    dir
}

fn said(prefix: &str, i: usize) -> Event {
    Event::StatementAdded {
        id: StatementId::new(format!("{prefix}-st{i}")),
        kind: StatementKind::Paraphrase,
        speaker: Speaker::Participant("P1".into()),
        stage: Some("S1".into()),
        text: format!("{prefix} says thing {i}"),
        tags: vec![],
        captured_by: prefix.into(),
        at: t(i as i64),
    }
}

fn join(
    target: Target,
    name: &str,
    outbox: PathBuf,
) -> (Proposals, mpsc::UnboundedReceiver<Reply>) {
    client::start(JoinOptions {
        target,
        name: name.into(),
        role: Role::NoteTaker,
        outbox,
    })
    .expect("start the link")
}

/// Waits for the next reply that `pick` wants, failing after `WAIT`.
async fn until<T>(
    rx: &mut mpsc::UnboundedReceiver<Reply>,
    mut pick: impl FnMut(Reply) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let r = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("timed out waiting for the host")
            .expect("the link ended");
        if let Some(t) = pick(r) {
            return t;
        }
    }
}

/// Waits until the link is up.
async fn connected(rx: &mut mpsc::UnboundedReceiver<Reply>) {
    until(rx, |r| match r {
        Reply::Link {
            connected: true, ..
        } => Some(()),
        _ => None,
    })
    .await
}

/// Waits until the link is refused or ends, failing if it comes up: what
/// the terminal was told.
async fn refused(rx: &mut mpsc::UnboundedReceiver<Reply>) -> String {
    until(rx, |r| match r {
        // Not reached yet (a busy machine; under Wine a pipe between its
        // instances): the client tries again, and the answer comes after.
        Reply::Link {
            connected: false,
            text,
        } if text.contains("the host is not running") => None,
        Reply::Link {
            connected: false,
            text,
        } => Some(text),
        Reply::Link {
            connected: true, ..
        } => panic!("joined when it should not have"),
        _ => None,
    })
    .await
}

async fn acks(rx: &mut mpsc::UnboundedReceiver<Reply>, n: usize) -> HashSet<u64> {
    let mut got = HashSet::new();
    while got.len() < n {
        let token = until(rx, |r| match r {
            Reply::Acked { token, .. } => Some(Ok(token)),
            Reply::Failed { token, error, .. } => Some(Err(format!("{token}: {error}"))),
            _ => None,
        })
        .await
        .expect("every proposal is accepted");
        got.insert(token);
    }
    got
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Statement ids in the journal, with how often each was recorded.
fn recorded(dir: &Path) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    let text = std::fs::read_to_string(journal(dir)).expect("journal");
    for line in text.lines() {
        let r = roundtable::store::record::decode(line.as_bytes()).expect("record");
        if let Event::StatementAdded { id, .. } = r.event {
            *n.entry(id.to_string()).or_default() += 1;
        }
    }
    n
}

#[test]
fn two_clients_commit_concurrently_and_the_journal_gains_exactly_their_events() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let before = roundtable::store::verify(&dir).unwrap().records;
    let mut host = Host::start(&dir, false);
    let n = per_client();
    rt().block_on(async {
        let (a, mut a_rx) = join(
            Target::Unix(host.socket.clone()),
            "A",
            tmp.path().join("a.ron"),
        );
        let (b, mut b_rx) = join(
            Target::Unix(host.socket.clone()),
            "B",
            tmp.path().join("b.ron"),
        );
        for i in 1..=n {
            a.send((i as u64, said("a", i))).unwrap();
            b.send((i as u64, said("b", i))).unwrap();
        }
        let (got_a, got_b) = tokio::join!(acks(&mut a_rx, n), acks(&mut b_rx, n));
        assert_eq!((got_a.len(), got_b.len()), (n, n));
    });
    host.kill();
    let v = roundtable::store::verify(&dir).unwrap();
    assert!(v.failure.is_none(), "{:?}", v.failure);
    assert_eq!(
        v.records,
        before + 2 * n as u64,
        "exactly one record per statement"
    );
    let ids = recorded(&dir);
    assert_eq!(ids.len(), 2 * n);
    assert!(ids.values().all(|c| *c == 1));
}

/// `roundtable-harness join`: a joined terminal without screens, in its own
/// process, proposing `ID TEXT` lines from stdin and printing what happens.
struct Joiner {
    child: Child,
    lines: std_mpsc::Receiver<String>,
}

impl Joiner {
    fn start(dir: &Path, name: &str, outbox: &Path) -> Joiner {
        let mut child = Command::new(HARNESS)
            .arg("join")
            .arg(dir)
            .args(["--as", name, "--outbox"])
            .arg(outbox)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a joined terminal");
        let lines = stdout_lines(&mut child);
        Joiner { child, lines }
    }

    fn say(&mut self, id: &str, text: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{id} {text}").expect("write to the joined terminal");
    }

    /// Waits for `n` lines starting `acked `.
    fn acked(&self, n: usize) -> Vec<String> {
        let mut got = Vec::new();
        while got.len() < n {
            let line = self.lines.recv_timeout(WAIT).expect("an acknowledgement");
            if let Some(id) = line.strip_prefix("acked ") {
                got.push(id.split(' ').next().unwrap_or_default().to_owned());
            }
        }
        got
    }
}

impl Drop for Joiner {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_client_killed_mid_stream_and_restarted_loses_and_duplicates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let _host = Host::start(&dir, false);
    let outbox = tmp.path().join("outbox.ron");
    let n = per_client().min(400);
    // First run: propose everything, and SIGKILL it after a quarter is acknowledged.
    let mut first = Joiner::start(&dir, "A", &outbox);
    for i in 1..=n {
        first.say(&format!("a-st{i}"), &format!("thing {i}"));
    }
    let acked_before = first.acked(n / 4);
    drop(first);
    // What its outbox had kept when it died: all of it must arrive.
    let kept: HashSet<String> = std::fs::read_to_string(&outbox)
        .unwrap()
        .lines()
        .filter_map(|l| l.split("id:\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    assert!(kept.len() >= acked_before.len());
    let text = std::fs::read_to_string(&outbox).unwrap();
    let unacknowledged = text.matches("Sent(").count() - text.matches("Done(").count();
    assert!(
        unacknowledged > 0,
        "killed mid-stream, with statements in flight"
    );
    // Restarted with the same outbox: it sends what was not acknowledged,
    // and goes on taking new statements.
    let mut second = Joiner::start(&dir, "A", &outbox);
    let deadline = Instant::now() + WAIT;
    while !kept.iter().all(|id| recorded(&dir).contains_key(id)) {
        assert!(
            Instant::now() < deadline,
            "the kept statements never arrived"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    second.say("a-after", "said after the restart");
    assert_eq!(second.acked(1), vec!["a-after".to_owned()]);
    drop(second);
    let ids = recorded(&dir);
    assert!(
        kept.iter().all(|id| ids.get(id) == Some(&1)),
        "each kept statement recorded once"
    );
    assert!(ids.values().all(|c| *c == 1), "nothing recorded twice");
    assert!(roundtable::store::verify(&dir).unwrap().failure.is_none());
}

/// A wrong code is refused and counted; the code stays as shown, so the
/// person who mistyped it can try again (the limits on guessing are in
/// `tests/net_attack.rs`).
#[test]
fn a_wrong_code_is_refused_and_counted_and_the_code_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let mut host = Host::start(&dir, true);
    let (addr, code) = host.lan.clone().unwrap();
    let wrong = if code == "000-000-000" {
        "111-111-111"
    } else {
        "000-000-000"
    };
    rt().block_on(async {
        for attempt in 1..=2 {
            let (_tx, mut rx) = join(
                Target::Tcp {
                    addr: addr.clone(),
                    code: wrong.into(),
                },
                &format!("guess {attempt}"),
                tmp.path().join(format!("g{attempt}.ron")),
            );
            let text = refused(&mut rx).await;
            assert!(text.contains("join code does not match"), "{text}");
        }
    });
    assert!(host.running(), "the host keeps running after wrong codes");
    for n in 1..=2 {
        let line = host
            .lines
            .recv_timeout(Duration::from_secs(20))
            .expect("the host counts each wrong code");
        assert_eq!(line, format!("wrong {n}"));
    }
    rt().block_on(async {
        let (tx, mut rx) = join(
            Target::Tcp {
                addr: addr.clone(),
                code: code.clone(),
            },
            "Sam",
            tmp.path().join("sam.ron"),
        );
        tx.send((1, said("sam", 1))).unwrap();
        acks(&mut rx, 1).await;
    });
    assert_eq!(recorded(&dir).get("sam-st1"), Some(&1));
}

#[test]
fn garbage_and_oversized_frames_leave_the_host_running() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let mut host = Host::start(&dir, true);
    let (addr, code) = host.lan.clone().unwrap();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect()
    };
    let mut frames = Vec::new();
    for i in 0..1000 {
        let body = noise(1 + i % 300);
        frames.extend_from_slice(&(body.len() as u32).to_be_bytes());
        frames.extend_from_slice(&body);
    }
    // 1,000 garbage frames on the socket and on TCP, each on its own
    // connection and all on one; then frames that claim to be huge.
    for chunk in frames.chunks(frames.len() / 50) {
        if let Ok(mut s) = common::os::raw_local(&host.socket) {
            let _ = s.write_all(chunk);
        }
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            let _ = s.write_all(chunk);
        }
    }
    for huge in [u32::MAX, 65_536, 1 << 20] {
        if let Ok(mut s) = common::os::raw_local(&host.socket) {
            let _ = s.write_all(&huge.to_be_bytes());
            let _ = s.write_all(&noise(70_000));
        }
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            let _ = s.write_all(&huge.to_be_bytes());
        }
    }
    // Well-formed but hostile: a hello claiming the last possible record.
    if let Ok(mut s) = common::os::raw_local(&host.socket) {
        let body = format!("\0Hello(name:\"edge\",role:NoteTaker,after:{})", u64::MAX);
        let _ = s.write_all(&(body.len() as u32).to_be_bytes());
        let _ = s.write_all(body.as_bytes());
        // It is welcomed (with nothing to catch up on), not dropped by a
        // panic: within 10 s.
        let (tx, rx) = std_mpsc::channel();
        std::thread::spawn(move || {
            let mut len = [0u8; 4];
            let answer = std::io::Read::read_exact(&mut s, &mut len).and_then(|()| {
                let mut answer = vec![0; u32::from_be_bytes(len) as usize];
                std::io::Read::read_exact(&mut s, &mut answer).map(|()| answer)
            });
            let _ = tx.send(answer);
        });
        let answer = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("an answer to the hello within 10 s")
            .expect("an answer to the hello");
        assert!(String::from_utf8_lossy(&answer).contains("Welcome"));
    }
    assert!(host.running(), "the host survived");
    rt().block_on(async {
        let (tx, mut rx) = join(
            Target::Unix(host.socket.clone()),
            "A",
            tmp.path().join("a.ron"),
        );
        tx.send((1, said("a", 1))).unwrap();
        acks(&mut rx, 1).await;
        let (tx, mut rx) = join(Target::Tcp { addr, code }, "B", tmp.path().join("b.ron"));
        tx.send((1, said("b", 1))).unwrap();
        acks(&mut rx, 1).await;
    });
    assert!(roundtable::store::verify(&dir).unwrap().failure.is_none());
}

#[test]
fn when_the_host_is_killed_clients_keep_their_statements_and_deliver_them_when_it_is_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let mut host = Host::start(&dir, false);
    let socket = host.socket.clone();
    rt().block_on(async {
        let (tx, mut rx) = join(Target::Unix(socket.clone()), "A", tmp.path().join("a.ron"));
        for i in 1..=5 {
            tx.send((i, said("a", i as usize))).unwrap();
        }
        acks(&mut rx, 5).await;
        host.kill();
        let text = until(&mut rx, |r| match r {
            Reply::Link {
                connected: false,
                text,
            } => Some(text),
            _ => None,
        })
        .await;
        assert!(text.starts_with("disconnected"), "{text}");
        for i in 6..=10 {
            tx.send((i, said("a", i as usize))).unwrap();
        }
        // Nothing is acknowledged while the host is away.
        let quiet = tokio::time::timeout(
            Duration::from_millis(800),
            until(&mut rx, |r| match r {
                Reply::Acked { token, .. } => Some(token),
                _ => None,
            }),
        )
        .await;
        assert!(quiet.is_err(), "acknowledged with no host");
        let _back = Host::start(&dir, false);
        let got = acks(&mut rx, 5).await;
        assert_eq!(got, (6..=10).collect());
        drop(_back);
    });
    let ids = recorded(&dir);
    assert_eq!(ids.len(), 10);
    assert!(ids.values().all(|c| *c == 1));
    assert!(roundtable::store::verify(&dir).unwrap().failure.is_none());
}

#[test]
fn a_laptop_that_joined_reconnects_with_its_token_after_the_host_restarts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let mut host = Host::start(&dir, true);
    let (addr, code) = host.lan.clone().unwrap();
    rt().block_on(async {
        let (tx, mut rx) = join(
            Target::Tcp {
                addr: addr.clone(),
                code: code.clone(),
            },
            "Sam",
            tmp.path().join("sam.ron"),
        );
        for i in 1..=3 {
            tx.send((i, said("sam", i as usize))).unwrap();
        }
        acks(&mut rx, 3).await;
        host.kill();
        common::os::assert_owner_only(
            &dir.join("devices.ron"),
            "device tokens are for the owner's eyes only",
        );
        for i in 4..=6 {
            tx.send((i, said("sam", i as usize))).unwrap();
        }
        // A new host process makes a new code; the laptop needs none.
        let back = Host::start_at(&dir, Some(&addr));
        assert_ne!(back.lan.as_ref().unwrap().1, code);
        let got = acks(&mut rx, 3).await;
        assert_eq!(got, (4..=6).collect());
    });
    let ids = recorded(&dir);
    assert_eq!(ids.len(), 6);
    assert!(ids.values().all(|c| *c == 1));
}

/// A snapshot that renames a statement, recomputing its own hash, must not
/// let a joined terminal's retraction of the renamed id reach the journal:
/// the host proves the snapshot by a full replay before writing anything.
#[test]
fn a_forged_snapshot_cannot_make_the_host_append_what_a_replay_rejects() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let mut w = small_session(&dir, 3);
    w.snapshot().unwrap();
    drop(w);
    forge_snapshot(&dir, "\"st2\"", "\"st9\"");
    let host = Host::start(&dir, false);
    let retract = |id: &str| Event::StatementRetracted {
        statement: id.into(),
        reason: "misheard".into(),
        by: "Sam".into(),
        at: t(50),
    };
    rt().block_on(async {
        let (tx, mut rx) = join(
            Target::Unix(host.socket.clone()),
            "Sam",
            tmp.path().join("outbox.ron"),
        );
        tx.send((1, retract("st9"))).unwrap();
        let refused = until(&mut rx, |r| match r {
            Reply::Failed {
                token: 1, error, ..
            } => Some(Ok(error)),
            Reply::Acked { token: 1, seq } => Some(Err(seq)),
            _ => None,
        })
        .await
        .expect("the retraction of a statement only the forged snapshot has is refused");
        assert!(refused.contains("st9"), "{refused}");
        // A statement Sam took down, which Sam may retract.
        tx.send((2, said("sam", 1))).unwrap();
        tx.send((3, retract("sam-st1"))).unwrap();
        until(&mut rx, |r| match r {
            Reply::Acked { token: 3, .. } => Some(()),
            Reply::Failed { error, .. } => panic!("{error}"),
            _ => None,
        })
        .await;
    });
    drop(host);
    let v = roundtable::store::verify(&dir).unwrap();
    assert!(v.failure.is_none(), "{:?}", v.failure);
    assert_eq!(
        v.records, 8,
        "only Sam's statement and its genuine retraction were added"
    );
    // The host rewrote the snapshot from the journal.
    assert!(v.snapshot_mismatch.is_none(), "{:?}", v.snapshot_mismatch);
}

/// What the room sees is a record: a joined viewer's projector follows the
/// facilitator's choice, and a note-taker may not make it.
#[test]
fn what_the_room_sees_reaches_every_projector_and_only_the_host_chooses_it() {
    use roundtable::live::{Origin, Request};
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let (w, _) = roundtable::store::Writer::open(&dir, t(0)).unwrap();
    let hosting = roundtable::live::host(w, "facilitator".into(), Default::default());
    let mut replies = hosting.replies;
    std::thread::spawn(move || while replies.blocking_recv().is_some() {});
    let listening = hosting.listening.unwrap();
    let shows = Event::RoomShows {
        view: RoomView::Latest,
        at: t(5),
    };
    rt().block_on(async {
        let (_viewer, mut seen) = client::start(JoinOptions {
            target: Target::Unix(listening.socket.clone()),
            name: "wall".into(),
            role: Role::Viewer,
            outbox: tmp.path().join("viewer.ron"),
        })
        .unwrap();
        until(&mut seen, |r| {
            matches!(
                r,
                Reply::Link {
                    connected: true,
                    ..
                }
            )
            .then_some(())
        })
        .await;
        hosting
            .store
            .send(Request {
                token: 1,
                event: shows.clone(),
                from: Origin::Local,
            })
            .unwrap();
        until(&mut seen, |r| match r {
            Reply::Applied { event, .. } if event == shows => Some(()),
            _ => None,
        })
        .await;
        let (sam, mut sam_rx) = join(
            Target::Unix(listening.socket.clone()),
            "Sam",
            tmp.path().join("sam.ron"),
        );
        sam.send((1, shows.clone())).unwrap();
        let refused = until(&mut sam_rx, |r| match r {
            Reply::Failed { error, .. } => Some(error),
            Reply::Acked { .. } => Some("accepted".into()),
            _ => None,
        })
        .await;
        assert!(refused.contains("ask the facilitator"), "{refused}");
    });
    listening.stop();
}

/// Closing a hidden round and revealing it used to make the vote vanish
/// from a joined projector. Now the viewer's own screen shows the result:
/// every option with its count and share, and each role group's count.
#[test]
fn close_and_reveal_shows_the_result_by_role_group_on_a_joined_viewer() {
    use roundtable::app::{App, Model, Msg, keymap::Keymap, update};
    use roundtable::live::{Origin, Request};
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let (w, _) = roundtable::store::Writer::open(&dir, t(0)).unwrap();
    let hosting = roundtable::live::host(w, "facilitator".into(), Default::default());
    let mut replies = hosting.replies;
    std::thread::spawn(move || while replies.blocking_recv().is_some() {});
    let listening = hosting.listening.unwrap();
    let person = |id: &str, role| Event::ParticipantAdded {
        participant: Participant::consenting(id, role),
    };
    let ballot = |who: &str, score| Event::BallotCast {
        round: "v1".into(),
        participant: who.into(),
        choice: Choice::Resonance(score),
        at: t(12),
        recorded_by: "note-taker".into(),
    };
    let opened = vec![
        person("P2", roundtable::domain::Role::UnpaidCarer),
        person("P3", roundtable::domain::Role::Staff),
        Event::VoteOpened {
            id: "v1".into(),
            target: VoteTarget::Question,
            question: "Does this finding ring true for the people you care for at home?".into(),
            method: VoteMethod::Resonance,
            mode: BallotMode::PerParticipant,
            hidden: true,
            named: false,
            stage: None,
            at: t(10),
        },
        ballot("P1", 4),
        ballot("P2", 4),
        ballot("P3", 2),
    ];
    let revealed = vec![
        Event::VoteClosed {
            round: "v1".into(),
            at: t(20),
        },
        Event::RoomShows {
            view: RoomView::Results("v1".into()),
            at: t(20),
        },
    ];
    let mut wall = Model::joined(App::new(Keymap::default(), "wall"), "w-".into(), true);
    let screen = |wall: &Model| {
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        term.draw(|f| {
            roundtable::ui::render(
                f,
                &wall.app,
                &wall.session.read(),
                t(21),
                &Default::default(),
            )
        })
        .unwrap();
        screen_text(&term)
    };
    rt().block_on(async {
        let (_viewer, mut seen) = client::start(JoinOptions {
            target: Target::Unix(listening.socket.clone()),
            name: "wall".into(),
            role: Role::Viewer,
            outbox: tmp.path().join("viewer.ron"),
        })
        .unwrap();
        let mut token = 0;
        for events in [opened, revealed] {
            let last = events.last().cloned().unwrap();
            for event in events {
                token += 1;
                hosting
                    .store
                    .send(Request {
                        token,
                        event,
                        from: Origin::Local,
                    })
                    .unwrap();
            }
            // The viewer's screens take each record as it arrives.
            until(&mut seen, |r| {
                let done = matches!(&r, Reply::Applied { event, .. } if *event == last);
                update(&mut wall, Msg::from(r), t(21));
                done.then_some(())
            })
            .await;
            let shown = screen(&wall);
            if matches!(last, Event::BallotCast { .. }) {
                assert!(
                    shown.contains("Results hidden until the round closes · 3 ballots in"),
                    "{shown}"
                );
                assert!(!shown.contains("2 (67%)"), "{shown}");
            }
        }
    });
    let shown = screen(&wall);
    for expected in [
        "Results · round v1 · resonance 1-5 · closed",
        "Does this finding ring true for the people you care for at home?",
        "users  carers  staff  others",
        "2 (67%)",
        "1 (33%)",
        "3 voted · middle answer: 4",
    ] {
        assert!(
            shown.contains(expected),
            "`{expected}` on the wall:\n{shown}"
        );
    }
    // Row "4": one service user and one carer; row "2": one staff member.
    let row = |label: &str| {
        shown
            .lines()
            .find(|l| l.starts_with(&format!("│{label} ")))
            .unwrap_or_else(|| panic!("no row {label}:\n{shown}"))
            .trim_end_matches('│')
            .split_whitespace()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row("4"),
        ["0", "0", "1", "1"],
        "others, staff, carers, users"
    );
    assert_eq!(row("2"), ["0", "1", "0", "0"]);
    listening.stop();
}

/// Who captured a statement or took a ballot down, and when, is what the
/// connection authenticated as and the host's clock, not what the joined
/// terminal wrote in the event; a note-taker cannot retract another's
/// statement; and the export shows the host's stamp.
#[test]
fn the_host_stamps_who_did_it_and_when_from_the_connection() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    // st1 was taken down by the facilitator.
    drop(small_session(&dir, 1));
    let mut host = Host::start(&dir, false);
    let forged = |i: usize, when: Timestamp| {
        let mut e = said("sam-forged", i);
        if let Event::StatementAdded {
            captured_by, at, ..
        } = &mut e
        {
            *captured_by = "facilitator".into();
            *at = when;
        }
        e
    };
    let before = roundtable::ops::locate::now();
    let refused = rt().block_on(async {
        let (sam, mut rx) = join(
            Target::Unix(host.socket.clone()),
            "Sam",
            tmp.path().join("sam.ron"),
        );
        sam.send((1, forged(1, Timestamp::from_unix_millis(0))))
            .unwrap();
        sam.send((
            2,
            forged(2, Timestamp::from_unix_millis(253_402_300_799_000)),
        ))
        .unwrap();
        assert_eq!(acks(&mut rx, 2).await.len(), 2);
        sam.send((
            3,
            Event::StatementRetracted {
                statement: "st1".into(),
                reason: "never said".into(),
                by: "facilitator".into(),
                at: t(99),
            },
        ))
        .unwrap();
        until(&mut rx, |r| match r {
            Reply::Failed {
                token: 3, error, ..
            } => Some(error),
            Reply::Acked { token: 3, .. } => panic!("Sam retracted the facilitator's statement"),
            _ => None,
        })
        .await
    });
    let after = roundtable::ops::locate::now();
    assert!(refused.contains("only"), "says why: {refused}");
    host.kill();
    let r = roundtable::store::open_read_only(&dir).unwrap();
    assert!(!r.session.statements["st1"].is_retracted());
    for id in ["sam-forged-st1", "sam-forged-st2"] {
        let st = &r.session.statements[id];
        assert_eq!(st.original.by, "note-taker Sam");
        assert!(
            before <= st.original.at && st.original.at <= after,
            "{id} stamped {} by the host's clock",
            st.original.at
        );
    }
    // The researcher's spreadsheet shows the host's stamp: by name when
    // names are asked for, by role otherwise.
    let plain = roundtable::export::csv::statements(&r.session, Default::default()).to_csv();
    assert!(
        !plain.contains("Sam") && plain.contains(",note-taker 2,"),
        "{plain}"
    );
    let text = roundtable::export::csv::statements(
        &r.session,
        roundtable::export::Privacy { names: true },
    )
    .to_csv();
    let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).expect(name);
    let (id, by, at) = (col("id"), col("captured_by"), col("captured_at"));
    let mut seen = 0;
    for row in rows.records() {
        let row = row.unwrap();
        if row[id].starts_with("sam-forged") {
            seen += 1;
            assert_eq!(&row[by], "note-taker Sam");
            assert!(
                !row[at].starts_with("1970") && !row[at].starts_with("9999"),
                "{}",
                &row[at]
            );
        }
    }
    assert_eq!(seen, 2);
}

/// The facilitator removes a laptop: it is disconnected and told why, does
/// not come back on its own, its device token no longer works, and the
/// code it knew is replaced by a new one on the projector.
#[test]
fn a_removed_laptop_is_told_stays_out_and_needs_the_new_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let mut host = Host::start(&dir, true);
    let (addr, old_code) = host.lan.clone().unwrap();
    let tcp = |code: &str| Target::Tcp {
        addr: addr.clone(),
        code: code.to_owned(),
    };
    let rt = rt();
    let (tx, mut rx) = rt.block_on(async {
        let (tx, mut rx) = join(tcp(&old_code), "Sam", tmp.path().join("sam.ron"));
        tx.send((1, said("sam", 1))).unwrap();
        acks(&mut rx, 1).await;
        (tx, rx)
    });
    let devices = || std::fs::read_to_string(dir.join("devices.ron")).unwrap_or_default();
    assert!(devices().contains("Sam"), "{}", devices());
    assert_eq!(host.remove("Nobody (note-taker)"), (false, None));
    let (removed, new_code) = host.remove("Sam (note-taker)");
    assert!(removed);
    let new_code = new_code.expect("a new code is shown");
    assert_ne!(new_code, old_code);
    assert!(
        !devices().contains("Sam"),
        "the token is revoked: {}",
        devices()
    );
    rt.block_on(async {
        let told = until(&mut rx, |r| match r {
            Reply::Link {
                connected: false,
                text,
            } => Some(text),
            _ => None,
        })
        .await;
        assert!(told.contains("removed by the facilitator"), "{told}");
        assert!(told.contains("code"), "says how to come back: {told}");
        // It does not come back on its own, and what is typed there now is
        // not saved.
        tx.send((2, said("sam", 2))).unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
        while let Ok(Some(r)) = tokio::time::timeout_at(deadline, rx.recv()).await {
            match r {
                Reply::Link {
                    connected: true, ..
                } => panic!("the removed laptop came back"),
                Reply::Acked { token: 2, .. } => panic!("saved after removal"),
                _ => {}
            }
        }
        // The old code no longer opens the door; the new one does.
        let (_old, mut old_rx) = join(tcp(&old_code), "Sam", tmp.path().join("sam2.ron"));
        let refused = until(&mut old_rx, |r| match r {
            Reply::Link { connected, text } => Some((connected, text)),
            _ => None,
        })
        .await;
        assert!(!refused.0 && refused.1.contains("join code"), "{refused:?}");
        let (_new, mut new_rx) = join(tcp(&new_code), "Sam", tmp.path().join("sam3.ron"));
        connected(&mut new_rx).await;
    });
    assert_eq!(recorded(&dir).len(), 1, "only what Sam said before removal");
}

#[test]
fn the_list_of_who_is_connected_reads_by_name_whoever_joined_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, false);
    let rt = rt();
    rt.block_on(async {
        // Wall joins first, then Sam: the list still reads Sam, Wall.
        let (_wall, mut wall_rx) = join(
            Target::Unix(host.socket.clone()),
            "Wall",
            tmp.path().join("wall.ron"),
        );
        until(&mut wall_rx, |r| match r {
            Reply::Peers(names) if names.len() == 1 => Some(()),
            _ => None,
        })
        .await;
        let (_sam, _sam_rx) = join(
            Target::Unix(host.socket.clone()),
            "Sam",
            tmp.path().join("sam.ron"),
        );
        let both = until(&mut wall_rx, |r| match r {
            Reply::Peers(names) if names.len() == 2 => Some(names),
            _ => None,
        })
        .await;
        assert_eq!(both, ["Sam (note-taker)", "Wall (note-taker)"]);
    });
}

#[test]
fn a_device_token_serves_only_its_own_name_and_one_connection_at_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, true);
    let (addr, code) = host.lan.clone().unwrap();
    let tcp = |code: &str| Target::Tcp {
        addr: addr.clone(),
        code: code.to_owned(),
    };
    let wrong = if code.starts_with('1') { "2" } else { "1" }.repeat(9);
    let rt = rt();
    rt.block_on(async {
        let sam_box = tmp.path().join("sam.ron");
        let (_sam, mut sam_rx) = join(tcp(&code), "Sam", sam_box.clone());
        connected(&mut sam_rx).await;
        // Sam's device token, copied to another laptop that calls itself
        // Alex, with a wrong code to fall back on: refused, and says why.
        let alex_box = tmp.path().join("alex.ron");
        std::fs::copy(&sam_box, &alex_box).unwrap();
        let (_alex, mut alex_rx) = join(tcp(&wrong), "Alex", alex_box);
        let told = refused(&mut alex_rx).await;
        assert!(told.contains("joined as `Sam`"), "{told}");
        // The same token under Sam's own name from a second connection
        // replaces the first, which is told and does not fight back.
        let again_box = tmp.path().join("sam-again.ron");
        std::fs::copy(&sam_box, &again_box).unwrap();
        let (_again, mut again_rx) = join(tcp(&wrong), "Sam", again_box);
        connected(&mut again_rx).await;
        let told = until(&mut sam_rx, |r| match r {
            Reply::Link {
                connected: false,
                text,
            } => Some(text),
            _ => None,
        })
        .await;
        assert!(told.contains("newer connection"), "{told}");
        let peers = until(&mut again_rx, |r| match r {
            Reply::Peers(names) => Some(names),
            _ => None,
        })
        .await;
        assert_eq!(peers, ["Sam (note-taker)"], "one connection for Sam");
    });
}

/// A note-taker's laptop keeps no statement the host has: once it is
/// acknowledged its words leave the outbox, and a clean quit with nothing
/// left to send leaves no outbox at all.
#[test]
fn a_note_takers_outbox_keeps_only_what_the_host_has_not_acknowledged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, false);
    let outbox = tmp.path().join("outbox.ron");
    rt().block_on(async {
        let (tx, mut rx) = join(Target::Unix(host.socket.clone()), "Sam", outbox.clone());
        connected(&mut rx).await;
        for i in 1..=3 {
            tx.send((i as u64, said("sam", i))).unwrap();
            until(&mut rx, |r| match r {
                Reply::Acked { token, .. } if token == i as u64 => Some(()),
                Reply::Failed { error, .. } => panic!("{error}"),
                _ => None,
            })
            .await;
        }
        // The acknowledgement reaches the screen a moment before the
        // outbox lets go.
        let deadline = Instant::now() + WAIT;
        loop {
            let kept = std::fs::read_to_string(&outbox).unwrap_or_default();
            if !kept.contains("says thing") {
                break;
            }
            assert!(Instant::now() < deadline, "the outbox still holds:\n{kept}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Quitting: the link ends when the screens let go of it. A terminal
        // on this computer has no device token, so nothing is left; a
        // laptop keeps only its token (`a_note_takers_name_is_tied_to_their_laptop`).
        drop(tx);
        let deadline = Instant::now() + WAIT;
        while outbox.exists() {
            assert!(
                Instant::now() < deadline,
                "the outbox is still there after a clean quit"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    drop(host);
    assert_eq!(recorded(&dir).len(), 3, "all three are in the journal");
}

/// A note-taker's terminal pasting long statements as fast as it can is
/// held to a person's pace, loses none of them, and the facilitator is
/// told who it is.
#[test]
fn a_note_taker_sending_too_much_is_slowed_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, false);
    let n = 30u64;
    let long = "a long statement pasted again and again. ".repeat(240);
    let started = Instant::now();
    rt().block_on(async {
        let (tx, mut rx) = join(
            Target::Unix(host.socket.clone()),
            "Sam",
            tmp.path().join("o.ron"),
        );
        connected(&mut rx).await;
        for i in 1..=n {
            let mut e = said("sam", i as usize);
            if let Event::StatementAdded { text, .. } = &mut e {
                *text = long.clone();
            }
            tx.send((i, e)).unwrap();
        }
        let mut acked = 0;
        while acked < n {
            match tokio::time::timeout(Duration::from_secs(60), rx.recv()).await {
                Ok(Some(Reply::Acked { .. })) => acked += 1,
                Ok(Some(Reply::Failed { error, .. })) => panic!("{error}"),
                Ok(Some(_)) => {}
                _ => panic!("only {acked} of {n} saved"),
            }
        }
    });
    let took = started.elapsed();
    // 30 statements of about 10 KB: 256 KiB at once, then 16 KiB a second.
    assert!(took >= Duration::from_secs(2), "{took:?}: not slowed");
    assert_eq!(recorded(&dir).len() as u64, n, "every one saved once");
    let told = (0..100).find_map(|_| {
        host.lines
            .recv_timeout(Duration::from_secs(5))
            .ok()
            .filter(|l| l.starts_with("flooding "))
    });
    assert_eq!(told.as_deref(), Some("flooding Sam (note-taker)"));
}

/// A terminal's name is listed on the projector as `Sam (note-taker)`,
/// joined by commas: a name with a comma or brackets could pass for two
/// terminals, and is refused.
#[test]
fn a_name_that_could_pass_for_two_terminals_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, false);
    rt().block_on(async {
        let (_tx, mut rx) = join(
            Target::Unix(host.socket.clone()),
            "Sam (note-taker), Wall",
            tmp.path().join("o.ron"),
        );
        let said = refused(&mut rx).await;
        assert!(said.contains("without commas, brackets"), "{said}");
    });
}

/// A note-taker's name belongs to the laptop that first joined under it:
/// someone else with the join code cannot take it (and retract what Alex
/// took down) while Alex is away; Alex's laptop comes back as Alex; only
/// the facilitator frees the name for another laptop.
#[test]
fn a_note_takers_name_is_tied_to_their_laptop() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let mut host = Host::start(&dir, true);
    let (addr, code) = host.lan.clone().unwrap();
    let tcp = || Target::Tcp {
        addr: addr.clone(),
        code: code.clone(),
    };
    rt().block_on(async {
        // Alex takes something down, then closes the laptop.
        let (tx, mut rx) = join(tcp(), "Alex", tmp.path().join("alex.ron"));
        tx.send((1, said("alex", 1))).unwrap();
        acks(&mut rx, 1).await;
        drop(tx);
        tokio::time::sleep(Duration::from_millis(300)).await;
        // What is left on Alex's laptop: the device token, no words.
        let kept = std::fs::read_to_string(tmp.path().join("alex.ron")).unwrap();
        assert!(
            kept.starts_with("Token(") && !kept.contains("says thing"),
            "{kept}"
        );
        // Mallory, with the code from the projector, tries to be Alex.
        let (_m, mut mrx) = join(tcp(), "Alex", tmp.path().join("mallory.ron"));
        let why = refused(&mut mrx).await;
        assert!(why.contains("belongs to another laptop"), "{why}");
        // Alex's own laptop comes back as Alex.
        let (tx, mut rx) = join(tcp(), "Alex", tmp.path().join("alex.ron"));
        tx.send((2, said("alex", 2))).unwrap();
        acks(&mut rx, 1).await;
    });
    let claimed = (0..50).find_map(|_| {
        host.lines
            .recv_timeout(Duration::from_millis(200))
            .ok()
            .filter(|l| l.starts_with("claimed "))
    });
    assert_eq!(
        claimed.as_deref(),
        Some("claimed Alex"),
        "the facilitator is told"
    );
    assert_eq!(recorded(&dir).len(), 2);
    // The facilitator frees the name: the new laptop joins as Alex.
    assert!(host.free("Alex"));
    rt().block_on(async {
        let (tx, mut rx) = join(tcp(), "Alex", tmp.path().join("new.ron"));
        tx.send((1, said("alex", 3))).unwrap();
        acks(&mut rx, 1).await;
    });
}

/// Each seat gets and may propose only what its role needs: no terminal
/// is sent a participant's real name; a note-taker may not record one, nor
/// make an id outside its own prefix.
#[test]
fn a_joined_terminal_gets_no_real_names_and_proposes_only_its_own() {
    use roundtable::domain::{Participant, Role as PRole};
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, false);
    rt().block_on(async {
        for role in [Role::Viewer, Role::NoteTaker] {
            let (tx, mut rx) = client::start(JoinOptions {
                target: Target::Unix(host.socket.clone()),
                name: "Sam".into(),
                role,
                outbox: tmp.path().join(format!("{role:?}.ron")),
            })
            .unwrap();
            let added = until(&mut rx, |r| match r {
                Reply::Applied {
                    event: Event::ParticipantAdded { participant },
                    ..
                } => Some(participant),
                _ => None,
            })
            .await;
            assert_eq!(added.real_name, None, "{role:?} was sent a real name");
            if role == Role::NoteTaker {
                let named = Event::ParticipantAdded {
                    participant: Participant {
                        id: "P9".into(),
                        role: PRole::UnpaidCarer,
                        sector: None,
                        level: None,
                        real_name: Some("Ann Other".into()),
                        consent: true,
                        person: None,
                        attributes: Default::default(),
                    },
                };
                tx.send((1, named)).unwrap();
                tx.send((2, said("st", 200))).unwrap();
                for token in [1, 2] {
                    let why = until(&mut rx, |r| match r {
                        Reply::Failed {
                            token: t, error, ..
                        } if t == token => Some(error),
                        Reply::Acked { token: t, .. } if t == token => {
                            panic!("proposal {token} was accepted")
                        }
                        _ => None,
                    })
                    .await;
                    assert!(
                        why.contains("real name") || why.contains("not one of this terminal's ids"),
                        "{why}"
                    );
                }
            }
        }
    });
    assert!(
        !std::fs::read_to_string(dir.join("journal.ron"))
            .unwrap()
            .contains("Ann Other")
    );
}

/// When the host's journal is replaced under it, a note-taker's statement
/// is neither saved nor refused: it stays in the note-taker's outbox, to be
/// sent when the host runs again.
#[test]
fn a_note_takers_statement_waits_in_the_outbox_while_the_hosts_journal_is_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, false);
    let outbox = tmp.path().join("sam.ron");
    rt().block_on(async {
        let (tx, mut rx) = join(Target::Unix(host.socket.clone()), "Sam", outbox.clone());
        connected(&mut rx).await;
        let journal = dir.join("journal.ron");
        std::fs::copy(&journal, dir.join(".j")).unwrap();
        if let Err(e) = std::fs::rename(dir.join(".j"), &journal) {
            // Windows refuses to replace a journal the host holds open: the
            // statement is then simply saved.
            assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied, "{e}");
            tx.send((1, said("sam", 1))).unwrap();
            acks(&mut rx, 1).await;
            return;
        }
        tx.send((1, said("sam", 1))).unwrap();
        let answer = tokio::time::timeout(Duration::from_secs(2), async {
            loop {
                match rx.recv().await {
                    Some(Reply::Acked { .. }) => return "saved",
                    Some(Reply::Failed { .. }) => return "refused",
                    Some(_) => {}
                    None => return "closed",
                }
            }
        })
        .await;
        assert!(answer.is_err(), "it was {answer:?}");
        let kept = std::fs::read_to_string(&outbox).unwrap();
        assert!(kept.contains("sam says thing 1"), "{kept}");
    });
}

/// An outbox line as an earlier run wrote it.
fn outbox_line(nonce: u64, event: &Event) -> String {
    format!("Sent({nonce},{})\n", ron::to_string(event).unwrap())
}

/// An outbox whose last nonce is the largest number there is: the line is
/// set aside as damaged (its words kept beside the outbox, the note-taker
/// told), and the next statement is acknowledged instead of waiting for ever.
#[test]
fn an_outbox_nonce_at_the_end_of_its_range_is_set_aside_and_nothing_waits_for_ever() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, false);
    let outbox = tmp.path().join("outbox.ron");
    std::fs::write(&outbox, outbox_line(u64::MAX, &said("old", 1))).unwrap();
    rt().block_on(async {
        let (tx, mut rx) = join(Target::Unix(host.socket.clone()), "Sam", outbox.clone());
        let told = until(&mut rx, |r| match r {
            Reply::Problem(text) => Some(text),
            _ => None,
        })
        .await;
        assert!(
            told.contains("NOT SENT") && told.contains("out of range"),
            "{told}"
        );
        connected(&mut rx).await;
        tx.send((1, said("sam", 2))).unwrap();
        until(&mut rx, |r| match r {
            Reply::Acked { token: 1, .. } => Some(()),
            Reply::Failed { error, .. } => panic!("{error}"),
            _ => None,
        })
        .await;
    });
    drop(host);
    let kept = std::fs::read_to_string(tmp.path().join("outbox.ron.not-delivered.txt")).unwrap();
    assert!(kept.contains("old says thing 1"), "{kept}");
    assert_eq!(recorded(&dir).get("sam-st2"), Some(&1));
}

/// An outbox from an earlier run with a damaged middle line, a line of a
/// kind this version does not know, and a statement the host refuses (over
/// the length limit): what can be sent is, and nothing else is dropped
/// silently: the unread lines and the refused statement are kept beside the
/// outbox, and the note-taker is told each.
#[test]
fn an_outbox_never_loses_unsent_statements_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let host = Host::start(&dir, false);
    let outbox = tmp.path().join("outbox.ron");
    let mut long = said("sam", 3);
    if let Event::StatementAdded { text, .. } = &mut long {
        *text = format!("the refused one {}", "x".repeat(10_001));
    }
    let text = [
        outbox_line(1, &said("sam", 1)),
        "Sent(2,StatementAdded(id:\"sam-st2\",kind:Quote,text:\"half a li\n".into(),
        "Shouted(3,\"a kind from a newer version\")\n".into(),
        outbox_line(4, &long),
        outbox_line(5, &said("sam", 5)),
    ]
    .concat();
    std::fs::write(&outbox, text).unwrap();
    let mut told = Vec::new();
    rt().block_on(async {
        let (_tx, mut rx) = join(Target::Unix(host.socket.clone()), "Sam", outbox.clone());
        while told.len() < 2 {
            told.push(
                until(&mut rx, |r| match r {
                    Reply::Problem(text) => Some(text),
                    _ => None,
                })
                .await,
            );
        }
        let deadline = Instant::now() + WAIT;
        while !["sam-st1", "sam-st5"]
            .iter()
            .all(|id| recorded(&dir).contains_key(*id))
        {
            assert!(
                Instant::now() < deadline,
                "what could be sent never arrived: {:?} {told:?}",
                recorded(&dir)
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    drop(host);
    let told = told.join("\n");
    assert!(told.contains("2 line(s) of the outbox"), "{told}");
    assert!(
        told.contains("line 2: it is damaged") && told.contains("line 3:"),
        "{told}"
    );
    assert!(told.contains("NOT SAVED: the host refused"), "{told}");
    let kept = std::fs::read_to_string(tmp.path().join("outbox.ron.not-delivered.txt")).unwrap();
    assert!(kept.contains("half a li"), "{kept}");
    assert!(kept.contains("a kind from a newer version"), "{kept}");
    assert!(kept.contains("the refused one"), "{kept}");
    let ids = recorded(&dir);
    assert_eq!(ids.get("sam-st1"), Some(&1), "{ids:?}");
    assert_eq!(ids.get("sam-st5"), Some(&1), "{ids:?}");
    let left = std::fs::read_to_string(&outbox).unwrap_or_default();
    assert!(!left.contains("the refused one"), "{left}");
}

/// The local channel a second terminal joins by (a Unix socket, or a named
/// pipe on Windows) belongs to one host: a second host for the same session
/// is refused while the first listens; once the first has been killed, its
/// leftover socket or marker does not keep a new host out.
#[test]
fn a_second_host_for_the_same_session_is_refused_until_the_first_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = session(tmp.path());
    let mut host = Host::start(&dir, false);
    let socket = host.socket.clone();
    assert!(roundtable::os::local::present(&socket));
    // On Windows the first host's pipe is made once its runtime accepts,
    // a moment after it says where it listens: until then a second bind
    // finds no pipe (the second host's own start is refused then, by the
    // pipe's first instance). Asked again for a while.
    let deadline = Instant::now() + WAIT;
    let e = loop {
        match roundtable::os::local::bind(&socket) {
            Err(e) => break e,
            Ok(_) => {
                assert!(Instant::now() < deadline, "a second host is refused");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    };
    assert!(e.to_string().contains("is in use"), "{e}");
    host.kill();
    let again = roundtable::os::local::bind(&socket);
    assert!(again.is_ok(), "{:?}", again.err());
}

/// A note-taker may now put an action's words right and say what became of
/// it (issue 31): the host stamps when, by its own clock, whatever time the
/// terminal claimed, as for everything else a joined terminal proposes.
#[test]
fn the_host_stamps_the_time_of_an_actions_correction_and_status() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    drop(small_session(&dir, 1));
    let host = Host::start(&dir, false);
    let forged = Timestamp::from_unix_millis(0);
    let before = roundtable::ops::locate::now();
    rt().block_on(async {
        let (sam, mut rx) = join(
            Target::Unix(host.socket.clone()),
            "Sam",
            tmp.path().join("sam.ron"),
        );
        for (i, e) in [
            Event::ActionAdded {
                id: "sam-a1".into(),
                what: "Send the notes".into(),
                who: "Sam".into(),
                by_when: "Friday".into(),
                from: None,
                at: forged,
            },
            Event::ActionCorrected {
                action: "sam-a1".into(),
                what: "Send the notes and slides".into(),
                who: "Sam".into(),
                by_when: "Monday".into(),
                at: forged,
            },
            Event::ActionStatusChanged {
                action: "sam-a1".into(),
                status: ActionStatus::Done,
                note: "sent".into(),
                at: forged,
            },
        ]
        .into_iter()
        .enumerate()
        {
            sam.send((i as u64 + 1, e)).unwrap();
        }
        assert_eq!(acks(&mut rx, 3).await.len(), 3);
    });
    let after = roundtable::ops::locate::now();
    drop(host);
    let mut stamped = Vec::new();
    roundtable::store::journal::scan(&dir.join("journal.ron"), 1, 0, &mut |r| {
        if let Event::ActionAdded { at, .. }
        | Event::ActionCorrected { at, .. }
        | Event::ActionStatusChanged { at, .. } = r.event
        {
            stamped.push(at);
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(stamped.len(), 3);
    for at in stamped {
        assert!(
            before <= at && at <= after,
            "stamped {at}, not by the host's clock"
        );
    }
}
