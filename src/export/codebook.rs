//! The codebook in the REFI-QDA codebook exchange format (`.qdc`), which
//! NVivo, ATLAS.ti, MAXQDA and QualCoder import, and as the nested codes
//! of a `.qdpx` project. A code's tag (its path in roundtable) is kept on
//! the last line of its description, so a codebook comes back identical;
//! facets are a set named [`FACETS`].

use super::xml::{description, el, lines};
use crate::domain::Session;
use crate::domain::codebook::Code;

pub use crate::domain::codebook::{FACETS, TAG_LINE};

/// A code's description as exported: its meaning, then its tag.
pub fn described(c: &Code) -> String {
    match c.description.trim().is_empty() {
        true => format!("{TAG_LINE}{}", c.path),
        false => format!("{}\n\n{TAG_LINE}{}", c.description, c.path),
    }
}

/// The codes as nested `<Code>` elements (each theme holding its
/// subthemes); `guid` gives a code's GUID from its path, `inner` anything
/// more a code holds (nothing for a `.qdc`).
pub fn code_elements(codes: &[Code], guid: &dyn Fn(&str) -> String) -> Vec<String> {
    fn under(codes: &[Code], parent: Option<&str>, guid: &dyn Fn(&str) -> String) -> Vec<String> {
        codes
            .iter()
            .filter(|c| c.parent() == parent)
            .map(|c| {
                let mut inner = description(&described(c));
                let children = under(codes, Some(&c.path), guid);
                if !children.is_empty() {
                    inner.push_str(&lines(&children));
                }
                el(
                    "Code",
                    &[
                        ("guid", &guid(&c.path)),
                        ("name", &c.name),
                        ("isCodable", "true"),
                    ],
                    &inner,
                )
            })
            .collect()
    }
    under(codes, None, guid)
}

/// The codebook and every tag in use that is not in it (with the levels
/// above it), as codes: what a statement is coded with in a `.qdpx`.
pub fn in_use(session: &Session) -> Vec<Code> {
    let mut codes: Vec<Code> = session.codebook.values().cloned().collect();
    // Only what is exported: a retracted statement's tags, like its words,
    // stay in the journal.
    for s in session
        .statements
        .values()
        .filter(|s| super::listed(session, s) && !s.is_retracted())
    {
        for tag in &s.current().tags {
            let mut at = Some(tag.as_str());
            let mut missing = Vec::new();
            while let Some(path) = at {
                if codes.iter().any(|c| c.path == path)
                    || missing.iter().any(|c: &Code| c.path == path)
                {
                    break;
                }
                missing.push(Code {
                    path: path.to_owned(),
                    name: path.rsplit('/').next().unwrap_or(path).to_owned(),
                    description: "A tag used in capture; not in the codebook.".into(),
                    facet: false,
                });
                at = crate::domain::codebook::parent_of(path);
            }
            codes.extend(missing.into_iter().rev());
        }
    }
    codes
}

/// How a set names its member codes: a project's `MemberCode` refers by
/// `targetGUID`, a codebook's by `guid` (their two schemas differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    InProject,
    InCodebook,
}

/// The facets as a `<Set>` of member codes, if there are any.
pub fn facet_set(
    codes: &[Code],
    guid: &dyn Fn(&str) -> String,
    set_guid: &str,
    member: Member,
) -> Option<String> {
    let attribute = match member {
        Member::InProject => "targetGUID",
        Member::InCodebook => "guid",
    };
    let members: Vec<String> = codes
        .iter()
        .filter(|c| c.facet)
        .map(|c| el("MemberCode", &[(attribute, &guid(&c.path))], ""))
        .collect();
    (!members.is_empty()).then(|| {
        let mut inner = description("Codes that cross the themes (roundtable facets).");
        inner.push_str(&lines(&members));
        el("Set", &[("guid", set_guid), ("name", FACETS)], &inner)
    })
}

/// A code's GUID: made from its tag alone, so the same code has the same
/// GUID in every session and every export (a codebook shared by the cases
/// of a study stays one codebook in the QDA tool).
pub fn code_guid(path: &str) -> String {
    super::xml::guid("codebook", "code", path)
}

/// The facets set's GUID, the same everywhere.
pub fn facet_set_guid() -> String {
    super::xml::guid("codebook", "set", FACETS)
}

/// The session's codebook as a `.qdc` file.
pub fn qdc(session: &Session) -> String {
    let book: Vec<Code> = session.codebook.values().cloned().collect();
    let codes = code_elements(&book, &code_guid);
    let mut parts = vec![el("Codes", &[], &lines(&codes))];
    if let Some(set) = facet_set(&book, &code_guid, &facet_set_guid(), Member::InCodebook) {
        parts.push(el("Sets", &[], &lines(&[set])));
    }
    let origin = format!("roundtable {}", env!("CARGO_PKG_VERSION"));
    let book = el(
        "CodeBook",
        &[("xmlns", "urn:QDA-XML:codebook:1.0"), ("origin", &origin)],
        &lines(&parts),
    );
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{book}\n")
}
