//! `cargo bench --bench loopback`: a joined terminal's commit on loopback,
//! from proposing a statement to its acknowledgement, 1,000 times
//! (`ROUNDTABLE_LOOPBACK_COMMITS`), through the owner-only socket and
//! through a LAN join (TCP on 127.0.0.1, joined with the code: SPAKE2, then
//! Noise): median, p99 and slowest of each.

use roundtable::domain::{Event, Speaker, StatementKind, Timestamp};
use roundtable::live::Reply;
use roundtable::net::client::{self, JoinOptions, Target};
use roundtable::net::wire::Role;
use roundtable::ops::generate::{Spec, write};
use roundtable::store::Writer;
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let n: u64 = std::env::var("ROUNDTABLE_LOOPBACK_COMMITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let tmp = std::env::temp_dir().join(format!("roundtable-loopback-{}", std::process::id()));
    let dir = tmp.join("s");
    let spec = Spec {
        statements: 10,
        rounds: 1,
        concepts: 1,
        records: 0,
        live: false,
        after_snapshot: 0,
    };
    write(&dir, spec).expect("write a session");
    let (w, _) = Writer::open(&dir, Timestamp::default()).expect("open");
    let lan = "127.0.0.1:0".parse().ok();
    let hosting = roundtable::live::host(
        w,
        "facilitator".into(),
        roundtable::live::Listen { lan, phones: None },
    );
    let mut replies = hosting.replies;
    // The host's screens would read these; here they are dropped.
    std::thread::spawn(move || while replies.blocking_recv().is_some() {});
    let host = hosting.listening.expect("listen");
    let (addr, code) = host.lan.clone().expect("a LAN address");
    let targets = [
        ("owner-only socket", Target::Unix(host.socket.clone())),
        (
            "LAN join (TCP, SPAKE2 + Noise)",
            Target::Tcp {
                addr: addr.to_string(),
                code,
            },
        ),
    ];
    for (k, (what, target)) in targets.into_iter().enumerate() {
        let mut times = commits(target, &tmp.join(format!("outbox{k}.ron")), k, n);
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "commit to acknowledgement, {what}, {n} commits: median {:?}, p99 {:?}, slowest {:?}",
            at(0.5),
            at(0.99),
            times[times.len() - 1]
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// `n` statements proposed one after another, each timed to its
/// acknowledgement.
fn commits(target: Target, outbox: &Path, k: usize, n: u64) -> Vec<Duration> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (proposals, mut rx) = client::start(JoinOptions {
            target,
            name: format!("loopback{k}"),
            role: Role::NoteTaker,
            outbox: outbox.to_owned(),
        })
        .expect("join");
        let mut times = Vec::new();
        for i in 1..=n {
            let e = Event::StatementAdded {
                id: format!("l{k}-st{i}").as_str().into(),
                kind: StatementKind::Quote,
                speaker: Speaker::Group,
                stage: None,
                text: "A statement of ordinary length, as a note-taker would type it in the room."
                    .into(),
                tags: vec!["barrier".into()],
                captured_by: "loopback".into(),
                at: Timestamp::default(),
            };
            let t = Instant::now();
            proposals.send((i, e)).expect("send");
            loop {
                match rx.recv().await {
                    Some(Reply::Acked { token, .. }) if token == i => break,
                    Some(Reply::Failed { error, .. }) => panic!("{error}"),
                    Some(_) => {}
                    None => panic!("the link ended"),
                }
            }
            times.push(t.elapsed());
        }
        times
    })
}
