//! Key bindings as data: which key does what on which screen. The help
//! overlay and the status bar are generated from this table, so the hints
//! and the real bindings cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// Where a binding applies. `Global` bindings apply on every screen unless
/// the screen binds the same key itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Context {
    Global,
    Projector,
    Capture,
    Vote,
    Agenda,
    Synthesis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    Quit,
    Help,
    ShowProjector,
    ShowCapture,
    ShowVote,
    ShowAgenda,
    NextScreen,
    Memo,
    StartStage,
    PauseResume,
    Extend1,
    Shorten1,
    Extend5,
    Shorten5,
    NextStage,
    PreviousStage,
    Commit,
    NewLine,
    NextSpeaker,
    PreviousSpeaker,
    GroupSpeaker,
    CycleKind,
    SelectUp,
    SelectDown,
    Amend,
    Retract,
    Cancel,
    Retry,
    CycleMethod,
    CycleTarget,
    ToggleCounted,
    ToggleHidden,
    EditQuestion,
    OpenRound,
    CloseRound,
    Agree,
    Disagree,
    Pass,
    /// 1 to 9: a resonance score, a rung, an option, or a dot on an option.
    Choice(u8),
    ClearBallot,
    CastBallot,
    CycleTallyRole,
    CountUp,
    CountDown,
    ShowSynthesis,
    SwitchPane,
    Mark,
    Filter,
    NewConcept,
    RenameConcept,
    DescribeConcept,
    Link,
    Unlink,
    Merge,
    Split,
    Reciprocal,
    Refutational,
    LineOfArgument,
    Draft,
    ShowGrid,
    ShowInterpretations,
    ToggleAccounts,
    VoteOnInterpretation,
    ResonanceOnInterpretation,
    MarkAgreed,
    SetAside,
    Present,
}

impl Action {
    /// One or two words for the status bar.
    pub fn short(self) -> String {
        match self {
            Action::Quit => "quit".into(),
            Action::Help => "help".into(),
            Action::ShowProjector => "projector".into(),
            Action::ShowCapture => "capture".into(),
            Action::ShowVote => "vote".into(),
            Action::ShowAgenda => "agenda".into(),
            Action::NextScreen => "screen".into(),
            Action::Memo => "memo".into(),
            Action::StartStage => "start".into(),
            Action::PauseResume => "pause".into(),
            Action::Extend1 => "+1m".into(),
            Action::Shorten1 => "−1m".into(),
            Action::Extend5 => "+5m".into(),
            Action::Shorten5 => "−5m".into(),
            Action::NextStage => "next".into(),
            Action::PreviousStage => "back".into(),
            Action::Commit => "save".into(),
            Action::NewLine => "newline".into(),
            Action::NextSpeaker => "speaker".into(),
            Action::PreviousSpeaker => "prev speaker".into(),
            Action::GroupSpeaker => "group".into(),
            Action::CycleKind => "kind".into(),
            Action::SelectUp => "select".into(),
            Action::SelectDown => "select".into(),
            Action::Amend => "amend".into(),
            Action::Retract => "retract".into(),
            Action::Cancel => "cancel".into(),
            Action::Retry => "retry".into(),
            Action::CycleMethod => "method".into(),
            Action::CycleTarget => "target".into(),
            Action::ToggleCounted => "hands".into(),
            Action::ToggleHidden => "hidden".into(),
            Action::EditQuestion => "question".into(),
            Action::OpenRound => "open".into(),
            Action::CloseRound => "close".into(),
            Action::Agree => "agree".into(),
            Action::Disagree => "disagree".into(),
            Action::Pass => "pass".into(),
            Action::Choice(n) => format!("{n}"),
            Action::ClearBallot => "clear".into(),
            Action::CastBallot => "cast".into(),
            Action::CycleTallyRole => "role".into(),
            Action::CountUp => "+1".into(),
            Action::CountDown => "−1".into(),
            Action::ShowSynthesis => "synthesis".into(),
            Action::SwitchPane => "pane".into(),
            Action::Mark => "mark".into(),
            Action::Filter => "filter".into(),
            Action::NewConcept => "new concept".into(),
            Action::RenameConcept => "rename".into(),
            Action::DescribeConcept => "describe".into(),
            Action::Link => "link".into(),
            Action::Unlink => "unlink".into(),
            Action::Merge => "merge".into(),
            Action::Split => "split".into(),
            Action::Reciprocal => "reciprocal".into(),
            Action::Refutational => "refutational".into(),
            Action::LineOfArgument => "line of arg.".into(),
            Action::Draft => "draft".into(),
            Action::ShowGrid => "grid".into(),
            Action::ShowInterpretations => "interpretations".into(),
            Action::ToggleAccounts => "columns".into(),
            Action::VoteOnInterpretation => "agree vote".into(),
            Action::ResonanceOnInterpretation => "resonance vote".into(),
            Action::MarkAgreed => "agreed".into(),
            Action::SetAside => "set aside".into(),
            Action::Present => "project".into(),
        }
    }

