//! The local channel a second terminal on the same computer joins by:
//! `roundtable.sock` in the session folder. On Unix it is that socket,
//! owner-only (mode 0600 in an owner-only folder). On Windows it is a named
//! pipe whose name is made from the folder, that only its owner may open
//! and no other computer may reach; `roundtable.sock` is then a marker that
//! the session is running. Either way, a second host for the same folder is
//! refused while the first listens, and what connects is one byte stream.

use std::io;
use std::path::Path;
use tokio::io::{AsyncRead, AsyncWrite};

/// One connection's two halves.
pub type Halves = (
    Box<dyn AsyncRead + Unpin + Send>,
    Box<dyn AsyncWrite + Unpin + Send>,
);

#[cfg(unix)]
pub use unix_side::*;
#[cfg(windows)]
pub use windows_side::*;

/// Where a raw connection to the host listening at `path` is opened: the
/// socket itself, or on Windows the pipe's name (for tests that send it
/// garbage).
pub fn address(path: &Path) -> io::Result<std::path::PathBuf> {
    #[cfg(unix)]
    return Ok(path.to_owned());
    #[cfg(windows)]
    return windows_side::pipe_name(path).map(std::path::PathBuf::from);
}

/// Whether a host looks to be listening at `path` (its socket, or its
/// marker, is there).
pub fn present(path: &Path) -> bool {
    path.exists()
}

#[cfg(unix)]
mod unix_side {
    use super::*;
    use std::os::unix::net::UnixStream;

    /// Bound, not yet accepting: made on any thread, accepting needs the
    /// runtime that will serve the connections.
    pub struct Bound(std::os::unix::net::UnixListener);

    /// Listens at `path`: refused when a host already listens there; a
    /// socket left by a host that was killed is replaced.
    pub fn bind(path: &Path) -> io::Result<Bound> {
        if path.exists() {
            if UnixStream::connect(path).is_ok() {
                return Err(in_use(path));
            }
            std::fs::remove_file(path)?;
        }
        let l = std::os::unix::net::UnixListener::bind(path)?;
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
        l.set_nonblocking(true)?;
        Ok(Bound(l))
    }

    pub struct Listener(tokio::net::UnixListener);

    impl Bound {
        /// Accepting, on the runtime this is called in.
        pub fn start(self) -> io::Result<Listener> {
            tokio::net::UnixListener::from_std(self.0).map(Listener)
        }
    }

    impl Listener {
        pub async fn accept(&mut self) -> io::Result<Halves> {
            let (s, _) = self.0.accept().await?;
            let (r, w) = s.into_split();
            Ok((Box::new(r), Box::new(w)))
        }
    }

    pub async fn connect(path: &Path) -> io::Result<Halves> {
        let s = tokio::net::UnixStream::connect(path).await?;
        let (r, w) = s.into_split();
        Ok((Box::new(r), Box::new(w)))
    }
}

#[cfg(windows)]
mod windows_side {
    use super::*;
    use sha2::{Digest, Sha256};
    use tokio::net::windows::named_pipe::{ClientOptions, NamedPipeServer, ServerOptions};
    use windows_sys::Win32::Foundation::{ERROR_PIPE_BUSY, LocalFree};
    use windows_sys::Win32::Security::Authorization::{
        ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
    };
    use windows_sys::Win32::Security::SECURITY_ATTRIBUTES;

    /// The pipe for the session folder `path` is in: the same name from the
    /// host and from `join`, however the folder was named to each.
    pub(super) fn pipe_name(path: &Path) -> io::Result<String> {
        let folder = path.parent().unwrap_or(Path::new("."));
        let full = std::fs::canonicalize(folder)?;
        let key = full.to_string_lossy().to_lowercase();
        let digest = Sha256::digest(key.as_bytes());
        Ok(format!(
            r"\\.\pipe\roundtable-{}",
            hex::encode(&digest[..16])
        ))
    }

    /// Only the pipe's owner (the user running the host) may open it, and
    /// SYSTEM; nobody else on this computer, and no other computer.
    struct OwnerOnly(*mut core::ffi::c_void);

    // The descriptor is read-only once made and freed once, on drop.
    unsafe impl Send for OwnerOnly {}

