//! Who is in the room.

use super::ids::ParticipantId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A participant's role in the group. The roles are those of the
/// co-production literature; `Other` keeps nobody out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    ServiceUser,
    UnpaidCarer,
    Staff,
    Volunteer,
    CommunityRepresentative,
    Researcher,
    Other,
    /// Whoever runs the session, when they speak as themselves.
    Facilitator,
    /// Someone presenting findings to the group.
    Presenter,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::ServiceUser,
        Role::UnpaidCarer,
        Role::Staff,
        Role::Volunteer,
        Role::CommunityRepresentative,
        Role::Researcher,
        Role::Other,
        Role::Facilitator,
        Role::Presenter,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::ServiceUser => "service user",
            Role::UnpaidCarer => "unpaid carer",
            Role::Staff => "staff",
            Role::Volunteer => "volunteer",
            Role::CommunityRepresentative => "community representative",
            Role::Researcher => "researcher",
            Role::Other => "other",
            Role::Facilitator => "facilitator",
            Role::Presenter => "presenter",
        }
    }

    /// Those who run or study the session (a researcher, the facilitator,
    /// a presenter): what they say is recorded, but it is not the
    /// participants' voice, so it stays out of the voice balance and the
    /// voice and influence measures.
    pub fn convenes(self) -> bool {
        matches!(self, Role::Researcher | Role::Facilitator | Role::Presenter)
    }

    /// The coarse group used for voice balance and default grid columns.
    pub fn group(self) -> RoleGroup {
        match self {
            Role::ServiceUser => RoleGroup::ServiceUsers,
            Role::UnpaidCarer => RoleGroup::Carers,
            Role::Staff => RoleGroup::Staff,
            _ => RoleGroup::Others,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// Role groups whose voices the projector balances.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RoleGroup {
    ServiceUsers,
    Carers,
    Staff,
    Others,
}

impl RoleGroup {
    pub const ALL: [RoleGroup; 4] = [
        RoleGroup::ServiceUsers,
        RoleGroup::Carers,
        RoleGroup::Staff,
        RoleGroup::Others,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RoleGroup::ServiceUsers => "service users",
            RoleGroup::Carers => "carers",
            RoleGroup::Staff => "staff",
            RoleGroup::Others => "others",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sector {
    Nhs,
    LocalAuthority,
    /// Voluntary, community and social enterprise.
    Vcse,
}

impl Sector {
    pub fn label(self) -> &'static str {
        match self {
            Sector::Nhs => "NHS",
            Sector::LocalAuthority => "Local Authority",
            Sector::Vcse => "VCSE",
        }
    }

    /// For a crowded line: `NHS`, `LA`, `VCSE`.
    pub fn short(self) -> &'static str {
        match self {
            Sector::Nhs => "NHS",
            Sector::LocalAuthority => "LA",
            Sector::Vcse => "VCSE",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    Strategic,
    Operational,
    FrontLine,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Strategic => "strategic",
            Level::Operational => "operational",
            Level::FrontLine => "front line",
        }
    }

    /// For a crowded line: `strat.`, `oper.`, `front`.
    pub fn short(self) -> &'static str {
        match self {
            Level::Strategic => "strat.",
            Level::Operational => "oper.",
            Level::FrontLine => "front",
        }
    }
}

/// What a breakdown groups people by: role group, or a staff study's
/// sampling grid (sector, level). Each has four groups, the last for
/// whoever has none of the others.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Breakdown {
    #[default]
    RoleGroup,
    Sector,
    Level,
}

impl Breakdown {
    pub const ALL: [Breakdown; 3] = [Breakdown::RoleGroup, Breakdown::Sector, Breakdown::Level];

