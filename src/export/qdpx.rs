//! REFI-QDA project exchange (`.qdpx`): a zip of `project.qde` and
//! `Sources/`. The session transcript is one text source (a workspace has
//! one per case); statements are selections in it, coded with the concepts
//! they were linked to; concepts are codes; interpretations are non-codable parent codes with notes;
//! note-takers and the facilitator are users; participants are cases.

pub use super::transcript::{Offsets, Part, Transcript, transcript, transcript_of};
pub use super::xml::guid;
use super::xml::{description, el, lf, lines};
use super::{Privacy, Source, Staff, listed, withheld_count};
use crate::domain::analysis::provenance;
use crate::domain::{ConceptId, Session};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::io::Write as _;

/// What makes a session itself: its creation, which never changes.
pub fn session_key(s: &Session) -> String {
    match s.info() {
        Some(i) => format!("{}\u{0}{}", i.created, i.title),
        None => String::new(),
    }
}

/// A note (a memo, an interpretation's provenance): its text goes in a
/// file of its own in `Sources/`, which is where QualCoder and NVivo read
/// a journal from (QualCoder ignores a note's `PlainTextContent` unless it
/// annotates a selection, and the schema allows one or the other).
struct NoteText {
    guid: String,
    name: String,
    by: String,
    at: String,
    text: String,
}

impl NoteText {
    fn file(&self) -> String {
        format!("{}.txt", self.guid)
    }

    fn element(&self) -> String {
        let path = format!("internal://{}", self.file());
        el(
            "Note",
            &[
                ("guid", &self.guid),
                ("name", &self.name),
                ("plainTextPath", &path),
                ("creatingUser", &self.by),
                ("creationDateTime", &self.at),
            ],
            "",
        )
    }
}

/// What every part of `project.qde` refers to: the session, who is who,
/// and how GUIDs are made.
struct Qde<'a> {
    s: &'a Session,
    privacy: Privacy,
    key: String,
    /// The facilitator's user GUID: the creator of what has no other.
    owner: String,
    users: BTreeMap<String, String>,
}

impl Qde<'_> {
    fn g(&self, kind: &str, id: &str) -> String {
        guid(&self.key, kind, id)
    }
}

