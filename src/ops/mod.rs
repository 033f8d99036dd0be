//! Use-cases that the command line, the session picker and the live screens
//! share: find a session, list them, create one, open a cross-session
//! workspace, export, and say where a joined terminal connects. Nothing here
//! prints or draws; each returns what happened or a typed error.

pub mod catalog;
pub mod create;
pub mod demo;
pub mod export;
pub mod generate;
pub mod join;
pub mod locate;
pub mod programme;
pub mod workshop;
pub mod workspace;
pub mod workspace_view;

use crate::store::StoreError;
use std::path::PathBuf;

/// Why a use-case could not be carried out; each message a sentence the
/// user can act on.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{}: no such template; known templates: {}", path.display(), known.join(", "))]
    NoTemplate { path: PathBuf, known: Vec<String> },
    #[error("could not build the REFI-QDA archive: {0}")]
    Archive(std::io::Error),
    #[error("a workspace takes at most 26 sources")]
    TooManySources,
    #[error(
        "{} is not in the sessions folder: a workspace finds its sources there by name, \
         so copy or move it there first",
        .0.display()
    )]
    SourceElsewhere(PathBuf),
    #[error(
        "{} is not a cross-case workspace (it draws on no sessions): make one with `roundtable synthesise`",
        .0.display()
    )]
    NotAWorkspace(PathBuf),
    #[error("{0}")]
    Sources(String),
    #[error(
        "{} is a link to another folder: an export is written into the session's own folder, \
         never through a link; remove the link, or say where with --out",
        .0.display()
    )]
    LinkedExports(PathBuf),
    #[error(
        "--code is for joining another laptop (HOST:PORT); a session on this computer needs none"
    )]
    CodeForLocalSession,
    #[error(
        "{} is not running (there is no {}); start it with `roundtable run` first",
        dir.display(),
        socket.display()
    )]
    NotRunning { dir: PathBuf, socket: PathBuf },
    #[error("--date `{0}` is not a day: give it as YYYY-MM-DD, e.g. 2025-11-04")]
    BadDate(String),
    #[error("`{0}` is neither a session here nor HOST:PORT")]
    NotATarget(String),
    #[error("there is no session `{0}` here; to join another laptop give HOST:PORT and --code")]
    NoSessionToJoin(String),
    #[error(
        "{damage}: only the {records} records before it can be read, so nothing was exported; \
         `--readable` exports those, marked incomplete in every file"
    )]
    Damaged { damage: String, records: u64 },
    #[error("{0} holds no records that can be read: there is nothing to export")]
    Empty(PathBuf),
    #[error("could not write the spreadsheet: {0}")]
    Spreadsheet(String),
    #[error("the codebook cannot be used: code `{code}`: {reason}")]
    Codebook { code: String, reason: String },
    #[error(
        "{} has no codebook to export: give it codes with a template, `new --codebook` or `roundtable codes --import`",
        .0.display()
    )]
    NoCodebook(PathBuf),
}

pub type Result<T, E = OpsError> = std::result::Result<T, E>;
