//! The one writer: a thread that checks, appends and fsyncs every event,
//! the host's own and those proposed by joined terminals, so typing never
//! waits for the disk; and `host`, which starts it with the listeners.

use super::{Feed, Origin, Reply, Request};
use crate::domain::{Event, Session, Timestamp};
use crate::store::{StoreError, Writer};
use std::sync::mpsc as std_mpsc;
use tokio::sync::mpsc;

/// Runs the writer on its own thread: each request is checked, appended and
/// fsynced there, so typing never waits for the disk. Each saved record is
/// also sent on the returned feed.
fn spawn_store(
    mut writer: Writer,
    actor: String,
    clock: Clock,
) -> (
    std_mpsc::Sender<Request>,
    mpsc::UnboundedReceiver<Reply>,
    mpsc::UnboundedSender<Reply>,
    Feed,
    std::thread::JoinHandle<Writer>,
) {
    let (tx, rx) = std_mpsc::channel::<Request>();
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
    let (feed, _) = tokio::sync::broadcast::channel(4096);
    let ui = reply_tx.clone();
    let out = feed.clone();
    let handle = std::thread::spawn(move || {
        // Nothing is written until the state opened from the snapshot is
        // proven by a full replay (requests wait in the channel meanwhile).
        if !writer.is_settled() {
            let problem = writer.settle();
            let _ = reply_tx.send(Reply::Proven { problem });
            // The replay that proved the snapshot held a second copy of the
            // session; give its memory back rather than keep it resident.
            crate::store::give_back_freed_memory();
        }
        let mut next = None;
        loop {
            let req = match next.take() {
                Some(req) => req,
                None => match rx.recv() {
                    Ok(req) => req,
                    Err(_) => break,
                },
            };
            // A room of phones votes at once: the ballots waiting are
            // written and synced together, so the last need not wait for
            // every sync before it.
            if is_ballot(&req.event) {
                let mut ballots = vec![req];
                while ballots.len() < MOST_BALLOTS_AT_ONCE {
                    match rx.try_recv() {
                        Ok(more) if is_ballot(&more.event) => ballots.push(more),
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                if !record_together(&mut writer, ballots, &actor, &clock, &out, &reply_tx) {
                    break;
                }
            } else if !record_one(&mut writer, req, &actor, &clock, &out, &reply_tx) {
                break;
            }
        }
        writer
    });
    (tx, reply_rx, ui, feed, handle)
}

/// Ballots taken from the queue to be written and synced together, at most.
const MOST_BALLOTS_AT_ONCE: usize = 512;

fn is_ballot(event: &Event) -> bool {
    matches!(
        event,
        Event::BallotCast { .. } | Event::AnonymousBallotCast { .. }
    )
}

type Clock = std::sync::Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// A request made ready to record: the identity and time of a joined
/// terminal's stamped by the host, and the actor it is recorded under; or
/// `None` when it has been answered already (sent again after a lost
/// acknowledgement, or not the terminal's to change).
fn prepare(
    writer: &Writer,
    mut req: Request,
    actor: &str,
    now: Timestamp,
) -> Option<(Request, String)> {
    if let Origin::Remote { actor, .. } = &req.from {
        req.event.stamp_identity(actor);
    }
    let who = match &req.from {
        Origin::Local => actor.to_owned(),
        Origin::Remote { actor, .. } => actor.clone(),
    };
    if matches!(req.from, Origin::Remote { .. }) && writer.session().already_has(&req.event) {
        // Sent again after a lost acknowledgement: it is already saved.
        if let Origin::Remote { reply, .. } = req.from {
            let _ = reply.send(Ok(writer.records()));
        }
        return None;
    }
    if let Origin::Remote { actor, .. } = &req.from {
        // The host's clock says when, not the terminal's.
        req.event.stamp_time(now);
        if let Some(why) = not_theirs(&writer.session(), actor, &req.event) {
            if let Origin::Remote { reply, .. } = req.from {
                let _ = reply.send(Err(why));
            }
            return None;
        }
    }
    Some((req, who))
}

/// Checks, writes, syncs and applies one request, and answers it; false
/// once the screens have gone.
fn record_one(
    writer: &mut Writer,
    req: Request,
    actor: &str,
    clock: &Clock,
    out: &Feed,
    reply_tx: &mpsc::UnboundedSender<Reply>,
) -> bool {
    let now = clock();
    let Some((req, who)) = prepare(writer, req, actor, now) else {
        return true;
    };
    let result = writer.record(&who, now, &req.event);
    answer(req, result, out, reply_tx)
}

/// [`record_one`] for ballots arriving together: one write and one sync
/// for all of them, each answered as it would be alone.
fn record_together(
    writer: &mut Writer,
    mut ballots: Vec<Request>,
    actor: &str,
    clock: &Clock,
    out: &Feed,
    reply_tx: &mpsc::UnboundedSender<Reply>,
) -> bool {
    if ballots.len() == 1
        && let Some(one) = ballots.pop()
    {
        return record_one(writer, one, actor, clock, out, reply_tx);
    }
    let now = clock();
    let prepared: Vec<(Request, String)> = ballots
        .into_iter()
        .filter_map(|req| prepare(writer, req, actor, now))
        .collect();
    let (ready, after) = once_each(prepared);
    let items: Vec<(&str, Timestamp, &Event)> = ready
        .iter()
        .map(|(req, who)| (who.as_str(), now, &req.event))
        .collect();
    let answered = match writer.record_ballots(&items) {
        Ok(results) => ready
            .into_iter()
            .zip(results)
            .all(|((req, _), result)| answer(req, result, out, reply_tx)),
        // Nothing was written: each is told so, as it would be alone.
        Err(e) => {
            let text = error_text(&e);
            ready.into_iter().all(|(req, _)| {
                let again = match &e {
                    StoreError::Replaced(why) => StoreError::Replaced(why.clone()),
                    StoreError::Poisoned(why) => StoreError::Poisoned(why.clone()),
                    _ => StoreError::WriteFailed(text.clone()),
                };
                answer(req, Err(again), out, reply_tx)
            })
        }
    };
    answered
        && after
            .into_iter()
            .all(|req| record_one(writer, req, actor, clock, out, reply_tx))
}

/// Splits prepared ballots where one repeats a ballot before it in the
/// same batch (sent again after a lost acknowledgement): those before are
/// recorded together, and that one and all after it follow one by one, in
/// order, once the first is applied (then it is already held, and is
/// recorded once).
fn once_each(mut prepared: Vec<(Request, String)>) -> (Vec<(Request, String)>, Vec<Request>) {
    let repeat = (1..prepared.len()).find(|&i| {
        prepared[..i]
            .iter()
            .any(|(r, _)| r.event == prepared[i].0.event)
    });
    let after = match repeat {
        Some(i) => prepared.split_off(i),
        None => Vec::new(),
    };
    (prepared, after.into_iter().map(|(req, _)| req).collect())
}

/// Tells whoever asked what became of their request, and the screens and
/// joined terminals what was saved; false once the screens have gone.
fn answer(
    req: Request,
    result: Result<crate::store::Committed, StoreError>,
    out: &Feed,
    reply_tx: &mpsc::UnboundedSender<Reply>,
) -> bool {
    if let Ok(c) = &result {
        let _ = out.send(std::sync::Arc::new((c.seq, req.event.clone())));
    }
    let sent = match (req.from, result) {
        (Origin::Local, Ok(c)) => reply_tx.send(Reply::Saved {
            token: req.token,
            seq: c.seq,
            event: req.event,
        }),
        // The journal's name names another file now: nothing can
        // be saved, but the words are kept for the rescue file.
        (Origin::Local, Err(crate::store::StoreError::Replaced(why))) => {
            reply_tx.send(Reply::Stopped {
                token: req.token,
                error: why,
            })
        }
        (Origin::Local, Err(e)) => reply_tx.send(Reply::Failed {
            token: req.token,
            retry: !matches!(e, crate::store::StoreError::Rejected(_)),
            error: error_text(&e),
        }),
        (Origin::Remote { reply, .. }, Ok(c)) => {
            let _ = reply.send(Ok(c.seq));
            reply_tx.send(Reply::Applied {
                seq: c.seq,
                event: req.event,
            })
        }
        // A joined terminal keeps what the host cannot save now in
        // its outbox, and sends it to the host when it runs again.
        (Origin::Remote { reply, .. }, Err(crate::store::StoreError::Replaced(why))) => {
            let _ = reply.send(Err(format!("{}{why}", crate::live::STOPPED)));
            Ok(())
        }
        (Origin::Remote { reply, .. }, Err(e)) => {
            let _ = reply.send(Err(error_text(&e)));
            Ok(())
        }
    };
    sent.is_ok()
}

fn error_text(e: &StoreError) -> String {
    e.to_string().trim_start_matches("not saved: ").to_owned()
}

/// A session being hosted: the store thread that alone writes it, and the
/// listeners through which other terminals join.
pub struct Hosting {
    /// The session clock the store stamps records with.
    pub clock: std::sync::Arc<crate::live::clock::SessionClock>,
    pub store: std_mpsc::Sender<Request>,
    /// What the store (and joined terminals, through it) say to the screens.
    pub replies: mpsc::UnboundedReceiver<Reply>,
    pub listening: std::io::Result<crate::net::host::Listening>,
    /// Participants' phones, when asked for.
    pub phones: Option<std::io::Result<crate::net::phones::Phones>>,
    /// Gives the writer back once every sender is gone.
    pub handle: std::thread::JoinHandle<Writer>,
}

/// Where a hosted session listens besides its socket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Listen {
    /// Laptops joining with the join code.
    pub lan: Option<std::net::SocketAddr>,
    /// Participants' phones.
    pub phones: Option<std::net::SocketAddr>,
}

/// Starts the store thread for `writer`, recording this terminal's events
/// as `actor`, and listens for other terminals (on TCP too with `lan`) and
/// for phones (with `phones`).
pub fn host(writer: Writer, actor: String, listen: Listen) -> Hosting {
    let dir = writer.dir().to_owned();
    let head = writer.records();
    let session = writer.shared();
    let floor = writer.last_record_time().unwrap_or_default();
    let clock = std::sync::Arc::new(crate::live::clock::SessionClock::system(floor));
    let store_clock = clock.clone();
    let (store, replies, ui, feed, handle) = spawn_store(
        writer,
        actor,
        std::sync::Arc::new(move || store_clock.now()),
    );
    let wiring = super::Wiring {
        head,
        store: store.clone(),
        feed,
        ui,
        budget: std::sync::Arc::new(std::sync::Mutex::new(crate::net::budget::Room::new(
            std::time::Instant::now(),
        ))),
    };
    let phones = listen.phones.map(|at| {
        crate::net::phones::start(
            at,
            &dir,
            wiring.clone(),
            clock.clone(),
            session,
            crate::net::phones::limits_for(crate::os::raise_open_files()),
        )
    });
    let for_note_takers = phones.as_ref().and_then(|p| p.as_ref().ok()).cloned();
    let listening = crate::net::host::start(&dir, listen.lan, wiring, for_note_takers);
    Hosting {
        clock,
        store,
        replies,
        listening,
        phones,
        handle,
    }
}

/// Why a joined terminal may not amend or retract this statement: only the
/// terminal that took it down may (the facilitator, at the host, may
/// change any).
fn not_theirs(session: &Session, actor: &str, event: &Event) -> Option<String> {
    let statement = match event {
        Event::StatementAmended { statement, .. }
        | Event::StatementRecoded { statement, .. }
        | Event::StatementRetracted { statement, .. } => statement,
        _ => return None,
    };
    let by = &session.statements.get(statement)?.original.by;
    (by != actor).then(|| {
        format!("{statement} was taken down by {by}; only they or the facilitator can change it")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ballot(id: &str, score: u8) -> (Request, String) {
        let event = Event::AnonymousBallotCast {
            round: "v1".into(),
            ballot: id.into(),
            group: crate::domain::RoleGroup::ServiceUsers,
            choice: crate::domain::Choice::Resonance(score),
            at: Timestamp::from_unix_millis(0),
        };
        let from = Origin::Local;
        (
            Request {
                token: 0,
                event,
                from,
            },
            "phones".into(),
        )
    }

    /// The same ballot twice in one batch: the batch ends before the
    /// second, which follows alone once the first is applied (and so is
    /// recorded once), and what came after it follows in order (a changed
    /// mind after it still counts last).
    #[test]
    fn a_ballot_sent_twice_in_one_batch_waits_for_the_first() {
        let events = |v: &[(Request, String)]| -> Vec<Event> {
            v.iter().map(|(r, _)| r.event.clone()).collect()
        };
        let (ready, after) = once_each(vec![
            ballot("b1", 3),
            ballot("b2", 4),
            ballot("b1", 3),
            ballot("b1", 5),
        ]);
        assert_eq!(events(&ready), events(&[ballot("b1", 3), ballot("b2", 4)]));
        let after: Vec<Event> = after.into_iter().map(|r| r.event).collect();
        assert_eq!(after, events(&[ballot("b1", 3), ballot("b1", 5)]));
        let (ready, after) = once_each(vec![ballot("b1", 3), ballot("b1", 5)]);
        assert_eq!(
            (ready.len(), after.len()),
            (2, 0),
            "a changed mind is no repeat"
        );
    }
}
