//! Who has voted in each open anonymous round, on disk, so that a restart
//! gives nobody a second vote. Written as a group: when a room of phones
//! votes at once, one write and one fsync carry every first ballot that
//! arrived while the last was under way.

use super::room::Room;
use crate::net::lock;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Who has voted in each open anonymous round, kept in the session folder
/// (`phones-voted.ron`, owner-only) so that after the host restarts, a
/// person who voted cannot vote again under a new ballot id. It holds
/// pseudonyms of those who voted, sorted, with no time and no ballot id:
/// nothing in it, with the journal, says which ballot is whose.
pub struct Voted {
    path: std::path::PathBuf,
    /// Changes made to the room's sets so far, counted…
    changed: AtomicU64,
    /// …and how many of them the file holds. One writer at a time; the
    /// others wait their turn, and find their change written already.
    written: tokio::sync::Mutex<u64>,
}

/// The file's name in the session folder.
pub const VOTED: &str = "phones-voted.ron";

type VotedMap = std::collections::BTreeMap<
    crate::domain::RoundId,
    std::collections::BTreeSet<crate::domain::ParticipantId>,
>;

impl Voted {
    /// Reads what an earlier run kept, for the rounds still open and
    /// anonymous (anything else in it is let go).
    pub(super) fn load(
        dir: &std::path::Path,
        session: &crate::domain::Session,
    ) -> (Voted, VotedMap) {
        let path = dir.join(VOTED);
        let mut kept: VotedMap =
            crate::store::fsutil::read_sole(&path, 1 << 20, "phones-voted.ron")
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|t| crate::store::ron_text::parse_ron(&t).ok())
                .unwrap_or_default();
        kept.retain(|round, _| {
            session
                .rounds
                .get(round)
                .is_some_and(|r| r.is_open() && r.mode == crate::domain::BallotMode::Anonymous)
        });
        // Rounds closed while the host was away: nobody can vote in them.
        if kept.is_empty() {
            let _ = std::fs::remove_file(&path);
        }
        (
            Voted {
                path,
                changed: AtomicU64::new(0),
                written: tokio::sync::Mutex::new(0),
            },
            kept,
        )
    }

    /// Writes the room's sets (or removes the file when none is left) if
    /// change `mine` is not on disk yet, with every change made before it.
    async fn flush(&self, room: &Mutex<Room>, mine: u64) -> Result<(), String> {
        let mut written = self.written.lock().await;
        if *written >= mine {
            return Ok(());
        }
        let upto = self.changed.load(Ordering::SeqCst);
        let all: VotedMap = lock(room)
            .voted_before
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let path = self.path.clone();
        let done = tokio::task::spawn_blocking(move || match all.is_empty() {
            true => match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.to_string()),
                _ => Ok(()),
            },
            false => ron::to_string(&all)
                .map_err(|e| e.to_string())
                .and_then(|t| {
                    crate::store::fsutil::write_atomic(&path, t.as_bytes())
                        .map_err(|e| e.to_string())
                }),
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r);
        if done.is_ok() {
            *written = upto;
        }
        done
    }

    /// Lets go of the rounds that have closed: once nobody can vote, who
    /// voted is not kept (the file goes when none is open).
    pub(super) async fn forget_closed(&self, room: &Mutex<Room>, session: &crate::store::Shared) {
        let mine = {
            let session = session.read();
            let mut room = lock(room);
            let before = room.voted_before.len();
            room.voted_before
                .retain(|round, _| session.rounds.get(round).is_some_and(|r| r.is_open()));
            if room.voted_before.len() == before {
                return;
            }
            self.changed.fetch_add(1, Ordering::SeqCst) + 1
        };
        let _ = self.flush(room, mine).await;
    }

    /// Notes that `who` has voted in `round` (or, `false`, that the ballot
    /// was not recorded after all), in the room and on disk, fsynced.
    pub(super) async fn note(
        &self,
        room: &Mutex<Room>,
        round: &crate::domain::RoundId,
        who: &crate::domain::ParticipantId,
        voted: bool,
    ) -> Result<(), String> {
        let mine = {
            let mut room = lock(room);
            let set = room.voted_before.entry(round.clone()).or_default();
            if voted {
                set.insert(who.clone());
            } else {
                set.remove(who);
            }
            self.changed.fetch_add(1, Ordering::SeqCst) + 1
        };
        self.flush(room, mine).await.map_err(|e| {
            if voted {
                lock(room)
                    .voted_before
                    .entry(round.clone())
                    .or_default()
                    .remove(who);
            }
            format!("not recorded: {e}")
        })
    }
}
