//! What the facilitator's screens hear of the phones in the room: who has
//! joined, who asks to join, what waits to be taken in.

use super::Shared;
use crate::live::{PhoneRoom, Reply};
use crate::net::lock;
use std::sync::Arc;
use std::time::Duration;

/// The screens are told of the phones at most this often: a room of
/// phones joining at once changed the room hundreds of times a second,
/// and each time every phone's name was gathered again for the screens.
const PUBLISH_GAP: Duration = Duration::from_millis(50);

/// The phones in the room changed: the screens hear of it within
/// [`PUBLISH_GAP`], once for however many changes came meanwhile.
pub(super) fn publish(shared: &Shared) {
    shared.news.notify_one();
}

/// Tells the screens of the phones in the room as they change, at most
/// every [`PUBLISH_GAP`].
pub(super) async fn publisher(shared: Arc<Shared>) {
    loop {
        shared.news.notified().await;
        publish_now(&shared);
        tokio::time::sleep(PUBLISH_GAP).await;
    }
}

fn publish_now(shared: &Shared) {
    let (connected, unnamed) = {
        let session = shared.session.read();
        lock(&shared.room).who(&session)
    };
    let wrong_keys = lock(&shared.door).failures;
    let room = lock(&shared.room);
    let asking = room.asking();
    let waiting: Vec<crate::live::Said> = room
        .said()
        .iter()
        .filter(|s| s.status == crate::live::SaidStatus::Waiting)
        .cloned()
        .collect();
    shared.waiting.send_replace(waiting.clone());
    let _ = shared.ui.send(Reply::Phones(PhoneRoom {
        url: String::new(),
        connected,
        unnamed,
        closed: room.closed,
        nameless: room.nameless,
        waiting,
        wrong_keys,
        asking,
    }));
}
