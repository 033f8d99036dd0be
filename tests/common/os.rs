//! What the tests need of the operating system, on Unix and on Windows:
//! the one place in the tests that says which (as `roundtable::os` is in
//! the program).

use std::io;
use std::path::Path;

/// Makes `link` a symbolic link to `target` (a folder's or a file's), or
/// says this system cannot: Wine 8 answers success and makes nothing
/// (`CreateSymbolicLinkW` is a stub there, and `mklink /J` fails), so a test
/// of refusing links runs where links can be made and says where not.
pub fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link)?;
    #[cfg(windows)]
    if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)?;
    } else {
        std::os::windows::fs::symlink_file(target, link)?;
    }
    if !roundtable::os::is_link_at(link) {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this system made no link (Wine 8 cannot)",
        ));
    }
    Ok(())
}

/// [`symlink`], or `false` (said on stderr) where links cannot be made, so
/// the test that needs one stops there.
pub fn link_made(target: &Path, link: &Path) -> bool {
    match symlink(target, link) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::Unsupported => {
            eprintln!("NOT RUN HERE: {e}; the link check runs on Linux");
            false
        }
        Err(e) => panic!("making the link {}: {e}", link.display()),
    }
}

/// Checks `path` is for its owner's eyes only: mode 0600 (or 0700 for a
/// folder) on Unix. On Windows a file's access comes from its folder (see
/// RELIABILITY.md, "On Windows"), and there is no mode to check.
pub fn assert_owner_only(path: &Path, what: &str) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{what}: {mode:o} lets others read it");
    }
    #[cfg(windows)]
    let _ = (path, what);
}

/// A raw connection to the host listening at `socket` (to send it garbage).
pub fn raw_local(socket: &Path) -> io::Result<Box<dyn ReadWrite>> {
    #[cfg(unix)]
    return Ok(Box::new(std::os::unix::net::UnixStream::connect(socket)?));
    #[cfg(windows)]
    return Ok(Box::new(
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(roundtable::os::local::address(socket)?)?,
    ));
}

pub trait ReadWrite: io::Read + io::Write + Send {}
impl<T: io::Read + io::Write + Send> ReadWrite for T {}

/// Lets this test process hold `want` open files (Unix; Windows has no such
/// limit on sockets).
pub fn raise_fd_limit(want: u64) {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit write and read the struct we pass.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < want {
                lim.rlim_cur = want.min(lim.rlim_max);
                libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            }
        }
    }
    #[cfg(windows)]
    let _ = want;
}

/// Whether Python 3 is here to read an export as a script would: not under
/// Wine (said on stderr), where the readers' checks stop and run on Linux.
pub fn has_python() -> bool {
    if cfg!(windows) {
        eprintln!("NOT RUN HERE: no Python under Wine; the export's readers run on Linux");
        return false;
    }
    true
}
