//! The easy-read report, for participants with learning disabilities,
//! dementia or little English: short sentences, one idea a line, large
//! type, what was decided and what happens next, the group's own words and
//! no jargon ("interpretation", "translation", "refutational" are never
//! used). Made from the same `Report` as the others, so every privacy rule
//! holds: nobody who did not consent is quoted, no memo is carried.

use super::report::Report;
use super::statements::StatementRow;

/// One line of the easy-read report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    Heading(String),
    /// A sentence of ours: short, plain.
    Say(String),
    /// Someone's own words, and who said them (`Person P2`).
    Quote {
        words: String,
        who: String,
    },
}

/// Most quotes of people's own words it carries.
const QUOTES: usize = 6;
/// Longest quote it carries, in words: a long one is hard to read.
const QUOTE_WORDS: usize = 25;

/// The report's lines, in order.
pub fn lines(r: &Report) -> Vec<Line> {
    use Line::*;
    let mut out = vec![Heading(format!("Our meeting: {}", r.title))];
    if let Some(day) = spoken_date(r.date.split(' ').next().unwrap_or_default()) {
        out.push(Say(format!("We met on {day}.")));
    }
    let people = r.participants.len() + r.unnamed;
    out.push(Say(match people {
        1 => "1 person took part.".into(),
        n => format!("{n} people took part."),
    }));
    out.push(Say("We talked about this question:".into()));
    out.push(Quote {
        words: r.focus.clone(),
        who: String::new(),
    });
    // The group's own words: short quotes, from those who said yes.
    let quotes: Vec<&StatementRow> = r
        .stages
        .iter()
        .flat_map(|s| &s.statements)
        .chain(&r.unstaged)
        .filter(|s| {
            s.kind == "quote"
                && !s.text.is_empty()
                && s.text.split_whitespace().count() <= QUOTE_WORDS
        })
        .take(QUOTES)
        .collect();
    if !quotes.is_empty() {
        out.push(Heading("What people said".into()));
        out.push(Say("Here are some of the things people said.".into()));
        for q in quotes {
            out.push(Quote {
                words: q.text.clone(),
                who: format!("Person {}", q.speaker),
            });
        }
    }
    let agreed: Vec<&str> = r
        .interpretations
        .iter()
        .filter(|i| i.status == "agreed")
        .map(|i| i.text.as_str())
        .collect();
    out.push(Heading("What we agreed".into()));
    match agreed.is_empty() {
        true => out.push(Say("We did not agree anything yet.".into())),
        false => {
            out.push(Say("We agreed these things together.".into()));
            for a in &agreed {
                out.push(Quote {
                    words: (*a).to_owned(),
                    who: String::new(),
                });
            }
        }
    }
    let open = r
        .interpretations
        .iter()
        .filter(|i| i.status == "draft" || i.status == "proposed")
        .count();
    if open > 0 {
        out.push(Say(match open {
            1 => "We talked about 1 more idea.".into(),
            n => format!("We talked about {n} more ideas."),
        }));
        out.push(Say("We will talk about them again.".into()));
    }
    out.push(Heading("What happens next".into()));
    let mut next = 0;
    for a in &r.actions {
        match a.status.as_str() {
            "done" => out.push(Say(format!("Done: {}.", a.what.trim_end_matches('.')))),
            "dropped" => {}
            _ => {
                next += 1;
                out.push(Say(format!("{} will do this:", capital(a.who.trim()))));
                out.push(Quote {
                    words: a.what.clone(),
                    who: String::new(),
                });
                if !a.by_when.trim().is_empty() {
                    out.push(Say(format!(
                        "When: {}.",
                        a.by_when.trim().trim_end_matches('.')
                    )));
                }
            }
        }
    }
    if next == 0 {
        out.push(Say("We will tell you what happens next.".into()));
    }
    out.push(Heading("Thank you".into()));
    out.push(Say("Thank you for taking part.".into()));
    out.push(Say("Your words help us understand what matters.".into()));
    out
}

/// The easy-read report in Markdown.
pub fn markdown(r: &Report) -> String {
    use super::markdown::esc;
    let mut o = String::new();
    for l in lines(r) {
        match l {
            Line::Heading(h) if o.is_empty() => o.push_str(&format!("# {}\n\n", esc(&h))),
            Line::Heading(h) => o.push_str(&format!("\n## {}\n\n", esc(&h))),
            Line::Say(s) => o.push_str(&format!("{}\n\n", esc(&s))),
            Line::Quote { words, who } if who.is_empty() => {
                o.push_str(&format!("> {}\n\n", esc(&words).replace('\n', "\n> ")))
            }
            Line::Quote { words, who } => o.push_str(&format!(
                "> \u{201c}{}\u{201d}\n>\n> {}\n\n",
                esc(&words).replace('\n', "\n> "),
                esc(&who)
            )),
        }
    }
    o
}

const CSS: &str = "body{font:22px/1.6 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#111;background:#fff;max-width:40rem;margin:2rem auto;padding:0 1rem}h1{font-size:2rem}h2{font-size:1.6rem;margin-top:2.5rem;border-bottom:3px solid #111}p{margin:.8rem 0}blockquote{margin:1rem 0;padding:.6rem 1rem;border-left:8px solid #1f5fa8;background:#eef3fb}blockquote p{margin:0}.who{font-size:.9em;color:#333}@media print{body{margin:0;max-width:none;font-size:16pt}blockquote{break-inside:avoid;background:none}h2{break-after:avoid}}";

/// The easy-read report as a page of its own.
pub fn html(r: &Report) -> String {
    use super::page::t;
    use maud::html;
    let lines = lines(r);
    let title = match lines.first() {
        Some(Line::Heading(h)) => h.clone(),
        _ => r.title.clone(),
    };
    let body = html! {
        main {
            @for (i, l) in lines.iter().enumerate() {
                @match l {
                    Line::Heading(h) if i == 0 => h1 { (t(h)) },
                    Line::Heading(h) => h2 { (t(h)) },
                    Line::Say(s) => p { (t(s)) },
                    Line::Quote { words, who } => blockquote {
                        @if who.is_empty() { p { (t(words)) } }
                        @else { p { "\u{201c}" (t(words)) "\u{201d}" } p.who { (t(who)) } }
                    },
                }
            }
        }
    };
    // The window's title is text alone: no isolate can stand in it.
    let title = crate::safe::balance_bidi(&super::page::svg_text(&title)).into_owned();
    super::page::document_with(title, CSS, body)
}

/// `14 March 2026` from `2026-03-14`, as a date is said; none if it is not one.
fn spoken_date(ymd: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = ymd.split('-').map(|p| p.parse::<usize>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    Some(format!("{d} {} {y}", MONTHS.get(m.checked_sub(1)?)?))
}

/// The same words with a capital letter first: `Research team`.
fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "Someone".into(),
    }
}
