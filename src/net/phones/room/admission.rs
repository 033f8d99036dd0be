//! Who may join the room, and as whom: a phone joining under a name asks
//! the facilitator, who lets it in matching the number it shows; guests
//! join at once where allowed, up to their cap, and go when quiet.

use super::{ASKING_PER_NAME, IDLE, MAX_ASKING, MAX_GUESTS, MAX_PHONES, Phone, Room, Seen, Step};
use crate::domain::{ParticipantId, Session};

impl Room {
    /// A phone joins. Under a name it asks the facilitator, who lets it
    /// in matching the number it shows (everyone in the room holds the room
    /// key, so a name is never taken on a phone's word); without one, where
    /// allowed, it is a guest at once.
    pub(super) fn join(
        &mut self,
        session: &Session,
        participant: Option<&str>,
        token: &str,
        now: std::time::Instant,
    ) -> Step {
        if self.closed {
            return Step::No("the facilitator has closed the phone door".into());
        }
        if self.phones.len() >= MAX_PHONES {
            return Step::No("the room has as many phones as it can take".into());
        }
        let phone = match participant {
            Some(id) => {
                let Some(p) = session.participants.get(id) else {
                    return Step::No("choose your name from the list".into());
                };
                let asking: Vec<&Phone> = self
                    .phones
                    .values()
                    .filter(|ph| ph.asking.is_some())
                    .collect();
                let mine = asking
                    .iter()
                    .filter(|ph| ph.participant.as_ref() == Some(&p.id))
                    .count();
                if asking.len() >= MAX_ASKING || mine >= ASKING_PER_NAME {
                    return Step::No(
                        "the facilitator has many phones to let in: try again in a minute".into(),
                    );
                }
                self.next_ask += 1;
                Phone {
                    participant: Some(p.id.clone()),
                    label: p.id.to_string(),
                    asking: Some((self.next_ask, number_from(token))),
                    told_asking: true,
                    last: now,
                    budget: crate::net::budget::phone(now),
                    seen: Seen::default(),
                }
            }
            None if self.nameless => {
                let guests = self
                    .phones
                    .values()
                    .filter(|p| p.participant.is_none())
                    .count();
                if guests >= MAX_GUESTS {
                    return Step::No(
                        "the room has as many guests as it can take: join with your name".into(),
                    );
                }
                self.guests += 1;
                Phone {
                    participant: None,
                    label: format!("guest {}", self.guests),
                    asking: None,
                    told_asking: false,
                    last: now,
                    budget: crate::net::budget::phone(now),
                    seen: Seen::default(),
                }
            }
            None => return Step::No("choose your name from the list".into()),
        };
        let me = phone.label.clone();
        let waiting = phone.asking.map(|(_, n)| n);
        self.phones.insert(token.to_owned(), phone);
        Step::Answer(serde_json::json!({ "phone": token, "me": me, "asking": waiting }))
    }

    /// Whether phone `token` is waiting for the facilitator to let it in.
    pub fn is_asking(&self, token: &str) -> bool {
        self.phones.get(token).is_some_and(|p| p.asking.is_some())
    }

    /// Phones asking to join under a name, oldest first.
    pub fn asking(&self) -> Vec<crate::live::Asking> {
        let mut out: Vec<crate::live::Asking> =
            self.phones
                .values()
                .filter_map(|p| {
                    let (id, number) = p.asking?;
                    let participant = p.participant.clone()?;
                    let replaces = self.phones.values().any(|q| {
                        q.asking.is_none() && q.participant.as_ref() == Some(&participant)
                    });
                    Some(crate::live::Asking {
                        id,
                        participant,
                        number,
                        replaces,
                    })
                })
                .collect();
        out.sort_by_key(|a| a.id);
        out
    }

    /// The facilitator lets phone `id` in (any other phone of that person
    /// is let go) or refuses it. Whom it was and the phone's token, if it
    /// was still asking.
    pub fn admit(&mut self, id: u64, yes: bool) -> Option<(ParticipantId, String)> {
        let token = self
            .phones
            .iter()
            .find(|(_, p)| p.asking.is_some_and(|(a, _)| a == id))
            .map(|(t, _)| t.clone())?;
        let who = self.phones.get(&token)?.participant.clone()?;
        if yes {
            self.phones.retain(|t, p| {
                *t == token || p.asking.is_some() || p.participant.as_ref() != Some(&who)
            });
            if let Some(p) = self.phones.get_mut(&token) {
                p.asking = None;
            }
        } else {
            self.phones.remove(&token);
            if self.refused.len() >= MAX_ASKING {
                self.refused.pop_front();
            }
            self.refused.push_back(token.clone());
        }
        Some((who, token))
    }

    /// Lets go of every phone joined without a name (the facilitator
    /// stopped allowing them, or cleared them).
    pub fn clear_guests(&mut self) {
        self.phones.retain(|_, p| p.participant.is_some());
    }

    /// Guests and phones still asking to join that have been quiet for
    /// [`IDLE`] are let go (a phone in the room asks every few seconds).
    /// Looked for at most once a second: a town hall's every request
    /// walked all two thousand phones.
    pub(super) fn expire(&mut self, now: std::time::Instant) {
        if self
            .expired
            .is_some_and(|at| now.saturating_duration_since(at) < std::time::Duration::from_secs(1))
        {
            return;
        }
        self.expired = Some(now);
        self.phones.retain(|_, p| {
            let idle = now.saturating_duration_since(p.last) >= IDLE;
            !(idle && (p.participant.is_none() || p.asking.is_some()))
        });
    }
}

/// The number a phone asking to join shows, from its (random) token: two
/// digits the facilitator can match at a glance.
fn number_from(token: &str) -> u16 {
    let n = token.bytes().take(4).fold(0u16, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(u16::from(b))
    });
    10 + n % 90
}
