//! Small durable-file helpers, and the rules every file roundtable keeps
//! follows: owner-only modes, and never writing through a symbolic link or
//! to a file that another name (a hard link) also reaches.

use super::error::{Result, StoreError, io_err};
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub use crate::os::FileId;

/// Makes a folder's entries (a created or renamed file) survive a crash.
pub fn sync_dir(dir: &Path) -> Result<()> {
    crate::os::sync_dir(dir).map_err(io_err(dir))
}

/// Creates `dir` and any missing parents, owner-only.
pub fn create_private_dir_all(dir: &Path) -> Result<()> {
    crate::os::private_dirs(fs::DirBuilder::new().recursive(true))
        .create(dir)
        .map_err(io_err(dir))
}

/// Creates `dir` (which must not exist), owner-only.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    crate::os::private_dirs(&mut fs::DirBuilder::new())
        .create(dir)
        .map_err(io_err(dir))
}

/// Takes away group and other access from `path` if it has any (folders
/// and files written by earlier versions were world-readable), through a
/// handle opened without following a link, so what is changed is what was
/// checked. A link, a pipe or a device is left alone, and so is a file with
/// more than one name: its other name is someone else's file, whose
/// permissions are not roundtable's to change. That is said in the answer.
pub fn make_private(path: &Path) -> Result<Option<String>> {
    match crate::os::restrict_to_owner(path).map_err(io_err(path))? {
        crate::os::Restricted::SharedName => {
            let name = path
                .file_name()
                .unwrap_or(path.as_os_str())
                .to_string_lossy();
            Ok(Some(format!(
                "{name} is also another file's name (a hard link), so its permissions were left as they are: \
                 others on this computer may read it; remove the link"
            )))
        }
        _ => Ok(None),
    }
}

/// Which file an open handle is, so a later open can be checked to reach
/// the same one.
pub fn file_id(file: &File, path: &Path) -> Result<FileId> {
    crate::os::file_id(file).map_err(io_err(path))
}

/// Opens `path` without following a symbolic link, and checks that it is a
/// regular file with exactly one name: so two session folders can never
/// share one journal, and nothing is truncated or appended through a link.
/// `what` names the file for the user ("the journal").
pub fn open_sole(path: &Path, opts: &mut OpenOptions, what: &str) -> Result<File> {
    let file = open_no_link(path, opts, what)?;
    check_sole(&file, path, what)?;
    Ok(file)
}

/// Opens `path` through `opts` without following a link at its last name,
/// and never waiting on a named pipe: a link (on Windows, any reparse
/// point) is refused, saying so.
fn open_no_link(path: &Path, opts: &mut OpenOptions, what: &str) -> Result<File> {
    let file = crate::os::no_follow(opts)
        .open(path)
        .map_err(|e| not_through_link(path, what, e))?;
    if crate::os::is_link(&file).map_err(io_err(path))? {
        return Err(link_refused(path, what));
    }
    Ok(file)
}

/// Opens `path` for reading without following a symbolic link, checking it
/// is a regular file (any number of names: reading cannot harm another).
pub fn open_for_reading(path: &Path, what: &str) -> Result<File> {
    let file = open_no_link(path, OpenOptions::new().read(true), what)?;
    let meta = file.metadata().map_err(io_err(path))?;
    if !meta.file_type().is_file() {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: format!("{what} is {NOT_REGULAR}"),
        });
    }
    Ok(file)
}

/// Checks an open handle: a regular file with one name.
pub fn check_sole(file: &File, path: &Path, what: &str) -> Result<()> {
    let meta = file.metadata().map_err(io_err(path))?;
    if !meta.file_type().is_file() {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: format!("{what} is {NOT_REGULAR}"),
        });
    }
    let links = crate::os::link_count(file).map_err(io_err(path))?;
    if links != 1 {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: format!(
                "{what} has {links} hard links: another name (perhaps in another session folder) \
                 reaches the same file, so two writers could share it. roundtable will not \
                 write it; replace the link with a copy (cp) of the file"
            ),
        });
    }
    Ok(())
}

/// The error for a failed open, saying so plainly when the name is a link.
fn not_through_link(path: &Path, what: &str, e: std::io::Error) -> StoreError {
    let is_link = crate::os::refused_as_link(&e) || crate::os::is_link_at(path);
    if is_link {
        return link_refused(path, what);
    }
    io_err(path)(e)
}

/// Why a link (a symbolic link; on Windows also a junction) is refused.
fn link_refused(path: &Path, what: &str) -> StoreError {
    let target = fs::read_link(path)
        .map(|t| format!(" (to {})", t.display()))
        .unwrap_or_default();
    StoreError::Invalid {
        path: path.to_owned(),
        reason: format!(
            "{what} is a symbolic link{target}; roundtable never writes or reads through a \
             link, so that two sessions cannot share one file. Replace the link with a copy \
             of the file"
        ),
    }
}

/// Creates `path`, which must not exist (not even as a link), owner-only,
/// writes `bytes` and syncs. A file that could not be written whole is
/// removed: nothing empty or partial is left behind.
pub fn create_new_private(path: &Path, bytes: &[u8]) -> Result<()> {
    create_new_private_with(path, Box::new(|f: &mut File| f.write_all(bytes)))
}

