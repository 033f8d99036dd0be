//! How role groups voted, where service users and carers and staff
//! diverged, and where the group placed itself on the ladder.

use super::super::Session;
use super::super::participant::Breakdown;
use super::super::vote::{BallotMode, LADDER, VoteMethod};
use super::{FLAG_AT, Figure, Guard, LIVED, Measure};

/// Total variation distance between two distributions of counts: half the
/// sum of the differences of their shares. `None` when either is empty.
pub fn distance(a: &[u32], b: &[u32]) -> Option<f64> {
    let (ta, tb) = (
        a.iter().map(|x| f64::from(*x)).sum::<f64>(),
        b.iter().map(|x| f64::from(*x)).sum::<f64>(),
    );
    if ta == 0.0 || tb == 0.0 {
        return None;
    }
    let d: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (f64::from(*x) / ta - f64::from(*y) / tb).abs())
        .sum();
    Some(d / 2.0)
}

/// `agree 3 · disagree 1 · pass 0`.
fn spread(options: &[String], counts: &[u32]) -> String {
    options
        .iter()
        .zip(counts)
        .map(|(o, n)| format!("{o} {n}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

pub(super) fn rounds(session: &Session, by: Breakdown) -> Vec<Figure> {
    let mut out = Vec::new();
    for round in session.rounds.values().filter(|r| r.results_visible()) {
        let res = session.results(round);
        let (groups, _) = session.results_by(round, by);
        let scope = round.id.to_string();
        let fig = |measure, subject: &str, counts: &[u32]| Figure {
            measure,
            scope: scope.clone(),
            subject: subject.into(),
            count: counts.iter().map(|n| i64::from(*n)).sum(),
            of: None,
            value: spread(&res.options, counts),
            note: String::new(),
            records: vec![scope.clone()],
        };
        let guard = Guard::of(session, by);
        // By sector or level, an anonymous round cannot be placed at all.
        let placed = by == Breakdown::RoleGroup || round.mode == BallotMode::PerParticipant;
        for (i, (g, counts)) in groups.iter().enumerate() {
            if placed
                && !guard.lone(&[i])
                && (by == Breakdown::RoleGroup || counts.iter().any(|n| *n > 0))
            {
                out.push(fig(Measure::RoundByGroup, g, counts));
            }
        }
        let diverge = |a: &[u32], b: &[u32], subject: String, out: &mut Vec<Figure>| {
            if let Some(d) = distance(a, b) {
                let mut f = fig(Measure::Divergence, &subject, &[]);
                f.count = a.iter().chain(b).map(|n| i64::from(*n)).sum();
                f.value = format!("{d:.2}");
                if d >= FLAG_AT {
                    f.note = "flagged: material for refutational translation".into();
                }
                out.push(f);
            }
        };
        if by == Breakdown::RoleGroup {
            let lived: Vec<u32> = groups[0]
                .1
                .iter()
                .zip(&groups[1].1)
                .map(|(a, b)| a + b)
                .collect();
            let apart = !guard.lone(&[0, 1]) && !guard.lone(&[2]);
            if apart {
                diverge(&lived, &groups[2].1, format!("{LIVED} vs staff"), &mut out);
            }
        } else if placed {
            // Every two groups of the grid, so whichever two a researcher
            // compares is there.
            for a in 0..4 {
                for b in a + 1..4 {
                    if !guard.lone(&[a]) && !guard.lone(&[b]) {
                        let subject = format!("{} vs {}", groups[a].0, groups[b].0);
                        diverge(&groups[a].1, &groups[b].1, subject, &mut out);
                    }
                }
            }
        }
        if round.method == VoteMethod::Ladder {
            out.push(ladder_figure(&scope, "everyone", &res.counts));
            for (i, (g, counts)) in groups.iter().enumerate() {
                if placed && counts.iter().any(|n| *n > 0) && !guard.lone(&[i]) {
                    out.push(ladder_figure(&scope, g, counts));
                }
            }
        }
    }
    out
}

/// The middle answer of counts over ordered options, if any were given.
pub fn median_index(counts: &[u32]) -> Option<usize> {
    let total: u32 = counts.iter().sum();
    let mut seen = 0;
    counts.iter().position(|n| {
        seen += n;
        total > 0 && seen * 2 >= total
    })
}

fn ladder_figure(scope: &str, subject: &str, counts: &[u32]) -> Figure {
    let median = median_index(counts);
    let chosen: Vec<String> = LADDER
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    Figure {
        measure: Measure::Ladder,
        scope: scope.into(),
        subject: subject.into(),
        count: counts.iter().map(|n| i64::from(*n)).sum(),
        of: None,
        value: median.map_or("–".into(), |m| format!("median: {}", LADDER[m])),
        note: chosen.join(" · "),
        records: vec![scope.into()],
    }
}