/// `project.qde`, and the files for `Sources/`: the transcript first, then
/// the notes' texts (name, text).
pub fn project(
    src: &Source,
    privacy: Privacy,
    offsets: Offsets,
) -> (String, Vec<(String, String)>) {
    let s = src.session;
    let key = session_key(s);
    let g = |kind: &str, id: &str| guid(&key, kind, id);
    let created = s.info().map(|i| i.created.to_string()).unwrap_or_default();
    // One text source for a session; one per case for a workspace.
    let parts: Vec<(String, String, Part)> = match src.cases.is_empty() {
        true => vec![(
            g("source", "transcript"),
            format!("Transcript: {}", s.title()),
            Part::Whole,
        )],
        false => src
            .cases
            .iter()
            .map(|c| {
                (
                    g("source", &format!("case {}", c.key)),
                    format!("Case {}: {}", c.key, c.title),
                    Part::Case {
                        key: c.key.clone(),
                        title: c.title.clone(),
                    },
                )
            })
            .collect(),
    };
    let texts: Vec<TextPart> = parts
        .into_iter()
        .map(|(guid, name, part)| TextPart {
            file: format!("{guid}.txt"),
            guid,
            name,
            t: transcript_of(s, privacy, offsets, &part),
        })
        .collect();

    // Users: the facilitator and everyone who captured something, by role
    // (`note-taker 1`) unless names were asked for. Their GUIDs are made
    // from what is shown, so no name can be guessed back from one.
    let staff = Staff::of(s, privacy);
    let mut users: BTreeMap<String, String> = BTreeMap::new();
    let facilitator = s
        .info()
        .map(|i| i.facilitator.clone())
        .unwrap_or_else(|| "facilitator".into());
    let shown_facilitator = privacy
        .facilitator(s)
        .unwrap_or_else(|| "facilitator".into());
    users.insert(facilitator.clone(), g("user", &shown_facilitator));
    let authors = s.statements.values().map(|st| &st.original.by);
    // What the host recorded itself says "facilitator": that is the
    // facilitator's user, not a second one of the same name.
    for by in authors
        .chain(s.memos.values().map(|m| &m.by))
        .filter(|by| by.as_str() != "facilitator")
    {
        users
            .entry(by.clone())
            .or_insert_with(|| g("user", &staff.label(by)));
    }
    let owner = users.get(&facilitator).cloned().unwrap_or_default();
    let q = Qde {
        s,
        privacy,
        key: key.clone(),
        owner: owner.clone(),
        users,
    };

    let mut parts = vec![users_element(&q, &shown_facilitator, &staff)];
    let tag_codes = super::codebook::in_use(s);
    let (mut codes, mut notes) = codebook(&q);
    codes.splice(
        0..0,
        super::codebook::code_elements(&tag_codes, &super::codebook::code_guid),
    );
    codes.extend(super::variables::case_codes(
        s,
        privacy,
        &|k: &str, id: &str| q.g(k, id),
    ));
    if !codes.is_empty() {
        parts.push(el("CodeBook", &[], &el("Codes", &[], &lines(&codes))));
    }
    let variables = super::variables::Variable::of(s);
    if !variables.is_empty() {
        let g = |kind: &str, id: &str| q.g(kind, id);
        let elements: Vec<String> = variables.iter().map(|v| v.element(&g)).collect();
        parts.push(el("Variables", &[], &lines(&elements)));
    }
    let cases = cases(&q, &texts, &variables);
    if !cases.is_empty() {
        parts.push(el("Cases", &[], &lines(&cases)));
    }
    let sources: Vec<String> = texts.iter().map(|p| source(&q, p, &created)).collect();
    parts.push(el("Sources", &[], &lines(&sources)));
    notes.extend(memo_notes(&q));
    if !notes.is_empty() {
        let elements: Vec<String> = notes.iter().map(NoteText::element).collect();
        parts.push(el("Notes", &[], &lines(&elements)));
    }
    let mut sets = sets(&q);
    sets.extend(super::codebook::facet_set(
        &tag_codes,
        &super::codebook::code_guid,
        &super::codebook::facet_set_guid(),
        super::codebook::Member::InProject,
    ));
    if !sets.is_empty() {
        parts.push(el("Sets", &[], &lines(&sets)));
    }
    let incomplete = src.damage.as_ref().map_or(String::new(), |d| {
        format!("INCOMPLETE: the journal is damaged ({d}); only the records before it are here. ")
    });
    parts.push(description(&format!(
        "{incomplete}Exported from roundtable: {} records, head hash {}",
        src.records, src.head
    )));
    let origin = format!("roundtable {}", env!("CARGO_PKG_VERSION"));
    let project = el(
        "Project",
        &[
            ("xmlns", "urn:QDA-XML:project:1.0"),
            ("name", s.title()),
            ("origin", &origin),
            ("creatingUserGUID", &owner),
            ("creationDateTime", &created),
        ],
        &lines(&parts),
    );
    let o = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{project}\n");
    let mut files: Vec<(String, String)> = texts.into_iter().map(|p| (p.file, p.t.text)).collect();
    files.extend(
        notes
            .into_iter()
            .map(|n| (n.file(), lf(&n.text).into_owned())),
    );
    (o, files)
}

/// The `<Users>`: the facilitator as shown (`facilitator` without
/// `--names`) and each note-taker by role (`note-taker 1`).
fn users_element(q: &Qde, shown_facilitator: &str, staff: &Staff) -> String {
    let users: Vec<String> = q
        .users
        .iter()
        .map(|(name, id)| {
            let name = if *id == q.owner {
                shown_facilitator.to_owned()
            } else {
                staff.label(name)
            };
            el("User", &[("guid", id), ("name", &name)], "")
        })
        .collect();
    el("Users", &[], &lines(&users))
}

