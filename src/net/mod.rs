//! Several terminals on one live session: the host side, the joining side,
//! and what travels between them.

pub mod client;
pub mod door;
pub mod host;
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
