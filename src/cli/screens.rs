//! The full-screen commands: run, join, synthesise, review and the picker.

use super::Failure;
use super::args::{Command, Look};
use crate::ops;
use crate::store::Writer;
use crate::ui::ThemeName;
use std::io::Write;
use std::path::Path;

/// Runs one of the full-screen commands.
pub(super) fn run(sessions: &Path, command: Command, out: &mut dyn Write) -> Result<i32, Failure> {
    match command {
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
            phones,
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
            let listen = crate::live::Listen { lan, phones };
            run_tui(writer, warnings, look, keymap, Vec::new(), listen)
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
            run_tui(writer, warnings, look, keymap, loaded, Default::default())
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
        // `run` sends the others elsewhere.
        _ => Ok(2),
    }
}

/// The picker (`roundtable` alone): choose or create a session, then run it.
pub(super) fn pick_and_run(sessions: &Path, out: &mut dyn Write) -> Result<i32, Failure> {
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
    run_tui(
        writer,
        warnings,
        look,
        keymap,
        Vec::new(),
        Default::default(),
    )
}

/// The user's key bindings (`--keymap`, or the config folder's `keymap.ron`).
pub(super) fn load_keymap(path: Option<&Path>) -> Result<crate::app::keymap::Keymap, Failure> {
    let path = path
        .map(Path::to_owned)
        .or_else(crate::app::keymap::default_path);
    // The message already names the file and line.
    Ok(crate::app::keymap::Keymap::load(path.as_deref())?)
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
    listen: crate::live::Listen,
) -> Result<i32, Failure> {
    crate::tui::run(
        writer,
        crate::tui::Options {
            theme: crate::ui::Theme::new(look.theme),
            actor: look.actor,
            keymap,
            warnings,
            sources,
            listen,
        },
    )
    .map_err(Failure::Screen)?;
    Ok(0)
}
