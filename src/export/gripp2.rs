//! A GRIPP2 account of involvement (Guidance for Reporting Involvement of
//! Patients and the Public, Staniszewska et al., BMJ 2017): its short form's
//! five items, each with what the record can say — every figure followed by
//! the ids of the records it was counted from — and, where only people can
//! write it (why they were involved, what they make of it, what went well
//! and what did not), a blank marked for the authors. The long form's
//! sections the record can also answer (who was involved, at which stages
//! and how, what it changed) are in items 2 and 3.

use crate::domain::measures::{self, Measure};
use crate::domain::{InterpretationStatus, RoleGroup, Session, StageState};

/// One GRIPP2 item: what the record says, the records it rests on, and
/// what is left for the authors to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub number: u8,
    pub title: &'static str,
    pub guidance: &'static str,
    /// Sentences drawn from the record, each ending with its record ids.
    pub from_record: Vec<String>,
    /// What only people can write: a blank, marked.
    pub to_write: Option<&'static str>,
}

/// How a blank is marked, so an editor can find every one.
pub const BLANK: &str = "[For the authors to write:";

/// `(st1, st2)`, or nothing.
fn cite(ids: &[String]) -> String {
    match ids.is_empty() {
        true => String::new(),
        false => format!(" [records: {}]", ids.join(", ")),
    }
}

/// The short form's five items for `s`.
pub fn items(s: &Session) -> Vec<Item> {
    vec![
        aim(s),
        methods(s),
        results(s),
        discussion(s),
        reflections(s),
    ]
}

fn aim(s: &Session) -> Item {
    let mut from_record = vec![format!(
        "The session asked: \u{201c}{}\u{201d} ({}).",
        s.focus(),
        s.title()
    )];
    if let Some(t) = s.info().and_then(|i| i.template.clone()) {
        from_record.push(format!("It followed the {t} agenda template."));
    }
    Item {
        number: 1,
        title: "Aim",
        guidance: "Report the aim of patient and public involvement in the study.",
        from_record,
        to_write: Some(
            "why people with lived experience were involved, and what their involvement was meant to achieve]",
        ),
    }
}

fn methods(s: &Session) -> Item {
    let mut from_record = Vec::new();
    // Who: those who consented by role group; the rest only counted, in
    // all (by group, a lone decliner's role would be told).
    let mut by_group: Vec<(RoleGroup, Vec<String>)> =
        RoleGroup::ALL.iter().map(|g| (*g, Vec::new())).collect();
    let mut convening = Vec::new();
    let mut declined = 0;
    for p in s.participants.values() {
        if !p.consent {
            declined += 1;
            continue;
        }
        if p.role.convenes() {
            convening.push(p.id.to_string());
            continue;
        }
        if let Some((_, ids)) = by_group.iter_mut().find(|(g, _)| *g == p.role.group()) {
            ids.push(p.id.to_string());
        }
    }
    let named: Vec<String> = by_group
        .iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(g, ids)| format!("{} {}", ids.len(), g.label()))
        .collect();
    let everyone: Vec<String> = by_group.iter().flat_map(|(_, ids)| ids.clone()).collect();
    let others = match declined {
        0 => String::new(),
        n => format!(
            ", and {} who did not consent to be named",
            crate::domain::describe::counted(n, "other", "others")
        ),
    };
    from_record.push(format!(
        "Who: {} took part ({}){others}{}.",
        crate::domain::describe::counted(everyone.len() as u64, "participant", "participants"),
        named.join(", "),
        cite(&everyone)
    ));
    // For how long: the involvement measure's hours.
    let involved = measures::involvement(s);
    if !involved.is_empty() {
        let total: i64 = involved.iter().map(|i| i.millis()).sum();
        let ids: Vec<String> = involved.iter().map(|i| i.participant.to_string()).collect();
        from_record.push(format!(
            "For how long: {:.1} hours of involvement in all, by those who consented to be counted by name{}.",
            total as f64 / 3_600_000.0,
            cite(&ids)
        ));
    }
    // How: the stages that ran, and what each was.
    let ran: Vec<&crate::domain::Stage> = s
        .stages
        .values()
        .filter(|st| st.state() != StageState::NotStarted && !st.is_skipped())
        .collect();
    if !ran.is_empty() {
        let kinds: Vec<String> = ran
            .iter()
            .map(|st| format!("{} ({})", st.title, st.kind.label()))
            .collect();
        let ids: Vec<String> = ran.iter().map(|st| st.id.to_string()).collect();
        from_record.push(format!(
            "How: a facilitated session of {} — {}{}.",
            crate::domain::describe::counted(ran.len() as u64, "stage", "stages"),
            kinds.join("; "),
            cite(&ids)
        ));
    }
    if !s.rounds.is_empty() {
        let methods: Vec<String> = s
            .rounds
            .values()
            .map(|r| format!("{} ({})", r.id, r.method.label()))
            .collect();
        let ids: Vec<String> = s.rounds.keys().map(|r| r.to_string()).collect();
        from_record.push(format!(
            "Participants voted in {}: {}{}.",
            crate::domain::describe::counted(s.rounds.len() as u64, "round", "rounds"),
            methods.join(", "),
            cite(&ids)
        ));
    }
    if !s.translations.is_empty() {
        let ids: Vec<String> = s.translations.keys().map(|t| t.to_string()).collect();
        from_record.push(format!(
            "The group interpreted the findings together by meta-ethnographic translation: {}{}.",
            crate::domain::describe::counted(
                s.translations.len() as u64,
                "translation",
                "translations"
            ),
            cite(&ids)
        ));
    }
    if !convening.is_empty() {
        from_record.push(format!(
            "Researchers, facilitators and presenters also spoke; what they said is not counted as participants' voice{}.",
            cite(&convening)
        ));
    }
    Item {
        number: 2,
        title: "Methods",
        guidance: "Provide a clear description of the methods by which patients and the public were involved.",
        from_record,
        to_write: Some(
            "how participants were recruited and supported (payment, preparation, access), and who was not in the room]",
        ),
    }
}

