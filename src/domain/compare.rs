//! Where two sessions first differ, in words: how `verify` and the writer
//! say what a snapshot that does not match the journal got wrong.

use super::session::Session;
use indexmap::IndexMap;
use serde::Serialize;
use std::fmt::Display;

/// Characters of context shown either side of a difference.
const CONTEXT: usize = 40;

impl Session {
    /// The first place where `self` (what a cache claims) differs from
    /// `truth` (a replay of the journal); `None` when they are equal.
    pub fn first_difference(&self, truth: &Session) -> Option<String> {
        // Every field by name, so a new field cannot be forgotten here.
        let Session {
            info,
            participants,
            stages,
            statements,
            rounds,
            concepts,
            translations,
            interpretations,
            memos,
            applied,
            sources,
            clock_notes,
            voices,
            heard,
            linked,
            room,
            room_log,
            floor,
            actions,
            taken_up,
            codebook,
        } = self;
        if applied != &truth.applied {
            return Some(format!(
                "it holds {applied} events where the journal has {}",
                truth.applied
            ));
        }
        value("the session's title and focus", info, &truth.info)
            .or_else(|| map("participant", participants, &truth.participants))
            .or_else(|| map("stage", stages, &truth.stages))
            .or_else(|| map("statement", statements, &truth.statements))
            .or_else(|| map("vote round", rounds, &truth.rounds))
            .or_else(|| map("concept", concepts, &truth.concepts))
            .or_else(|| map("translation", translations, &truth.translations))
            .or_else(|| map("interpretation", interpretations, &truth.interpretations))
            .or_else(|| map("memo", memos, &truth.memos))
            .or_else(|| map("source", sources, &truth.sources))
            .or_else(|| value("the clock notes", clock_notes, &truth.clock_notes))
            .or_else(|| value("the voice counts", voices, &truth.voices))
            .or_else(|| value("who was heard in each stage", heard, &truth.heard))
            .or_else(|| value("the concepts of each statement", linked, &truth.linked))
            .or_else(|| value("what the room is shown", room, &truth.room))
            .or_else(|| value("what the room was shown", room_log, &truth.room_log))
            .or_else(|| value("hands, parked items and attendance", floor, &truth.floor))
            .or_else(|| map("action", actions, &truth.actions))
            .or_else(|| {
                map(
                    "interpretation taken up from a workspace",
                    taken_up,
                    &truth.taken_up,
                )
            })
            .or_else(|| map("code", codebook, &truth.codebook))
    }
}

fn map<K: Display + Eq + std::hash::Hash, V: PartialEq + Serialize, S: std::hash::BuildHasher>(
    what: &str,
    claimed: &IndexMap<K, V, S>,
    truth: &IndexMap<K, V, S>,
) -> Option<String> {
    for (k, v) in claimed {
        match truth.get(k) {
            None => return Some(format!("{what} {k} is not in the journal")),
            Some(t) if t != v => return value(&format!("{what} {k}"), v, t),
            Some(_) => {}
        }
    }
    if let Some(k) = truth.keys().find(|k| !claimed.contains_key(*k)) {
        return Some(format!("{what} {k} is in the journal but missing"));
    }
    if claimed.keys().ne(truth.keys()) {
        return Some(format!("the {what}s are in a different order"));
    }
    None
}

/// "`what`: … `claimed text` … where the journal has … `true text` …".
fn value<V: PartialEq + Serialize>(what: &str, claimed: &V, truth: &V) -> Option<String> {
    if claimed == truth {
        return None;
    }
    let (a, b) = match (ron::to_string(claimed), ron::to_string(truth)) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return Some(format!("{what} differs")),
    };
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let around = |s: &[char]| -> String {
        let from = at.saturating_sub(CONTEXT);
        let to = (at + CONTEXT).min(s.len());
        let mut t: String = s[from..to].iter().collect();
        if from > 0 {
            t.insert(0, '…');
        }
        if to < s.len() {
            t.push('…');
        }
        t
    };
    Some(format!(
        "{what} differs: it has {} where the journal has {}",
        around(&a),
        around(&b)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Event, Participant, Role};

    fn with_participant(name: Option<&str>) -> Session {
        let mut s = Session::default();
        s.apply(&Event::SessionCreated {
            title: "t".into(),
            focus: "f".into(),
            facilitator: "F".into(),
            created: crate::domain::Timestamp::from_unix_millis(0),
            template: None,
        })
        .unwrap();
        s.apply(&Event::ParticipantAdded {
            participant: Participant {
                id: "P1".into(),
                role: Role::ServiceUser,
                sector: None,
                level: None,
                real_name: name.map(str::to_owned),
                consent: true,
                person: None,
                attributes: Default::default(),
            },
        })
        .unwrap();
        s
    }

    #[test]
    fn the_first_difference_names_the_item_and_shows_both_texts() {
        let truth = with_participant(Some("Ada"));
        assert_eq!(truth.first_difference(&truth), None);
        let forged = with_participant(Some("Eve"));
        let d = forged.first_difference(&truth).unwrap();
        assert!(d.starts_with("participant P1 differs"), "{d}");
        assert!(d.contains("Eve") && d.contains("Ada"), "{d}");
        let empty = Session::default();
        assert!(
            empty
                .first_difference(&truth)
                .unwrap()
                .contains("holds 0 events where the journal has 2")
        );
    }
}
