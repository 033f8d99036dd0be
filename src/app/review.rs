//! `roundtable review`: a read-only look at past sessions. It never takes
//! the writer lock, so it works while another process runs the session.

use super::actions::{Action, Layer};
use super::keymap::Keymap;
use super::keys::Key;
use crate::domain::{Session, Timestamp};
use crate::ops::catalog::catalog;
use crate::store::record::Record;
use crate::store::{self, StoreError};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Timeline,
    Agenda,
    Statements,
    Votes,
    Synthesis,
    Integrity,
    Measures,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Timeline,
        Tab::Agenda,
        Tab::Statements,
        Tab::Votes,
        Tab::Synthesis,
        Tab::Integrity,
        Tab::Measures,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Timeline => "Timeline",
            Tab::Agenda => "Agenda",
            Tab::Statements => "Statements",
            Tab::Votes => "Votes",
            Tab::Synthesis => "Synthesis",
            Tab::Integrity => "Integrity",
            Tab::Measures => "Measures",
        }
    }
}

/// One session in the browser.
#[derive(Clone, Debug)]
pub struct Entry {
    pub dir: PathBuf,
    pub date: String,
    pub title: String,
    pub focus: String,
    pub statements: usize,
    pub votes: usize,
    pub interpretations: usize,
    /// Seconds the stages actually ran.
    pub ran_secs: i64,
    pub records: u64,
    pub problem: Option<String>,
}

pub struct Browser {
    pub entries: Vec<Entry>,
    pub cursor: usize,
    pub filter: String,
    pub filtering: bool,
    /// The filter was offered again on `/`: typing replaces it, Backspace
    /// clears it (as a selection would), an arrow keeps it to edit.
    pub offered: bool,
    pub newest_first: bool,
}

impl Browser {
    pub fn load(sessions: &Path) -> Self {
        let entries = catalog(sessions)
            .unwrap_or_default()
            .into_iter()
            .map(|c| Entry {
                date: c.date.clone().unwrap_or_default(),
                title: if c.unreadable.is_some() {
                    c.name.clone()
                } else {
                    c.title.clone()
                },
                problem: c.problem().map(str::to_owned),
                focus: c.focus,
                statements: c.statements,
                votes: c.votes,
                interpretations: c.interpretations,
                ran_secs: c.ran_secs,
                records: c.records,
                dir: c.dir,
            })
            .collect();
        Browser {
            entries,
            cursor: 0,
            filter: String::new(),
            filtering: false,
            offered: false,
            newest_first: true,
        }
    }

    pub fn visible(&self) -> Vec<&Entry> {
        let needle = self.filter.to_lowercase();
        let mut v: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                needle.is_empty()
                    || format!("{} {} {}", e.title, e.focus, e.date)
                        .to_lowercase()
                        .contains(&needle)
            })
            .collect();
        v.sort_by(|a, b| (&a.date, &a.dir).cmp(&(&b.date, &b.dir)));
        if self.newest_first {
            v.reverse();
        }
        v
    }
}

/// A session loaded for review, with a scrubber over its records.
pub struct Loaded {
    pub dir: PathBuf,
    pub records: Vec<Record>,
    /// Why reading stopped before the end of the journal, if it did.
    pub damage: Option<String>,
    pub verification: Result<crate::store::Verification, String>,
    /// How many records are applied (1..=records.len()).
    pub cursor: usize,
    /// The session as it stood after `cursor` records.
    pub session: Session,
    /// Sessions every `CHECKPOINT` records, so scrubbing never replays far.
    checkpoints: Vec<Session>,
    /// Statements withheld as the session stands at its end (consent
    /// withdrawn later withholds what was said before), shown at every
    /// point of the scrubber as placeholders.
    pub withheld: std::collections::HashMap<crate::domain::StatementId, crate::domain::Withheld>,
    pub tab: Tab,
    pub scroll: usize,
    /// A workspace's sources, checked as `verify` checks them.
    pub sources: Vec<crate::export::Case>,
    /// A workspace's sources that could be read, for the words its
    /// concepts and interpretations rest on (`A.st3`).
    pub linked: Vec<crate::ops::workspace::Source>,
    /// A workspace as it stood at the scrubber, with the words it refers to
    /// brought in from its sources (as its exports read it); none for a
    /// session. The statements, agenda and measures views read it.
    pub view: Option<Session>,
    /// What the votes, the grid and the measures are broken down by.
    pub by: crate::domain::Breakdown,
}

