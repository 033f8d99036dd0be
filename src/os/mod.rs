//! The one place the program meets the operating system: owner-only files
//! and folders, never through a link, which file a handle is and how many
//! names it has, reading at an offset, a folder's entries made durable, the
//! snapshot thread's priority, where per-user files live. A Unix side and a
//! Windows side, chosen here at compile time; everything above this module
//! (the store, the network, the screens) is the same on both. The local
//! channel a second terminal on the same computer joins by is `local`.
//!
//! What each side guarantees, and what it cannot, is in RELIABILITY.md
//! ("On Windows").

pub mod local;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// Which file an open handle is: a device (a volume on Windows) and the
/// file's number on it, so a later open can be checked to reach the same
/// file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

/// What a path names now, without following a link: which file, how many
/// names it has, and whether the name itself is a link (a symbolic link, or
/// on Windows any reparse point: a symbolic link or a junction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub id: FileId,
    pub links: u64,
    pub is_link: bool,
}

/// What [`restrict_to_owner`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restricted {
    /// Only its owner could read it already (or the system keeps it so).
    Already,
    /// Group and other access were taken away.
    Now,
    /// A file with another name (a hard link): left as it was.
    SharedName,
    /// A link, a pipe or a device: not roundtable's to change.
    NotAFile,
}

/// New folders made by `b` are owner-only.
pub fn private_dirs(b: &mut DirBuilder) -> &mut DirBuilder {
    imp::private_dirs(b)
}

/// A file created by `o` is owner-only.
pub fn private_file(o: &mut OpenOptions) -> &mut OpenOptions {
    imp::private_file(o)
}

/// Opening through `o` neither follows a link at the last name nor waits
/// (a named pipe opened for reading would wait for a writer). On Unix a
/// link fails the open; on Windows the link itself is opened, and
/// [`is_link`] says so.
pub fn no_follow(o: &mut OpenOptions) -> &mut OpenOptions {
    imp::no_follow(o)
}

/// Opening through `o` never waits (on a named pipe); links are followed.
pub fn no_wait(o: &mut OpenOptions) -> &mut OpenOptions {
    imp::no_wait(o)
}

/// Whether a failed open failed because the name is a link.
pub fn refused_as_link(e: &io::Error) -> bool {
    imp::refused_as_link(e)
}

/// Whether an open handle is a link itself (Windows, after [`no_follow`]).
pub fn is_link(file: &File) -> io::Result<bool> {
    imp::is_link(file)
}

/// Which file `file` is.
pub fn file_id(file: &File) -> io::Result<FileId> {
    imp::file_id(file)
}

/// How many names `file` has.
pub fn link_count(file: &File) -> io::Result<u64> {
    imp::link_count(file)
}

/// What `path` names now, without following a link.
pub fn identity_at(path: &Path) -> io::Result<Identity> {
    imp::identity_at(path)
}

/// Whether the name `path` is itself a link (on Windows, any reparse point:
/// a symbolic link or a junction); false when nothing is there.
pub fn is_link_at(path: &Path) -> bool {
    identity_at(path).is_ok_and(|i| i.is_link)
}

/// Takes away access by anyone but the owner from the file or folder
/// `path`, through a handle opened without following a link.
pub fn restrict_to_owner(path: &Path) -> io::Result<Restricted> {
    imp::restrict_to_owner(path)
}

/// Fills `buf` from `file` at `offset`.
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    imp::read_exact_at(file, buf, offset)
}

/// Makes a folder's entries (a created or renamed file) survive a crash.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    imp::sync_dir(dir)
}

/// Returns freed heap pages to the system (the allocator keeps them for
/// reuse otherwise): the calling thread's own free memory.
pub fn give_back_freed_memory() {
    imp::give_back_freed_memory()
}

/// For a command that reads a whole journal and ends (`verify`, `show`,
/// `export`): the allocator takes memory from the system in large pages,
/// which the kernel hands out with far fewer faults (a million-record
/// replay spent a quarter of its CPU in the kernel zeroing small pages).
/// Not for the live screens, whose resident memory is budgeted.
pub fn large_pages_for_batch_work() {
    imp::large_pages_for_batch_work()
}

/// Lowers the calling thread's priority: the snapshot's proof replay runs
/// while the screens draw and take keys, and must not delay them.
pub fn lower_priority() {
    imp::lower_priority()
}

/// Work done by a copy of this process (on Unix, `fork`): the copy sees
/// memory exactly as it was at the call, whatever this process changes
/// afterwards, so a large snapshot is written from a still picture of the
/// session while commits go on. `None` where there is no such copy
/// (Windows): the caller does the work some other way.
pub fn in_a_copy(work: impl FnOnce() -> bool) -> Option<io::Result<Copy>> {
    imp::in_a_copy(work)
}

pub use imp::Copy;

/// Raises this process's limit on open connections to the most it may
/// have, and says how many it may now hold (a room of phones needs one
/// each).
pub fn raise_open_files() -> u64 {
    imp::raise_open_files()
}

/// Who is running this, and on which computer, in words.
pub fn user_and_host() -> (String, String) {
    imp::user_and_host()
}

/// Where a user's settings live (`~/.config`, or `%APPDATA%`).
pub fn config_home() -> Option<PathBuf> {
    imp::config_home()
}

/// Where a user's program state lives (`~/.local/state`, or
/// `%LOCALAPPDATA%`).
pub fn state_home() -> Option<PathBuf> {
    imp::state_home()
}
