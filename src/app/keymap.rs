//! Key bindings as data, built from the action table ([`super::actions`])
//! and the user's `keymap.ron`: which key does what in which layer.

pub use super::actions::{Action, Layer};
pub use super::keys::Key;
use serde::Deserialize;
use std::path::Path;

/// Before the layers had their name: `screen:` in `keymap.ron`.
pub type Context = Layer;

/// Why a `keymap.ron` cannot be used; each names the file (and the line).
#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("{0}")]
    Read(#[from] crate::store::StoreError),
    #[error("{} line {line}: not valid UTF-8", file.display())]
    NotUtf8 {
        file: std::path::PathBuf,
        line: usize,
    },
    /// A binding that does not parse: the line and why.
    #[error("{} {reason}", file.display())]
    Bad {
        file: std::path::PathBuf,
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub layer: Layer,
    pub key: Key,
    pub action: Action,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

/// One line of `keymap.ron`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Override {
    #[serde(alias = "layer")]
    screen: Layer,
    key: String,
    action: Action,
}

impl Default for Keymap {
    /// Every default key of every action, in the table's order. The table's
    /// keys are fixed text, checked by a test to parse.
    fn default() -> Self {
        let mut bindings = Vec::new();
        for d in super::actions::ACTIONS {
            for (layer, text) in d.keys {
                let Ok(key) = Key::parse(text) else { continue };
                match (d.family, key.code) {
                    (Some(n), crossterm::event::KeyCode::Char(first)) => {
                        for i in 0..n {
                            let c = char::from_u32(first as u32 + u32::from(i)).unwrap_or(first);
                            bindings.push(Binding {
                                layer: *layer,
                                key: Key::new(crossterm::event::KeyCode::Char(c), key.mods),
                                action: member(d.action, i + 1),
                            });
                        }
                    }
                    _ => bindings.push(Binding {
                        layer: *layer,
                        key,
                        action: d.action,
                    }),
                }
            }
        }
        Keymap { bindings }
    }
}

/// The `n`th member of a family (`Choice(n)`), or the action itself.
fn member(action: Action, n: u8) -> Action {
    match action {
        Action::Choice(_) => Action::Choice(n),
        Action::View(_) => Action::View(n),
        other => other,
    }
}

impl Keymap {
    /// What `key` does in a layer: its own binding first, then (on the five
    /// screens) a global one.
    /// Keeps only the bindings of actions `seat` may use: the hints, the
    /// help overlay and the keys themselves then show and do only that.
    pub fn for_seat(mut self, seat: super::actions::Seat) -> Self {
        self.bindings.retain(|b| b.action.allowed(seat));
        self
    }

    pub fn action(&self, layer: Layer, key: Key) -> Option<Action> {
        let find = |l| {
            self.bindings
                .iter()
                .find(|b| b.layer == l && b.key == key)
                .map(|b| b.action)
        };
        find(layer).or_else(|| layer.is_screen().then(|| find(Layer::Global)).flatten())
    }

    /// The first key bound to `action` in a layer (or globally, on a screen).
    pub fn key_for(&self, layer: Layer, action: Action) -> Option<Key> {
        let find = |l| {
            self.bindings
                .iter()
                .find(|b| b.layer == l && b.action == action)
                .map(|b| b.key)
        };
        find(layer).or_else(|| layer.is_screen().then(|| find(Layer::Global)).flatten())
    }

    /// Every binding that applies in a layer, its own first.
    pub fn for_layer(&self, layer: Layer) -> Vec<&Binding> {
        let own = self.bindings.iter().filter(|b| b.layer == layer);
        let global = self.bindings.iter().filter(|b| {
            layer.is_screen()
                && b.layer == Layer::Global
                && !self
                    .bindings
                    .iter()
                    .any(|o| o.layer == layer && o.key == b.key)
        });
        own.chain(global).collect()
    }

    /// How a hint shows an action's keys in a layer: its first key, or for
    /// a family its first and last (`1-9`).
    pub fn shown(&self, layer: Layer, action: Action) -> Option<String> {
        let family = |n: u8| -> Option<String> {
            let first = self.key_for(layer, member(action, 1))?;
            let last = self.key_for(layer, member(action, n))?;
            Some(format!("{first}-{last}"))
        };
        match (action, super::actions::def(action).and_then(|d| d.family)) {
            (Action::Choice(_) | Action::View(_), Some(n)) => family(n),
            _ => self.key_for(layer, action).map(|k| k.to_string()),
        }
    }

    /// Every key of an action in a layer, as a dialog shows them: `r / Enter`
    /// (an upper-case letter bound beside its lower case is left out).
    pub fn shown_all(&self, layer: Layer, action: Action) -> String {
        use crossterm::event::KeyCode;
        let keys: Vec<Key> = self
            .bindings
            .iter()
            .filter(|b| b.layer == layer && b.action == action)
            .map(|b| b.key)
            .collect();
        let mut shown: Vec<String> = Vec::new();
        for k in &keys {
            let lower_too = matches!(k.code, KeyCode::Char(c) if c.is_uppercase()
                && keys.iter().any(|o| o.code == KeyCode::Char(c.to_ascii_lowercase())));
            let text = k.to_string();
            if !lower_too && !shown.contains(&text) {
                shown.push(text);
            }
        }
        shown.join(" / ")
    }

    /// `template` with each `{Action}` replaced by its key in `layer`: the
    /// words on screen name the keys that really do it (`{Commit} saves` →
    /// `Enter saves`). A name that is not an action is left as it is.
    pub fn fill(&self, layer: Layer, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                rest = &rest[open..];
                break;
            };
            let name = &after[..close];
            let action = super::actions::ACTIONS
                .iter()
                .map(|d| d.action)
                .find(|a| format!("{a:?}").split('(').next() == Some(name));
            match action.and_then(|a| self.shown(layer, a)) {
                Some(keys) => out.push_str(&keys),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Applies overrides from RON text: each moves an action to a new key in
    /// a layer, replacing what that key did there.
    pub fn apply_overrides(&mut self, text: &str) -> Result<(), String> {
        let list: Vec<Override> = crate::store::ron_text::parse_ron(text)
            .map_err(|p| format!("line {}, column {}: {}", p.line, p.col, p.reason))?;
        for o in list {
            let key = Key::parse(&o.key).map_err(|e| {
                format!(
                    "line {}: {e}",
                    crate::store::limits::line_of(text, &format!("{:?}", o.key))
                )
            })?;
            self.bindings
                .retain(|b| !(b.layer == o.screen && (b.action == o.action || b.key == key)));
            self.bindings.push(Binding {
                layer: o.screen,
                key,
                action: o.action,
            });
        }
        Ok(())
    }

    /// The default keymap with the user's `keymap.ron`, if there is one.
    pub fn load(path: Option<&Path>) -> Result<Self, KeymapError> {
        let mut map = Keymap::default();
        let Some(path) = path else { return Ok(map) };
        if !path.exists() {
            return Ok(map);
        }
        let bytes = crate::store::fsutil::read_capped(path, crate::store::limits::MAX_SMALL_FILE)?;
        let text =
            crate::store::limits::utf8_or_line(&bytes).map_err(|line| KeymapError::NotUtf8 {
                file: path.to_owned(),
                line,
            })?;
        map.apply_overrides(text).map_err(|e| KeymapError::Bad {
            file: path.to_owned(),
            reason: crate::store::limits::shorten_quotes(&e),
        })?;
        Ok(map)
    }
}

/// `$XDG_CONFIG_HOME/roundtable/keymap.ron`, else
/// `~/.config/roundtable/keymap.ron` (on Windows,
/// `%APPDATA%\roundtable\keymap.ron`).
pub fn default_path() -> Option<std::path::PathBuf> {
    Some(
        crate::os::config_home()?
            .join("roundtable")
            .join("keymap.ron"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::actions::ACTIONS;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn every_default_key_in_the_table_parses() {
        for d in ACTIONS {
            for (layer, text) in d.keys {
                assert!(
                    Key::parse(text).is_ok(),
                    "{:?} in {layer:?}: `{text}`",
                    d.action
                );
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_layer() {
        let map = Keymap::default();
        for (i, a) in map.bindings.iter().enumerate() {
            for b in &map.bindings[i + 1..] {
                assert!(
                    !(a.layer == b.layer && a.key == b.key),
                    "{} is bound to both {:?} and {:?} in {:?}",
                    a.key,
                    a.action,
                    b.action,
                    a.layer
                );
            }
        }
    }

    #[test]
    fn every_action_is_reachable_by_some_key() {
        let map = Keymap::default();
        for d in ACTIONS {
            let n = d.family.unwrap_or(1);
            for i in 1..=n {
                let a = member(d.action, i);
                assert!(
                    map.bindings.iter().any(|b| b.action == a),
                    "{a:?} has no key"
                );
            }
        }
        assert_eq!(
            ACTIONS.len(),
            {
                let mut seen = std::collections::HashSet::new();
                ACTIONS.iter().filter(|d| seen.insert(d.action)).count()
            },
            "an action is declared twice"
        );
    }

    #[test]
    fn a_screen_binding_wins_over_a_global_one() {
        let map = Keymap::default();
        assert_eq!(
            map.action(Layer::Capture, Key::plain(KeyCode::Tab)),
            Some(Action::NextSpeaker)
        );
        assert_eq!(
            map.action(Layer::Projector, Key::plain(KeyCode::Tab)),
            Some(Action::NextScreen)
        );
        assert_eq!(
            map.action(Layer::Capture, Key::ctrl('q')),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action(Layer::Capture, Key::ch('q')),
            None,
            "letters are typed on the capture screen"
        );
        assert_eq!(
            map.action(Layer::Projector, Key::ch('q')),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action(Layer::Prompt, Key::ctrl('n')),
            None,
            "global keys belong to the screens, not to a prompt being typed"
        );
    }

    #[test]
    fn shifted_characters_match_their_binding() {
        let e = KeyEvent::new(KeyCode::Char('+'), KeyModifiers::SHIFT);
        assert_eq!(
            Keymap::default().action(Layer::Projector, Key::from_event(&e)),
            Some(Action::Extend1)
        );
        let e = KeyEvent::new(
            KeyCode::Char('Q'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::from_event(&e), Key::ctrl('q'));
    }

    #[test]
    fn families_bind_consecutive_digits() {
        let map = Keymap::default();
        assert_eq!(
            map.action(Layer::Vote, Key::ch('7')),
            Some(Action::Choice(7))
        );
        assert_eq!(
            map.action(Layer::ReviewSession, Key::ch('7')),
            Some(Action::View(7))
        );
        assert_eq!(map.action(Layer::ReviewSession, Key::ch('8')), None);
        assert_eq!(
            map.shown(Layer::Vote, Action::Choice(1)).as_deref(),
            Some("1-9")
        );
    }

    #[test]
    fn overrides_move_an_action_and_free_its_old_key() {
        let mut map = Keymap::default();
        map.apply_overrides("[(screen: Projector, key: \"x\", action: StartStage)]")
            .unwrap();
        assert_eq!(
            map.action(Layer::Projector, Key::ch('x')),
            Some(Action::StartStage)
        );
        assert_eq!(map.action(Layer::Projector, Key::ch('s')), None);
        assert_eq!(
            map.action(Layer::Agenda, Key::ch('s')),
            Some(Action::StartStage),
            "other screens keep theirs"
        );
        assert_eq!(
            map.key_for(Layer::Projector, Action::StartStage),
            Some(Key::ch('x'))
        );
    }

    #[test]
    fn overrides_work_in_overlays_and_the_review_too() {
        let mut map = Keymap::default();
        map.apply_overrides(
            "[(layer: Confirm, key: \"j\", action: Confirm), (screen: ReviewSession, key: \"l\", action: ScrubForward)]",
        )
        .unwrap();
        assert_eq!(
            map.action(Layer::Confirm, Key::ch('j')),
            Some(Action::Confirm)
        );
        assert_eq!(map.action(Layer::Confirm, Key::ch('y')), None);
        assert_eq!(
            map.action(Layer::ReviewSession, Key::ch('l')),
            Some(Action::ScrubForward)
        );
    }

    #[test]
    fn words_on_screen_name_the_keys_that_do_it() {
        let mut map = Keymap::default();
        assert_eq!(
            map.fill(
                Layer::Capture,
                " {Commit} saves, {NewLine} new line · {Nothing} "
            ),
            " Enter saves, alt-Enter new line · {Nothing} "
        );
        assert_eq!(map.shown_all(Layer::Quitting, Action::Rescue), "r / Enter");
        map.apply_overrides("[(screen: Capture, key: \"ctrl-s\", action: Commit)]")
            .unwrap();
        assert_eq!(map.fill(Layer::Capture, "{Commit} saves"), "^S saves");
    }

    #[test]
    fn bad_keymap_files_say_where() {
        let mut map = Keymap::default();
        let err = map
            .apply_overrides("[\n(screen: Projector, key: \"x\", action: Dance)]")
            .unwrap_err();
        assert!(err.starts_with("line 2, column"), "{err}");
        let err = map
            .apply_overrides("[(screen: Projector, key: \"hyper-x\", action: Quit)]")
            .unwrap_err();
        assert!(err.contains("not a key"), "{err}");
        let err = map.apply_overrides(&"[".repeat(10_000)).unwrap_err();
        assert!(err.contains("nested"), "{err}");
    }
}
