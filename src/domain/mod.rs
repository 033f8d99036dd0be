//! The session model and its events. Pure: no I/O and no clock.

pub mod agenda;
pub mod analysis;
pub mod codebook;
pub mod compare;
pub mod describe;
pub mod error;
pub mod event;
pub mod ids;
pub mod measures;
pub mod participant;
pub mod privacy;
pub mod room;
mod rules;
pub mod session;
pub mod statement;
pub mod synthesis;
pub mod time;
pub mod vote;

pub use agenda::{Stage, StageKind, StageState};
pub use error::DomainError;
pub use event::{ConceptPart, Event, RoomView};
pub use ids::*;
pub use participant::{Breakdown, Level, Participant, Role, RoleGroup, Sector};
pub use privacy::Withheld;
pub use room::{ActionStatus, Attendance, Floor, FollowUp};
pub use session::{Session, SessionInfo};
pub use statement::{Speaker, Statement, StatementKind};
pub use synthesis::{InterpretationStatus, MemoKind, TranslationKind};
pub use time::Timestamp;
pub use vote::{
    Agreement, AnonymousBallot, BallotMode, Choice, CountedFor, VoteMethod, VoteTarget,
    whole_percents,
};
