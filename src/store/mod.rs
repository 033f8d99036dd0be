//! Files on disk: session folders, the journal, snapshots, the writer lock,
//! templates.

pub mod appender;
pub mod compact;
pub mod error;
pub mod fsutil;
pub mod journal;
pub mod limits;
pub mod load;
pub mod lock;
pub mod qdc;
pub mod read;
pub mod record;
pub mod ron_text;
pub mod ron_write;
pub mod session_dir;
pub mod shared;
pub mod snapshot;
pub mod template;

pub use appender::Committed;
pub use error::{FileProblem, StoreError};
pub use read::{
    ReadOnly, Verification, open_read_only, session_dirs, verify, verify_and_keep, verify_with,
};
pub use session_dir::{Writer, give_back_freed_memory};
pub use shared::Shared;
