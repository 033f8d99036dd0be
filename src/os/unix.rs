//! The Unix side of [`crate::os`]: modes 0600 and 0700, `O_NOFOLLOW`,
//! device and inode numbers, `pread`, `fsync` on a folder.

use super::{FileId, Identity, Restricted};
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// mimalloc: opening, replaying and verifying allocate millions of small
/// strings, and it made each of them markedly faster than the system's
/// allocator (PERFORMANCE.md). It keeps freed memory for reuse;
/// [`give_back_freed_memory`] gives a large amount back.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub fn give_back_freed_memory() {
    // SAFETY: mi_collect only releases free memory; it takes no pointers.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

pub fn large_pages_for_batch_work() {
    // SAFETY: sets one of mimalloc's options; no pointers.
    unsafe {
        libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1);
    }
}

/// Files roundtable writes: only their owner may read them.
const FILE_MODE: u32 = 0o600;
/// Folders roundtable creates for them.
const DIR_MODE: u32 = 0o700;

pub fn private_dirs(b: &mut DirBuilder) -> &mut DirBuilder {
    b.mode(DIR_MODE)
}

pub fn private_file(o: &mut OpenOptions) -> &mut OpenOptions {
    o.mode(FILE_MODE)
}

/// A regular file ignores `O_NONBLOCK`; a named pipe opened with it is then
/// refused as not a regular file instead of hanging the program.
pub fn no_follow(o: &mut OpenOptions) -> &mut OpenOptions {
    o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
}

pub fn no_wait(o: &mut OpenOptions) -> &mut OpenOptions {
    o.custom_flags(libc::O_NONBLOCK)
}