/// The codes: each concept once, under the first interpretation resting on
/// it; and the interpretations' provenance notes.
fn codebook(q: &Qde) -> (Vec<String>, Vec<NoteText>) {
    let (s, owner) = (q.s, &q.owner);
    let g = |kind: &str, id: &str| q.g(kind, id);
    let mut placed: Vec<&ConceptId> = Vec::new();
    // Where each concept's code sits: under the first interpretation
    // resting on it.
    let mut homes: Vec<(&ConceptId, String)> = Vec::new();
    let mut codes = Vec::new();
    let concept_code = |c: &crate::domain::synthesis::Concept| {
        el(
            "Code",
            &[
                ("guid", &g("concept", c.id.as_str())),
                ("name", &format!("{} {}", c.id, c.name)),
                ("isCodable", "true"),
            ],
            &description(&c.description),
        )
    };
    let mut notes = Vec::new();
    for i in s.interpretations.values() {
        let p = provenance(s, i);
        let note_guid = g("interpretation-note", i.id.as_str());
        let mut note = format!("Interpretation {} ({}): {}\n", i.id, i.status, i.text());
        for h in &i.history {
            let _ = writeln!(
                note,
                "Decision: {}{}: {}",
                h.status,
                h.round
                    .as_ref()
                    .map(|r| format!(" by vote {r}"))
                    .unwrap_or_default(),
                h.reason
            );
        }
        for tr in &p.translations {
            let ids: Vec<&str> = tr.concepts.iter().map(|c| c.as_str()).collect();
            let _ = writeln!(
                note,
                "Translation {} ({}): {} — {}",
                tr.id,
                tr.kind.described(),
                ids.join(", "),
                tr.rationale
            );
        }
        let withheld = p
            .evidence
            .iter()
            .filter(|e| !listed(s, e.statement))
            .count();
        for e in p.evidence.iter().filter(|e| listed(s, e.statement)) {
            let flag = if e.retracted() {
                " [retracted]"
            } else if e.amended() {
                " [amended]"
            } else {
                ""
            };
            let _ = writeln!(note, "Statement {}{flag}", e.statement.id);
        }
        if let Some(n) = withheld_count(withheld, "statement") {
            let _ = writeln!(note, "{n}");
        }
        notes.push(NoteText {
            guid: note_guid.clone(),
            name: format!("Provenance of {}", i.id),
            by: owner.clone(),
            at: i.drafted.to_string(),
            text: note,
        });
        let mut inner = description(i.text());
        inner.push_str(&el("NoteRef", &[("targetGUID", &note_guid)], ""));
        for c in p.concepts.iter().filter(|c| c.merged_into.is_none()) {
            inner.push('\n');
            match homes.iter().find(|(id, _)| *id == &c.id) {
                // A code sits in one place: under a later interpretation
                // resting on it too, a pointer to it (not codable, so no
                // coding is counted twice), which QualCoder shows there.
                Some((_, home)) => inner.push_str(&el(
                    "Code",
                    &[
                        ("guid", &g("concept-under", &format!("{}/{}", i.id, c.id))),
                        ("name", &format!("{} {} (coded under {home})", c.id, c.name)),
                        ("isCodable", "false"),
                    ],
                    &description(&format!(
                        "{} rests on concept {} too; its codings are under {home}.",
                        i.id, c.id
                    )),
                )),
                None => {
                    placed.push(&c.id);
                    homes.push((&c.id, i.id.to_string()));
                    inner.push_str(&concept_code(c));
                }
            }
        }
        codes.push(el(
            "Code",
            &[
                ("guid", &g("interpretation", i.id.as_str())),
                ("name", &format!("{} ({}): {}", i.id, i.status, i.text())),
                ("isCodable", "false"),
            ],
            &inner,
        ));
    }
    // A merged concept is not a code of its own: its statements are coded
    // with the concept it was merged into.
    for c in s.concepts.values().filter(|c| c.merged_into.is_none()) {
        if !placed.contains(&&c.id) {
            codes.push(concept_code(c));
        }
    }
    (codes, notes)
}

/// One set per interpretation: every concept it rests on (a code nests
/// under one parent only, so a concept shared by two interpretations sits
/// under the first and is a member of both sets), and its provenance note.
fn sets(q: &Qde) -> Vec<String> {
    let mut o = Vec::new();
    for i in q.s.interpretations.values() {
        let p = provenance(q.s, i);
        let mut members: Vec<&ConceptId> = Vec::new();
        for c in &p.concepts {
            let live = live_concept(q.s, &c.id);
            if !members.contains(&live) {
                members.push(live);
            }
        }
        let mut inner = description(i.text());
        for c in members {
            inner.push_str(&el(
                "MemberCode",
                &[("targetGUID", &q.g("concept", c.as_str()))],
                "",
            ));
        }
        inner.push_str(&el(
            "MemberNote",
            &[("targetGUID", &q.g("interpretation-note", i.id.as_str()))],
            "",
        ));
        o.push(el(
            "Set",
            &[
                ("guid", &q.g("interpretation-set", i.id.as_str())),
                (
                    "name",
                    &format!("{} ({}): concepts it rests on", i.id, i.status),
                ),
            ],
            &inner,
        ));
    }
    o
}

