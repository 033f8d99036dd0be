//! Several terminals on one live session: the host side, the joining side,
//! and what travels between them.

pub mod budget;
pub mod client;
pub mod deadline;
pub mod door;
pub mod host;
pub mod outbox;
pub mod phones;
pub mod wire;

/// Calls `at` with each saved record's number as the store sends it (a
/// listener's idea of the journal's head), on a task of the caller's
/// runtime, until the store stops.
pub(crate) fn follow_head(feed: &crate::live::Feed, at: impl Fn(u64) + Send + 'static) {
    let mut records = feed.subscribe();
    tokio::spawn(async move {
        loop {
            match records.recv().await {
                Ok(rec) => at(rec.0),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(_) => return,
            }
        }
    });
}

/// Runs the future `serve` makes on a thread of its own, named `name`, on a
/// single-threaded tokio runtime, until it ends.
pub(crate) fn on_own_thread<F: std::future::Future<Output = ()> + 'static>(
    name: &str,
    serve: impl FnOnce() -> F + Send + 'static,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(serve());
        })
        .map(drop)
}

/// A mutex's guard, even if a thread panicked holding it: the listeners'
/// bookkeeping is still whole, and carrying on beats stopping the room.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A listener's way to the store thread; `None` once the listener stops.
pub(crate) type StoreLink = std::sync::Mutex<Option<std::sync::mpsc::Sender<crate::live::Request>>>;

/// Proposes `event` for `actor` and waits until the store has saved it
/// (the record's number) or refused it (why); `closing` is said when the
/// store no longer listens.
pub(crate) async fn propose(
    store: &StoreLink,
    actor: String,
    event: crate::domain::Event,
    closing: &str,
) -> Result<u64, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let req = crate::live::Request {
        token: 0,
        event,
        from: crate::live::Origin::Remote { actor, reply: tx },
    };
    let sent = lock(store).as_ref().map(|s| s.send(req).is_ok());
    if sent != Some(true) {
        return Err(closing.to_owned());
    }
    rx.await.unwrap_or_else(|_| Err(closing.to_owned()))
}

/// Tells the facilitator that `shown` sends more than a person would, at
/// most once a minute for each.
pub(crate) fn tell_flooding(
    told: &std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
    ui: &tokio::sync::mpsc::UnboundedSender<crate::live::Reply>,
    shown: &str,
    now: std::time::Instant,
) {
    let mut told = lock(told);
    let due = told
        .get(shown)
        .is_none_or(|at| now.saturating_duration_since(*at) >= std::time::Duration::from_secs(60));
    if due {
        if told.len() >= 1024 {
            told.clear();
        }
        told.insert(shown.to_owned(), now);
        let _ = ui.send(crate::live::Reply::Flooding(shown.to_owned()));
    }
}
