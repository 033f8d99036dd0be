//! The self-contained HTML report: inline CSS, SVG bar charts (they print
//! with the browser's background printing off, as CSS backgrounds do not),
//! no external files; tables with captions and header scopes.

use super::report::{Audience, Report, StatementRow, time_or_dash};
use crate::domain::time::mmss;
use std::fmt::Write;

/// Text for HTML content and attributes: markup escaped, each line break
/// (LF, CRLF or CR) as `<br>`, and control characters HTML forbids left
/// out (a vertical tab or a bell in what someone typed).
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                o.push_str("<br>");
            }
            '\n' => o.push_str("<br>"),
            '\t' => o.push('\t'),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Text inside an SVG `<text>`: escaped, and on one line (SVG has no
/// `<br>`; a line break in a stage title would break the chart).
fn svg_text(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    esc(&one_line)
}

const CSS: &str = r#"
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;max-width:60rem;margin:2rem auto;padding:0 1rem;overflow-wrap:break-word}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2.2rem}
.focus{font-size:1.15rem;background:#fff6d5;border-left:6px solid #c90;padding:.6rem 1rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}.num{text-align:right;font-variant-numeric:tabular-nums}
.st{margin:.3rem 0 .3rem 1rem;overflow-wrap:anywhere}.id{font-family:ui-monospace,monospace;color:#555}.tag{font-size:.85rem;background:#e8eef8;border-radius:3px;padding:0 .3rem;margin-left:.2rem}
.note{color:#8a4b00;font-style:italic}.withdrawn{color:#595959;font-style:italic}
caption{text-align:left;font-weight:bold;padding:.2rem 0}
.scroll{overflow-x:auto}.scroll>svg{min-width:760px}
.bar{display:flex;align-items:center;gap:.5rem;margin:.15rem 0;break-inside:avoid}.bar .label{width:14rem;text-align:right}.bar svg{width:60%;height:1.1rem}
.interp{border:2px solid #333;padding:.6rem 1rem;margin:1rem 0}.status{font-weight:bold;text-transform:uppercase;font-size:.9rem}
.agreed{color:#0a6b2d}.set-aside{color:#8a4b00}.flag{color:#b00020;font-weight:bold}
.audit{font-family:ui-monospace,monospace;word-break:break-all}
@media print{body{margin:0;max-width:none;font-size:11pt}.scroll{overflow:visible}.scroll>svg{min-width:0}h2,h3,caption{break-after:avoid}tr,.st{break-inside:avoid}a{color:inherit}}
"#;

fn statement(o: &mut String, s: &StatementRow) {
    let tags: String = s
        .tags
        .iter()
        .map(|t| format!("<span class=tag>#{}</span>", esc(t)))
        .collect();
    let text = if s.text.is_empty() {
        "<span class=withdrawn>(words withdrawn)</span>".to_owned()
    } else {
        esc(&s.words())
    };
    let note = if s.note.is_empty() {
        String::new()
    } else {
        format!(" <span class=note>({})</span>", esc(&s.note))
    };
    let _ = writeln!(
        o,
        "<p class=st><span class=id>{}</span> <b>{}</b> ({}, {}): {text}{tags}{note}</p>",
        esc(&s.id),
        esc(&s.speaker),
        esc(&s.role),
        esc(&s.kind)
    );
}

/// Planned and actual minutes per stage as paired horizontal bars.
fn timing_svg(r: &Report) -> String {
    let max = r
        .stages
        .iter()
        .map(|s| s.planned_secs.max(s.actual_secs.unwrap_or(0)))
        .max()
        .unwrap_or(1)
        .max(1);
    let row = 34;
    let h = r.stages.len() * row + 30;
    let mut o = format!(
        "<svg role=img aria-label=\"Planned and actual time per stage\" viewBox=\"0 0 760 {h}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">"
    );
    for (i, s) in r.stages.iter().enumerate() {
        let y = i * row + 4;
        let w = |secs: i64| (secs * 360 / max).max(1);
        let _ = write!(
            o,
            "<text x=\"0\" y=\"{}\">{}. {}</text>",
            y + 20,
            s.number,
            svg_text(&s.title.chars().take(34).collect::<String>())
        );
        let _ = write!(
            o,
            "<rect x=\"250\" y=\"{y}\" width=\"{}\" height=\"12\" fill=\"#bbb\"><title>planned {}</title></rect>",
            w(s.planned_secs),
            mmss(s.planned_secs)
        );
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\">planned {}</text>",
            256 + w(s.planned_secs),
            y + 10,
            mmss(s.planned_secs)
        );
        if let Some(a) = s.actual_secs {
            let colour = if a > s.allowed_secs {
                "#b00020"
            } else {
                "#1f5fa8"
            };
            let _ = write!(
                o,
                "<rect x=\"250\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"{colour}\"><title>actual {}</title></rect>",
                y + 14,
                w(a),
                mmss(a)
            );
            let over = if a > s.allowed_secs {
                " (over)"
            } else if s.allowed_secs != s.planned_secs {
                " (extended)"
            } else {
                ""
            };
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"{}\">actual {}{over}</text>",
                256 + w(a),
                y + 24,
                mmss(a)
            );
        }
    }
    o.push_str("</svg>");
    o
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body>\n",
        esc(&r.title)
    );
    let _ = writeln!(
        o,
        "<h1>{}</h1>{}<p>{}{} · {} participants</p>",
        esc(&r.title),
        if r.audience == Audience::Group {
            "<p><i>For the group: what was said and agreed.</i></p>"
        } else {
            ""
        },
        esc(&r.date),
        r.facilitator
            .as_ref()
            .map(|f| format!(" · facilitated by {}", esc(f)))
            .unwrap_or_default(),
        r.participants.len()
    );
    let _ = writeln!(o, "<p class=focus><b>Focus:</b> {}</p>", esc(&r.focus));
    if let Some(d) = &r.damage {
        let _ = writeln!(
            o,
            "<p class=flag>The journal could only be read up to record {}: {}</p>",
            r.records,
            esc(d)
        );
    }
    let _ = writeln!(
        o,
        "<h2>Participants</h2><table><caption>Who took part, by pseudonym</caption><tr><th scope=col>who</th><th scope=col>role</th></tr>"
    );
    for (who, what) in &r.participants {
        let _ = writeln!(o, "<tr><td>{}</td><td>{}</td></tr>", esc(who), esc(what));
    }
    let _ = writeln!(
        o,
        "</table><h2>Agenda: planned and actual</h2><div class=scroll>{}</div>",
        timing_svg(r)
    );
    let _ = writeln!(
        o,
        "<table><caption>Stages, planned and actual minutes</caption><tr><th scope=col>#</th><th scope=col>stage</th><th scope=col>kind</th><th scope=col class=num>planned</th><th scope=col class=num>actual</th><th scope=col>started</th><th scope=col>adjusted</th></tr>"
    );
    for s in &r.stages {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=num>{}</td><td class=num>{}</td><td>{}</td><td>{}</td></tr>",
            s.number,
            esc(&s.title),
            esc(&s.kind),
            mmss(s.planned_secs),
            time_or_dash(s.actual_secs),
            esc(&s.started),
            esc(&s.adjusted)
        );
    }
    o.push_str("</table>");
    statements(&mut o, r);
    votes(&mut o, r);
    grid(&mut o, r);
    interpretations(&mut o, r);
    let _ = writeln!(o, "<h2>You said, we did</h2>");
    if r.actions.is_empty() {
        let _ = writeln!(o, "<p>No actions were recorded.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table><caption>Actions agreed and what became of them</caption><tr><th scope=col>#</th><th scope=col>what</th><th scope=col>who</th><th scope=col>by when</th><th scope=col>status</th><th scope=col>what was done</th></tr>"
        );
        for a in &r.actions {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&a.id),
                esc(&a.what),
                esc(&a.who),
                esc(&a.by_when),
                esc(&a.status),
                esc(&a.note)
            );
        }
        let _ = writeln!(o, "</table>");
    }
    let _ = writeln!(o, "<h2>Parked for later</h2><ul>");
    if r.parked.is_empty() {
        let _ = writeln!(o, "<li>Nothing was parked.</li>");
    }
    for p in &r.parked {
        let _ = writeln!(o, "<li>{}</li>", esc(p));
    }
    let _ = writeln!(o, "</ul>");
    if !r.attendance.is_empty() {
        let _ = writeln!(o, "<h2>Attendance</h2><ul>");
        for a in &r.attendance {
            let _ = writeln!(o, "<li>{}</li>", esc(a));
        }
        let _ = writeln!(o, "</ul>");
    }
    emerge(&mut o, r);
    if !r.memos.is_empty() || r.audience == Audience::Researcher {
        let _ = writeln!(o, "<h2>Memos</h2><ul>");
        for m in &r.memos {
            let _ = writeln!(o, "<li>{}</li>", esc(m));
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(
        o,
        "<h2>Audit</h2><p>{} records in the journal. Head hash:</p><p class=audit>{}</p><p>Check with <code>roundtable verify</code>.</p>\n</body></html>",
        r.records,
        esc(&r.head)
    );
    // A wide table scrolls sideways on a phone rather than being cut off.
    o.replace("<table>", "<div class=scroll><table>")
        .replace("</table>", "</table></div>")
}

/// How the translation was done, for eMERGe reporting.
fn emerge(o: &mut String, r: &Report) {
    if r.emerge.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<h2>How the translation was done (eMERGe)</h2><p>Drawn from the session's record only: each translation, its kind and wording, the concepts it joins, the group's rationale, when it was made and who was in the room, and the statements each interpretation built on it rests on.</p>"
    );
    for e in &r.emerge {
        let concepts: Vec<String> = e.concepts.iter().map(|c| esc(c)).collect();
        let used: String = e
            .used_by
            .iter()
            .map(|u| format!("<li>Interpretation {}</li>", esc(u)))
            .collect();
        let _ = writeln!(
            o,
            "<h3><span class=id>{}</span> {}</h3><ul><li>Concepts: {}</li><li>Rationale: {}</li><li>When and by whom: {}</li>{used}</ul>",
            esc(&e.id),
            esc(&e.kind),
            concepts.join("; "),
            esc(&e.rationale),
            esc(&e.when)
        );
    }
}

