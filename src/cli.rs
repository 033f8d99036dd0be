//! The command line: arguments in, text out. What each command does lives
//! in `ops` (shared with the picker and the live screens), `tui` (the
//! full-screen programs) and `summary` (the plain-text account of a session).

use crate::domain::{InterpretationStatus, Session};
use crate::ops::{self, OpsError};
use crate::store::template::{list_templates, load_participants};
use crate::store::{self, StoreError, Writer};
use crate::summary;
use crate::ui::ThemeName;
use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Ops(#[from] OpsError),
    /// Writing the output failed (for instance a closed pipe).
    #[error("cannot write output: {0}")]
    Output(#[from] io::Error),
    /// The full-screen program could not run, or stopped on an error.
    #[error("{0}")]
    Screen(io::Error),
    /// A keymap file that cannot be used; the message names the file and line.
    #[error("{0}")]
    Keymap(String),
    #[error(
        "`{0}` is full-screen and needs a terminal; its input or output is redirected. \
         `list`, `show`, `verify` and `export` work without one."
    )]
    NeedsTerminal(&'static str),
}

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
        /// A RON list of participants: [(id: "P1", role: ServiceUser, consent: true), ...]
        #[arg(long)]
        participants: Option<PathBuf>,
        #[arg(long, default_value = "facilitator")]
        facilitator: String,
    },
    /// List sessions: date, title, focus and counts.
    List,
    /// Check every record of a session's journal; exit non-zero on failure.
    Verify { session: String },
    /// List agenda templates.
    Templates,
    /// Every key in every layer (with your keymap.ron's changes).
    Keys {
        /// Key bindings to override [default: ~/.config/roundtable/keymap.ron].
        #[arg(long)]
        keymap: Option<PathBuf>,
    },
    /// Print a session: agenda planned and actual, statements, votes, interpretations.
    Show { session: String },
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
    /// For crash tests: append statements as fast as possible, printing each
    /// committed sequence number only after it is synced.
    #[command(hide = true)]
    DebugAppend { session: String },
    /// For network tests: host a session with no screens until killed.
    #[command(hide = true)]
    DebugHost {
        session: String,
        #[arg(long)]
        lan: Option<std::net::SocketAddr>,
    },
    /// For network tests: join with no screens, proposing `ID TEXT` lines from stdin.
    #[command(hide = true)]
    DebugJoin {
        target: String,
        #[arg(long)]
        code: Option<String>,
        #[arg(long = "as")]
        name: String,
        #[arg(long)]
        outbox: PathBuf,
    },
    /// Write a large generated session (for benchmarks).
    #[command(hide = true)]
    Generate {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        statements: usize,
        #[arg(long, default_value_t = 1_000)]
        rounds: usize,
        #[arg(long, default_value_t = 500)]
        concepts: usize,
        /// Pad the journal to at least this many records.
        #[arg(long, default_value_t = 0)]
        records: usize,
    },
    /// Write the example session (used to build the shipped example).
    Demo {
        /// Folder to write it to [default: SESSIONS/2026-03-14-cag-findings].
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Html,
    Csv,
    Qdpx,
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

impl From<Format> for ops::export::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Md => ops::export::Format::Md,
            Format::Html => ops::export::Format::Html,
            Format::Csv => ops::export::Format::Csv,
            Format::Qdpx => ops::export::Format::Qdpx,
        }
    }
}

