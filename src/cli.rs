//! The command line.

use crate::demo;
use crate::domain::{Event, InterpretationStatus, Session, Timestamp};
use crate::store::template::{self, list_templates, load_participants, load_template};
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
    /// Writing the output failed (for instance a closed pipe).
    #[error("cannot write output: {0}")]
    Output(#[from] io::Error),
    /// A problem already worded for the user.
    #[error("{0}")]
    Message(String),
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

/// Finds a session by path or by folder name under the sessions folder.
pub fn resolve(sessions: &Path, name: &str) -> Result<PathBuf, StoreError> {
    let direct = PathBuf::from(name);
    if direct.join(store::journal::JOURNAL).exists() {
        return Ok(direct);
    }
    let dir = sessions.join(name);
    if dir.join(store::journal::JOURNAL).exists() {
        return Ok(dir);
    }
    Err(StoreError::Invalid {
        path: dir,
        reason: format!(
            "there is no session `{name}` here (no journal.ron); `roundtable list` shows the sessions in {}",
            sessions.display()
        ),
    })
}

pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp::from_unix_millis(ms)
}

/// A folder name from a date and a title: `2026-03-14-cag-findings`.
pub fn slug(date: &str, title: &str) -> String {
    let mut s = String::from(date);
    let mut dash = true;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if dash {
                s.push('-');
            }
            s.push(c);
            dash = false;
        } else {
            dash = true;
        }
        if s.len() >= 60 {
            break;
        }
    }
    s
}

