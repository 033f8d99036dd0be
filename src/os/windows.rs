//! The Windows side of [`crate::os`]. Files and folders are created with
//! the access their folder passes on: under the user's profile (where a
//! sessions folder belongs) that is the user, SYSTEM and Administrators,
//! and nobody else. Links (symbolic links and junctions, "reparse points")
//! are opened as themselves, never followed, and refused; which file a
//! handle is and how many names it has come from its file information.

use super::{FileId, Identity, Restricted};
use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::os::windows::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::os::windows::io::AsRawHandle;
use std::path::{Path, PathBuf};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_ATTRIBUTE_REPARSE_POINT, FILE_FLAG_BACKUP_SEMANTICS,
    FILE_FLAG_OPEN_REPARSE_POINT, GetFileInformationByHandle,
};

/// Windows keeps the system's allocator. mimalloc gives a thread's heap back
/// when the thread ends through a fiber-local-storage callback; under Wine 8
/// that never came, and every journal scan (which reads on a thread of its
/// own) kept about 60 KB until a 10,000-case test ran out of memory.
pub fn give_back_freed_memory() {}

/// Large pages need a privilege Windows gives few users: nothing to do.
pub fn large_pages_for_batch_work() {}

/// The folder's inherited access: see the module's note.
pub fn private_dirs(b: &mut DirBuilder) -> &mut DirBuilder {
    b
}

/// The folder's inherited access: see the module's note.
pub fn private_file(o: &mut OpenOptions) -> &mut OpenOptions {
    o
}

/// The link itself is opened, and [`is_link`] then refuses it. Windows
/// keeps named pipes out of the file system, so nothing waits.
pub fn no_follow(o: &mut OpenOptions) -> &mut OpenOptions {
    o.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
}

pub fn no_wait(o: &mut OpenOptions) -> &mut OpenOptions {
    o
}

/// A link never fails an open here: it is opened as itself.
pub fn refused_as_link(_: &io::Error) -> bool {
    false
}

pub fn is_link(file: &File) -> io::Result<bool> {
    Ok(file.metadata()?.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0)
}

fn information(file: &File) -> io::Result<BY_HANDLE_FILE_INFORMATION> {
    // SAFETY: the handle is open for as long as `file` is borrowed, and the
    // struct is plain data the call fills in.
    unsafe {
        let mut info: BY_HANDLE_FILE_INFORMATION = std::mem::zeroed();
        if GetFileInformationByHandle(file.as_raw_handle(), &mut info) == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(info)
    }
}

fn id_of(info: &BY_HANDLE_FILE_INFORMATION) -> FileId {
    FileId {
        dev: u64::from(info.dwVolumeSerialNumber),
        ino: (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
    }
}

pub fn file_id(file: &File) -> io::Result<FileId> {
    information(file).map(|i| id_of(&i))
}

pub fn link_count(file: &File) -> io::Result<u64> {
    information(file).map(|i| u64::from(i.nNumberOfLinks))
}

/// Opened with no access asked for (only its information is read), as
/// itself if it is a link, and a folder too.
pub fn identity_at(path: &Path) -> io::Result<Identity> {
    let file = OpenOptions::new()
        .access_mode(0)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS)
        .open(path)?;
    let info = information(&file)?;
    Ok(Identity {
        id: id_of(&info),
        links: u64::from(info.nNumberOfLinks),
        is_link: info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT != 0,
    })
}

/// Access comes from the folder a file is in (see the module's note):
/// there are no group and other bits to take away.
pub fn restrict_to_owner(_: &Path) -> io::Result<Restricted> {
    Ok(Restricted::Already)
}

pub fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Windows cannot flush a folder's entries on their own; NTFS records a
/// created or renamed file in its own journal, and every file's contents
/// are flushed (`sync_all`) before it is renamed into place.
pub fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

/// No copy of a process on Windows: see [`crate::os::in_a_copy`].
#[derive(Debug)]
pub enum Copy {}

impl Copy {
    pub fn ended(&mut self) -> Option<bool> {
        match *self {}
    }

    pub fn wait(&mut self) -> bool {
        match *self {}
    }
}

pub fn in_a_copy(_work: impl FnOnce() -> bool) -> Option<std::io::Result<Copy>> {
    None
}

pub fn lower_priority() {
    use windows_sys::Win32::System::Threading::{
        GetCurrentThread, SetThreadPriority, THREAD_PRIORITY_BELOW_NORMAL,
    };
    // SAFETY: the pseudo-handle of the calling thread needs no closing;
    // a failure only leaves the priority as it was.
    unsafe {
        SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
    }
}

/// Windows has no per-process limit on sockets to raise.
pub fn raise_open_files() -> u64 {
    u64::MAX
}

pub fn user_and_host() -> (String, String) {
    let var = |name: &str, or: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| or.into())
    };
    (
        var("USERNAME", "unknown user"),
        var("COMPUTERNAME", "this machine"),
    )
}

pub fn config_home() -> Option<PathBuf> {
    std::env::var_os("APPDATA").map(PathBuf::from)
}

pub fn state_home() -> Option<PathBuf> {
    std::env::var_os("LOCALAPPDATA").map(PathBuf::from)
}