/// The concept a concept's statements now live under: itself, or what it
/// was merged into (followed a bounded number of times).
fn live_concept<'a>(s: &'a Session, id: &'a ConceptId) -> &'a ConceptId {
    let mut at = id;
    for _ in 0..s.concepts.len() {
        match s.concepts.get(at).and_then(|c| c.merged_into.as_ref()) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// One text source: its GUID, file, name and transcript.
struct TextPart {
    guid: String,
    file: String,
    name: String,
    t: Transcript,
}

/// One case per participant, holding the selections of what they said.
fn cases(q: &Qde, texts: &[TextPart], variables: &[super::variables::Variable]) -> Vec<String> {
    let (s, privacy) = (q.s, q.privacy);
    let g = |kind: &str, id: &str| q.g(kind, id);
    let mut cases = Vec::new();
    // Those who did not consent are not cases: their statements are not
    // in the transcript either.
    for p in s.participants.values().filter(|p| p.consent) {
        let refs: String = texts
            .iter()
            .flat_map(|p| p.t.spans.iter())
            .filter(|(id, _, _)| {
                s.statements.get(id).is_some_and(|st| {
                    st.current().speaker == crate::domain::Speaker::Participant(p.id.clone())
                })
            })
            .map(|(id, _, _)| {
                el(
                    "SelectionRef",
                    &[("targetGUID", &g("selection", id.as_str()))],
                    "",
                )
            })
            .collect();
        let name = super::variables::case_name(p, privacy);
        let values: String = variables.iter().filter_map(|v| v.value_of(&g, p)).collect();
        cases.push(el(
            "Case",
            &[("guid", &g("case", p.id.as_str())), ("name", &name)],
            &format!("{}{values}{refs}", description(&p.described())),
        ));
    }
    cases
}

/// A transcript as a text source, each statement a selection coded with
/// its concepts.
fn source(q: &Qde, p: &TextPart, created: &str) -> String {
    let t = &p.t;
    let (s, privacy, owner, users) = (q.s, q.privacy, &q.owner, &q.users);
    let g = |kind: &str, id: &str| q.g(kind, id);
    let mut inner = vec![description(&format!("Focus: {}", s.focus()))];
    for (id, start, end) in &t.spans {
        let Some(st) = s.statements.get(id) else {
            continue;
        };
        let v = st.current();
        let by = users
            .get(&st.original.by)
            .cloned()
            .unwrap_or_else(|| owner.clone());
        let codings: String = s
            .concepts
            .values()
            .filter(|c| c.merged_into.is_none() && c.statements.contains(id))
            .map(|c| {
                el(
                    "Coding",
                    &[
                        ("guid", &g("coding", &format!("{}/{}", c.id, id))),
                        ("creatingUser", owner),
                    ],
                    &el(
                        "CodeRef",
                        &[("targetGUID", &g("concept", c.id.as_str()))],
                        "",
                    ),
                )
            })
            .collect();
        let tagged: String = v
            .tags
            .iter()
            .map(|tag| {
                el(
                    "Coding",
                    &[
                        ("guid", &g("tag-coding", &format!("{tag}/{id}"))),
                        ("creatingUser", &by),
                    ],
                    &el(
                        "CodeRef",
                        &[("targetGUID", &super::codebook::code_guid(tag))],
                        "",
                    ),
                )
            })
            .collect();
        let case =
            super::variables::case_coding(s, &v.speaker, id.as_str(), &by, &g).unwrap_or_default();
        let codings = format!("{tagged}{codings}{case}");
        let desc = format!(
            "{} {} ({}), {}; tags: {}",
            id,
            privacy.speaker(s, &v.speaker),
            s.role_of(&v.speaker)
                .map(|r| r.label())
                .unwrap_or("whole group"),
            v.kind,
            v.tags.join(" ")
        );
        inner.push(el(
            "PlainTextSelection",
            &[
                ("guid", &g("selection", id.as_str())),
                ("name", id.as_str()),
                ("startPosition", &start.to_string()),
                ("endPosition", &end.to_string()),
                ("creatingUser", &by),
                ("creationDateTime", &st.original.at.to_string()),
            ],
            &format!("{}{codings}", description(&desc)),
        ));
    }
    let path = format!("internal://{}", p.file);
    el(
        "TextSource",
        &[
            ("guid", &p.guid),
            ("name", &p.name),
            ("plainTextPath", &path),
            ("creatingUser", owner),
            ("creationDateTime", created),
        ],
        &lines(&inner),
    )
}

/// The memos, as notes.
fn memo_notes(q: &Qde) -> Vec<NoteText> {
    q.s.memos
        .iter()
        .map(|(id, m)| NoteText {
            guid: q.g("memo", id.as_str()),
            name: format!("{} memo {id}", m.kind.label()),
            by: q
                .users
                .get(&m.by)
                .cloned()
                .unwrap_or_else(|| q.owner.clone()),
            at: m.at.to_string(),
            text: m.text.clone(),
        })
        .collect()
}

/// The `.qdpx` archive's bytes.
pub fn archive(src: &Source, privacy: Privacy, offsets: Offsets) -> std::io::Result<Vec<u8>> {
    let (qde, files) = project(src, privacy, offsets);
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    // One timestamp and one "made by" system: the same bytes on Linux and Windows.
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .system(zip::System::Unix);
    zip.start_file("project.qde", opts)
        .map_err(std::io::Error::other)?;
    zip.write_all(qde.as_bytes())?;
    for (file, text) in files {
        zip.start_file(format!("Sources/{file}"), opts)
            .map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.finish().map_err(std::io::Error::other)?;
    Ok(buf.into_inner())
}