fn results(s: &Session) -> Item {
    let mut from_record = Vec::new();
    for status in [
        InterpretationStatus::Agreed,
        InterpretationStatus::SetAside,
        InterpretationStatus::Proposed,
        InterpretationStatus::Draft,
    ] {
        let ids: Vec<String> = s
            .interpretations
            .values()
            .filter(|i| i.status == status)
            .map(|i| i.id.to_string())
            .collect();
        if !ids.is_empty() {
            from_record.push(format!(
                "{} {} by the group{}.",
                crate::domain::describe::counted(
                    ids.len() as u64,
                    "interpretation",
                    "interpretations"
                ),
                match status {
                    InterpretationStatus::Agreed => "agreed",
                    InterpretationStatus::SetAside => "set aside",
                    InterpretationStatus::Proposed => "proposed, not yet decided",
                    InterpretationStatus::Draft => "drafted, not yet decided",
                },
                cite(&ids)
            ));
        }
    }
    let acted: Vec<String> = s.actions.keys().map(|a| a.to_string()).collect();
    if !acted.is_empty() {
        let done = s
            .actions
            .values()
            .filter(|a| a.status == crate::domain::ActionStatus::Done)
            .count();
        from_record.push(format!(
            "You said, we did: {} agreed, {done} done{}.",
            crate::domain::describe::counted(acted.len() as u64, "action", "actions"),
            cite(&acted)
        ));
    }
    if from_record.is_empty() {
        from_record.push("The record holds no interpretation or action yet.".into());
    }
    Item {
        number: 3,
        title: "Results",
        guidance: "Report the results of patient and public involvement in the study, including both positive and negative outcomes.",
        from_record,
        to_write: Some(
            "what changed in the study because of the group's interpretations, and any negative outcomes]",
        ),
    }
}

fn discussion(s: &Session) -> Item {
    let mut from_record = Vec::new();
    // Influence: whose words the agreed interpretations rest on.
    for f in measures::measures(s)
        .into_iter()
        .filter(|f| f.measure == Measure::InfluenceAll && f.count > 0)
    {
        from_record.push(format!(
            "Interpretation {} rests on {} of {} statements from {} ({}){}.",
            f.scope,
            f.count,
            f.of.unwrap_or(0),
            f.subject,
            f.value,
            cite(&f.records)
        ));
    }
    if from_record.is_empty() {
        from_record.push(
            "No interpretation was agreed, so the record cannot say whose words shaped one.".into(),
        );
    }
    Item {
        number: 4,
        title: "Discussion and conclusions",
        guidance: "Comment on the extent to which patient and public involvement has influenced the study overall; describe positive and negative effects.",
        from_record,
        to_write: Some(
            "the extent to which involvement influenced the study overall, beyond this session]",
        ),
    }
}

