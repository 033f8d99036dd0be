//! The codebook: the codes statements are tagged with, as a hierarchy
//! (`capability` → `capability/knowledge`), and the facets that cut across
//! it (`barrier`, `enabler`). A template's a priori codes, the researcher's
//! additions during synthesis and a `.qdc` file's codes all become
//! `CodeDefined` events; a statement's tags are its codings.

use serde::{Deserialize, Serialize};

/// The set a codebook file names its facets by: the REFI-QDA standard has
/// no facets, and a set is what every tool keeps.
pub const FACETS: &str = "Facets";

/// The last line of a code's description in a codebook file: its tag in
/// roundtable, so a codebook comes back identical.
pub const TAG_LINE: &str = "roundtable tag: #";

/// Most codes a codebook holds.
pub const MAX_CODES: usize = 500;

/// One code: its path (`capability/knowledge`, also the tag that codes a
/// statement with it), its name as a researcher reads it, what it means,
/// and whether it is a facet (a code such as `barrier` that crosses the
/// themes rather than sitting in them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub path: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub facet: bool,
}

impl Code {
    /// The path of the code it sits under, if any.
    pub fn parent(&self) -> Option<&str> {
        parent_of(&self.path)
    }

    /// How deep it sits: 0 for a theme.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }
}

/// The path a code path sits under, if any.
pub fn parent_of(path: &str) -> Option<&str> {
    path.rfind('/').map(|i| &path[..i])
}

/// Whether a statement tagged with `tags` is coded at `path`: tagged with
/// it or with a code beneath it (a theme holds its subthemes' statements).
pub fn codes_at(tags: &[String], path: &str) -> bool {
    tags.iter().any(|t| {
        t == path
            || t.strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The code a typed tag means: itself when it is a code (or nothing in the
/// codebook ends so), else the one code whose last level it is
/// (`knowledge` → `capability/knowledge`), so a note-taker need not type a
/// theme's whole path.
pub fn resolve<S: std::hash::BuildHasher>(
    codebook: &indexmap::IndexMap<String, Code, S>,
    tag: String,
) -> String {
    if codebook.contains_key(&tag) || tag.contains('/') {
        return tag;
    }
    let ending = format!("/{tag}");
    let mut ends = codebook.keys().filter(|p| p.ends_with(&ending));
    match (ends.next(), ends.next()) {
        (Some(one), None) => one.clone(),
        _ => tag,
    }
}

/// A codebook as a file holds it (a template's `codes`, a `.qdc`): the
/// codes in order, a parent before its children.
pub fn ordered(codes: &[Code]) -> Vec<&Code> {
    let mut out: Vec<&Code> = Vec::new();
    fn place<'a>(codes: &'a [Code], parent: Option<&str>, out: &mut Vec<&'a Code>) {
        for c in codes.iter().filter(|c| c.parent() == parent) {
            out.push(c);
            place(codes, Some(&c.path), out);
        }
    }
    place(codes, None, &mut out);
    out
}

/// A round's options with each `#code` replaced by the codes beneath it
/// in the codebook (`#opportunity` → Time, Resources), or by the code's own
/// name when nothing is beneath it (`#barrier` → Barrier): a dot vote, a
/// single choice or a ranking on the codebook's codes.
pub fn with_codes<S: std::hash::BuildHasher>(
    method: super::VoteMethod,
    codebook: &indexmap::IndexMap<String, Code, S>,
) -> Result<super::VoteMethod, String> {
    use super::VoteMethod;
    let expand = |options: Vec<String>| -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for o in options {
            let Some(typed) = o.strip_prefix('#') else {
                out.push(o);
                continue;
            };
            let path = resolve(codebook, typed.to_lowercase());
            let under: Vec<String> = codebook
                .values()
                .filter(|c| c.parent() == Some(path.as_str()))
                .map(|c| c.name.clone())
                .collect();
            match (under.is_empty(), codebook.get(&path)) {
                (false, _) => out.extend(under),
                (true, Some(c)) => out.push(c.name.clone()),
                (true, None) => {
                    return Err(format!(
                        "#{typed} is not a code in the codebook (codes: roundtable codes, or k in synthesis)"
                    ));
                }
            }
        }
        Ok(out)
    };
    Ok(match method {
        VoteMethod::Dots {
            options,
            per_person,
        } => VoteMethod::Dots {
            options: expand(options)?,
            per_person,
        },
        VoteMethod::SingleChoice { options } => VoteMethod::SingleChoice {
            options: expand(options)?,
        },
        VoteMethod::Ranking { options } => VoteMethod::Ranking {
            options: expand(options)?,
        },
        m => m,
    })
}
