//! The command line's arguments.

use crate::ui::ThemeName;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "roundtable",
    version,
    about = "Run deliberative workshops and roundtables, with an audit trail you can verify."
)]
pub struct Cli {
    /// Folder holding sessions and templates.
    #[arg(
        long,
        global = true,
        env = "ROUNDTABLE_SESSIONS",
        default_value = "sessions"
    )]
    pub sessions: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a session from an agenda template.
    New {
        /// Template name (see `roundtable templates`).
        #[arg(long)]
        template: String,
        #[arg(long)]
        title: String,
        /// The one question the session exists to answer.
        #[arg(long)]
        focus: String,
        /// A participants file (RON): [(id: "P1", role: ServiceUser, consent: true), ...].
        ///
        /// Each participant's fields: id (required); role (required:
        /// ServiceUser, UnpaidCarer, Staff, Volunteer, CommunityRepresentative,
        /// Researcher, Other, Facilitator, Presenter); sector (Nhs,
        /// LocalAuthority, Vcse); level (Strategic, Operational, FrontLine);
        /// consent (true to be quoted; without it their words are never
        /// shown or exported); real_name (kept on this machine); person (the
        /// study's register id, e.g. "CR07"); attributes ({"profession":
        /// "nurse"}), each declared at the top of the file: (attributes:
        /// [(name: "profession", values: ["nurse", "GP"]), (name: "years in
        /// post", number: true)], participants: [...]). Any other field is
        /// refused.
        #[arg(long)]
        participants: Option<PathBuf>,
        #[arg(long, default_value = "facilitator")]
        facilitator: String,
        /// The day it happened, YYYY-MM-DD, for a session entered later
        /// (a case study's); today when not given.
        #[arg(long)]
        date: Option<String>,
        /// A cross-case workspace whose interpretations this session (a
        /// workshop) takes up, to present and decide.
        #[arg(long, value_name = "WORKSPACE")]
        take_up: Option<String>,
        /// A codebook (`.qdc`, REFI-QDA, as NVivo, ATLAS.ti, MAXQDA and
        /// QualCoder export it) whose codes the session starts with, after
        /// the template's.
        #[arg(long, value_name = "FILE.qdc")]
        codebook: Option<PathBuf>,
    },
    /// A session's codebook as a tree, with how many statements each code
    /// holds; `--import` adds (or redefines) codes from a `.qdc` file.
    Codes {
        session: String,
        #[arg(long, value_name = "FILE.qdc")]
        import: Option<PathBuf>,
    },
    /// Record in a cross-case workspace what a workshop decided of the
    /// interpretations it took up from it.
    Verdicts {
        /// The workspace.
        workspace: String,
        /// The workshop session that took its interpretations up.
        #[arg(long)]
        from: String,
    },
    /// List sessions: date, title, focus and counts.
    List,
    /// Check every record of a session's journal; exit non-zero on failure.
    Verify { session: String },
    /// List agenda templates; with a name, show one: its stages, prompts
    /// and a priori codes.
    Templates {
        /// A template's name (as listed) to show in full.
        name: Option<String>,
    },
    /// Every key in every layer (with your keymap.ron's changes).
    Keys {
        /// Key bindings to override [default: ~/.config/roundtable/keymap.ron].
        #[arg(long)]
        keymap: Option<PathBuf>,
    },
    /// Print a session: agenda planned and actual, statements, votes, interpretations.
    Show {
        session: String,
        /// Everything the journal holds, for the data controller: withheld
        /// and retracted words, every earlier wording, real names. Without
        /// it, `show` follows the exports' rules.
        #[arg(long)]
        all: bool,
    },
    /// Run a session live: projector, capture and vote screens.
    Run {
        /// The session folder (name under --sessions, or a path).
        #[arg(required_unless_present = "demo")]
        session: Option<String>,
        /// Start a fresh rehearsal session from the CAG template with demo participants.
        #[arg(long, conflicts_with = "session")]
        demo: bool,
        /// Let note-takers join from other laptops: listen on this address
        /// (default 0.0.0.0:7878) and show a join code on the projector.
        #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "0.0.0.0:7878")]
        lan: Option<std::net::SocketAddr>,
        /// Let participants vote, raise a hand and send statements from
        /// their phones: serve a page on this address (default
        /// 0.0.0.0:8080) and show its QR code on the projector.
        #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "0.0.0.0:8080")]
        phones: Option<std::net::SocketAddr>,
        #[command(flatten)]
        look: Look,
    },
    /// Join a session that `roundtable run` is hosting: from a second
    /// terminal on this computer (by session name), or from another laptop
    /// (HOST:PORT and the code on the projector).
    Join {
        /// The session's name or folder on this computer, or HOST:PORT.
        target: String,
        /// The join code shown on the projector (joining another laptop).
        #[arg(long)]
        code: Option<String>,
        /// Your name: shown on the projector, and recorded with what you capture.
        #[arg(long = "as", default_value = "second terminal")]
        name: String,
        /// A second projector view instead of a capture screen.
        #[arg(long)]
        viewer: bool,
        /// Where statements not yet acknowledged by the host are kept
        /// [default: ~/.local/state/roundtable/outbox-…].
        #[arg(long)]
        outbox: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "high-contrast")]
        theme: ThemeName,
        /// Key bindings to override [default: ~/.config/roundtable/keymap.ron].
        #[arg(long)]
        keymap: Option<PathBuf>,
    },
    /// Export a session: report (md, html), tables (csv) or REFI-QDA (qdpx).
    Export {
        session: String,
        #[arg(long, value_enum)]
        format: Format,
        /// File to write (a folder for csv) [default: SESSION/exports/…].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include participants' real names beside their pseudonyms.
        #[arg(long)]
        names: bool,
        /// How a qdpx counts positions in the transcript: utf16 for NVivo,
        /// ATLAS.ti and MAXQDA; code-points for QualCoder.
        #[arg(long, value_enum, default_value = "utf16")]
        offsets: Offsets,
        /// Who a report (md, html) is for: the researcher (with memos and
        /// how the translation was done) or the group (sent back to
        /// participants: without memos).
        #[arg(long = "for", value_enum, default_value = "researcher")]
        audience: Audience,
        /// Which memos a report carries [default: all for the researcher,
        /// none for the group].
        #[arg(long, value_enum)]
        memos: Option<Memos>,
        /// Export what can be read of a damaged journal, marked incomplete
        /// in every file (without it, a damaged journal is not exported).
        #[arg(long)]
        readable: bool,
    },
    /// Measures of co-production across sessions (a programme): a table and
    /// charts over time, and everyone's hours of involvement.
    Programme {
        /// The sessions (names or paths; a workspace stands for its sources)
        /// [default: every session in the sessions folder].
        #[arg(value_name = "SESSION")]
        chosen: Vec<String>,
        /// Only sessions whose title, focus or date contain these words.
        #[arg(long, default_value = "")]
        matching: String,
        /// Folder for programme.html, programme.csv and involvement.csv
        /// [default: SESSIONS/programme].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include participants' real names in involvement.csv.
        #[arg(long)]
        names: bool,
    },
    /// Cross-case synthesis over several sessions, in a workspace with its own journal.
    Synthesise {
        /// The sessions to draw on (names under --sessions, or paths).
        #[arg(required = true, num_args = 1..)]
        sources: Vec<String>,
        /// The workspace folder's name [default: synthesis-FIRST-and-N-more].
        #[arg(long)]
        into: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        focus: Option<String>,
        #[command(flatten)]
        look: Look,
    },
    /// Browse past sessions read-only: timeline, agenda, statements, votes, synthesis, integrity.
    Review {
        /// Open this session straight away.
        session: Option<String>,
        #[arg(long, value_enum, default_value = "high-contrast")]
        theme: ThemeName,
    },
    /// Write a large generated session (for benchmarks).
    #[command(hide = true)]
    Generate {
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        spec: GenerateSpec,
        /// Instead, write this many small sessions into OUT with a known
        /// drift (staff's share of voice falling), for `programme`.
        #[arg(long)]
        programme: Option<usize>,
    },
    /// Write the example session (used to build the shipped example).
    Demo {
        /// Folder to write it to [default: SESSIONS/2026-03-14-cag-findings].
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Audience {
    Researcher,
    Group,
    /// Easy read, for participants: short sentences, large type, no jargon.
    EasyRead,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Memos {
    /// Process and reflexive memos.
    All,
    /// Process memos only, not the facilitator's reflexive ones.
    Process,
    None,
}

impl Audience {
    pub fn shape(self, memos: Option<Memos>) -> crate::export::report::Shape {
        use crate::export::report::{Audience as A, Memos as M, Shape};
        Shape {
            audience: match self {
                Audience::Researcher => A::Researcher,
                Audience::Group => A::Group,
                Audience::EasyRead => A::EasyRead,
            },
            memos: memos.map(|m| match m {
                Memos::All => M::All,
                Memos::Process => M::Process,
                Memos::None => M::None,
            }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Offsets {
    Utf16,
    CodePoints,
}

impl From<Offsets> for crate::export::qdpx::Offsets {
    fn from(o: Offsets) -> Self {
        match o {
            Offsets::Utf16 => Self::Utf16,
            Offsets::CodePoints => Self::CodePoints,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Html,
    Csv,
    Qdpx,
    /// The codebook alone (REFI-QDA `.qdc`).
    Qdc,
    /// Every table as a sheet of one spreadsheet: open this one in Excel or
    /// LibreOffice (the CSV files are for scripts).
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct Look {
    /// Colours: high-contrast suits projectors.
    #[arg(long, value_enum, default_value = "high-contrast")]
    pub theme: ThemeName,
    /// Key bindings to override [default: ~/.config/roundtable/keymap.ron].
    #[arg(long)]
    pub keymap: Option<PathBuf>,
    /// Who this terminal records as (the journal's actor).
    #[arg(long = "as", default_value = "facilitator")]
    pub actor: String,
}

/// What `roundtable generate` writes.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateSpec {
    #[arg(long, default_value_t = 100_000)]
    statements: usize,
    #[arg(long, default_value_t = 1_000)]
    rounds: usize,
    #[arg(long, default_value_t = 500)]
    concepts: usize,
    /// Pad the journal to at least this many records.
    #[arg(long, default_value_t = 0)]
    records: usize,
    /// Leave the last stage running and its last vote open.
    #[arg(long)]
    live: bool,
    /// Write the snapshot this many records before the journal's head.
    #[arg(long, default_value_t = 0)]
    after_snapshot: usize,
}

impl From<GenerateSpec> for crate::ops::generate::Spec {
    fn from(g: GenerateSpec) -> Self {
        crate::ops::generate::Spec {
            statements: g.statements,
            rounds: g.rounds,
            concepts: g.concepts,
            records: g.records,
            live: g.live,
            after_snapshot: g.after_snapshot,
        }
    }
}