/// Runs a command; the error is a message for the user. Returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Failure> {
    let sessions = &cli.sessions;
    let Some(command) = cli.command else {
        return pick_and_run(sessions, out);
    };
    match command {
        Command::DebugHost { session, lan } => {
            let dir = ops::locate::resolve(sessions, &session)?;
            let (writer, _) = Writer::open(&dir, ops::locate::now())?;
            crate::tui::host_headless(writer, lan).map_err(Failure::Screen)?;
            Ok(0)
        }
        Command::DebugJoin {
            target,
            code,
            name,
            outbox,
        } => {
            let (target, _) = ops::join::join_target(sessions, &target, code)?;
            crate::tui::join_headless(crate::net::client::JoinOptions {
                target,
                name,
                role: crate::net::wire::Role::NoteTaker,
                outbox,
            })
            .map_err(Failure::Screen)?;
            Ok(0)
        }
        Command::DebugAppend { session } => debug_append(sessions, &session, out),
        Command::Join {
            target,
            code,
            name,
            viewer,
            outbox,
            theme,
            keymap,
        } => {
            let keymap = load_keymap(keymap.as_deref())?;
            let (target, label) = ops::join::join_target(sessions, &target, code)?;
            let outbox = outbox.unwrap_or_else(|| ops::join::default_outbox(&label, &name));
            need_terminal("roundtable join")?;
            let role = if viewer {
                crate::net::wire::Role::Viewer
            } else {
                crate::net::wire::Role::NoteTaker
            };
            crate::tui::join(
                crate::net::client::JoinOptions {
                    target,
                    name,
                    role,
                    outbox,
                },
                crate::tui::JoinScreen {
                    theme: crate::ui::Theme::new(theme),
                    keymap,
                },
            )
            .map_err(Failure::Screen)?;
            Ok(0)
        }
        Command::Run {
            session,
            demo,
            lan,
            look,
        } => {
            // What can fail is checked before anything is created; a session
            // already open elsewhere is reported before a missing terminal.
            let keymap = load_keymap(look.keymap.as_deref())?;
            let dir = match (session, demo) {
                (_, true) => {
                    need_terminal("roundtable run")?;
                    let dir = ops::create::rehearsal(sessions)?;
                    writeln!(out, "Created {} for a rehearsal.", dir.display())?;
                    dir
                }
                (Some(name), false) => ops::locate::resolve(sessions, &name)?,
                (None, false) => return pick_and_run(sessions, out),
            };
            let (writer, warnings) = Writer::open(&dir, ops::locate::now())?;
            need_terminal("roundtable run")?;
            run_tui(writer, warnings, look, keymap, Vec::new(), lan)
        }
        Command::New {
            template,
            title,
            focus,
            participants,
            facilitator,
        } => {
            let people = match participants {
                Some(p) => load_participants(&p)?,
                None => Vec::new(),
            };
            let spec = ops::create::NewSession {
                template: &template,
                title: &title,
                focus: &focus,
                facilitator: &facilitator,
                participants: people,
            };
            let (dir, w, t) = ops::create::new_session(sessions, spec, None)?;
            writeln!(
                out,
                "Created {} ({} stages, {} planned minutes, {} participants).",
                dir.display(),
                t.stages.len(),
                t.planned_minutes(),
                w.session().participants.len()
            )?;
            Ok(0)
        }
        Command::List => {
            let lines = summary::list_sessions(sessions)?;
            if lines.is_empty() {
                writeln!(out, "No sessions in {}.", sessions.display())?;
            }
            for line in lines {
                writeln!(out, "{line}")?;
            }
            Ok(0)
        }
        Command::Verify { session } => verify(&ops::locate::resolve(sessions, &session)?, out),
        Command::Templates => {
            for (name, t) in list_templates(sessions)? {
                match t {
                    Ok(t) => writeln!(
                        out,
                        "{name:<22} {:>3} min, {:>2} stages  {}",
                        t.planned_minutes(),
                        t.stages.len(),
                        t.description
                    )?,
                    Err(e) => writeln!(out, "{name:<22} cannot be used: {e}")?,
                }
            }
            Ok(0)
        }
        Command::Keys { keymap } => {
            let keymap = load_keymap(keymap.as_deref())?;
            write!(out, "{}", crate::app::hints::markdown_table(&keymap))?;
            Ok(0)
        }
        Command::Show { session } => show(&ops::locate::resolve(sessions, &session)?, out, err),
        Command::Export {
            session,
            format,
            out: dest,
            names,
        } => {
            let dir = ops::locate::resolve(sessions, &session)?;
            let done = ops::export::export(&dir, format.into(), dest, names)?;
            for w in &done.warnings {
                writeln!(err, "warning: {w}")?;
            }
            for path in done.files {
                writeln!(out, "Wrote {}", path.display())?;
            }
            Ok(0)
        }
        Command::Synthesise {
            sources,
            into,
            title,
            focus,
            look,
        } => {
            need_terminal("roundtable synthesise")?;
            let keymap = load_keymap(look.keymap.as_deref())?;
            let (writer, warnings, loaded) = ops::workspace::open_workspace(
                sessions,
                &sources,
                into,
                title,
                focus,
                &look.actor,
            )?;
            run_tui(writer, warnings, look, keymap, loaded, None)
        }
        Command::Review { session, theme } => {
            need_terminal("roundtable review")?;
            let dir = match session {
                Some(name) => Some(ops::locate::resolve(sessions, &name)?),
                None => None,
            };
            let keymap = load_keymap(None)?;
            crate::tui::review(sessions, dir, crate::ui::Theme::new(theme), keymap)
                .map_err(Failure::Screen)?;
            Ok(0)
        }
        Command::Generate {
            out: dest,
            statements,
            rounds,
            concepts,
            records,
        } => generate(&dest, statements, rounds, concepts, records, out),
        Command::Demo { out: dest } => {
            let dir = dest.unwrap_or_else(|| sessions.join(crate::demo::EXAMPLE));
            let w = crate::demo::write_example(&dir)?;
            let s: &Session = w.session();
            let agreed = s
                .interpretations
                .values()
                .filter(|i| i.status == InterpretationStatus::Agreed)
                .count();
            writeln!(
                out,
                "Wrote {}: {} records, {} statements, {} vote rounds, {} interpretations ({agreed} agreed).",
                dir.display(),
                w.records(),
                s.statements.len(),
                s.rounds.len(),
                s.interpretations.len()
            )?;
            Ok(0)
        }
    }
}

