//! The one in-memory copy of a session a running program keeps. At the host
//! the store thread alone changes it, applying each record after it is
//! written and fsynced; the screens read the same copy, so what they show
//! is always saved. A joined terminal owns its copy and applies what its
//! host saved.

use crate::domain::Session;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

#[derive(Clone, Debug, Default)]
pub struct Shared(Arc<RwLock<Session>>);

impl Shared {
    pub fn new(session: Session) -> Self {
        Shared(Arc::new(RwLock::new(session)))
    }

    /// The session to read; other readers may hold it at the same time.
    pub fn read(&self) -> RwLockReadGuard<'_, Session> {
        // A panic while the session was being changed is a bug, and the
        // session is still whole memory; reading on is better than stopping.
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session to change: only the store thread (and a joined
    /// terminal, for what its host saved) calls this.
    pub fn write(&self) -> RwLockWriteGuard<'_, Session> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}
