//! Cases of a REFI-QDA project: their variables (role group, role,
//! sector, level, and every further attribute a participants file
//! declared), what a QDA tool filters codings by; and the code that links
//! each case to what its participant said.

use super::Privacy;
use super::xml::{description, el, lines};
use crate::domain::{Participant, Session, Speaker};

/// A case's name: the pseudonym, and the real name only with `--names`.
pub fn case_name(p: &Participant, privacy: Privacy) -> String {
    match (&p.real_name, privacy.names) {
        (Some(n), true) => format!("{} ({n})", p.id),
        _ => p.id.to_string(),
    }
}

/// Each consenting participant's case as a code of the same GUID, under a
/// category of its own: how NVivo links a case to its text, and how
/// QualCoder reads it (it turns such a code's codings into the case's
/// text). Other tools show it as a code per participant.
pub fn case_codes(
    s: &Session,
    privacy: Privacy,
    guid: &dyn Fn(&str, &str) -> String,
) -> Option<String> {
    let codes: Vec<String> = s
        .participants
        .values()
        .filter(|p| p.consent)
        .map(|p| {
            el(
                "Code",
                &[
                    ("guid", &guid("case", p.id.as_str())),
                    ("name", &case_name(p, privacy)),
                    ("isCodable", "true"),
                ],
                &description(&format!("Everything {} said ({}).", p.id, p.described())),
            )
        })
        .collect();
    (!codes.is_empty()).then(|| {
        let mut inner =
            description("One code per participant, coding what they said: their case's text.");
        inner.push_str(&lines(&codes));
        el(
            "Code",
            &[
                ("guid", &guid("cases", "participants")),
                ("name", "Cases: who said it"),
                ("isCodable", "false"),
            ],
            &inner,
        )
    })
}

/// A statement's coding with its speaker's case, when the speaker is a
/// participant who consented (the only ones who are cases).
pub fn case_coding(
    s: &Session,
    speaker: &Speaker,
    selection: &str,
    by: &str,
    guid: &dyn Fn(&str, &str) -> String,
) -> Option<String> {
    let Speaker::Participant(id) = speaker else {
        return None;
    };
    s.participants.get(id).filter(|p| p.consent)?;
    Some(el(
        "Coding",
        &[
            ("guid", &guid("case-coding", selection)),
            ("creatingUser", by),
        ],
        &el("CodeRef", &[("targetGUID", &guid("case", id.as_str()))], ""),
    ))
}

/// A case variable: role group, role, sector, level, and each further
/// attribute a participants file declared.
pub struct Variable {
    name: String,
    value: fn(&crate::domain::Participant, &str) -> Option<String>,
}

impl Variable {
    /// The variables these participants have values for, in a fixed order.
    pub fn of(s: &Session) -> Vec<Variable> {
        let mut out = vec![
            Variable {
                name: "role group".into(),
                value: |p, _| Some(p.role.group().label().to_owned()),
            },
            Variable {
                name: "role".into(),
                value: |p, _| Some(p.role.label().to_owned()),
            },
        ];
        if s.participants.values().any(|p| p.sector.is_some()) {
            out.push(Variable {
                name: "sector".into(),
                value: |p, _| p.sector.map(|x| x.label().to_owned()),
            });
        }
        if s.participants.values().any(|p| p.level.is_some()) {
            out.push(Variable {
                name: "level".into(),
                value: |p, _| p.level.map(|x| x.label().to_owned()),
            });
        }
        let mut names: Vec<&String> = s
            .participants
            .values()
            .filter(|p| p.consent)
            .flat_map(|p| p.attributes.keys())
            .collect();
        names.sort();
        names.dedup();
        for n in names {
            out.push(Variable {
                name: n.clone(),
                value: |p, name| p.attributes.get(name).cloned(),
            });
        }
        out
    }

    /// Its `<Variable>`, its GUID from `guid`.
    pub fn element(&self, guid: &dyn Fn(&str, &str) -> String) -> String {
        el(
            "Variable",
            &[
                ("guid", &guid("variable", &self.name)),
                ("name", &self.name),
                ("typeOfVariable", "Text"),
            ],
            "",
        )
    }

    /// `p`'s value, as a case's `<VariableValue>`, if they have one.
    pub fn value_of(
        &self,
        guid: &dyn Fn(&str, &str) -> String,
        p: &crate::domain::Participant,
    ) -> Option<String> {
        let v = (self.value)(p, &self.name)?;
        Some(el(
            "VariableValue",
            &[],
            &format!(
                "{}{}",
                el(
                    "VariableRef",
                    &[("targetGUID", &guid("variable", &self.name))],
                    ""
                ),
                el("TextValue", &[], &super::xml::text(&v))
            ),
        ))
    }
}