    /// What one group is, as in "by sector".
    pub fn label(self) -> &'static str {
        match self {
            Breakdown::RoleGroup => "role group",
            Breakdown::Sector => "sector",
            Breakdown::Level => "level",
        }
    }

    /// The four groups' labels, in order.
    pub fn groups(self) -> [&'static str; 4] {
        match self {
            Breakdown::RoleGroup => RoleGroup::ALL.map(RoleGroup::label),
            Breakdown::Sector => [
                Sector::Nhs.label(),
                Sector::LocalAuthority.label(),
                Sector::Vcse.label(),
                "no sector",
            ],
            Breakdown::Level => [
                Level::Strategic.label(),
                Level::Operational.label(),
                Level::FrontLine.label(),
                "no level",
            ],
        }
    }

    /// Which of [`Breakdown::groups`] `p` is in.
    pub fn group_of(self, p: &Participant) -> usize {
        match self {
            Breakdown::RoleGroup => RoleGroup::ALL
                .iter()
                .position(|g| *g == p.role.group())
                .unwrap_or(3),
            Breakdown::Sector => match p.sector {
                Some(Sector::Nhs) => 0,
                Some(Sector::LocalAuthority) => 1,
                Some(Sector::Vcse) => 2,
                None => 3,
            },
            Breakdown::Level => match p.level {
                Some(Level::Strategic) => 0,
                Some(Level::Operational) => 1,
                Some(Level::FrontLine) => 2,
                None => 3,
            },
        }
    }

    /// The breakdowns worth offering for these participants: role group
    /// always, sector and level when anyone has one.
    pub fn in_use<'a>(
        participants: impl IntoIterator<Item = &'a Participant> + Clone,
    ) -> Vec<Breakdown> {
        Breakdown::ALL
            .into_iter()
            .filter(|b| {
                *b == Breakdown::RoleGroup
                    || participants.clone().into_iter().any(|p| b.group_of(p) != 3)
            })
            .collect()
    }

    /// The breakdown a room's results are best shown by: role group, unless
    /// everyone is in one role group and sector or level tells them apart
    /// (a staff study: nine `staff` say nothing).
    pub fn natural<'a>(
        participants: impl IntoIterator<Item = &'a Participant> + Clone,
    ) -> Breakdown {
        Breakdown::ALL
            .into_iter()
            .find(|b| b.tells_apart(participants.clone()))
            .unwrap_or_default()
    }

    /// Whether these participants (those who convene left aside) fall in
    /// more than one of its groups: nine staff are all in one role group.
    pub fn tells_apart<'a>(self, participants: impl IntoIterator<Item = &'a Participant>) -> bool {
        let mut seen: Vec<usize> = participants
            .into_iter()
            .filter(|p| !p.role.convenes())
            .map(|p| self.group_of(p))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len() > 1
    }

    /// The next breakdown of `offered` after this one, round again.
    pub fn next_of(self, offered: &[Breakdown]) -> Breakdown {
        let i = offered.iter().position(|b| *b == self).map_or(0, |i| i + 1);
        offered
            .get(i % offered.len().max(1))
            .copied()
            .unwrap_or_default()
    }
}

impl Participant {
    /// A participant known only by pseudonym and role, who consented to be
    /// quoted: nothing else on record.
    pub fn consenting(id: impl Into<ParticipantId>, role: Role) -> Participant {
        Participant {
            id: id.into(),
            role,
            sector: None,
            level: None,
            real_name: None,
            consent: true,
            person: None,
            attributes: Default::default(),
        }
    }

    /// Where on the sampling grid, for a crowded line: `NHS front`.
    pub fn grid_short(&self) -> Option<String> {
        let parts: Vec<&str> = [self.sector.map(Sector::short), self.level.map(Level::short)]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// `staff; NHS, front line`: role, and where on the sampling grid, if
    /// anywhere.
    pub fn described(&self) -> String {
        match self.grid() {
            Some(grid) => format!("{}; {grid}", self.role.label()),
            None => self.role.label().to_owned(),
        }
    }

    /// Where on the sampling grid, if anywhere: `Local Authority, front line`.
    pub fn grid(&self) -> Option<String> {
        let parts: Vec<&str> = [self.sector.map(Sector::label), self.level.map(Level::label)]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// A participant as the record knows them: pseudonymised by default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub role: Role,
    #[serde(default)]
    pub sector: Option<Sector>,
    #[serde(default)]
    pub level: Option<Level>,
    /// Never leaves the machine unless an export asks for names.
    #[serde(default)]
    pub real_name: Option<String>,
    /// Consent to be quoted in reports.
    #[serde(default)]
    pub consent: bool,
    /// The person in a study's register (`CR07`): the same in every session
    /// they take part in, so that a programme follows people, not
    /// pseudonyms. Left out of the record when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// Further attributes the participants file declared (`profession:
    /// nurse`), by name; exported as case variables. Left out of the record
    /// when there are none.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// Most further attributes one participant may carry.
pub const MAX_ATTRIBUTES: usize = 20;