/// Runs a command; the error is a message for the user. Returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Failure> {
    let Some(command) = cli.command else {
        need_terminal("roundtable")?;
        return crate::picker::run(&cli.sessions, out);
    };
    match command {
        Command::DebugHost { session, lan } => {
            let dir = resolve(&cli.sessions, &session)?;
            let (writer, _) = Writer::open(&dir, now())?;
            crate::tui::host_headless(writer, lan)?;
            Ok(0)
        }
        Command::DebugJoin {
            target,
            code,
            name,
            outbox,
        } => {
            let (target, _) = join_target(&cli.sessions, &target, code)?;
            crate::tui::join_headless(crate::net::client::JoinOptions {
                target,
                name,
                role: crate::net::wire::Role::NoteTaker,
                outbox,
            })?;
            Ok(0)
        }
        Command::Join {
            target,
            code,
            name,
            viewer,
            outbox,
            theme,
            keymap,
        } => {
            let look = Look {
                theme,
                keymap,
                actor: name.clone(),
            };
            let keymap = load_keymap(&look)?;
            let (target, label) = join_target(&cli.sessions, &target, code)?;
            let outbox = outbox.unwrap_or_else(|| default_outbox(&label, &name));
            need_terminal("roundtable join")?;
            crate::tui::join(
                crate::net::client::JoinOptions {
                    target,
                    name,
                    role: if viewer {
                        crate::net::wire::Role::Viewer
                    } else {
                        crate::net::wire::Role::NoteTaker
                    },
                    outbox,
                },
                crate::tui::JoinScreen {
                    theme: crate::ui::Theme::new(look.theme),
                    keymap,
                },
            )?;
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
            let keymap = load_keymap(&look)?;
            let dir = match (session, demo) {
                (_, true) => {
                    need_terminal("roundtable run")?;
                    rehearsal(&cli.sessions, out)?
                }
                (Some(name), false) => resolve(&cli.sessions, &name)?,
                (None, false) => {
                    need_terminal("roundtable")?;
                    return crate::picker::run(&cli.sessions, out);
                }
            };
            let (writer, warnings) = Writer::open(&dir, now())?;
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
            let spec = NewSession {
                template: &template,
                title: &title,
                focus: &focus,
                facilitator: &facilitator,
                participants: people,
            };
            let (dir, w, t) = new_session(&cli.sessions, spec, None)?;
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
            let sessions = summary::list_sessions(&cli.sessions)?;
            if sessions.is_empty() {
                writeln!(out, "No sessions in {}.", cli.sessions.display())?;
            }
            for line in sessions {
                writeln!(out, "{line}")?;
            }
            Ok(0)
        }
        Command::Verify { session } => {
            let dir = resolve(&cli.sessions, &session)?;
            let v = store::verify(&dir)?;
            for n in &v.notes {
                writeln!(out, "note: {n}")?;
            }
            match v.failure {
                None if v.snapshot_mismatch.is_some() => {
                    let why = v.snapshot_mismatch.unwrap_or_default();
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
                None => {
                    writeln!(
                        out,
                        "ok: {} — {} records, head hash {}",
                        dir.display(),
                        v.records,
                        v.head
                    )?;
                    Ok(0)
                }
                Some(p) => {
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
        Command::Templates => {
            for (name, t) in list_templates(&cli.sessions)? {
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
        Command::Show { session } => {
            let dir = resolve(&cli.sessions, &session)?;
            let r = store::open_read_only(&dir)?;
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
        Command::Export {
            session,
            format,
            out: dest,
            names,
        } => {
            let dir = resolve(&cli.sessions, &session)?;
            for path in export(&dir, format, dest, names, err)? {
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
            let keymap = load_keymap(&look)?;
            let (writer, warnings, loaded) =
                open_workspace(&cli.sessions, &sources, into, title, focus, &look.actor)?;
            run_tui(writer, warnings, look, keymap, loaded, None)
        }
        Command::Review { session, theme } => {
            need_terminal("roundtable review")?;
            let dir = match session {
                Some(name) => Some(resolve(&cli.sessions, &name)?),
                None => None,
            };
            crate::review::run(&cli.sessions, dir, crate::ui::Theme::new(theme))?;
            Ok(0)
        }
        Command::DebugAppend { session } => {
            let dir = resolve(&cli.sessions, &session)?;
            let (mut w, _) = Writer::open(&dir, now())?;
            w.snapshot_every = 0;
            loop {
                let n = w.session().statements.len() + 1;
                let event = Event::StatementAdded {
                    id: crate::domain::StatementId::new(format!("st{n}")),
                    kind: crate::domain::StatementKind::Quote,
                    speaker: crate::domain::Speaker::Group,
                    stage: None,
                    text: format!("statement {n}, written as fast as the disk allows"),
                    tags: Vec::new(),
                    captured_by: "crash-test".into(),
                    at: now(),
                };
                let c = w.record("crash-test", now(), &event)?;
                writeln!(out, "{} st{n}", c.seq)?;
                out.flush()?;
            }
        }
        Command::Generate {
            out: dest,
            statements,
            rounds,
            concepts,
            records,
        } => {
            let start = std::time::Instant::now();
            let g = crate::generate::write(
                &dest,
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
        Command::Demo { out: dest } => {
            let dir = dest.unwrap_or_else(|| cli.sessions.join(demo::EXAMPLE));
            let w = demo::write_example(&dir)?;
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

/// Opens `dir` for writing and runs the live screens on it.
pub fn run_live(dir: &Path, look: Look) -> Result<i32, Failure> {
    need_terminal("roundtable run")?;
    let keymap = load_keymap(&look)?;
    let (writer, warnings) = Writer::open(dir, now())?;
    run_tui(writer, warnings, look, keymap, Vec::new(), None)
}

/// The user's key bindings (`--keymap`, or the config folder's `keymap.ron`).
fn load_keymap(look: &Look) -> Result<crate::app::keymap::Keymap, Failure> {
    let path = look
        .keymap
        .clone()
        .or_else(crate::app::keymap::default_path);
    // The message already names the file and line.
    crate::app::keymap::Keymap::load(path.as_deref()).map_err(Failure::Message)
}

/// Where `join` connects: a local session's socket, or HOST:PORT with a
/// code. Also what to call it in the outbox file's name.
fn join_target(
    sessions: &Path,
    target: &str,
    code: Option<String>,
) -> Result<(crate::net::client::Target, String), Failure> {
    use crate::net::client::Target;
    if let Ok(dir) = resolve(sessions, target) {
        let socket = dir.join(crate::net::host::SOCKET);
        if code.is_some() {
            return Err(Failure::Message(
                "--code is for joining another laptop (HOST:PORT); a session on this computer needs none".into(),
            ));
        }
        if !socket.exists() {
            return Err(Failure::Message(format!(
                "{} is not running (there is no {}); start it with `roundtable run` first",
                dir.display(),
                socket.display()
            )));
        }
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        return Ok((Target::Unix(socket), name.unwrap_or_default()));
    }
    match code {
        Some(code) if target.contains(':') => Ok((
            Target::Tcp {
                addr: target.to_owned(),
                code,
            },
            target.to_owned(),
        )),
        Some(_) => Err(Failure::Message(format!(
            "`{target}` is neither a session here nor HOST:PORT"
        ))),
        None => Err(Failure::Message(format!(
            "there is no session `{target}` here; to join another laptop give HOST:PORT and --code"
        ))),
    }
}

/// `~/.local/state/roundtable/outbox-TARGET-NAME.ron` (or under $XDG_STATE_HOME).
fn default_outbox(target: &str, name: &str) -> PathBuf {
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(std::env::temp_dir);
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    base.join("roundtable")
        .join(format!("outbox-{}-{}.ron", safe(target), safe(name)))
}

/// The full-screen commands need a terminal on both ends.
pub fn need_terminal(command: &str) -> Result<(), Failure> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(Failure::Message(format!(
            "`{command}` is full-screen and needs a terminal; its input or output is redirected. \
             `list`, `show`, `verify` and `export` work without one."
        )))
    }
}

/// Runs the live screens on an open session (or workspace, with `sources`).
fn run_tui(
    writer: Writer,
    warnings: Vec<String>,
    look: Look,
    keymap: crate::app::keymap::Keymap,
    sources: Vec<crate::app::synthesis::Source>,
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
    )?;
    Ok(0)
}

/// What a new session starts with.
pub struct NewSession<'a> {
    pub template: &'a str,
    pub title: &'a str,
    pub focus: &'a str,
    pub facilitator: &'a str,
    pub participants: Vec<crate::domain::Participant>,
}

/// Creates a session folder from a template: `SessionCreated`, the stages,
/// the participants. The folder is named from the date and the title unless
/// `folder` says otherwise.
pub fn new_session(
    sessions: &Path,
    spec: NewSession,
    folder: Option<String>,
) -> Result<(PathBuf, Writer, template::Template), Failure> {
    let path = template::template_path(sessions, spec.template);
    if !path.exists() {
        let known: Vec<String> = list_templates(sessions)?
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        return Err(Failure::Store(StoreError::Invalid {
            path,
            reason: format!("no such template; known templates: {}", known.join(", ")),
        }));
    }
    let t = load_template(&path)?;
    let now = now();
    let mut events = vec![Event::SessionCreated {
        title: spec.title.to_owned(),
        focus: spec.focus.to_owned(),
        facilitator: spec.facilitator.to_owned(),
        created: now,
        template: Some(spec.template.to_owned()),
    }];
    events.extend(t.stage_events());
    events.extend(
        spec.participants
            .into_iter()
            .map(|participant| Event::ParticipantAdded { participant }),
    );
    let dir = sessions.join(folder.unwrap_or_else(|| slug(&now.date(), spec.title)));
    let w = Writer::create(&dir, "facilitator", now, &events)?;
    w.snapshot()?;
    Ok((dir, w, t))
}

/// A fresh session from the CAG template with eight demo participants, so a
/// workshop can be tried without touching the shipped example.
fn rehearsal(sessions: &Path, out: &mut dyn Write) -> Result<PathBuf, Failure> {
    use crate::domain::{Participant, ParticipantId, Role};
    let roles = [
        Role::ServiceUser,
        Role::ServiceUser,
        Role::UnpaidCarer,
        Role::UnpaidCarer,
        Role::Staff,
        Role::Staff,
        Role::Volunteer,
        Role::CommunityRepresentative,
    ];
    let participants = roles
        .into_iter()
        .enumerate()
        .map(|(i, role)| Participant {
            id: ParticipantId::new(format!("P{}", i + 1)),
            role,
            sector: None,
            level: None,
            real_name: None,
            consent: true,
        })
        .collect();
    let base = slug(&now().date(), "rehearsal");
    let mut folder = base.clone();
    let mut n = 1;
    while sessions.join(&folder).exists() {
        n += 1;
        folder = format!("{base}-{n}");
    }
    let spec = NewSession {
        template: "cag-roundtable",
        title: "Rehearsal: CAG roundtable",
        focus: "What do our early findings about leaving hospital with dementia mean to the people who live it?",
        facilitator: "facilitator",
        participants,
    };
    let (dir, w, _) = new_session(sessions, spec, Some(folder))?;
    drop(w);
    writeln!(out, "Created {} for a rehearsal.", dir.display())?;
    Ok(dir)
}

/// Writes an export of the session in `dir`; returns the files written.
/// Every file is written atomically; the journal is only read.
pub fn export(
    dir: &Path,
    format: Format,
    dest: Option<PathBuf>,
    names: bool,
    err: &mut dyn Write,
) -> Result<Vec<PathBuf>, Failure> {
    use crate::export::{Privacy, Source, csv, html, markdown, qdpx, report};
    use crate::store::fsutil::write_atomic;
    let r = store::open_read_only(dir)?;
    for w in &r.warnings {
        writeln!(err, "warning: {w}")?;
    }
    if let Some(d) = &r.damage {
        writeln!(
            err,
            "warning: {d}\nExporting the session up to record {}.",
            r.records
        )?;
    }
    let src = Source::from_read_only(&r);
    let privacy = Privacy { names };
    let exports = dir.join("exports");
    // `--out` may name a file, or a folder (one that exists, or any path
    // ending in `/`) to put the usual file names in.
    let into_folder = dest.as_ref().is_some_and(|d| {
        d.is_dir()
            || d.as_os_str()
                .to_string_lossy()
                .ends_with(std::path::MAIN_SEPARATOR)
    });
    let file = |ext: &str| {
        let name = format!("{}.{ext}", src.name);
        match &dest {
            Some(d) if into_folder => d.join(name),
            Some(d) => d.clone(),
            None => exports.join(name),
        }
    };
    let ensure_parent = |p: &Path| -> Result<(), Failure> {
        if let Some(parent) = p.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::store::fsutil::create_private_dir_all(parent)?;
        }
        Ok(())
    };
    let outputs: Vec<(PathBuf, Vec<u8>)> = match format {
        Format::Md => vec![(
            file("md"),
            markdown::render(&report::build(&src, privacy)).into_bytes(),
        )],
        Format::Html => vec![(
            file("html"),
            html::render(&report::build(&src, privacy)).into_bytes(),
        )],
        Format::Qdpx => vec![(file("qdpx"), qdpx::archive(&src, privacy)?)],
        Format::Csv => {
            let folder = dest.clone().unwrap_or_else(|| exports.join("csv"));
            vec![
                (
                    folder.join("statements.csv"),
                    csv::statements(&r.session, privacy).into_bytes(),
                ),
                (
                    folder.join("ballots.csv"),
                    csv::ballots(&r.session).into_bytes(),
                ),
                (
                    folder.join("stages.csv"),
                    csv::stages(&r.session).into_bytes(),
                ),
            ]
        }
    };
    let mut written = Vec::new();
    for (path, bytes) in outputs {
        ensure_parent(&path)?;
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Opens (or creates) a cross-session workspace over `sources`: its own
/// folder and journal, with each source recorded by `SourceAdded` and loaded
/// read-only. Sources are never written.
pub fn open_workspace(
    sessions: &Path,
    sources: &[String],
    into: Option<String>,
    title: Option<String>,
    focus: Option<String>,
    actor: &str,
) -> Result<(Writer, Vec<String>, Vec<crate::app::synthesis::Source>), Failure> {
    let mut dirs = Vec::new();
    for name in sources {
        dirs.push(resolve(sessions, name)?);
    }
    let folder_name = |d: &PathBuf| {
        d.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let default_name = match dirs.len() {
        1 => format!("synthesis-{}", folder_name(&dirs[0])),
        n => format!("synthesis-{}-and-{}-more", folder_name(&dirs[0]), n - 1),
    };
    let dir = sessions.join(into.unwrap_or(default_name));
    let now = now();
    let (mut writer, warnings) = if dir.join(store::journal::JOURNAL).exists() {
        Writer::open(&dir, now)?
    } else {
        let mut titles = Vec::new();
        for d in &dirs {
            titles.push(store::open_read_only(d)?.session.title().to_owned());
        }
        let created = Event::SessionCreated {
            title: title.unwrap_or_else(|| {
                format!("Cross-case synthesis: {}", titles.join(" · "))
                    .chars()
                    .take(300)
                    .collect()
            }),
            focus: focus.unwrap_or_else(|| "What do these sessions say together?".into()),
            facilitator: actor.to_owned(),
            created: now,
            template: None,
        };
        (Writer::create(&dir, actor, now, &[created])?, Vec::new())
    };
    // Each source not yet in the workspace is added under the next free key.
    for d in &dirs {
        let name = folder_name(d);
        if writer.session().sources.values().any(|s| s.session == name) {
            continue;
        }
        let r = store::open_read_only(d)?;
        let key = (b'A'..=b'Z')
            .map(|c| (c as char).to_string())
            .find(|k| !writer.session().sources.contains_key(k))
            .ok_or_else(|| StoreError::Invalid {
                path: dir.clone(),
                reason: "a workspace takes at most 26 sources".into(),
            })?;
        let event = Event::SourceAdded {
            key,
            session: name,
            title: r.session.title().to_owned(),
            head: r.head.clone(),
            statements: r.session.statements.keys().cloned().collect(),
        };
        writer.record(actor, now, &event)?;
    }
    let mut loaded = Vec::new();
    for (key, src) in &writer.session().sources {
        let r = store::open_read_only(&sessions.join(&src.session))?;
        loaded.push(crate::app::synthesis::Source {
            key: key.clone(),
            session: r.session,
        });
    }
    Ok((writer, warnings, loaded))
}