fn statements(o: &mut String, r: &Report) {
    let _ = writeln!(o, "<h2>Statements by stage</h2>");
    for s in &r.stages {
        if s.statements.is_empty() {
            continue;
        }
        let _ = writeln!(o, "<h3>{}. {}</h3>", s.number, esc(&s.title));
        for st in &s.statements {
            statement(o, st);
        }
    }
    if !r.unstaged.is_empty() {
        let _ = writeln!(o, "<h3>Outside any stage</h3>");
        for st in &r.unstaged {
            statement(o, st);
        }
    }
}

fn votes(o: &mut String, r: &Report) {
    let _ = writeln!(o, "<h2>Votes</h2>");
    for v in &r.votes {
        let max = v.options.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
        let _ = writeln!(
            o,
            "<div class=vote><h3><span class=id>{}</span> {}</h3><p>{} on {}; {}; {}; {} voting.</p>",
            esc(&v.id),
            esc(&v.question),
            esc(&v.method),
            esc(&v.about),
            esc(&v.mode),
            esc(&v.status),
            v.voters
        );
        for (opt, n) in &v.options {
            let _ = writeln!(
                o,
                "<div class=bar><span class=label>{}</span><svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=true><rect width=\"{}\" height=\"10\" fill=\"#1f5fa8\"/></svg><span class=num>{n}</span></div>",
                esc(opt),
                u64::from(*n) * 100 / u64::from(max)
            );
        }
        if !v.by_role.is_empty() {
            let _ = write!(
                o,
                "<table><caption>{} by role group</caption><tr><th scope=col>role group</th>",
                esc(&v.id)
            );
            for (opt, _) in &v.options {
                let _ = write!(o, "<th scope=col class=num>{}</th>", esc(opt));
            }
            let _ = writeln!(o, "</tr>");
            for (role, counts) in &v.by_role {
                let _ = write!(o, "<tr><th scope=row>{}</th>", esc(role));
                for c in counts {
                    let _ = write!(o, "<td class=num>{c}</td>");
                }
                let _ = writeln!(o, "</tr>");
            }
            let _ = writeln!(o, "</table>");
        }
        let _ = writeln!(o, "</div>");
    }
}