fn reflections(s: &Session) -> Item {
    let reflexive: Vec<String> = s
        .memos
        .iter()
        .filter(|(_, m)| m.kind == crate::domain::MemoKind::Reflexive)
        .map(|(id, _)| id.to_string())
        .collect();
    let from_record = match reflexive.is_empty() {
        true => vec!["No reflexive memo was written during the session.".to_owned()],
        false => vec![format!(
            "The facilitator and researchers wrote {} during the session, to draw on{}.",
            crate::domain::describe::counted(
                reflexive.len() as u64,
                "reflexive memo",
                "reflexive memos"
            ),
            cite(&reflexive)
        )],
    };
    Item {
        number: 5,
        title: "Reflections / critical perspective",
        guidance: "Comment critically on the study, reflecting on the things that went well and those that did not, so others can learn from this study.",
        from_record,
        to_write: Some("what went well and what did not, written with the participants]"),
    }
}

/// What the section says of itself.
pub const INTRO: &str = "The GRIPP2 short form, filled in from the session's record: each sentence ends with the records it was drawn from. What only people can write is left as a marked blank.";

/// The section in HTML: the short form's items, then the long form's
/// sections.
pub fn html(items: &[Item], long: &[Section]) -> maud::Markup {
    use super::page::t;
    use maud::html;
    if items.is_empty() {
        return html! {};
    }
    html! {
        h2 { "Reporting involvement (GRIPP2 short form)" }
        p { (INTRO) }
        @for i in items {
            h3 { (i.number) ". " (i.title) }
            p.guidance { i { (i.guidance) } }
            ul { @for line in &i.from_record { li { (t(line)) } } }
            @if let Some(blank) = i.to_write { p { b { (BLANK) } " " (blank) } }
        }
        @if !long.is_empty() {
            h3 { "The long form: what the record can answer" }
            @for sec in long {
                h4 { (sec.title) }
                @if !sec.from_record.is_empty() { ul { @for line in &sec.from_record { li { (t(line)) } } } }
                @if let Some(blank) = sec.to_write { p { b { (BLANK) } " " (blank) } }
            }
        }
    }
}

/// A section of the GRIPP2 long form: what the record can answer, or a
/// blank where only people can.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub title: &'static str,
    pub from_record: Vec<String>,
    pub to_write: Option<&'static str>,
}

/// The long form's sections, each with what the record can answer (its
/// methods and its measures of impact are in the short form's items 2 to
/// 4, and named here) and the rest left as marked blanks.
pub fn long_form(s: &Session) -> Vec<Section> {
    let figures = measures::measures(s);
    let cited = |m: Measure| -> Vec<String> {
        let mut ids: Vec<String> = figures
            .iter()
            .filter(|f| f.measure == m)
            .flat_map(|f| f.records.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let voice = cited(Measure::VoiceStatements);
    let ladder = cited(Measure::Ladder);
    let mut impact = Vec::new();
    if !voice.is_empty() {
        impact.push(format!(
            "Voice: the share of what was said by each role group, measured from every statement{}.",
            cite(&voice)
        ));
    }
    if !ladder.is_empty() {
        impact.push(format!(
            "The group placed its own work on the ladder of co-production{}.",
            cite(&ladder)
        ));
    }
    let section = |title, from_record: Vec<String>, to_write| Section {
        title,
        from_record,
        to_write,
    };
    vec![
        section("Background", vec![], Some("the definition of involvement used, and its theoretical rationale]")),
        section("Specific aims", vec!["As item 1 above.".into()], None),
        section(
            "Methods",
            vec!["Who, for how long and how: as item 2 above, with the stages at which people were involved and what they did in each.".into()],
            Some("the level of involvement across the whole study (consultation, collaboration, user-led), and how it was planned]"),
        ),
        section("Capture or measure of impact", impact, Some("how impact on the study was captured beyond this session]")),
        section("Economic assessment", vec![], Some("the costs of involvement, and what they bought]")),
        section("Results", vec!["As item 3 above.".into()], None),
        section("Discussion and conclusions", vec!["As item 4 above.".into()], None),
        section("Reflections / critical perspective", vec!["As item 5 above.".into()], None),
    ]
}