const CHECKPOINT: usize = 500;

impl Loaded {
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        // One pass: verify every record and keep each for the scrubber.
        let mut records = Vec::new();
        let mut checkpoints = vec![Session::default()];
        let (verification, session) = store::verify_with(dir, &mut |r, s| {
            records.push(r);
            if records.len() % CHECKPOINT == 0 {
                checkpoints.push(s.clone());
            }
        })?;
        let damage = verification.failure.as_ref().map(|f| f.to_string());
        let verification = Ok(verification);
        let cursor = records.len();
        let withheld = session
            .statements
            .values()
            .filter_map(|st| session.withheld(st).map(|w| (st.id.clone(), w)))
            .collect();
        let sources = crate::ops::workspace::check_sources(dir, &session);
        let folder = dir.parent().unwrap_or(Path::new("."));
        let linked = session
            .sources
            .iter()
            .filter_map(|(key, src)| {
                let r = store::open_read_only(&folder.join(&src.session)).ok()?;
                Some(crate::ops::workspace::Source {
                    key: key.clone(),
                    session: r.session,
                })
            })
            .collect();
        let mut l = Loaded {
            sources,
            linked,
            view: None,
            withheld,
            dir: dir.to_owned(),
            records,
            damage,
            verification,
            cursor,
            session,
            checkpoints,
            tab: Tab::Timeline,
            scroll: 0,
            by: crate::domain::Breakdown::RoleGroup,
        };
        l.by = crate::domain::Breakdown::natural(l.session.participants.values());
        l.bring_in();
        Ok(l)
    }

    /// Builds a workspace's view at the scrubber; the source statements
    /// withheld in their own sessions are withheld here too.
    fn bring_in(&mut self) {
        if self.session.sources.is_empty() {
            return;
        }
        let (view, _) = crate::ops::workspace_view::view_over(&self.session, &self.linked);
        for st in view.statements.values() {
            if st.id.source_ref().is_some()
                && let Some(w) = view.withheld(st)
            {
                self.withheld.insert(st.id.clone(), w);
            }
        }
        self.view = Some(view);
    }

    /// The session the statements, agenda and measures views read: a
    /// workspace's view, or the session itself.
    pub fn read(&self) -> &Session {
        self.view.as_ref().unwrap_or(&self.session)
    }

    /// Moves the scrubber to `k` records (clamped) and replays to there.
    pub fn scrub_to(&mut self, k: usize) {
        let k = k.clamp(1.min(self.records.len()), self.records.len());
        if k == self.cursor {
            return;
        }
        let base = k / CHECKPOINT;
        let mut s = self.checkpoints.get(base).cloned().unwrap_or_default();
        for r in &self.records[base * CHECKPOINT..k] {
            // These records were applied once already while loading.
            let _ = s.apply(&r.event);
        }
        self.session = s;
        self.cursor = k;
        self.bring_in();
    }

    /// Finds `KEY.id` among a workspace's sources.
    pub fn resolve(
        &self,
        id: &crate::domain::StatementId,
    ) -> Option<(&crate::domain::Statement, &Session)> {
        let (key, st) = id.source_ref()?;
        let src = self.linked.iter().find(|s| s.key == key)?;
        src.session.statements.get(st).map(|s| (&**s, &src.session))
    }

    /// A statement's words as the review shows them, from the session it
    /// was said in (`home`: this one, or a workspace's source, whose own
    /// consent rules hold).
    pub fn words_in(&self, home: &Session, st: &crate::domain::Statement) -> String {
        if std::ptr::eq(home, &self.session) {
            return self.words(st);
        }
        match home.withheld(st) {
            Some(w) => w.placeholder(),
            None => st.current().text.replace('\n', " "),
        }
    }

    /// A statement's words as the review shows them: its current wording,
    /// or the placeholder when it is withheld (by the session's end).
    pub fn words(&self, st: &crate::domain::Statement) -> String {
        match self.withheld.get(&st.id) {
            Some(w) => w.placeholder(),
            None => st.current().text.replace('\n', " "),
        }
    }

    /// What a record says, in words, with a withheld statement's words
    /// left out (an amendment's earlier wording of any other statement
    /// stays: the review is where the data controller reads its history).
    pub fn describe(&self, r: &Record) -> String {
        use crate::domain::Event;
        match &r.event {
            Event::StatementAdded { id, speaker, .. } if self.withheld.contains_key(id) => format!(
                "{id} {}: {}",
                self.session.speaker_label(speaker),
                self.withheld[id].placeholder()
            ),
            Event::StatementAmended { statement, .. } if self.withheld.contains_key(statement) => {
                format!(
                    "{statement} amended: {}",
                    self.withheld[statement].placeholder()
                )
            }
            e => crate::domain::describe::with_words(e, Some(&self.session)),
        }
    }

    /// The time of the record under the scrubber.
    pub fn now(&self) -> Timestamp {
        self.cursor
            .checked_sub(1)
            .and_then(|i| self.records.get(i))
            .map(|r| r.at)
            .unwrap_or_default()
    }

    /// Jumps to the next (or previous) record whose event is a vote event.
    pub fn jump_vote(&mut self, forward: bool) {
        let is_vote = |r: &Record| {
            matches!(
                r.event,
                crate::domain::Event::VoteOpened { .. } | crate::domain::Event::VoteClosed { .. }
            )
        };
        let found = if forward {
            self.records
                .iter()
                .enumerate()
                .skip(self.cursor)
                .find(|(_, r)| is_vote(r))
                .map(|(i, _)| i + 1)
        } else {
            self.records
                .iter()
                .enumerate()
                .take(self.cursor.saturating_sub(1))
                .rev()
                .find(|(_, r)| is_vote(r))
                .map(|(i, _)| i + 1)
        };
        if let Some(k) = found {
            self.scrub_to(k);
        }
    }
}