    impl OwnerOnly {
        fn new() -> io::Result<OwnerOnly> {
            let sddl: Vec<u16> = "D:P(A;;GA;;;SY)(A;;GA;;;OW)\0".encode_utf16().collect();
            let mut sd = std::ptr::null_mut();
            // SAFETY: a NUL-terminated UTF-16 string; the call allocates the
            // descriptor, freed with LocalFree on drop.
            let ok = unsafe {
                ConvertStringSecurityDescriptorToSecurityDescriptorW(
                    sddl.as_ptr(),
                    SDDL_REVISION_1,
                    &mut sd,
                    std::ptr::null_mut(),
                )
            };
            if ok == 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(OwnerOnly(sd))
        }

        fn server(&self, name: &str, first: bool) -> io::Result<NamedPipeServer> {
            let mut attrs = SECURITY_ATTRIBUTES {
                nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
                lpSecurityDescriptor: self.0,
                bInheritHandle: 0,
            };
            // SAFETY: the attributes and the descriptor they point to live
            // for the call; the pipe keeps its own copy.
            unsafe {
                ServerOptions::new()
                    .first_pipe_instance(first)
                    .reject_remote_clients(true)
                    .create_with_security_attributes_raw(
                        name,
                        (&mut attrs as *mut SECURITY_ATTRIBUTES).cast(),
                    )
            }
        }
    }

    impl Drop for OwnerOnly {
        fn drop(&mut self) {
            // SAFETY: allocated by ConvertStringSecurityDescriptor…, freed once.
            unsafe {
                LocalFree(self.0);
            }
        }
    }

    /// The pipe's name and who may open it; the first instance is made
    /// when accepting starts (it needs the runtime).
    pub struct Bound {
        name: String,
        owner_only: OwnerOnly,
    }

    /// Listens for the session folder `path` is in: refused when a host
    /// already listens for it. `path` is written as a marker (owner-only)
    /// so `join` can tell the session is running.
    pub fn bind(path: &Path) -> io::Result<Bound> {
        let name = pipe_name(path)?;
        let owner_only = OwnerOnly::new()?;
        // Opened as a file, outside any runtime: a pipe that exists, even
        // one whose every instance is busy, is another host's.
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&name)
        {
            Ok(_) => return Err(in_use(path)),
            Err(e) if e.raw_os_error() == Some(ERROR_PIPE_BUSY as i32) => {
                return Err(in_use(path));
            }
            Err(_) => {}
        }
        // A marker left by a host that was killed is replaced; a new one is
        // made, never written through a link.
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut marker = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        io::Write::write_all(&mut marker, name.as_bytes())?;
        Ok(Bound { name, owner_only })
    }

    pub struct Listener {
        name: String,
        owner_only: OwnerOnly,
        next: NamedPipeServer,
    }

    impl Bound {
        pub fn start(self) -> io::Result<Listener> {
            let next = self
                .owner_only
                .server(&self.name, true)
                .map_err(|e| match e.kind() {
                    io::ErrorKind::PermissionDenied => io::Error::other(
                        "another host is listening for this session: is it already running?",
                    ),
                    _ => e,
                })?;
            Ok(Listener {
                name: self.name,
                owner_only: self.owner_only,
                next,
            })
        }
    }

    impl Listener {
        pub async fn accept(&mut self) -> io::Result<Halves> {
            self.next.connect().await?;
            // The next instance is ready before this one is handed over.
            let fresh = self.owner_only.server(&self.name, false)?;
            let connected = std::mem::replace(&mut self.next, fresh);
            let (r, w) = tokio::io::split(connected);
            Ok((Box::new(r), Box::new(w)))
        }
    }

    pub async fn connect(path: &Path) -> io::Result<Halves> {
        let name = pipe_name(path)?;
        // All instances busy for a moment: wait a little, a few times.
        let mut tries = 0;
        let client = loop {
            match ClientOptions::new().open(&name) {
                Ok(c) => break c,
                Err(e) if e.raw_os_error() == Some(ERROR_PIPE_BUSY as i32) && tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                Err(e) => return Err(e),
            }
        };
        let (r, w) = tokio::io::split(client);
        Ok((Box::new(r), Box::new(w)))
    }
}

fn in_use(path: &Path) -> io::Error {
    io::Error::other(format!(
        "{} is in use: is the session already running?",
        path.display()
    ))
}