/// What goes into a new file, written straight into it.
pub type Fill<'a> = Box<dyn FnOnce(&mut File) -> std::io::Result<()> + 'a>;

/// [`create_new_private`], the content written by `fill`.
fn create_new_private_with(path: &Path, fill: Fill<'_>) -> Result<()> {
    let result = (|| {
        let mut f = crate::os::private_file(OpenOptions::new().write(true).create_new(true))
            .open(path)
            .map_err(io_err(path))?;
        fill(&mut f)
            .and_then(|()| f.sync_all())
            .map_err(io_err(path))
    })();
    if let Err(e) = result {
        if !matches!(&e, StoreError::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists)
        {
            let _ = fs::remove_file(path);
        }
        return Err(e);
    }
    Ok(())
}

/// Replaces `path` atomically: temp file in the same folder, fsync, rename,
/// fsync the folder. A crash leaves either the old file or the new one. The
/// file is owner-only; a symbolic link at `path` is replaced, never followed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_set_atomic(&[(path, bytes)])
}

/// [`write_atomic`], the content written straight into the file by `fill`
/// (a large snapshot is never held whole in memory).
pub fn write_atomic_with(path: &Path, fill: Fill<'_>) -> Result<()> {
    write_set_atomic_with(vec![(path, fill)])
}

/// Writes several files as one set (the CSV tables): every file goes to a
/// temporary beside it and is synced first, and only when all are complete
/// are they renamed into place, so a full disk or a folder in the way
/// leaves the old set, not half of a new one. An error names the file that
/// was asked for, never a temporary.
pub fn write_set_atomic(files: &[(&Path, &[u8])]) -> Result<()> {
    write_set_atomic_with(
        files
            .iter()
            .map(|(path, bytes)| (*path, Box::new(|f: &mut File| f.write_all(bytes)) as Fill))
            .collect(),
    )
}

fn write_set_atomic_with(files: Vec<(&Path, Fill<'_>)>) -> Result<()> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let result = (|| {
        for (path, fill) in files {
            let tmp = temp_beside(path);
            // A temp file left by a killed process with the same number (or a
            // link planted there) is removed, never opened.
            match fs::remove_file(&tmp) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_err(path)(e)),
            }
            create_new_private_with(&tmp, fill).map_err(|e| about(e, path))?;
            staged.push((tmp, path));
            if path.is_dir() {
                let e = std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "a folder of that name is in the way",
                );
                return Err(io_err(path)(e));
            }
        }
        for (tmp, path) in &staged {
            fs::rename(tmp, path).map_err(io_err(*path))?;
        }
        let mut dirs: Vec<&Path> = staged.iter().map(|(_, p)| folder_of(p)).collect();
        dirs.dedup();
        dirs.into_iter().try_for_each(sync_dir)
    })();
    if result.is_err() {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
    }
    result
}

/// A bare file name's folder is the current one.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Removes the temporaries [`write_atomic`] leaves in `dir` for `names`
/// when a process is killed while writing one (a snapshot written at quit
/// can be tens of megabytes). Only for the holder of the folder's writer
/// lock, who alone writes them there. Returns how many were removed.
pub fn remove_stale_temps(dir: &Path, names: &[&str]) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let stale = names.iter().any(|name| {
            file.strip_prefix(&format!(".{name}.tmp-"))
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        // Never a folder; a link is removed, not followed.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if stale && !is_dir && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder_of(path).join(format!(".{name}.tmp-{}", std::process::id()))
}

/// The same error, about the file the user asked for.
fn about(e: StoreError, path: &Path) -> StoreError {
    match e {
        StoreError::Io { source, .. } => StoreError::Io {
            path: path.to_owned(),
            source,
        },
        other => other,
    }
}

/// Reads a whole file the user wrote (a template, a keymap, a participants
/// list), refusing one larger than `max` bytes. A symbolic link is followed:
/// such files are often kept elsewhere and linked.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    // A file the user names (a template, a participants list, a keymap)
    // may be reached through a link; but never waited on, and a regular
    // file.
    let f = crate::os::no_wait(OpenOptions::new().read(true))
        .open(path)
        .map_err(io_err(path))?;
    if !f.metadata().map_err(io_err(path))?.file_type().is_file() {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: NOT_REGULAR.into(),
        });
    }
    read_all(f, path, max)
}

/// Why a pipe, a device or a folder is refused where a file is expected.
const NOT_REGULAR: &str =
    "not a regular file (a named pipe, a device or a folder?); roundtable will not use it";

/// Reads a whole file roundtable keeps (a snapshot, `devices.ron`, an
/// outbox), refusing one larger than `max` bytes, one reached through a
/// symbolic link, or one with a second name. `what` names it for the user.
pub fn read_sole(path: &Path, max: u64, what: &str) -> Result<Vec<u8>> {
    let f = open_sole(path, OpenOptions::new().read(true), what)?;
    read_all(f, path, max)
}

fn read_all(f: File, path: &Path, max: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    f.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err(path))?;
    if bytes.len() as u64 > max {
        return Err(StoreError::Invalid {
            path: path.to_owned(),
            reason: format!("the file is larger than {max} bytes, the most roundtable reads"),
        });
    }
    Ok(bytes)
}
