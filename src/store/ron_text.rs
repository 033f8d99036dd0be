//! Reading RON text someone handed us: depth-checked before the parser
//! sees it, with errors located in the text. Journal lines and snapshot
//! bodies, which roundtable writes itself in compact form and reads by the
//! million, take the fast reader in `compact` first ([`parse_fast`]);
//! everything else goes straight to `ron` ([`parse_ron`]).

use super::limits::{MAX_DEPTH, check_depth, shorten_quotes};
use serde::de::DeserializeOwned;

/// A RON parse failure located in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    pub line: usize,
    pub col: usize,
    pub reason: String,
}

/// Journal lines and snapshot bodies: the compact form roundtable writes
/// takes the fast reader; anything else, and every error, is [`parse_ron`]'s.
pub fn parse_fast<T: DeserializeOwned>(text: &str) -> Result<T, ParseProblem> {
    if let Ok(value) = super::compact::from_str(text) {
        return Ok(value);
    }
    parse_ron(text)
}

/// Parses RON after the depth check, with `Some(..)` implied for options so
/// hand-written files stay readable.
pub fn parse_ron<T: DeserializeOwned>(text: &str) -> Result<T, ParseProblem> {
    if let Err((line, col)) = check_depth(text) {
        return Err(ParseProblem {
            line,
            col,
            reason: format!("brackets nested more than {MAX_DEPTH} levels deep"),
        });
    }
    ron::Options::default()
        .with_recursion_limit(MAX_DEPTH * 2)
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| ParseProblem {
            line: e.span.start.line,
            col: e.span.start.col,
            reason: shorten_quotes(&e.code.to_string()),
        })
}
