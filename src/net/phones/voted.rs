//! Who has voted in each open anonymous round, on disk, so that a restart
//! gives nobody a second vote.

use super::room::Room;
use crate::net::lock;
use std::sync::Mutex;

/// Who has voted in each open anonymous round, kept in the session folder
/// (`phones-voted.ron`, owner-only) so that after the host restarts, a
/// person who voted cannot vote again under a new ballot id. It holds
/// pseudonyms of those who voted, sorted, with no time and no ballot id:
/// nothing in it, with the journal, says which ballot is whose.
pub struct Voted {
    path: std::path::PathBuf,
    /// One writer at a time, so the file is never older than the room.
    writing: Mutex<()>,
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
                writing: Mutex::new(()),
            },
            kept,
        )
    }

    /// Lets go of the rounds that have closed: once nobody can vote, who
    /// voted is not kept (the file goes when none is open).
    pub(super) fn forget_closed(&self, room: &Mutex<Room>, session: &crate::store::Shared) {
        let _one = lock(&self.writing);
        let all: VotedMap = {
            let session = session.read();
            let mut room = lock(room);
            let before = room.voted_before.len();
            room.voted_before
                .retain(|round, _| session.rounds.get(round).is_some_and(|r| r.is_open()));
            if room.voted_before.len() == before {
                return;
            }
            room.voted_before
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let _ = match all.is_empty() {
            true => std::fs::remove_file(&self.path).map_err(|e| e.to_string()),
            false => ron::to_string(&all)
                .map_err(|e| e.to_string())
                .and_then(|t| {
                    crate::store::fsutil::write_atomic(&self.path, t.as_bytes())
                        .map_err(|e| e.to_string())
                }),
        };
    }

    /// Notes that `who` has voted in `round` (or, `false`, that the ballot
    /// was not recorded after all), in the room and on disk, fsynced.
    pub(super) fn note(
        &self,
        room: &Mutex<Room>,
        round: &crate::domain::RoundId,
        who: &crate::domain::ParticipantId,
        voted: bool,
    ) -> Result<(), String> {
        let _one = lock(&self.writing);
        let text = {
            let mut room = lock(room);
            let set = room.voted_before.entry(round.clone()).or_default();
            if voted {
                set.insert(who.clone());
            } else {
                set.remove(who);
            }
            let all: VotedMap = room
                .voted_before
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            ron::to_string(&all).map_err(|e| e.to_string())?
        };
        crate::store::fsutil::write_atomic(&self.path, text.as_bytes()).map_err(|e| {
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
