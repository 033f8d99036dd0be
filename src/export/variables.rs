//! Case variables of a REFI-QDA project: what a QDA tool filters codings
//! by (role group, role, sector, level, and every further attribute a
//! participants file declared).

use super::xml::el;
use crate::domain::Session;

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
