//! The command line: arguments in, text out. What each command does lives
//! in `ops` (shared with the picker and the live screens), `tui` (the
//! full-screen programs) and `summary` (the plain-text account of a
//! session); `screens` and `records` here only connect them to arguments
//! and print.

mod args;
mod records;
mod screens;
pub mod summary;

pub use args::{Cli, Command, Format, Look};
pub use screens::need_terminal;

use crate::ops::{self, OpsError};
use crate::store::StoreError;
use std::io::{self, Write};

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Ops(#[from] OpsError),
    /// Writing the output failed (for instance a closed pipe).
    #[error("cannot write output: {0}")]
    Output(#[from] io::Error),
    /// The full-screen program could not run, or stopped on an error.
    #[error("{0}")]
    Screen(io::Error),
    /// A keymap file that cannot be used; the message names the file and line.
    #[error("{0}")]
    Keymap(#[from] crate::app::keymap::KeymapError),
    #[error(
        "`{0}` is full-screen and needs a terminal; its input or output is redirected. \
         `list`, `show`, `verify` and `export` work without one."
    )]
    NeedsTerminal(&'static str),
}

impl From<Format> for ops::export::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Md => ops::export::Format::Md,
            Format::Html => ops::export::Format::Html,
            Format::Csv => ops::export::Format::Csv,
            Format::Qdpx => ops::export::Format::Qdpx,
            Format::Qdc => ops::export::Format::Qdc,
            Format::Xlsx => ops::export::Format::Xlsx,
        }
    }
}

/// Runs a command; the error is a message for the user. Returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Failure> {
    let sessions = &cli.sessions;
    match cli.command {
        None => screens::pick_and_run(sessions, out),
        Some(
            command @ (Command::Run { .. }
            | Command::Join { .. }
            | Command::Synthesise { .. }
            | Command::Review { .. }),
        ) => screens::run(sessions, command, out),
        Some(command) => {
            crate::os::large_pages_for_batch_work();
            records::run(sessions, command, out, err)
        }
    }
}
