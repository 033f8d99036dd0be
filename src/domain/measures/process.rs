//! The process: each stage's time against its plan, and the actions the
//! group agreed with what became of them.

use super::super::time::mmss;
use super::super::{ActionStatus, Session, StageState};
use super::{Figure, Measure, WHOLE, counted, last_moment};

pub(super) fn process(session: &Session) -> Vec<Figure> {
    let now = last_moment(session);
    let mut out = Vec::new();
    for (n, st) in session.stages.values().enumerate() {
        let planned = i64::from(st.planned_secs);
        let actual = st.elapsed_millis(now) / 1000;
        let (value, note) = match (st.state(), st.is_skipped()) {
            (_, true) => ("skipped".to_owned(), String::new()),
            (StageState::NotStarted, _) => ("did not run".to_owned(), String::new()),
            (state, _) => (
                format!("{} of {}", mmss(actual), mmss(planned)),
                match state {
                    StageState::Ended => String::new(),
                    _ => "still running when the record ends".into(),
                },
            ),
        };
        out.push(Figure {
            measure: Measure::StageTime,
            scope: format!("stage {} {}", n + 1, st.title),
            subject: "actual of planned".into(),
            count: actual,
            of: Some(planned),
            value,
            note: if st.runtime.added_late {
                format!("{note} added during the session").trim().to_owned()
            } else {
                note
            },
            records: vec![st.id.to_string()],
        });
    }
    let total = session.actions.len() as i64;
    for status in [
        ActionStatus::Open,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ] {
        let ids: Vec<String> = session
            .actions
            .values()
            .filter(|a| a.status == status)
            .map(|a| a.id.to_string())
            .collect();
        out.push(counted(Measure::Actions, WHOLE, status.label(), ids, total));
    }
    out
}
