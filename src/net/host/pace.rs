//! A joined terminal's proposals at a person's pace: held back, never
//! refused, until its budgets and the whole room's allow them.

use super::{Shared, lock};
use crate::domain::Event;
use std::time::{Duration, Instant};

/// Waits until this terminal's budgets and the room's allow `event` (and
/// takes it from them), telling the facilitator, at most once a minute,
/// who is being slowed down.
pub(super) async fn paced(
    shared: &Shared,
    shown: &str,
    records: &mut crate::net::budget::Budget,
    bytes: &mut crate::net::budget::Budget,
    event: &Event,
) {
    let size = crate::net::budget::size_of(event);
    loop {
        let now = Instant::now();
        let wait = [
            records.ready(1.0, now),
            bytes.ready(size as f64, now),
            lock(&shared.budget).ready(size, now),
        ]
        .into_iter()
        .filter_map(Result::err)
        .max();
        let Some(wait) = wait else {
            let _ = records.take(1.0, now);
            let _ = bytes.take(size as f64, now);
            let _ = lock(&shared.budget).take(size, now);
            return;
        };
        crate::net::tell_flooding(&shared.flooding, &shared.ui, shown, now);
        tokio::time::sleep(wait.min(Duration::from_secs(5))).await;
    }
}