fn grid(o: &mut String, r: &Report) {
    let _ = writeln!(o, "<h2>Translation grid</h2>");
    if r.grid.rows.is_empty() {
        let _ = writeln!(o, "<p>No concepts were named.</p>");
    } else {
        let _ = write!(
            o,
            "<table><caption>Which role groups' statements each concept rests on</caption><tr><th scope=col>concept</th>"
        );
        for c in &r.grid.columns {
            let _ = write!(o, "<th scope=col>{}</th>", esc(c));
        }
        let _ = writeln!(o, "</tr>");
        for (concept, cells) in &r.grid.rows {
            let _ = write!(o, "<tr><th scope=row>{}</th>", esc(concept));
            for c in cells {
                let _ = write!(o, "<td class=id>{}</td>", esc(c));
            }
            let _ = writeln!(o, "</tr>");
        }
        let _ = writeln!(o, "</table>");
    }
}

fn interpretations(o: &mut String, r: &Report) {
    let _ = writeln!(o, "<h2>Interpretations</h2>");
    for i in &r.interpretations {
        let class = i.status.replace(' ', "-");
        let _ = writeln!(
            o,
            "<div class=interp><p><span class=id>{}</span> <span class=\"status {class}\">{}</span></p><p><b>“{}”</b></p><p>Decision: {}</p><ul>",
            esc(&i.id),
            esc(&i.status),
            esc(&i.text),
            esc(&i.decision)
        );
        for t in &i.translations {
            let _ = writeln!(o, "<li>Translation: {}</li>", esc(t));
        }
        for c in &i.concepts {
            let _ = writeln!(o, "<li>Concept: {}</li>", esc(c));
        }
        let _ = writeln!(o, "</ul><ul>");
        for e in &i.evidence {
            let flagged = e.contains('⚠');
            let _ = writeln!(
                o,
                "<li{}>{}</li>",
                if flagged { " class=flag" } else { "" },
                esc(e)
            );
        }
        let _ = writeln!(o, "</ul></div>");
    }
}