pub enum View {
    Browser,
    Session(Box<Loaded>),
    /// The measures across the sessions the browser listed, as text lines,
    /// and how far they are scrolled.
    Programme {
        lines: Vec<String>,
        scroll: usize,
    },
}

pub struct Review {
    pub sessions: PathBuf,
    pub browser: Browser,
    pub view: View,
    pub message: Option<String>,
    pub quit: bool,
    pub keymap: Keymap,
}

impl Review {
    pub fn new(sessions: &Path) -> Self {
        Review::with_keymap(sessions, Keymap::default())
    }

    pub fn with_keymap(sessions: &Path, keymap: Keymap) -> Self {
        Review {
            sessions: sessions.to_owned(),
            browser: Browser::load(sessions),
            view: View::Browser,
            message: None,
            quit: false,
            keymap,
        }
    }

    /// The layer keys are read in now.
    pub fn layer(&self) -> Layer {
        match &self.view {
            View::Session(_) | View::Programme { .. } => Layer::ReviewSession,
            View::Browser if self.browser.filtering => Layer::ReviewFilter,
            View::Browser => Layer::ReviewBrowser,
        }
    }

    pub fn open(&mut self, dir: &Path) {
        match Loaded::open(dir) {
            Ok(l) => {
                self.message = None;
                self.view = View::Session(Box::new(l));
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    pub fn key(&mut self, key: KeyEvent) {
        if key.kind != KeyEventKind::Press {
            return;
        }
        let layer = self.layer();
        let action = self.keymap.action(layer, Key::from_event(&key));
        if action == Some(Action::Quit) {
            self.quit = true;
            return;
        }
        match layer {
            Layer::ReviewFilter => self.filter_key(action, key),
            Layer::ReviewBrowser => self.browser_action(action),
            _ => self.session_action(action),
        }
    }

    fn session_action(&mut self, action: Option<Action>) {
        if let View::Programme { scroll, .. } = &mut self.view {
            match action {
                Some(Action::Cancel) => self.view = View::Browser,
                Some(Action::SelectUp) => *scroll = scroll.saturating_sub(1),
                Some(Action::SelectDown) => *scroll += 1,
                _ => {}
            }
            return;
        }
        let View::Session(l) = &mut self.view else {
            return;
        };
        let total = l.records.len();
        match action {
            Some(Action::Cancel) => {
                self.browser = Browser::load(&self.sessions);
                self.view = View::Browser;
            }
            Some(Action::ScrubBack) => l.scrub_to(l.cursor.saturating_sub(1)),
            Some(Action::ScrubForward) => l.scrub_to(l.cursor + 1),
            Some(Action::ScrubBack10) => l.scrub_to(l.cursor.saturating_sub(10)),
            Some(Action::ScrubForward10) => l.scrub_to(l.cursor + 10),
            Some(Action::ScrubStart) => l.scrub_to(1),
            Some(Action::ScrubEnd) => l.scrub_to(total),
            Some(Action::ResultsBy) => {
                let offered = crate::domain::Breakdown::in_use(l.read().participants.values());
                l.by = l.by.next_of(&offered);
                self.message = Some(format!("votes, grid and measures by {}", l.by.label()));
            }
            Some(Action::NextVote) => l.jump_vote(true),
            Some(Action::PreviousVote) => l.jump_vote(false),
            Some(Action::SelectUp) => l.scroll = l.scroll.saturating_sub(1),
            Some(Action::SelectDown) => l.scroll += 1,
            Some(Action::NextView) => {
                let i = Tab::ALL.iter().position(|t| *t == l.tab).unwrap_or(0);
                l.tab = Tab::ALL[(i + 1) % Tab::ALL.len()];
                l.scroll = 0;
            }
            Some(Action::View(n)) => {
                if let Some(tab) = Tab::ALL.get(usize::from(n).saturating_sub(1)) {
                    l.tab = *tab;
                    l.scroll = 0;
                }
            }
            Some(Action::Reload) => {
                let (dir, tab, at_end, cursor) =
                    (l.dir.clone(), l.tab, l.cursor == total, l.cursor);
                self.open(&dir);
                if let View::Session(l) = &mut self.view {
                    l.tab = tab;
                    if !at_end {
                        l.scrub_to(cursor);
                    }
                    self.message = Some(format!("reloaded: {} records", l.records.len()));
                }
            }
            _ => {}
        }
    }

    /// Typing a filter: what the keymap does not bind is the filter's text.
    fn filter_key(&mut self, action: Option<Action>, key: KeyEvent) {
        let b = &mut self.browser;
        let offered = std::mem::take(&mut b.offered);
        match (action, key.code) {
            (Some(Action::Submit | Action::Cancel), _) => b.filtering = false,
            (_, KeyCode::Backspace) if offered => b.filter.clear(),
            (_, KeyCode::Backspace) => {
                b.filter.pop();
            }
            (None, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                if offered {
                    b.filter.clear();
                }
                b.filter.push(c);
                b.cursor = 0;
            }
            _ => {}
        }
    }

    fn browser_action(&mut self, action: Option<Action>) {
        let b = &mut self.browser;
        let n = b.visible().len();
        match action {
            Some(Action::SelectUp) => b.cursor = b.cursor.saturating_sub(1),
            Some(Action::SelectDown) => b.cursor = (b.cursor + 1).min(n.saturating_sub(1)),
            Some(Action::Filter) => {
                b.filtering = true;
                b.offered = !b.filter.is_empty();
            }
            Some(Action::ToggleSort) => b.newest_first = !b.newest_first,
            Some(Action::Programme) => {
                let names = b
                    .visible()
                    .iter()
                    .filter(|e| e.problem.is_none())
                    .map(|e| e.dir.display().to_string())
                    .collect();
                let choice = crate::ops::programme::Choice {
                    names,
                    matching: String::new(),
                    rehearsals: false,
                };
                match crate::ops::programme::load(&self.sessions, &choice) {
                    Ok(p) => {
                        let mut lines = crate::export::measures::programme_text(&p.rows);
                        lines.extend(p.warnings);
                        self.view = View::Programme { lines, scroll: 0 };
                    }
                    Err(e) => self.message = Some(e.to_string()),
                }
            }
            Some(Action::Open) => {
                if let Some(dir) = b.visible().get(b.cursor).map(|e| e.dir.clone()) {
                    self.open(&dir);
                }
            }
            _ => {}
        }
    }
}
