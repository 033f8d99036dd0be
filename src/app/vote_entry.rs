//! Keys on the vote screen beyond a single choice: the order of a ranking
//! as it is entered, and what the results are broken down by.

use super::{App, Tone};
use crate::domain::{Choice, Session};

/// The results on this screen by the next breakdown in use: role group,
/// sector, level (a round open or not).
pub(super) fn results_by(app: &mut App, session: &Session) {
    let people = session.participants.values();
    let offered = crate::domain::Breakdown::in_use(people.clone());
    let now = app
        .vote
        .breakdown
        .unwrap_or_else(|| crate::domain::Breakdown::natural(people));
    let next = now.next_of(&offered);
    app.vote.breakdown = Some(next);
    app.say(Tone::Info, format!("results by {}", next.label()));
}

/// Option `n` (from 1) next in the ranking being entered; the last one
/// left takes the last place by itself.
pub(super) fn rank(app: &mut App, names: &[String], n: u8) {
    let options = names.len();
    let pick = n - 1;
    if app.vote.dots.contains(&pick) {
        let so_far = Choice::ranking_words(&app.vote.dots, names);
        return app.say(Tone::Info, format!("{n} is ranked already: {so_far}"));
    }
    let order = &mut app.vote.dots;
    order.push(pick);
    if order.len() + 1 == options
        && let Some(last) = (0..options as u8).find(|i| !order.contains(i))
    {
        order.push(last);
    }
    let so_far = Choice::ranking_words(order, names);
    match order.len() == options {
        true => app.say(
            Tone::Info,
            format!(
                "{so_far}: {}",
                app.keys("{CastBallot} casts, {ClearBallot} starts again")
            ),
        ),
        false => app.say(Tone::Info, format!("{so_far} … next?")),
    }
}