/// `verify`: every record checked; exit 1 on any failure.
fn verify(dir: &Path, out: &mut dyn Write) -> Result<i32, Failure> {
    let v = store::verify(dir)?;
    for n in &v.notes {
        writeln!(out, "note: {n}")?;
    }
    match (v.failure, v.snapshot_mismatch) {
        (None, Some(why)) => {
            writeln!(out, "FAILED: {}", crate::safe::line(&why))?;
            writeln!(
                out,
                "The journal itself is sound: {} records, head hash {}. \
                 The snapshot is only a cache and is never believed over the journal: \
                 `roundtable run` rewrites it, or delete it.",
                v.records, v.head
            )?;
            Ok(1)
        }
        (None, None) => {
            writeln!(
                out,
                "ok: {} — {} records, head hash {}",
                dir.display(),
                v.records,
                v.head
            )?;
            Ok(0)
        }
        (Some(p), _) => {
            writeln!(out, "FAILED: {p}")?;
            writeln!(
                out,
                "{} records before it are sound; last good hash {}",
                v.records, v.head
            )?;
            Ok(1)
        }
    }
}

/// `show`: a readable account of the session, replayed from its journal.
fn show(dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Failure> {
    let r = store::open_read_only(dir)?;
    for w in &r.warnings {
        writeln!(err, "warning: {w}")?;
    }
    if let Some(d) = &r.damage {
        writeln!(
            err,
            "warning: {d}\nShowing the session up to record {}.",
            r.records
        )?;
    }
    write!(out, "{}", summary::render(&r.session))?;
    writeln!(out, "\n{} records, head hash {}", r.records, r.head)?;
    Ok(0)
}

/// `generate` (hidden): a large session for the benchmarks.
fn generate(
    dest: &Path,
    statements: usize,
    rounds: usize,
    concepts: usize,
    records: usize,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    let start = std::time::Instant::now();
    let g = crate::generate::write(
        dest,
        crate::generate::Spec {
            statements,
            rounds,
            concepts,
            records,
        },
    )?;
    writeln!(
        out,
        "Wrote {}: {} records, {} statements, {} rounds, {} concepts in {:.1} s",
        dest.display(),
        g.records,
        g.session.statements.len(),
        g.session.rounds.len(),
        g.session.concepts.len(),
        start.elapsed().as_secs_f64()
    )?;
    Ok(0)
}

/// `debug-append` (hidden, for the crash tests): statements as fast as the
/// disk allows, each sequence number printed only after its record is synced.
fn debug_append(sessions: &Path, session: &str, out: &mut dyn Write) -> Result<i32, Failure> {
    use crate::domain::{Event, Speaker, StatementId, StatementKind};
    let dir = ops::locate::resolve(sessions, session)?;
    let (mut w, _) = Writer::open(&dir, ops::locate::now())?;
    w.snapshot_every = 0;
    loop {
        let n = w.session().statements.len() + 1;
        let event = Event::StatementAdded {
            id: StatementId::new(format!("st{n}")),
            kind: StatementKind::Quote,
            speaker: Speaker::Group,
            stage: None,
            text: format!("statement {n}, written as fast as the disk allows"),
            tags: Vec::new(),
            captured_by: "crash-test".into(),
            at: ops::locate::now(),
        };
        let c = w.record("crash-test", ops::locate::now(), &event)?;
        writeln!(out, "{} st{n}", c.seq)?;
        out.flush()?;
    }
}

/// The picker (`roundtable` alone): choose or create a session, then run it.
fn pick_and_run(sessions: &Path, out: &mut dyn Write) -> Result<i32, Failure> {
    need_terminal("roundtable")?;
    let keymap = load_keymap(None)?;
    let Some(dir) = crate::tui::pick(sessions, keymap.clone()).map_err(Failure::Screen)? else {
        return Ok(0);
    };
    writeln!(out, "Opening {}", dir.display())?;
    let look = Look {
        theme: ThemeName::HighContrast,
        keymap: None,
        actor: "facilitator".into(),
    };
    let (writer, warnings) = Writer::open(&dir, ops::locate::now())?;
    run_tui(writer, warnings, look, keymap, Vec::new(), None)
}

/// The user's key bindings (`--keymap`, or the config folder's `keymap.ron`).
fn load_keymap(path: Option<&Path>) -> Result<crate::app::keymap::Keymap, Failure> {
    let path = path
        .map(Path::to_owned)
        .or_else(crate::app::keymap::default_path);
    // The message already names the file and line.
    crate::app::keymap::Keymap::load(path.as_deref()).map_err(Failure::Keymap)
}

/// The full-screen commands need a terminal on both ends.
pub fn need_terminal(command: &'static str) -> Result<(), Failure> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(Failure::NeedsTerminal(command))
    }
}

/// Runs the live screens on an open session (or workspace, with `sources`).
fn run_tui(
    writer: Writer,
    warnings: Vec<String>,
    look: Look,
    keymap: crate::app::keymap::Keymap,
    sources: Vec<ops::workspace::Source>,
    lan: Option<std::net::SocketAddr>,
) -> Result<i32, Failure> {
    crate::tui::run(
        writer,
        crate::tui::Options {
            theme: crate::ui::Theme::new(look.theme),
            actor: look.actor,
            keymap,
            warnings,
            sources,
            lan,
        },
    )
    .map_err(Failure::Screen)?;
    Ok(0)
}