    pub fn describe(self) -> String {
        match self {
            Action::Quit => "quit".into(),
            Action::Help => "help: every key".into(),
            Action::ShowProjector => "projector screen".into(),
            Action::ShowCapture => "capture screen".into(),
            Action::ShowVote => "vote screen".into(),
            Action::ShowAgenda => "agenda: planned vs actual".into(),
            Action::NextScreen => "next screen".into(),
            Action::Memo => "memo (process or reflexive note)".into(),
            Action::StartStage => "start the next stage".into(),
            Action::PauseResume => "pause / resume the stage".into(),
            Action::Extend1 => "extend by 1 minute".into(),
            Action::Shorten1 => "shorten by 1 minute".into(),
            Action::Extend5 => "extend by 5 minutes".into(),
            Action::Shorten5 => "shorten by 5 minutes".into(),
            Action::NextStage => "end this stage, go to the next".into(),
            Action::PreviousStage => "end this stage, go back to the previous".into(),
            Action::Commit => "save the statement".into(),
            Action::NewLine => "new line in the statement".into(),
            Action::NextSpeaker => "next speaker".into(),
            Action::PreviousSpeaker => "previous speaker".into(),
            Action::GroupSpeaker => "speaker: the whole group".into(),
            Action::CycleKind => "quote / paraphrase / question / action".into(),
            Action::SelectUp => "select an earlier statement".into(),
            Action::SelectDown => "select a later statement".into(),
            Action::Amend => "amend the selected statement".into(),
            Action::Retract => "retract the selected statement".into(),
            Action::Cancel => "cancel / clear".into(),
            Action::Retry => "retry statements not saved".into(),
            Action::CycleMethod => "voting method".into(),
            Action::CycleTarget => "vote on: statement / interpretation / question".into(),
            Action::ToggleCounted => "ballots per person / show of hands".into(),
            Action::ToggleHidden => "hide results until closed".into(),
            Action::EditQuestion => "edit the question (options after |)".into(),
            Action::OpenRound => "open the round".into(),
            Action::CloseRound => "close the round and reveal".into(),
            Action::Agree => "agree".into(),
            Action::Disagree => "disagree".into(),
            Action::Pass => "pass".into(),
            Action::Choice(n) => format!("choice {n}"),
            Action::ClearBallot => "clear this ballot".into(),
            Action::CastBallot => "cast the ballot / record the tally".into(),
            Action::CycleTallyRole => "tally for which role group".into(),
            Action::CountUp => "one more hand".into(),
            Action::CountDown => "one fewer hand".into(),
            Action::ShowSynthesis => "synthesis: concepts, grid, interpretations".into(),
            Action::SwitchPane => "switch between concepts and statements".into(),
            Action::Mark => "mark / unmark (several at once)".into(),
            Action::Filter => "filter statements: words, #tag, role:carer, stage:S3".into(),
            Action::NewConcept => "new concept".into(),
            Action::RenameConcept => "rename the concept".into(),
            Action::DescribeConcept => "describe the concept".into(),
            Action::Link => "link marked statements to the concept".into(),
            Action::Unlink => "unlink marked statements from the concept".into(),
            Action::Merge => "merge marked concepts into this one".into(),
            Action::Split => "split marked statements into a new concept".into(),
            Action::Reciprocal => "reciprocal translation of marked concepts".into(),
            Action::Refutational => "refutational translation of marked concepts".into(),
            Action::LineOfArgument => "line of argument through marked concepts".into(),
            Action::Draft => "draft an interpretation from what is marked".into(),
            Action::ShowGrid => "translation grid".into(),
            Action::ShowInterpretations => "interpretations and provenance".into(),
            Action::ToggleAccounts => "grid columns: role groups / stages".into(),
            Action::VoteOnInterpretation => "open an agree/disagree vote on it".into(),
            Action::ResonanceOnInterpretation => "open a resonance vote on it".into(),
            Action::MarkAgreed => "record it as agreed (with a reason)".into(),
            Action::SetAside => "set it aside (with a reason)".into(),
            Action::Present => "show it on the projector / stop".into(),
        }
    }
}

