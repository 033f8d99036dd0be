use thiserror::Error;

/// Why an event cannot happen. Each message is a sentence a facilitator or
/// note-taker can act on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("the session has not been created yet: its first event must be SessionCreated")]
    NotCreated,
    #[error("the session already exists; SessionCreated can only be the first event")]
    AlreadyCreated,
    #[error("there is no {what} `{id}`")]
    Unknown { what: &'static str, id: String },
    #[error("a {what} `{id}` already exists")]
    Duplicate { what: &'static str, id: String },
    #[error("`{id}` is not a usable {what} id: use 1-40 letters, digits, '-' or '_'")]
    BadId { what: &'static str, id: String },
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is too long ({len} characters; at most {max})")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error(
        "tag `{0}` is not usable: tags are 1-32 letters, digits, '-' or '_', in up to 4 levels split by '/'"
    )]
    BadTag(String),
    #[error("stage `{stage}` {problem}")]
    Stage { stage: String, problem: String },
    #[error("statement `{0}` was retracted; it cannot be amended, retracted again or voted on")]
    Retracted(String),
    #[error("vote round `{0}` is closed; it takes no more ballots or tallies")]
    RoundClosed(String),
    #[error("vote round `{round}`: {problem}")]
    Vote { round: String, problem: String },
    #[error("concept `{0}` was merged into another and takes no further changes")]
    ConceptMerged(String),
    #[error("{0}")]
    Rule(String),
}