pub fn refused_as_link(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// `O_NOFOLLOW` already refused a link: an open handle never is one.
pub fn is_link(_: &File) -> io::Result<bool> {
    Ok(false)
}

pub fn file_id(file: &File) -> io::Result<FileId> {
    let m = file.metadata()?;
    Ok(FileId {
        dev: m.dev(),
        ino: m.ino(),
    })
}

pub fn link_count(file: &File) -> io::Result<u64> {
    Ok(file.metadata()?.nlink())
}

pub fn identity_at(path: &Path) -> io::Result<Identity> {
    let m = fs::symlink_metadata(path)?;
    Ok(Identity {
        id: FileId {
            dev: m.dev(),
            ino: m.ino(),
        },
        links: m.nlink(),
        is_link: m.file_type().is_symlink(),
    })
}

pub fn restrict_to_owner(path: &Path) -> io::Result<Restricted> {
    let meta = fs::symlink_metadata(path)?;
    if !(meta.is_file() || meta.is_dir()) {
        return Ok(Restricted::NotAFile);
    }
    let file = match no_follow(OpenOptions::new().read(true)).open(path) {
        Ok(f) => f,
        // Replaced by a link since it was looked at.
        Err(e) if refused_as_link(&e) => return Ok(Restricted::NotAFile),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 == 0 {
        return Ok(Restricted::Already);
    }
    if meta.is_file() && meta.nlink() > 1 {
        return Ok(Restricted::SharedName);
    }
    file.set_permissions(fs::Permissions::from_mode(mode & 0o700))?;
    Ok(Restricted::Now)
}

pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    file.read_exact_at(buf, offset)
}

pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

pub fn lower_priority() {
    // SAFETY: setpriority takes no pointers; lowering a thread's own
    // priority is always allowed, and a failure only leaves it as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// A copy of this process doing one piece of work (see
/// [`crate::os::in_a_copy`]); waited for when dropped.
#[derive(Debug)]
pub struct Copy {
    pid: libc::pid_t,
    /// How it ended, once it has.
    ended: Option<bool>,
}

impl Copy {
    /// Whether it has ended, and if so whether its work succeeded; never
    /// waits.
    pub fn ended(&mut self) -> Option<bool> {
        if self.ended.is_none() {
            let mut status = 0;
            // SAFETY: an out-pointer to an int, for our own child.
            let r = unsafe { libc::waitpid(self.pid, &mut status, libc::WNOHANG) };
            if r == self.pid {
                self.ended = Some(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
            } else if r < 0 {
                self.ended = Some(false);
            }
        }
        self.ended
    }

    /// Waits for it to end: whether its work succeeded. A copy still at
    /// work after [`COPY_PATIENCE`] is stopped (its work is a cache, and
    /// quitting must never hang on it).
    pub fn wait(&mut self) -> bool {
        let until = std::time::Instant::now() + COPY_PATIENCE;
        while self.ended().is_none() {
            if std::time::Instant::now() >= until {
                // SAFETY: signals our own child, which has not been reaped
                // (so its pid is still its own).
                unsafe {
                    libc::kill(self.pid, libc::SIGKILL);
                }
                let mut status = 0;
                // SAFETY: an out-pointer to an int, for our own child.
                unsafe { libc::waitpid(self.pid, &mut status, 0) };
                self.ended = Some(false);
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        self.ended == Some(true)
    }
}

/// How long a copy of the process may take before it is stopped.
const COPY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

impl Drop for Copy {
    fn drop(&mut self) {
        self.wait();
    }
}

pub fn in_a_copy(work: impl FnOnce() -> bool) -> Option<io::Result<Copy>> {
    // Opened before the copy is made: the copy only rearranges descriptors.
    let null = match OpenOptions::new().read(true).write(true).open("/dev/null") {
        Ok(f) => f,
        Err(e) => return Some(Err(e)),
    };
    // SAFETY: sysconf takes no pointers.
    let most = unsafe { libc::sysconf(libc::_SC_OPEN_MAX) }.clamp(3, 1 << 16) as i32;
    // SAFETY: fork has no preconditions; the copy runs only `work` (which
    // reads memory that is its own now, allocates on this thread's heap and
    // writes files) and then `_exit`, never returning into the caller.
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => Some(Err(io::Error::last_os_error())),
        0 => {
            use std::os::fd::AsRawFd;
            // SAFETY: descriptors only. The copy must never draw on or
            // reset the terminal, nor hold the session's lock or the
            // listening sockets should this process end first.
            unsafe {
                for fd in 0..3 {
                    libc::dup2(null.as_raw_fd(), fd);
                }
                for fd in 3..most {
                    libc::close(fd);
                }
            }
            // A panic ends the copy quietly: the terminal's panic hook
            // would put the terminal back from under the screens.
            std::panic::set_hook(Box::new(|_| {
                // SAFETY: ends this process at once, without unwinding.
                unsafe { libc::_exit(70) }
            }));
            lower_priority();
            // SAFETY: takes no pointers. Should the copy hang (a lock held
            // by a thread that is not in the copy), it ends by itself even
            // if this process is gone and cannot stop it.
            unsafe {
                libc::alarm(COPY_PATIENCE.as_secs() as u32 + 60);
            }
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or(false);
            // SAFETY: ends the copy without running anything of the
            // original's (destructors, buffered output, exit handlers).
            unsafe { libc::_exit(if ok { 0 } else { 1 }) }
        }
        pid => Some(Ok(Copy { pid, ended: None })),
    }
}

pub fn raise_open_files() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < lim.rlim_max {
            let want = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &want) == 0 {
                lim.rlim_cur = lim.rlim_max;
            }
        }
    }
    lim.rlim_cur
}

pub fn user_and_host() -> (String, String) {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown user".into());
    let host = fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".into());
    (user, host)
}

fn home_and(var: &str, under_home: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(under_home)))
}

pub fn config_home() -> Option<PathBuf> {
    home_and("XDG_CONFIG_HOME", ".config")
}

pub fn state_home() -> Option<PathBuf> {
    home_and("XDG_STATE_HOME", ".local/state")
}