/// A key with its modifiers, written like `ctrl-q`, `f1`, `space`, `+`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        Self { code, mods }
    }

    pub const fn plain(code: KeyCode) -> Self {
        Self::new(code, KeyModifiers::NONE)
    }

    pub const fn ch(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// The key as a terminal reports it, with shift folded into characters.
    pub fn from_event(e: &KeyEvent) -> Self {
        let mut mods =
            e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match e.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                    c.to_ascii_lowercase()
                } else {
                    c
                })
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Self { code, mods }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-") {
                mods |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else if lower.len() > 6 && lower.starts_with("shift-") {
                mods |= KeyModifiers::SHIFT;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let lower = rest.to_ascii_lowercase();
        let code = match lower.as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                let n: u8 = f[1..].parse().map_err(|_| format!("`{s}` is not a key"))?;
                if !(1..=12).contains(&n) {
                    return Err(format!("`{s}`: function keys are f1 to f12"));
                }
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }),
                    _ => {
                        return Err(format!(
                            "`{s}` is not a key (try `ctrl-s`, `f2`, `space`, `x`)"
                        ));
                    }
                }
            }
        };
        if matches!(code, KeyCode::Char(_)) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Ok(Self { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push('^');
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            s.push_str("shift-");
        }
        match self.code {
            KeyCode::Char(' ') => s.push_str("space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                s.push(c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => s.push(c),
            KeyCode::F(n) => s.push_str(&format!("F{n}")),
            KeyCode::Enter => s.push_str("Enter"),
            KeyCode::Esc => s.push_str("Esc"),
            KeyCode::Tab => s.push_str("Tab"),
            KeyCode::BackTab => s.push_str("shift-Tab"),
            KeyCode::Backspace => s.push_str("Backspace"),
            KeyCode::Up => s.push('↑'),
            KeyCode::Down => s.push('↓'),
            KeyCode::Left => s.push('←'),
            KeyCode::Right => s.push('→'),
            KeyCode::PageUp => s.push_str("PgUp"),
            KeyCode::PageDown => s.push_str("PgDn"),
            other => s.push_str(&format!("{other:?}")),
        }
        f.pad(&s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
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
    screen: Context,
    key: String,
    action: Action,
}

impl Default for Keymap {
    fn default() -> Self {
        use Action::*;
        use Context::*;
        use KeyCode as K;
        let mut b = vec![
            (Global, Key::ctrl('q'), Quit),
            (Global, Key::ctrl('c'), Quit),
            (Global, Key::plain(K::F(1)), Help),
            (Global, Key::plain(K::F(2)), ShowProjector),
            (Global, Key::plain(K::F(3)), ShowCapture),
            (Global, Key::plain(K::F(4)), ShowVote),
            (Global, Key::plain(K::F(5)), ShowAgenda),
            (Global, Key::plain(K::F(6)), ShowSynthesis),
            (Global, Key::ctrl('n'), Memo),
            (Global, Key::ctrl('r'), Retry),
            (Capture, Key::plain(K::Enter), Commit),
            (Capture, Key::new(K::Enter, KeyModifiers::ALT), NewLine),
            (Capture, Key::plain(K::Tab), NextSpeaker),
            (Capture, Key::plain(K::BackTab), PreviousSpeaker),
            (Capture, Key::ctrl('g'), GroupSpeaker),
            (Capture, Key::ctrl('t'), CycleKind),
            (Capture, Key::plain(K::PageUp), SelectUp),
            (Capture, Key::plain(K::PageDown), SelectDown),
            (Capture, Key::ctrl('e'), Amend),
            (Capture, Key::ctrl('x'), Retract),
            (Capture, Key::plain(K::Esc), Cancel),
        ];
        for ctx in [Projector, Agenda] {
            b.extend([
                (ctx, Key::ch('?'), Help),
                (ctx, Key::ch('q'), Quit),
                (ctx, Key::plain(K::Tab), NextScreen),
                (ctx, Key::ch('m'), Memo),
                (ctx, Key::ch('s'), StartStage),
                (ctx, Key::ch(' '), PauseResume),
                (ctx, Key::ch('+'), Extend1),
                (ctx, Key::ch('-'), Shorten1),
                (ctx, Key::ch(']'), Extend5),
                (ctx, Key::ch('['), Shorten5),
                (ctx, Key::ch('n'), NextStage),
                (ctx, Key::ch('p'), PreviousStage),
            ]);
        }
        b.extend([
            (Vote, Key::ch('?'), Help),
            (Vote, Key::plain(K::Tab), NextScreen),
            (Vote, Key::ch('m'), CycleMethod),
            (Vote, Key::ch('t'), CycleTarget),
            (Vote, Key::ch('c'), ToggleCounted),
            (Vote, Key::ch('h'), ToggleHidden),
            (Vote, Key::ch('e'), EditQuestion),
            (Vote, Key::ch('o'), OpenRound),
            (Vote, Key::ch('x'), CloseRound),
            (Vote, Key::plain(K::Up), SelectUp),
            (Vote, Key::plain(K::Down), SelectDown),
            (Vote, Key::ch('a'), Agree),
            (Vote, Key::ch('d'), Disagree),
            (Vote, Key::ch('p'), Pass),
            (Vote, Key::plain(K::Backspace), ClearBallot),
            (Vote, Key::plain(K::Enter), CastBallot),
            (Vote, Key::ch('r'), CycleTallyRole),
            (Vote, Key::ch('+'), CountUp),
            (Vote, Key::ch('-'), CountDown),
            (Vote, Key::plain(K::Esc), Cancel),
        ]);
        for n in 1..=9u8 {
            b.push((Vote, Key::ch(char::from(b'0' + n)), Choice(n)));
        }
        let s = Synthesis;
        b.extend([
            (s, Key::ch('?'), Help),
            (s, Key::ch('q'), Quit),
            (s, Key::plain(K::Tab), SwitchPane),
            (s, Key::plain(K::Up), SelectUp),
            (s, Key::plain(K::Down), SelectDown),
            (s, Key::ch(' '), Mark),
            (s, Key::ch('/'), Filter),
            (s, Key::ch('n'), NewConcept),
            (s, Key::ch('r'), RenameConcept),
            (s, Key::ch('e'), DescribeConcept),
            (s, Key::ch('l'), Link),
            (s, Key::ch('u'), Unlink),
            (s, Key::ch('M'), Merge),
            (s, Key::ch('s'), Split),
            (s, Key::ch('1'), Reciprocal),
            (s, Key::ch('2'), Refutational),
            (s, Key::ch('3'), LineOfArgument),
            (s, Key::ch('d'), Draft),
            (s, Key::ch('g'), ShowGrid),
            (s, Key::ch('i'), ShowInterpretations),
            (s, Key::ch('a'), ToggleAccounts),
            (s, Key::ch('v'), VoteOnInterpretation),
            (s, Key::ch('V'), ResonanceOnInterpretation),
            (s, Key::ch('A'), MarkAgreed),
            (s, Key::ch('X'), SetAside),
            (s, Key::ch('p'), Present),
            (s, Key::plain(K::Esc), Cancel),
        ]);
        Keymap {
            bindings: b
                .into_iter()
                .map(|(context, key, action)| Binding {
                    context,
                    key,
                    action,
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// What `key` does on a screen: the screen's own binding first, then a global one.
    pub fn action(&self, context: Context, key: Key) -> Option<Action> {
        let find = |ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && b.key == key)
                .map(|b| b.action)
        };
        find(context).or_else(|| find(Context::Global))
    }

    /// The first key bound to `action` on a screen (or globally).
    pub fn key_for(&self, context: Context, action: Action) -> Option<Key> {
        let find = |ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && b.action == action)
                .map(|b| b.key)
        };
        find(context).or_else(|| find(Context::Global))
    }

    /// Every binding that applies on a screen, the screen's own first.
    pub fn for_context(&self, context: Context) -> Vec<&Binding> {
        let own = self.bindings.iter().filter(|b| b.context == context);
        let global = self.bindings.iter().filter(|b| {
            b.context == Context::Global
                && !self
                    .bindings
                    .iter()
                    .any(|o| o.context == context && o.key == b.key)
        });
        own.chain(global).collect()
    }

    /// Applies overrides from RON text: each moves an action to a new key on
    /// a screen, replacing what that key did there.
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
                .retain(|b| !(b.context == o.screen && (b.action == o.action || b.key == key)));
            self.bindings.push(Binding {
                context: o.screen,
                key,
                action: o.action,
            });
        }
        Ok(())
    }

    /// The default keymap with the user's `keymap.ron`, if there is one.
    pub fn load(path: Option<&Path>) -> Result<Self, String> {
        let mut map = Keymap::default();
        let Some(path) = path else { return Ok(map) };
        if !path.exists() {
            return Ok(map);
        }
        let bytes = crate::store::fsutil::read_capped(path, crate::store::limits::MAX_SMALL_FILE)
            .map_err(|e| e.to_string())?;
        let text = crate::store::limits::utf8_or_line(&bytes)
            .map_err(|line| format!("{} line {line}: not valid UTF-8", path.display()))?;
        map.apply_overrides(text).map_err(|e| {
            format!(
                "{} {}",
                path.display(),
                crate::store::limits::shorten_quotes(&e)
            )
        })?;
        Ok(map)
    }
}

