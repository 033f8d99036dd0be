//! Reading a REFI-QDA codebook (`.qdc`) from NVivo, ATLAS.ti, MAXQDA or
//! QualCoder into codes: each `<Code>`'s name, description and place in
//! the tree; the members of a set named `Facets` as facets. A code's tag is
//! the `roundtable tag: #…` line roundtable writes, or else made from its
//! name (`Social influences` → `social-influences`). Untrusted: capped in
//! size, depth and count; every problem names the file and line.

use super::error::{FileProblem, Result, StoreError};
use super::fsutil::read_capped;
use crate::domain::codebook::{Code, FACETS, MAX_CODES, TAG_LINE};
use crate::domain::statement::MAX_TAG_LEVELS;
use quick_xml::events::{BytesStart, Event as Xml};
use std::path::Path;

/// Largest codebook file read: a codebook of 500 codes with long
/// descriptions is well under it.
pub const MAX_QDC: u64 = 4 << 20;

/// A code's tag level made from its name: lower case letters and digits,
/// the rest as single `-`, at most 32 characters.
fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s: String = s.trim_end_matches('-').chars().take(32).collect();
    s.trim_end_matches('-').to_owned()
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The codes of the `.qdc` at `path`, each parent before its children.
pub fn read(path: &Path) -> Result<Vec<Code>> {
    let bytes = read_capped(path, MAX_QDC)?;
    let text = super::limits::utf8_or_line(&bytes)
        .map_err(|line| problem(path, line, "not valid UTF-8".into()))?;
    let line_at = |pos: u64| {
        let end = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
        text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    };
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut codes: Vec<Code> = Vec::new();
    let mut guids: Vec<String> = Vec::new();
    // The codes open around the reader, innermost last (indexes in `codes`).
    let mut open: Vec<usize> = Vec::new();
    let mut in_description = false;
    let mut description = String::new();
    let mut in_facets = false;
    let mut facet_guids: Vec<String> = Vec::new();
    let mut saw_codebook = false;
    // Elements opened and not yet closed: a file that ends inside one is
    // cut short, not a codebook.
    let mut unclosed: usize = 0;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            problem(
                path,
                line_at(reader.buffer_position()),
                format!("not XML a QDA tool wrote: {e}"),
            )
        })?;
        let here = line_at(pos);
        let empty = matches!(event, Xml::Empty(_));
        match &event {
            Xml::Start(_) => unclosed += 1,
            Xml::End(_) => unclosed = unclosed.saturating_sub(1),
            Xml::Eof if unclosed > 0 => {
                return Err(problem(
                    path,
                    here,
                    "not XML a QDA tool wrote: it ends before every element is closed (cut short?)"
                        .into(),
                ));
            }
            _ => {}
        }
        match event {
            Xml::Start(e) | Xml::Empty(e) if e.local_name().as_ref() == "Code" => {
                let name = attr(&e, "name").unwrap_or_default();
                if open.len() >= MAX_TAG_LEVELS {
                    let deep = format!(
                        "code `{name}` is {} levels deep; roundtable keeps {MAX_TAG_LEVELS} levels (theme, subtheme and two more)",
                        open.len() + 1
                    );
                    return Err(problem(path, here, deep));
                }
                let at = add_code(&mut codes, open.last().copied(), &name)
                    .map_err(|reason| problem(path, here, reason))?;
                guids.push(attr(&e, "guid").unwrap_or_default());
                if !empty {
                    open.push(at);
                }
            }
            Xml::End(e) if e.local_name().as_ref() == "Code" => {
                open.pop();
            }
            Xml::Start(e)
                if e.local_name().as_ref() == "CodeBook"
                    || e.local_name().as_ref() == "Project" =>
            {
                saw_codebook = true;
            }
            Xml::Start(e) if e.local_name().as_ref() == "Description" && !open.is_empty() => {
                in_description = true;
                description.clear();
            }
            Xml::Text(t) if in_description => {
                description.push_str(&t.xml10_content());
            }
            Xml::GeneralRef(r) if in_description => description.push_str(&entity(&r)),
            Xml::End(e) if e.local_name().as_ref() == "Description" && in_description => {
                in_description = false;
                if let Some(&i) = open.last() {
                    let (meaning, tag) = split_tag(&description);
                    codes[i].description = meaning;
                    if let Some(tag) = tag {
                        retag(&mut codes, i, &tag).map_err(|reason| problem(path, here, reason))?;
                    }
                }
            }
            Xml::Start(e) if e.local_name().as_ref() == "Set" => {
                in_facets = attr(&e, "name").is_some_and(|n| n.trim().eq_ignore_ascii_case(FACETS));
            }
            Xml::End(e) if e.local_name().as_ref() == "Set" => in_facets = false,
            Xml::Start(e) | Xml::Empty(e)
                if in_facets && e.local_name().as_ref() == "MemberCode" =>
            {
                // A codebook's member names its code by `guid`, a
                // project's by `targetGUID`.
                facet_guids.extend(attr(&e, "guid").or_else(|| attr(&e, "targetGUID")));
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    if !saw_codebook {
        return Err(problem(
            path,
            1,
            "not a REFI-QDA codebook: it has no <CodeBook>".into(),
        ));
    }
    if codes.is_empty() {
        return Err(problem(path, 1, "the codebook holds no codes".into()));
    }
    for (c, guid) in codes.iter_mut().zip(&guids) {
        c.facet = !guid.is_empty() && facet_guids.contains(guid);
    }
    if let Some(c) = codes.iter().find(|c| c.facet && c.parent().is_some()) {
        return Err(problem(
            path,
            line_of_name(text, &c.name),
            format!(
                "`{}` is in the Facets set but sits under `{}`; a facet (such as barrier or enabler) crosses the themes, so it must be a top-level code",
                c.name,
                c.parent().unwrap_or_default()
            ),
        ));
    }
    Ok(codes)
}

/// A description's meaning and, if its last line names one, its tag.
fn split_tag(description: &str) -> (String, Option<String>) {
    let trimmed = description.trim_end();
    match trimmed
        .rsplit_once('\n')
        .map_or(("", trimmed), |(a, b)| (a, b))
    {
        (before, last) if last.trim().starts_with(TAG_LINE) => (
            before.trim_end().to_owned(),
            Some(last.trim()[TAG_LINE.len()..].to_owned()),
        ),
        _ => (trimmed.to_owned(), None),
    }
}

/// Gives code `i` the tag its description names, when that tag sits where
/// the code does (under the same parent).
fn retag(codes: &mut [Code], i: usize, tag: &str) -> std::result::Result<(), String> {
    if !crate::domain::statement::tag_ok(tag) {
        return Err(format!(
            "`{tag}` is not a usable tag for code `{}`",
            codes[i].name
        ));
    }
    let expected_parent = codes[i].parent().map(str::to_owned);
    if crate::domain::codebook::parent_of(tag).map(str::to_owned) != expected_parent {
        return Err(format!(
            "code `{}` names tag `#{tag}` but sits under `{}`",
            codes[i].name,
            expected_parent.unwrap_or_else(|| "no other code".into())
        ));
    }
    if codes
        .iter()
        .enumerate()
        .any(|(j, c)| j != i && c.path == tag)
    {
        return Err(format!("tag `#{tag}` is given to two codes"));
    }
    codes[i].path = tag.to_owned();
    Ok(())
}

fn line_of_name(text: &str, name: &str) -> usize {
    super::limits::line_of(text, &format!("name=\"{name}\""))
}

fn problem(path: &Path, line: usize, reason: String) -> StoreError {
    StoreError::File(FileProblem {
        file: path.to_owned(),
        line: line as u64,
        col: 0,
        reason,
    })
}

/// Adds a code named `name` under the code at `parent` (an index into
/// `codes`), its tag made from its name; its index.
fn add_code(
    codes: &mut Vec<Code>,
    parent: Option<usize>,
    name: &str,
) -> std::result::Result<usize, String> {
    if name.trim().is_empty() {
        return Err("a code has no name".into());
    }
    if codes.len() >= MAX_CODES {
        return Err(format!(
            "more than {MAX_CODES} codes; roundtable keeps at most {MAX_CODES}"
        ));
    }
    let parent = parent.map(|i| codes[i].path.clone());
    let mut level = slug(name);
    if level.is_empty() {
        level = format!("code-{}", codes.len() + 1);
    }
    let path_of = |level: &str| match &parent {
        Some(p) => format!("{p}/{level}"),
        None => level.to_owned(),
    };
    // Two siblings whose names make the same tag: the second is `-2`.
    let mut n = 1;
    let mut candidate = path_of(&level);
    while codes.iter().any(|c| c.path == candidate) {
        n += 1;
        candidate = path_of(&format!(
            "{}-{n}",
            level.chars().take(29).collect::<String>()
        ));
    }
    codes.push(Code {
        path: candidate,
        name: name.trim().to_owned(),
        description: String::new(),
        facet: false,
    });
    Ok(codes.len() - 1)
}

/// What an entity or character reference in a description stands for.
fn entity(r: &quick_xml::events::BytesRef) -> String {
    let name: &str = r.as_ref();
    if let Some(c) = r.resolve_char_ref().ok().flatten() {
        return c.to_string();
    }
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
    .to_owned()
}
