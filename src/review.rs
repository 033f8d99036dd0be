//! `roundtable review`: placeholder filled in below.
use crate::ui::Theme;
use std::path::{Path, PathBuf};

pub fn run(_sessions: &Path, _dir: Option<PathBuf>, _theme: Theme) -> std::io::Result<()> {
    Ok(())
}