/// `$XDG_CONFIG_HOME/roundtable/keymap.ron`, else `~/.config/roundtable/keymap.ron`.
pub fn default_path() -> Option<std::path::PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("roundtable").join("keymap.ron"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print() {
        assert_eq!(Key::parse("ctrl-q").unwrap(), Key::ctrl('q'));
        assert_eq!(Key::parse("Ctrl-Q").unwrap(), Key::ctrl('q'));
        assert_eq!(Key::parse("f2").unwrap(), Key::plain(KeyCode::F(2)));
        assert_eq!(Key::parse("space").unwrap(), Key::ch(' '));
        assert_eq!(Key::parse("+").unwrap(), Key::ch('+'));
        assert_eq!(
            Key::parse("alt-enter").unwrap(),
            Key::new(KeyCode::Enter, KeyModifiers::ALT)
        );
        assert!(Key::parse("f13").is_err());
        assert!(Key::parse("banana").is_err());
        assert_eq!(Key::ctrl('q').to_string(), "^Q");
        assert_eq!(Key::plain(KeyCode::F(3)).to_string(), "F3");
    }

    #[test]
    fn a_screen_binding_wins_over_a_global_one() {
        let map = Keymap::default();
        assert_eq!(
            map.action(Context::Capture, Key::plain(KeyCode::Tab)),
            Some(Action::NextSpeaker)
        );
        assert_eq!(
            map.action(Context::Projector, Key::plain(KeyCode::Tab)),
            Some(Action::NextScreen)
        );
        assert_eq!(
            map.action(Context::Capture, Key::ctrl('q')),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action(Context::Capture, Key::ch('q')),
            None,
            "letters are typed on the capture screen"
        );
        assert_eq!(
            map.action(Context::Projector, Key::ch('q')),
            Some(Action::Quit)
        );
    }

    #[test]
    fn shifted_characters_match_their_binding() {
        let e = KeyEvent::new(KeyCode::Char('+'), KeyModifiers::SHIFT);
        assert_eq!(
            Keymap::default().action(Context::Projector, Key::from_event(&e)),
            Some(Action::Extend1)
        );
        let e = KeyEvent::new(
            KeyCode::Char('Q'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::from_event(&e), Key::ctrl('q'));
    }

    #[test]
    fn overrides_move_an_action_and_free_its_old_key() {
        let mut map = Keymap::default();
        map.apply_overrides("[(screen: Projector, key: \"x\", action: StartStage)]")
            .unwrap();
        assert_eq!(
            map.action(Context::Projector, Key::ch('x')),
            Some(Action::StartStage)
        );
        assert_eq!(map.action(Context::Projector, Key::ch('s')), None);
        assert_eq!(
            map.action(Context::Agenda, Key::ch('s')),
            Some(Action::StartStage),
            "other screens keep theirs"
        );
        assert_eq!(
            map.key_for(Context::Projector, Action::StartStage),
            Some(Key::ch('x'))
        );
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
