//! Participants' phones against a real host on loopback: join, vote in an
//! anonymous round, send a statement the facilitator accepts, raise a hand;
//! and what a listener on the network, or a replaying or guessing attacker,
//! gets.

use roundtable::domain::{BallotMode, Event, RoundId, Timestamp, VoteMethod, VoteTarget};
use roundtable::live::{Listen, Origin, Reply, Request};
use roundtable::net::phones::seal::Seal;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod common;
use common::phone::{Phone, http};

fn example(tmp: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/2026-03-14-cag-findings");
    let to = tmp.join("s");
    std::fs::create_dir_all(&to).unwrap();
    for f in ["journal.ron", "snapshot.ron"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
    to
}

fn open_round(store: &std::sync::mpsc::Sender<Request>, id: &str, mode: BallotMode) {
    open_round_with(store, id, mode, VoteMethod::Resonance);
}

fn open_round_with(
    store: &std::sync::mpsc::Sender<Request>,
    id: &str,
    mode: BallotMode,
    method: VoteMethod,
) {
    store
        .send(Request {
            token: 1,
            event: Event::VoteOpened {
                id: RoundId::new(id),
                // A statement of the example's: phones show its words.
                target: VoteTarget::Statement("st3".into()),
                question: "How strongly does this resonate?".into(),
                method,
                mode,
                hidden: false,
                named: false,
                stage: None,
                at: Timestamp::from_unix_millis(0),
            },
            from: Origin::Local,
        })
        .unwrap();
}

/// The session in `dir` hosted in this process with phones on loopback;
/// what the host tells its screens is read and let go.
fn hosted_with_phones(dir: &Path) -> roundtable::live::Hosting {
    let (w, _) = roundtable::store::Writer::open(dir, Timestamp::from_unix_millis(0)).unwrap();
    let mut hosting = roundtable::live::host(
        w,
        "facilitator".into(),
        Listen {
            lan: None,
            phones: Some("127.0.0.1:0".parse().unwrap()),
        },
    );
    let (_, mut replies) = tokio::sync::mpsc::unbounded_channel();
    std::mem::swap(&mut replies, &mut hosting.replies);
    std::thread::spawn(move || while replies.blocking_recv().is_some() {});
    hosting
}

fn journal_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("journal.ron"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The shipped example hosted in this process with phones on loopback and
/// an anonymous resonance round `v9` open.
struct Hosted {
    tmp: tempfile::TempDir,
    dir: PathBuf,
    session: roundtable::store::Shared,
    store: std::sync::mpsc::Sender<Request>,
    phones: roundtable::net::phones::Phones,
    listening: roundtable::net::host::Listening,
    /// What the host tells its screens.
    seen: std::sync::mpsc::Receiver<Reply>,
}

impl Hosted {
    fn start() -> Hosted {
        let tmp = tempfile::tempdir().unwrap();
        let dir = example(tmp.path());
        let (w, _) = roundtable::store::Writer::open(&dir, Timestamp::from_unix_millis(0)).unwrap();
        let session = w.shared();
        let hosting = roundtable::live::host(
            w,
            "facilitator".into(),
            Listen {
                lan: None,
                phones: Some("127.0.0.1:0".parse().unwrap()),
            },
        );
        let (seen_tx, seen) = std::sync::mpsc::channel();
        let mut replies = hosting.replies;
        std::thread::spawn(move || {
            while let Some(r) = replies.blocking_recv() {
                let _ = seen_tx.send(r);
            }
        });
        let room = Hosted {
            tmp,
            dir,
            session,
            store: hosting.store,
            phones: hosting.phones.unwrap().unwrap(),
            listening: hosting.listening.unwrap(),
            seen,
        };
        open_round(&room.store, "v9", BallotMode::Anonymous);
        room.wait_saved();
        room
    }

    /// The facilitator takes phone statement `n` in at the host, as
    /// statement `id`: its record's number once saved.
    fn accept(&self, n: u64, id: &str) -> u64 {
        let said = self.phones.settle(n, true).expect("still waiting");
        let event = roundtable::net::phones::statement_from(
            &said,
            id.into(),
            None,
            "facilitator",
            Timestamp::from_unix_millis(0),
        );
        self.store
            .send(Request {
                token: n,
                event,
                from: Origin::Local,
            })
            .unwrap();
        self.wait_saved()
    }

    /// The facilitator lets `who`'s phone in, once it asks (as `F7`, `y`
    /// at the projector).
    fn let_in(&self, who: &str) {
        for _ in 0..200 {
            if let Ok(Reply::Phones(room)) = self.seen.recv_timeout(Duration::from_secs(10))
                && let Some(a) = room.asking.iter().find(|a| a.participant.as_str() == who)
            {
                assert!(self.phones.admit(a.id, true).is_some());
                return;
            }
        }
        panic!("{who}'s phone never asked to join");
    }

    /// The number of the next record the host's own screens saved.
    fn wait_saved(&self) -> u64 {
        loop {
            match self.seen.recv_timeout(Duration::from_secs(10)).unwrap() {
                Reply::Saved { seq, .. } => return seq,
                Reply::Failed { error, .. } => panic!("{error}"),
                _ => {}
            }
        }
    }
}

#[test]
fn a_phone_votes_anonymously_and_says_something_the_facilitator_accepts() {
    let room = Hosted::start();
    let (dir, phones) = (&room.dir, &room.phones);

    // The page and what it loads come from the host itself.
    let (status, page, _) = http(phones.addr, "GET", "/", "");
    assert_eq!(status, 200);
    for src in ["/style.css", "/nacl.min.js", "/app.js"] {
        assert!(page.contains(src), "{src}");
        assert_eq!(http(phones.addr, "GET", src, "").0, 200, "{src}");
    }
    assert!(!page.contains("http://") && !page.contains("https://"));

    let mut phone = Phone::new(&phones.url);
    let hello = phone.call(serde_json::json!({ "op": "hello" }));
    let people: Vec<&str> = hello["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(people.len(), 8, "{hello}");
    let joined = phone.call(serde_json::json!({ "op": "join", "participant": "P3" }));
    phone.token = Some(joined["phone"].as_str().unwrap().to_owned());
    // Until the facilitator lets it in, the phone does nothing as P3.
    let number = joined["asking"].as_u64().expect("it asks the facilitator");
    let early = phone.call(serde_json::json!({ "op": "vote", "round": "v9", "pick": 3 }));
    assert!(
        early["error"]
            .as_str()
            .unwrap()
            .contains(&number.to_string()),
        "{early}"
    );
    room.let_in("P3");
    let state = phone.call(serde_json::json!({ "op": "state", "since": 0 }));
    assert!(state["asking"].is_null(), "{state}");
    assert_eq!(state["round"]["id"], "v9");
    assert_eq!(state["round"]["anonymous"], true);

    // Resonance 4 (the fourth option).
    let voted = phone.call(serde_json::json!({ "op": "vote", "round": "v9", "pick": 3 }));
    let seq = voted["recorded"].as_u64().expect("recorded");
    let lines = journal_lines(dir);
    let line = &lines[seq as usize - 1];
    assert!(line.contains("AnonymousBallotCast"), "{line}");
    assert!(
        line.contains("group:Carers") && line.contains("Resonance(4)"),
        "{line}"
    );
    assert!(!line.contains("P3"), "the ballot names nobody: {line}");
    assert!(line.contains("actor:\"phones\""), "{line}");
    let state = phone.call(serde_json::json!({ "op": "state", "since": 0 }));
    assert_eq!(
        state["round"]["mine"].as_str().unwrap().trim(),
        "4",
        "the phone is shown its vote"
    );

    // A changed mind replaces the ballot: still one ballot from P3.
    phone.call(serde_json::json!({ "op": "vote", "round": "v9", "pick": 1 }));
    let (w_lines, ballots): (Vec<_>, Vec<_>) = journal_lines(dir)
        .into_iter()
        .partition(|l| !l.contains("AnonymousBallotCast"));
    assert!(!w_lines.is_empty());
    assert_eq!(ballots.len(), 2);
    let id = |l: &str| l.split("ballot:\"").nth(1).unwrap()[..16].to_owned();
    assert_eq!(id(&ballots[0]), id(&ballots[1]), "the same ballot id");

    // The same request sent again (overheard and replayed) is refused.
    // A request overheard and sent again is no proof of the key: refused,
    // and counted against its address like a wrong key.
    let replay = phone.last.clone();
    let (status, _, _) = http(phones.addr, "POST", "/api", &replay);
    assert_eq!(status, 403);

    // A statement waits until the facilitator accepts it, then is P3's.
    let said = phone
        .call(serde_json::json!({ "op": "say", "text": "Nobody asked me when he came home." }));
    let n = said["waiting"].as_u64().unwrap();
    let seq = room.accept(n, "ph1");
    let line = &journal_lines(dir)[seq as usize - 1];
    assert!(line.contains("speaker:Participant(\"P3\")"), "{line}");
    assert!(
        line.contains("Nobody asked me when he came home."),
        "{line}"
    );
    let state = phone.call(serde_json::json!({ "op": "state", "since": 0 }));
    assert_eq!(state["said"][0]["status"], "accepted");

    // A hand raised from the phone is in the speaking queue.
    let hand = phone.call(serde_json::json!({ "op": "hand", "up": true }));
    assert!(hand["recorded"].as_u64().is_some(), "{hand}");
    let state = phone.call(serde_json::json!({ "op": "state", "since": 0 }));
    assert_eq!(state["hand"], true);

    // Where the facilitator allows it, a phone joins without a name: it may
    // speak up (as the whole group, once accepted) but not vote.
    let mut guest = Phone::new(&phones.url);
    let refused = guest.call(serde_json::json!({ "op": "join", "participant": null }));
    assert_eq!(refused["error"], "choose your name from the list");
    phones.set_nameless(true);
    let joined = guest.call(serde_json::json!({ "op": "join", "participant": null }));
    assert_eq!(joined["me"], "guest 1");
    guest.token = Some(joined["phone"].as_str().unwrap().to_owned());
    let vote = guest.call(serde_json::json!({ "op": "vote", "round": "v9", "pick": 0 }));
    assert!(
        vote["error"]
            .as_str()
            .unwrap()
            .contains("join with your name")
    );
    let said = guest.call(serde_json::json!({ "op": "say", "text": "Could we have the slides?" }));
    let accepted = phones
        .settle(said["waiting"].as_u64().unwrap(), true)
        .unwrap();
    let event = roundtable::net::phones::statement_from(
        &accepted,
        "ph2".into(),
        None,
        "facilitator",
        Timestamp::from_unix_millis(0),
    );
    let Event::StatementAdded { speaker, .. } = event else {
        panic!()
    };
    assert_eq!(speaker, roundtable::domain::Speaker::Group);

    // Nothing a listener on the network sees is in plain text.
    let wire = String::from_utf8_lossy(&phone.wire).into_owned();
    // (Quoted, as the JSON has them: base64 has no quotes, so a match
    // cannot be chance.)
    let fragment = &phones.url[phones.url.len() - 26..];
    for secret in [
        "\"vote\"",
        "\"pick\"",
        "\"P3\"",
        "Nobody asked me",
        "\"hand\"",
        "\"recorded\"",
        "resonate?",
        fragment,
    ] {
        assert!(
            !wire.contains(secret),
            "{secret:?} crossed the network in plain text"
        );
    }
}

#[test]
fn a_wrong_key_is_refused_and_an_address_that_keeps_guessing_waits() {
    let room = Hosted::start();
    let phones = &room.phones;
    let wrong = Seal::new([9; 16]);
    let ask = wrong.seal(br#"{"op":"hello","n":1}"#).unwrap();
    let statuses: Vec<u16> = (0..5)
        .map(|_| http(phones.addr, "POST", "/api", &ask).0)
        .collect();
    assert_eq!(&statuses[..3], &[403, 403, 403], "three free wrong keys");
    assert_eq!(&statuses[3..], &[429, 429], "then the address waits");
    // Garbage, oversized bodies and unknown paths get plain refusals.
    assert_eq!(http(phones.addr, "GET", "/../../etc/passwd", "").0, 404);
    let big = "A".repeat(roundtable::net::phones::MAX_BODY + 1);
    assert_eq!(http(phones.addr, "POST", "/api", &big).0, 413);
}

/// Where `./run-tests` installs the npm packages the reader tests use.
fn readers() -> PathBuf {
    std::env::var_os("ROUNDTABLE_READERS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/readers"),
        Into::into,
    )
}

/// A real browser at a phone's size: a participant joins from the address
/// the projector shows, votes in an anonymous resonance round and sees
/// "✓ recorded"; the journal holds the ballot with a role group and no
/// person; their statement waits, is accepted, and is on the projector as
/// theirs; axe-core finds no WCAG 2.1 AA violation; nothing is fetched
/// from anywhere but the host; the page weighs under 100 KB.
#[test]
fn a_phone_in_chromium_joins_votes_anonymously_and_is_heard() {
    use roundtable::app::{App, keymap::Keymap};
    let readers = readers();
    assert!(
        readers.join("node_modules/playwright-core").exists()
            && readers.join("node_modules/axe-core").exists(),
        "playwright-core and axe-core are not under {} (./run-tests installs them with npm)",
        readers.display()
    );
    let room = Hosted::start();
    let (dir, phones, session, seen) = (&room.dir, &room.phones, &room.session, &room.seen);
    let tmp = room.tmp.path();
    let shots =
        std::env::var_os("ROUNDTABLE_SCREENSHOTS").map_or_else(|| tmp.to_owned(), PathBuf::from);
    let browser = std::process::Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/phone.cjs"))
        .arg(&phones.url)
        .arg("P3")
        .arg(&readers)
        .arg(&shots)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (./run-tests installs it)");
    // The facilitator lets P3's phone in once it shows the number to
    // match, and only if it is the one asking.
    let mut browser = browser;
    let mut lines =
        std::io::BufRead::lines(std::io::BufReader::new(browser.stdout.take().unwrap()));
    let mut text = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("asking ") {
            let asking = phones.asking();
            assert_eq!(asking.len(), 1, "{asking:?}");
            assert_eq!(
                asking[0].number.to_string(),
                n,
                "the number the phone shows"
            );
            room.let_in("P3");
            continue;
        }
        text.push_str(&line);
        break;
    }
    let out = browser.wait_with_output().expect("node ends");
    let seen_by_browser: serde_json::Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|_| panic!("{text}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(seen_by_browser["error"].is_null(), "{seen_by_browser:#}");
    assert_eq!(
        seen_by_browser["steps"][1], "Your vote: 4 ✓ recorded",
        "{seen_by_browser:#}"
    );
    // The host gone: the phone says so in our words, not the browser's.
    let gone = seen_by_browser["gone"].as_str().unwrap_or_default();
    assert!(!gone.contains("Failed to fetch"), "{gone}");
    assert!(gone.contains("cannot be reached"), "{gone}");
    assert_eq!(
        seen_by_browser["voteShownWhenGone"], false,
        "{seen_by_browser:#}"
    );
    // What the round is about, whole, as on the projector.
    assert_eq!(
        seen_by_browser["about"],
        "“I found out Mum was discharged from a voicemail. I'm her carer and I live forty minutes away.” — P3 · unpaid carer",
        "{seen_by_browser:#}"
    );
    assert_eq!(
        seen_by_browser["violations"],
        serde_json::json!([]),
        "axe-core (WCAG 2.1 AA): {seen_by_browser:#}"
    );
    assert_eq!(
        seen_by_browser["external"],
        serde_json::json!([]),
        "fetched from elsewhere"
    );
    assert_eq!(
        seen_by_browser["dotsShown"], false,
        "a dots button in a resonance round"
    );
    let sealed: Vec<u64> = seen_by_browser["sealed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert!(
        sealed.len() >= 4 && sealed.iter().all(|n| n % 512 == 0),
        "every request the page seals is padded to 512 bytes: {sealed:?}"
    );
    let weight: u64 = seen_by_browser["loaded"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(
        weight < 100_000,
        "the page and what it loads weigh {weight} bytes"
    );
    eprintln!(
        "phone page: {weight} bytes in all: {}",
        seen_by_browser["loaded"]
    );
    assert!(
        seen_by_browser["target"].as_f64().unwrap() >= 48.0,
        "a control smaller than 48 px: {}",
        seen_by_browser["target"]
    );

    // The journal: the ballot, with the voter's role group and no person.
    let lines = journal_lines(dir);
    let ballot = lines
        .iter()
        .find(|l| l.contains("AnonymousBallotCast"))
        .expect("the ballot is in the journal");
    assert!(
        ballot.contains("group:Carers") && ballot.contains("Resonance(4)"),
        "{ballot}"
    );
    assert!(!ballot.contains("P3"), "{ballot}");

    // The statement waits for the facilitator, who accepts it at the host.
    let waiting = (0..100)
        .find_map(|_| match seen.recv_timeout(Duration::from_secs(5)) {
            Ok(Reply::Phones(room)) if !room.waiting.is_empty() => Some(room.waiting),
            _ => None,
        })
        .expect("the statement reached the facilitator");
    assert_eq!(waiting[0].text, "Nobody asked me when he came home.");
    room.accept(waiting[0].id, "st99");
    // On the projector, attributed to P3.
    let app = App::new(Keymap::default(), "facilitator");
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    let now = session
        .read()
        .statements
        .values()
        .last()
        .unwrap()
        .current()
        .at;
    term.draw(|f| {
        roundtable::ui::render(
            f,
            &app,
            &session.read(),
            now,
            &roundtable::ui::Theme::default(),
        )
    })
    .unwrap();
    let screen: String = term
        .backend()
        .buffer()
        .content()
        .chunks(100)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect();
    assert!(
        screen.contains("Nobody asked me when he came home."),
        "{screen}"
    );
    assert!(screen.contains("P3 · unpaid carer"), "{screen}");
}

const HARNESS: &str = env!("CARGO_BIN_EXE_roundtable-harness");

/// A host process serving phones for a session of `n` participants, with
/// an anonymous round `v1` open; its phone address.
pub struct Crowd {
    pub child: std::process::Child,
    pub url: String,
    pub dir: PathBuf,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Crowd {
    pub fn start(tmp: &Path, n: usize) -> Crowd {
        use std::io::BufRead;
        let dir = tmp.join("crowd");
        let made = std::process::Command::new(HARNESS)
            .arg("crowd")
            .arg(&dir)
            .args(["--participants", &n.to_string()])
            .status()
            .unwrap();
        assert!(made.success());
        let mut child = std::process::Command::new(HARNESS)
            .args(["host"])
            .arg(&dir)
            .args(["--phones", "127.0.0.1:0", "--admit-all"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for l in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let mut crowd = Crowd {
            child,
            url: String::new(),
            dir,
            lines,
        };
        crowd.url = crowd
            .wait_for("phones ")
            .trim_start_matches("phones ")
            .to_owned();
        writeln!(crowd.child.stdin.as_mut().unwrap(), "round v1").unwrap();
        crowd.wait_for("saved ");
        crowd
    }

    fn wait_for(&self, start: &str) -> String {
        loop {
            let l = self.lines.recv_timeout(Duration::from_secs(20)).unwrap();
            if l.starts_with(start) {
                return l;
            }
        }
    }
}

impl Drop for Crowd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Many phones at once, each from its own loopback address, one ballot
/// each: every ballot is committed exactly once, and the tally the
/// projector draws equals the ballots. (How fast is measured by `cargo
/// bench --bench phones`, in release; this runs in CI with a debug build,
/// so it says nothing about time.)
#[test]
fn every_ballot_from_a_full_room_of_phones_is_recorded_exactly_once() {
    let n: usize = std::env::var("ROUNDTABLE_LOAD_PHONES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let tmp = tempfile::tempdir().unwrap();
    let crowd = Crowd::start(tmp.path(), n);
    let out = std::process::Command::new(HARNESS)
        .arg("phones-load")
        .arg(&crowd.url)
        .args(["--phones", &n.to_string(), "--round", "v1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let load: serde_json::Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|_| panic!("{text}{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(load["recorded"], n, "{load}");
    assert_eq!(load["failed"], 0, "{load}");
    let lines = journal_lines(&crowd.dir);
    let ballots: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("AnonymousBallotCast"))
        .collect();
    assert_eq!(ballots.len(), n, "one record per ballot");
    let mut ids: Vec<&str> = ballots
        .iter()
        .map(|l| &l.split("ballot:\"").nth(1).unwrap()[..16])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "a different ballot id for every phone");
    // The tally, as the projector computes it from the record.
    let events: Vec<Event> = lines
        .iter()
        .map(|l| {
            roundtable::store::record::decode(l.as_bytes())
                .unwrap()
                .event
        })
        .collect();
    let session = roundtable::domain::Session::replay(&events).unwrap();
    let res = session.results(&session.rounds["v1"]);
    assert_eq!(res.voters as usize, n);
    assert_eq!(res.counts.iter().sum::<u32>() as usize, n);
    // Each phone i voted option i % 5.
    let expect: Vec<u32> = (0..5)
        .map(|k| (0..n).filter(|i| i % 5 == k).count() as u32)
        .collect();
    assert_eq!(res.counts, expect);
    eprintln!("{n} phones: {load}");
}

/// An address holding every place it may (idle connections, as a slowloris
/// would) gets no more, and is closed after the head deadline; a phone from
/// another address is served meanwhile.
#[test]
fn idle_connections_from_one_address_do_not_keep_another_phone_out() {
    let room = Hosted::start();
    let addr = room.phones.addr;
    let from = |last: u8| {
        let s = connect_from(addr, last);
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        s
    };
    let per_address = roundtable::net::phones::limits().unauthenticated_per_address;
    let idle: Vec<std::net::TcpStream> = (0..per_address + 4).map(|_| from(2)).collect();
    // The ones beyond the address's share are closed at once.
    let mut open = Vec::new();
    for mut s in idle {
        let mut b = [0u8; 1];
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        if !matches!(s.read(&mut b), Ok(0)) {
            open.push(s);
        }
    }
    assert_eq!(
        open.len(),
        per_address,
        "connections beyond {per_address} from one address are closed"
    );
    // Another address is served at once.
    let mut other = from(3);
    write!(
        other,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    other.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page:.80}");
    // An idle connection is closed when its head deadline passes.
    let started = std::time::Instant::now();
    let mut b = [0u8; 1];
    open[0]
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let n = open[0].read(&mut b).unwrap_or(0);
    assert_eq!(n, 0);
    assert!(
        started.elapsed() < Duration::from_secs(14),
        "{:?}",
        started.elapsed()
    );
}

/// A TCP connection to `addr` from 127.0.0.`last`.
fn connect_from(addr: SocketAddr, last: u8) -> std::net::TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = tokio::net::TcpSocket::new_v4().unwrap();
        s.bind(SocketAddr::from(([127, 0, 0, last], 0))).unwrap();
        let s = s.connect(addr).await.unwrap().into_std().unwrap();
        s.set_nonblocking(false).unwrap();
        s
    })
}

/// A note-taker on a joined terminal sees what phones sent and takes it in;
/// the host hands each statement to whoever asks first, once.
#[test]
fn a_note_taker_takes_in_a_phones_statement_once() {
    use roundtable::net::client::{self, JoinOptions, Target};
    use roundtable::net::wire::Role;
    let room = Hosted::start();
    let mut phone = Phone::new(&room.phones.url);
    let joined = phone.call(serde_json::json!({ "op": "join", "participant": "P5" }));
    phone.token = Some(joined["phone"].as_str().unwrap().to_owned());
    room.let_in("P5");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let join = |name: &str, role| {
            client::start_with_phones(JoinOptions {
                target: Target::Unix(room.listening.socket.clone()),
                name: name.into(),
                role,
                outbox: room.tmp.path().join(format!("{name}.ron")),
            })
            .unwrap()
        };
        let (_p, viewer_takes, mut viewer) = join("wall", Role::Viewer);
        let (proposals, takes, mut sam) = join("Sam", Role::NoteTaker);
        // The phone speaks up; Sam's terminal is told.
        let said = tokio::task::spawn_blocking(move || {
            phone.call(
                serde_json::json!({ "op": "say", "text": "The leaflet came after he was home." }),
            )
        })
        .await
        .unwrap();
        let id = said["waiting"].as_u64().unwrap();
        let waiting = loop {
            if let Reply::Phones(p) = next(&mut sam).await
                && !p.waiting.is_empty()
            {
                break p.waiting;
            }
        };
        assert_eq!(waiting[0].participant, Some("P5".into()));
        // A viewer may not take it in.
        viewer_takes.send((id, true)).unwrap();
        let refused = loop {
            if let Reply::PhoneTaken(a) = next(&mut viewer).await {
                break a;
            }
        };
        assert!(refused.unwrap_err().contains("only a note-taker"));
        // Sam takes it in, then records it as P5's through the host.
        takes.send((id, true)).unwrap();
        let taken = loop {
            if let Reply::PhoneTaken(a) = next(&mut sam).await {
                break a.unwrap();
            }
        };
        let event = roundtable::net::phones::statement_from(
            &taken,
            "sam-st1".into(),
            None,
            "Sam",
            Timestamp::from_unix_millis(0),
        );
        proposals.send((1, event)).unwrap();
        loop {
            match next(&mut sam).await {
                Reply::Acked { token: 1, .. } => break,
                Reply::Failed { error, .. } => panic!("{error}"),
                _ => {}
            }
        }
        // Asked again (or by the facilitator at the same moment): refused.
        takes.send((id, true)).unwrap();
        let again = loop {
            if let Reply::PhoneTaken(a) = next(&mut sam).await {
                break a;
            }
        };
        assert!(again.unwrap_err().contains("someone else"));
        assert!(room.phones.take_in(id, false).is_err());
    });
    let line = journal_lines(&room.dir)
        .into_iter()
        .find(|l| l.contains("sam-st1"))
        .expect("recorded");
    assert!(line.contains("speaker:Participant(\"P5\")"), "{line}");
    assert!(
        line.contains("The leaflet came after he was home."),
        "{line}"
    );
}

/// The next thing a joined terminal's link says, within 10 s.
async fn next(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Reply>) -> Reply {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("an answer in time")
        .expect("the link is up")
}

/// Quitting a session with phones on: once the listeners stop, the store
/// thread ends and gives the writer back (it hung, waiting for the phones'
/// way to the store, before `Phones::stop`).
#[test]
fn the_store_finishes_when_the_phones_stop() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = example(tmp.path());
    let hosting = hosted_with_phones(&dir);
    let phones = hosting.phones.unwrap().unwrap();
    let mut phone = Phone::new(&phones.url);
    let joined = phone.call(serde_json::json!({ "op": "join", "participant": "P1" }));
    phone.token = Some(joined["phone"].as_str().unwrap().to_owned());
    phones.admit(phones.asking()[0].id, true).unwrap();
    hosting.listening.unwrap().stop();
    phones.stop();
    drop(hosting.store);
    let (done_tx, done) = std::sync::mpsc::channel();
    let handle = hosting.handle;
    std::thread::spawn(move || {
        let _ = done_tx.send(handle.join().is_ok());
    });
    assert_eq!(done.recv_timeout(Duration::from_secs(10)), Ok(true));
    // A phone still there is told, not left hanging.
    let hand = phone.call(serde_json::json!({ "op": "hand", "up": true }));
    assert_eq!(hand["error"], "the session is closing");
}

/// What a listener on the Wi-Fi sees of a vote is the size of sealed
/// messages: for every method and every choice, in rounds per participant
/// and anonymous, the answer to the vote and the room as the phone then
/// reads it each have one size.
#[test]
fn a_sealed_answer_is_the_same_size_whatever_the_vote() {
    let room = Hosted::start();
    let mut phone = Phone::new(&room.phones.url);
    let joined = phone.call(serde_json::json!({ "op": "join", "participant": "P3" }));
    phone.token = Some(joined["phone"].as_str().unwrap().to_owned());
    room.let_in("P3");
    let options = |n: usize| (1..=n).map(|i| format!("option {i} of {n}")).collect();
    let methods = [
        VoteMethod::AgreeDisagree,
        VoteMethod::Resonance,
        VoteMethod::Ladder,
        VoteMethod::SingleChoice {
            options: options(7),
        },
        VoteMethod::Dots {
            options: options(4),
            per_person: 10,
        },
    ];
    let mut round = 0;
    let mut looked = 0;
    for mode in [BallotMode::PerParticipant, BallotMode::Anonymous] {
        for method in &methods {
            round += 1;
            let id = format!("z{round}");
            // Each round opens after the last closes.
            room.store
                .send(Request {
                    token: 1,
                    event: Event::VoteClosed {
                        round: RoundId::new(if round == 1 {
                            "v9".into()
                        } else {
                            format!("z{}", round - 1)
                        }),
                        at: Timestamp::from_unix_millis(0),
                    },
                    from: Origin::Local,
                })
                .unwrap();
            room.wait_saved();
            open_round_with(&room.store, &id, mode, method.clone());
            room.wait_saved();
            let asks: Vec<serde_json::Value> = match method {
                VoteMethod::Dots { options, .. } => vec![
                    serde_json::json!({ "dots": [10, 0, 0, 0] }),
                    serde_json::json!({ "dots": [1, 0, 0, 0] }),
                    serde_json::json!({ "dots": [0, 3, 3, 4] }),
                    serde_json::json!({ "dots": vec![0; options.len()] }),
                ],
                m => (0..m.options().len())
                    .map(|i| serde_json::json!({ "pick": i }))
                    .collect(),
            };
            let (mut votes, mut states) = (Vec::new(), Vec::new());
            for what in asks {
                let mut ask = serde_json::json!({ "op": "vote", "round": id });
                for (k, v) in what.as_object().unwrap() {
                    ask[k] = v.clone();
                }
                let voted = phone.call(ask);
                assert!(
                    voted["recorded"].is_u64() || voted["error"].is_string(),
                    "{voted}"
                );
                votes.push(phone.answer_len);
                phone.call(serde_json::json!({ "op": "state", "since": 0 }));
                states.push(phone.answer_len);
                looked += 1;
            }
            let one = |sizes: &[usize], what: &str| {
                assert!(
                    sizes.windows(2).all(|w| w[0] == w[1]),
                    "{what} in a {mode:?} {} round: sizes {sizes:?}",
                    method.label()
                );
            };
            one(&votes, "the answer to a vote");
            one(&states, "the room as the phone reads it");
        }
    }
    assert!(looked >= 40, "{looked} votes");
}

/// The host quits and runs again while an anonymous round is open: whoever
/// voted before cannot vote a second time under a new ballot id, whoever
/// did not still can, and when the round closes nothing is left on disk of
/// who voted.
#[test]
fn a_restart_during_an_anonymous_round_gives_nobody_a_second_vote() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = example(tmp.path());
    let start = || {
        let hosting = hosted_with_phones(&dir);
        (
            hosting.phones.unwrap().unwrap(),
            hosting.store,
            hosting.listening.unwrap(),
            hosting.handle,
        )
    };
    let vote_as = |phones: &roundtable::net::phones::Phones, who: &str, pick: usize| {
        let mut phone = Phone::new(&phones.url);
        let joined = phone.call(serde_json::json!({ "op": "join", "participant": who }));
        phone.token = Some(joined["phone"].as_str().unwrap().to_owned());
        phones.admit(phones.asking()[0].id, true).unwrap();
        phone.call(serde_json::json!({ "op": "vote", "round": "v9", "pick": pick }))
    };
    let ballots = || {
        journal_lines(&dir)
            .iter()
            .filter(|l| l.contains("AnonymousBallotCast"))
            .count()
    };
    let voted_file = dir.join(roundtable::net::phones::VOTED);
    // First run: the round opens and P3, a carer, votes.
    let (phones, store, listening, handle) = start();
    open_round(&store, "v9", BallotMode::Anonymous);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !journal_lines(&dir)
        .iter()
        .any(|l| l.contains("VoteOpened(id:\"v9\""))
    {
        assert!(std::time::Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
    // The record is on disk a moment before the store applies it (and the
    // phones see the round): asked again until they do.
    let first = loop {
        let answer = vote_as(&phones, "P3", 3);
        if answer["recorded"].is_u64() || std::time::Instant::now() > deadline {
            break answer;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(first["recorded"].is_u64(), "{first}");
    let kept = std::fs::read_to_string(&voted_file).unwrap();
    assert!(
        kept.contains("P3") && !kept.contains("Resonance"),
        "who, never how: {kept}"
    );
    listening.stop();
    phones.stop();
    drop(store);
    handle.join().unwrap();
    // Second run: P3 is refused, P4 (the other carer) votes.
    let (phones, store, listening, handle) = start();
    let again = vote_as(&phones, "P3", 0);
    assert!(
        again["error"]
            .as_str()
            .unwrap()
            .contains("before the host restarted"),
        "{again}"
    );
    assert!(vote_as(&phones, "P4", 1)["recorded"].is_u64());
    assert_eq!(ballots(), 2, "one ballot each");
    // The round closes: who voted is let go.
    store
        .send(Request {
            token: 9,
            event: Event::VoteClosed {
                round: RoundId::new("v9"),
                at: Timestamp::from_unix_millis(0),
            },
            from: Origin::Local,
        })
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while voted_file.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "phones-voted.ron stays"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    listening.stop();
    phones.stop();
    drop(store);
    handle.join().unwrap();
}

/// A phone raising and lowering a hand as fast as it can records a dozen
/// and then one every few seconds, not thousands; a hand already up is not
/// recorded again; and the facilitator is told which phone floods.
#[test]
fn a_phone_that_floods_is_slowed_and_the_facilitator_told() {
    let room = Hosted::start();
    let mut phone = Phone::new(&room.phones.url);
    let joined = phone.call(serde_json::json!({ "op": "join", "participant": "P2" }));
    phone.token = Some(joined["phone"].as_str().unwrap().to_owned());
    room.let_in("P2");
    let before = journal_lines(&room.dir).len();
    let up = phone.call(serde_json::json!({ "op": "hand", "up": true }));
    assert!(up["recorded"].is_u64(), "{up}");
    let again = phone.call(serde_json::json!({ "op": "hand", "up": true }));
    assert_eq!(again["unchanged"], true, "a hand up is not raised twice");
    let mut slowed = 0;
    for i in 0..200 {
        let a = phone.call(serde_json::json!({ "op": "hand", "up": i % 2 == 1 }));
        if a["error"]
            .as_str()
            .is_some_and(|e| e.contains("a lot at once"))
        {
            slowed += 1;
        }
    }
    let recorded = journal_lines(&room.dir).len() - before;
    assert!(
        recorded <= 13,
        "{recorded} hand records from one phone in a moment"
    );
    assert!(slowed >= 180, "{slowed}");
    let told = (0..200).find_map(|_| match room.seen.recv_timeout(Duration::from_secs(5)) {
        Ok(Reply::Flooding(who)) => Some(who),
        _ => None,
    });
    assert_eq!(told.as_deref(), Some("P2's phone"));
}

/// A phone let in between two of its requests for news learns it at its
/// next request, not when something next happens in the room: in a quiet
/// room it waited the whole 20 s a request for news may wait, showing
/// "waiting to be let in" all that time. So does a phone whose statement
/// the facilitator sets aside (nothing is recorded that would wake it).
#[test]
fn a_phone_let_in_between_its_requests_hears_so_at_once() {
    let room = Hosted::start();
    let mut phone = Phone::new(&room.phones.url);
    let joined = phone.call(serde_json::json!({ "op": "join", "participant": "P4" }));
    phone.token = Some(joined["phone"].as_str().unwrap().to_owned());
    let state = phone.call(serde_json::json!({ "op": "state", "since": 0 }));
    assert!(state["asking"].is_u64(), "{state}");
    let head = state["head"].as_u64().expect("the head");
    room.let_in("P4");
    let asked = std::time::Instant::now();
    let state = phone.call(serde_json::json!({ "op": "state", "since": head }));
    assert!(state["asking"].is_null(), "{state}");
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "the phone heard it was let in only after {:?}",
        asked.elapsed()
    );

    let said = phone.call(serde_json::json!({ "op": "say", "text": "Is there a break soon?" }));
    let n = said["waiting"].as_u64().expect("waiting");
    let state = phone.call(serde_json::json!({ "op": "state", "since": 0 }));
    let head = state["head"].as_u64().expect("the head");
    // Set aside while the phone waits for news.
    let phones = room.phones.clone();
    let setting_aside = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        phones.settle(n, false).expect("still waiting");
    });
    let asked = std::time::Instant::now();
    let state = phone.call(serde_json::json!({ "op": "state", "since": head }));
    setting_aside.join().unwrap();
    assert_eq!(state["said"][0]["status"], "set aside", "{state}");
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "the phone heard its words were set aside only after {:?}",
        asked.elapsed()
    );
}
