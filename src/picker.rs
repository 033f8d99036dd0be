//! `roundtable` with no arguments: choose a session, or create one. (Filled in below.)
use crate::cli::Failure;
use std::io::Write;
use std::path::Path;

pub fn run(_sessions: &Path, _out: &mut dyn Write) -> Result<i32, Failure> {
    Ok(0)
}
