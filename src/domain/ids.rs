//! Typed identifiers. Every id is a short string so that ids chosen on another
//! device (a note-taker's laptop) can never collide with the host's and a
//! resent event is recognised as the same one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest id accepted from any source.
pub const MAX_ID_LEN: usize = 40;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// What kind of thing this id names, for error messages.
            pub const WHAT: &'static str = $what;

            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        // Lets maps keyed by id be looked up with a plain `&str`; the derived
        // Hash and Eq of the one-field struct agree with `str`'s.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    };
}

id_type!(
    /// A participant's pseudonym, such as `P3`.
    ParticipantId,
    "participant"
);
id_type!(StageId, "stage");
id_type!(StatementId, "statement");
id_type!(RoundId, "vote round");
id_type!(ConceptId, "concept");
id_type!(TranslationId, "translation");
id_type!(InterpretationId, "interpretation");
id_type!(MemoId, "memo");
id_type!(ActionId, "action");

/// Whether `id` is acceptable as an identifier: 1–40 characters of ASCII
/// letters, digits, `-`, `_` and `.` (a cross-session workspace refers to a
/// source's statement as `KEY.id`).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

impl StatementId {
    /// `A.st3` → (`A`, `st3`): a statement of source session `A`.
    pub fn source_ref(&self) -> Option<(&str, &str)> {
        self.0.split_once('.')
    }
}
