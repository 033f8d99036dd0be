//! A joined terminal catching up on the record: streamed from the journal
//! on disk, [`READ_AHEAD`] records at a time and [`super::CATCHING_UP`]
//! terminals at once, so the host's memory does not grow with the journal
//! or with how many join.

use super::{Shared, put};
use crate::domain::Event;
use crate::net::wire::{ToClient, WireError, WireResult};
use crate::store::journal;
use tokio::sync::mpsc;

/// Records read ahead from the journal for one terminal catching up.
const READ_AHEAD: usize = 64;

/// Sends the records after `*last` from the journal on disk, read ahead a
/// few at a time, so memory stays small however long the journal and
/// however many terminals catch up at once.
pub(super) async fn stream_records(
    shared: &Shared,
    w: &mpsc::Sender<ToClient>,
    last: &mut u64,
) -> WireResult<()> {
    let _turn = shared
        .readers
        .acquire()
        .await
        .map_err(|_| WireError::Bad("the host is closing".into()))?;
    let (tx, mut rx) = mpsc::channel::<(u64, Event)>(READ_AHEAD);
    let path = shared.journal.clone();
    let from = last.saturating_add(1);
    let reader = tokio::task::spawn_blocking(move || {
        let _ = journal::scan(&path, from, 0, &mut |rec| {
            tx.blocking_send((rec.seq, rec.event))
                .map_err(|_| "the terminal left".to_owned())
        });
    });
    while let Some(rec) = rx.recv().await {
        send_record(w, &rec, last).await?;
    }
    let _ = reader.await;
    Ok(())
}

/// Sends one record unless the terminal already has it.
pub(super) async fn send_record(
    w: &mpsc::Sender<ToClient>,
    rec: &(u64, Event),
    last: &mut u64,
) -> WireResult<()> {
    if rec.0 > *last {
        put(
            w,
            ToClient::Record {
                seq: rec.0,
                event: seen_by_terminals(&rec.1),
            },
        )
        .await?;
        *last = rec.0;
    }
    Ok(())
}

/// A record as a joined terminal receives it: a participant's real name
/// stays at the host (no seat but the facilitator's needs it, and a viewer
/// is a projector).
fn seen_by_terminals(event: &Event) -> Event {
    match event {
        Event::ParticipantAdded { participant } if participant.real_name.is_some() => {
            let mut participant = participant.clone();
            participant.real_name = None;
            Event::ParticipantAdded { participant }
        }
        e => e.clone(),
    }
}

/// After falling behind the feed: what was missed, from the journal.
pub(super) async fn catch_up(
    shared: &Shared,
    w: &mpsc::Sender<ToClient>,
    last: &mut u64,
) -> WireResult<()> {
    stream_records(shared, w, last).await
}
