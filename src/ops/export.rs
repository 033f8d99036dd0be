//! Writing a session out: reports (Markdown, HTML), tables (CSV) and the
//! REFI-QDA project. The journal is only read, and replayed whole.

use super::{OpsError, Result};
use crate::export::{Privacy, Source, csv, html, markdown, qdpx, report, synthesis_csv};
use crate::store::{self, fsutil};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Html,
    Csv,
    Qdpx,
    /// The codebook alone (REFI-QDA `.qdc`).
    Qdc,
    /// Every table as a sheet of one spreadsheet, for Excel and LibreOffice.
    Xlsx,
}

/// The table a CSV export of a damaged journal adds to say so.
pub const INCOMPLETE_CSV: &str = "INCOMPLETE.csv";

/// What an export wrote, and what the user should know about the session
/// it was made from (a damaged journal is exported up to its last good
/// record).
pub struct Exported {
    pub files: Vec<PathBuf>,
    pub warnings: Vec<String>,
}

/// Writes an export of the session in `dir`. `dest` may name a file, or a
/// folder (one that exists, or a path ending in `/`) to put the usual file
/// names in; for CSV it is the folder for the four tables. The files are
/// written atomically as one set, owner-only.
pub fn export(dir: &Path, format: Format, dest: Option<PathBuf>, names: bool) -> Result<Exported> {
    let options = Options {
        names,
        ..Options::default()
    };
    export_with(dir, format, dest, options)
}

/// How an export is made, beyond its format and place.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Real names beside pseudonyms, and the facilitator's name.
    pub names: bool,
    /// How a qdpx counts positions.
    pub offsets: qdpx::Offsets,
    /// Who a report is for, and which memos it carries.
    pub shape: report::Shape,
    /// Export what can be read of a damaged journal (marked incomplete in
    /// every file) rather than refuse.
    pub readable: bool,
}

/// [`export`] with every option.
pub fn export_with(
    dir: &Path,
    format: Format,
    dest: Option<PathBuf>,
    options: Options,
) -> Result<Exported> {
    let Options {
        names,
        offsets,
        shape,
        readable,
    } = options;
    let mut r = store::open_read_only(dir)?;
    let mut warnings = r.warnings.clone();
    if r.records == 0 {
        return Err(OpsError::Empty(dir.join(store::journal::JOURNAL)));
    }
    if let Some(d) = &r.damage {
        if !readable {
            return Err(OpsError::Damaged {
                damage: d.to_string(),
                records: r.records,
            });
        }
        warnings.push(format!(
            "{d}. INCOMPLETE: exported the session up to record {} only, and said so in every file",
            r.records
        ));
    }
    // A workspace exports the words it rests on, from its sources.
    let mut cases = Vec::new();
    if !r.session.sources.is_empty() {
        let (view, read) = super::workspace_view::export_view(dir, &r.session);
        r.session = view;
        for c in read.iter().filter_map(|c| c.found.as_ref().err()) {
            warnings.push(format!(
                "{c}; its words are not in this export, which says so"
            ));
        }
        cases = read;
    }
    let mut src = Source::from_read_only(&r);
    src.cases = cases;
    let privacy = Privacy { names };
    let exports = dir.join("exports");
    // Where nobody said otherwise, the export stays in the session's folder:
    // a link planted there (to a shared or synced folder) is not followed.
    if dest.is_none() {
        for place in [exports.clone(), exports.join("csv")] {
            if crate::os::is_link_at(&place) {
                return Err(OpsError::LinkedExports(place));
            }
        }
    }
    // A folder is one that exists, or a path ending in a separator: `/`
    // anywhere, and `\` on Windows too (where `exports/` is typed as often).
    let into_folder = dest.as_ref().is_some_and(|d| {
        d.is_dir()
            || d.as_os_str()
                .to_string_lossy()
                .chars()
                .next_back()
                .is_some_and(std::path::is_separator)
    });
    let file = |ext: &str| {
        let name = format!("{}.{ext}", src.name);
        match &dest {
            Some(d) if into_folder => d.join(name),
            Some(d) => d.clone(),
            None => exports.join(name),
        }
    };
    let mut stale = Vec::new();
    let outputs: Vec<(PathBuf, Vec<u8>)> = match format {
        Format::Md => {
            let r = report::build_for(&src, privacy, shape);
            let text = match shape.audience {
                report::Audience::EasyRead => crate::export::easy::markdown(&r),
                _ => markdown::render(&r),
            };
            vec![(file("md"), text.into_bytes())]
        }
        Format::Html => {
            let r = report::build_for(&src, privacy, shape);
            let page = match shape.audience {
                report::Audience::EasyRead => crate::export::easy::html(&r),
                _ => html::render(&r),
            };
            vec![(file("html"), page.into_bytes())]
        }
        Format::Qdpx => vec![(
            file("qdpx"),
            qdpx::archive(&src, privacy, offsets).map_err(OpsError::Archive)?,
        )],
        // The researcher's data: involvement (who to pay, for how long) is
        // administrative, and stays in its own file of the CSV set.
        Format::Xlsx => {
            let mut sheets = tables(&src, privacy);
            sheets.retain(|(name, _)| *name != "involvement.csv");
            let created = src
                .session
                .info()
                .map(|i| i.created.to_string())
                .unwrap_or_default();
            let book =
                crate::export::xlsx::workbook(&sheets, &created).map_err(OpsError::Spreadsheet)?;
            vec![(file("xlsx"), book)]
        }
        Format::Qdc => {
            if src.session.codebook.is_empty() {
                return Err(OpsError::NoCodebook(dir.to_owned()));
            }
            vec![(
                file("qdc"),
                crate::export::codebook::qdc(src.session).into_bytes(),
            )]
        }
        Format::Csv => {
            let folder = dest.clone().unwrap_or_else(|| exports.join("csv"));
            let tables = csv_tables(&folder, &src, privacy);
            if src.damage.is_none() {
                stale.push(folder.join(INCOMPLETE_CSV));
            }
            tables
        }
    };
    for (path, _) in &outputs {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fsutil::create_private_dir_all(parent)?;
        }
    }
    let set: Vec<(&Path, &[u8])> = outputs
        .iter()
        .map(|(p, b)| (p.as_path(), b.as_slice()))
        .collect();
    fsutil::write_set_atomic(&set)?;
    // An earlier export's warning does not stay beside a complete set.
    for path in stale {
        let _ = std::fs::remove_file(path);
    }
    let files = outputs.into_iter().map(|(p, _)| p).collect();
    Ok(Exported { files, warnings })
}

/// Every table of a session (or workspace), by the name of its CSV file:
/// the session's, the synthesis's, the final template's and matrices when
/// there is a codebook, a workspace's sources, and a damaged journal's
/// warning. The CSV set and the spreadsheet are made from the same tables.
fn tables(src: &Source, privacy: Privacy) -> Vec<(&'static str, csv::Table)> {
    let s = src.session;
    let mut tables = vec![
        ("statements.csv", csv::statements(s, privacy)),
        ("ballots.csv", csv::ballots(s, privacy)),
        ("stages.csv", csv::stages(s)),
        ("actions.csv", csv::actions(s)),
        ("measures.csv", csv::measures(s)),
        (
            "involvement.csv",
            csv::involvement(&[(src.name.clone(), s)], privacy),
        ),
        ("concepts.csv", synthesis_csv::concepts(s)),
        ("codings.csv", synthesis_csv::codings(s)),
        ("translations.csv", synthesis_csv::translations(s)),
        ("interpretations.csv", synthesis_csv::interpretations(s)),
        ("framework.csv", synthesis_csv::framework_long(s, privacy)),
    ];
    if !s.codebook.is_empty() {
        let t = crate::export::template::final_template(s, privacy);
        tables.push(("template.csv", crate::export::template::template_csv(&t)));
        tables.push(("matrix.csv", crate::export::template::matrix_csv(&t)));
    }
    if !src.cases.is_empty() {
        tables.push(("sources.csv", csv::sources(&src.cases)));
    }
    // A table cannot carry a warning, so the set carries one more.
    if let Some(d) = &src.damage {
        tables.push((INCOMPLETE_CSV, csv::incomplete(d, src.records)));
    }
    tables
}

/// The CSV set: each table in its own file in `folder`.
fn csv_tables(folder: &Path, src: &Source, privacy: Privacy) -> Vec<(PathBuf, Vec<u8>)> {
    tables(src, privacy)
        .into_iter()
        .map(|(name, t)| (folder.join(name), t.to_csv().into_bytes()))
        .collect()
}
