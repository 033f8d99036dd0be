//! Every action, declared once: its default keys in each layer, the short
//! hint the bottom line shows (and when), and the sentence the help overlay
//! and the README give. The keymap, the hint lines, the help overlay and the
//! README's key table are all generated from [`ACTIONS`], so they cannot
//! disagree with what the keys do.

use crate::domain::{BallotMode, RoomView, Session, StageState, VoteMethod};
use serde::{Deserialize, Serialize};

/// Where keys are read: one of the five screens, an overlay on top of them,
/// or a layer of the review browser or the session picker. `Global` holds
/// bindings that apply on all five screens unless a screen binds the same
/// key itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Layer {
    Global,
    Projector,
    Capture,
    Vote,
    Agenda,
    Synthesis,
    /// The `?` overlay: every key on the screen beneath.
    Help,
    /// A yes/no question before something that cannot be undone quietly.
    Confirm,
    /// One answer of several, by its number.
    Choose,
    /// Quitting with something not yet in the journal.
    Quitting,
    /// A one-line prompt: a memo, a reason, a question, a name.
    Prompt,
    ReviewBrowser,
    /// Typing a filter in the review browser.
    ReviewFilter,
    ReviewSession,
    Picker,
    /// The picker's form for a new session.
    NewSession,
}

impl Layer {
    /// The five screens of a running session.
    pub const SCREENS: [Layer; 5] = [
        Layer::Projector,
        Layer::Capture,
        Layer::Vote,
        Layer::Agenda,
        Layer::Synthesis,
    ];

    /// Every layer, in the order the README lists them.
    pub const ALL: [Layer; 16] = [
        Layer::Global,
        Layer::Projector,
        Layer::Agenda,
        Layer::Capture,
        Layer::Vote,
        Layer::Synthesis,
        Layer::Help,
        Layer::Confirm,
        Layer::Choose,
        Layer::Quitting,
        Layer::Prompt,
        Layer::ReviewBrowser,
        Layer::ReviewFilter,
        Layer::ReviewSession,
        Layer::Picker,
        Layer::NewSession,
    ];

    /// Whether `Global` bindings apply here.
    pub fn is_screen(self) -> bool {
        Layer::SCREENS.contains(&self)
    }

    /// How the README and the help overlay name it.
    pub fn title(self) -> &'static str {
        match self {
            Layer::Global => "every screen",
            Layer::Projector => "projector",
            Layer::Capture => "capture",
            Layer::Vote => "vote",
            Layer::Agenda => "agenda",
            Layer::Synthesis => "synthesis",
            Layer::Help => "help overlay",
            Layer::Confirm => "a yes/no question",
            Layer::Choose => "a choice of answers",
            Layer::Quitting => "quitting with unsaved text",
            Layer::Prompt => "a one-line prompt",
            Layer::ReviewBrowser => "review: the sessions",
            Layer::ReviewFilter => "review: typing a filter",
            Layer::ReviewSession => "review: one session",
            Layer::Picker => "the session picker",
            Layer::NewSession => "the picker's new-session form",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    Quit,
    Help,
    ShowProjector,
    ShowCapture,
    ShowVote,
    ShowAgenda,
    ShowSynthesis,
    NextScreen,
    Memo,
    Retry,
    StartStage,
    PauseResume,
    Extend1,
    Shorten1,
    Extend5,
    Shorten5,
    NextStage,
    PreviousStage,
    /// The clock shows time left, or time used.
    ToggleClock,
    /// The agenda: leave the chosen stage out, or put it back.
    SkipStage,
    MoveEarlier,
    MoveLater,
    /// The agenda: a new stage after the chosen one.
    AddStage,
    /// The room sees the stage and the latest statements again.
    RoomLatest,
    /// The holding slide, or back.
    RoomBlank,
    /// Hold the room's view still, or let it move again.
    RoomFreeze,
    /// The latest results the room may see, large, or back.
    RoomResults,
    /// A break with "back at", or back from it.
    RoomBreak,
    /// The end-of-session summary, or back.
    RoomSummary,
    /// The selected statement full-screen, or back.
    RoomStatement,
    /// This projector: how phones join (the QR code and address), or back.
    PhonesShow,
    /// Close the door to new phones, or open it again.
    PhoneDoor,
    /// Let phones join without a name, or only by name.
    PhoneNameless,
    /// The next statement or question sent from a phone: take it into the
    /// record, or set it aside.
    PhoneNext,
    /// Disconnect a joined terminal and revoke its device.
    RemoveDevice,
    /// The highlighted speaker's hand up, or down.
    Hand,
    /// The highlighted speaker left, or came back.
    LeftOrBack,
    /// Someone who arrived late.
    Latecomer,
    /// Find a statement by its number or words and select it.
    Find,
    /// The selected withheld statement's words, on this screen, for a moment.
    Reveal,
    /// The chosen statement parked for later, or taken up again.
    Park,
    /// Something the group will do.
    NewAction,
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
    CycleMethod,
    CycleTarget,
    ToggleCounted,
    ToggleHidden,
    /// Results broken down by role group, sector or level in turn.
    ResultsBy,
    /// Who chose what shown by name on the screens, or only counts.
    ToggleNamed,
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
    SwitchPane,
    Mark,
    Filter,
    NewConcept,
    /// A code in the codebook, defined or redefined.
    DefineCode,
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
    /// The grid's earlier columns, when they do not all fit.
    GridColumnsBack,
    /// The grid's later columns.
    GridColumnsOn,
    VoteOnInterpretation,
    ResonanceOnInterpretation,
    MarkAgreed,
    SetAside,
    /// Rest the interpretation under the cursor on the marked concepts.
    Reground,
    Present,
    /// Finish typing at a prompt, a filter or a form.
    Submit,
    /// Yes, at a question.
    Confirm,
    /// Quitting: write what is unsaved to a rescue file first.
    Rescue,
    /// Quitting: lose what is unsaved.
    QuitAnyway,
    /// A memo prompt: process or reflexive.
    ToggleMemoKind,
    /// Everything typed into a prompt, gone.
    ClearInput,
    /// Open the chosen session (review, picker).
    Open,
    /// Review: newest or oldest first.
    ToggleSort,
    /// Review: the measures across the sessions listed (a programme).
    Programme,
    ScrubBack,
    ScrubForward,
    ScrubBack10,
    ScrubForward10,
    ScrubStart,
    ScrubEnd,
    NextVote,
    PreviousVote,
    NextView,
    /// 1 to 7: a view of the session under review.
    View(u8),
    Reload,
    NewSession,
    NextField,
    PreviousField,
    PreviousTemplate,
    NextTemplate,
}

/// Which terminal this is: the host (the facilitator's, which records), a
/// joined note-taker's, or a joined projector that proposes nothing. Each
/// is shown, and may use, only what it may do; the host checks a joined
/// terminal's proposals again (`net::wire::Role::may_propose`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Seat {
    #[default]
    Host,
    NoteTaker,
    Viewer,
}

impl Action {
    /// Whether a terminal in `seat` may use this action.
    pub fn allowed(self, seat: Seat) -> bool {
        use Action::*;
        // What a joined projector may do: nothing that proposes, and no
        // screen but the projector.
        let viewing = matches!(
            self,
            Quit | Help | ToggleClock | Confirm | Cancel | Rescue | QuitAnyway | ShowProjector
        );
        // The facilitator's alone: the agenda, opening and closing votes,
        // counting hands, what the room sees, and synthesis.
        let facilitating = matches!(
            self,
            StartStage
                | PauseResume
                | Extend1
                | Shorten1
                | Extend5
                | Shorten5
                | NextStage
                | PreviousStage
                | SkipStage
                | MoveEarlier
                | MoveLater
                | AddStage
                | RoomLatest
                | RoomBlank
                | RoomFreeze
                | RoomResults
                | RoomBreak
                | RoomSummary
                | RemoveDevice
                | RoomStatement
                | PhonesShow
                | PhoneDoor
                | PhoneNameless
                | CycleMethod
                | CycleTarget
                | ToggleCounted
                | ToggleHidden
                | ToggleNamed
                | EditQuestion
                | OpenRound
                | CloseRound
                | CycleTallyRole
                | CountUp
                | CountDown
                | NewConcept
                | DefineCode
                | RenameConcept
                | DescribeConcept
                | Link
                | Unlink
                | Merge
                | Split
                | Reciprocal
                | Refutational
                | LineOfArgument
                | Draft
                | VoteOnInterpretation
                | ResonanceOnInterpretation
                | MarkAgreed
                | SetAside
                | Reground
                | Present
        );
        match seat {
            Seat::Host => true,
            Seat::NoteTaker => !facilitating,
            Seat::Viewer => viewing,
        }
    }
}

/// How a hint shows its keys: the action's own first key, or the keys of
/// several actions together (`←→ scrub 1`, `PgUp/PgDn 10`).
#[derive(Clone, Copy, Debug)]
pub enum HintKeys {
    Own,
    Joined(&'static [Action], &'static str),
}

/// What the bottom line says about an action in some layers.
#[derive(Clone, Copy, Debug)]
pub struct Hint {
    pub layers: &'static [Layer],
    pub label: &'static str,
    pub keys: HintKeys,
}

/// Which view of the synthesis screen is showing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SynthView {
    #[default]
    Link,
    Grid,
    Interpretations,
}

/// What a hint's predicate reads: the session shown and the few things
/// about the screens it depends on.
pub struct HintState<'a> {
    pub session: &'a Session,
    /// Something the store refused or failed to save is waiting for a retry.
    pub failed: bool,
    pub synthesis: SynthView,
    /// Another terminal is joined to this one.
    pub connected: bool,
    /// Phones may join (with `--phones`), and how many statements from
    /// them wait.
    pub phones: Option<usize>,
    /// The statement selected on this screen is withheld (no consent, or
    /// retracted): its words can be revealed here for a moment.
    pub withheld_selected: bool,
    /// The translation grid's columns did not all fit when last drawn.
    pub grid_paged: bool,
    /// A cross-session workspace: no room, no votes.
    pub workspace: bool,
}

/// When a hint is worth showing on a screen.
pub type Available = fn(&HintState, Layer) -> bool;

/// One action: everything about it in one place.
pub struct ActionDef {
    pub action: Action,
    /// Default keys, by layer, written as in `keymap.ron`. A family
    /// (`Choice`, `View`) binds its members to consecutive digits from the
    /// one key given.
    pub keys: &'static [(Layer, &'static str)],
    /// Members of a family: `Choice(1)` to `Choice(9)`.
    pub family: Option<u8>,
    /// One sentence for the help overlay and the README.
    pub describe: &'static str,
    /// A different sentence in some layers.
    pub describe_in: &'static [(&'static [Layer], &'static str)],
    pub hints: &'static [Hint],
    /// Where in the bottom line the hint stands (smaller first).
    pub rank: u16,
    /// On the five screens: when the hint is worth showing.
    pub available: Option<Available>,
    /// A different label while the predicate holds (`pause` → `resume`).
    pub alternative: Option<(&'static str, Available)>,
}

use Action as A;
use Layer as L;

const SCREEN_HINT: &[Layer] = &Layer::SCREENS;
const ALWAYS: Option<Available> = None;

const fn hint(label: &'static str, layers: &'static [Layer]) -> Hint {
    Hint {
        layers,
        label,
        keys: HintKeys::Own,
    }
}

const fn row(
    action: Action,
    keys: &'static [(Layer, &'static str)],
    describe: &'static str,
) -> ActionDef {
    ActionDef {
        action,
        keys,
        family: None,
        describe,
        describe_in: &[],
        hints: &[],
        rank: u16::MAX,
        available: ALWAYS,
        alternative: None,
    }
}

// ---- when hints are worth showing -------------------------------------------------

fn stage_running(m: &HintState, _: Layer) -> bool {
    m.session
        .current_stage()
        .is_some_and(|s| s.state() == StageState::Running)
}

fn stage_current(m: &HintState, _: Layer) -> bool {
    m.session.current_stage().is_some()
}

fn no_stage(m: &HintState, _: Layer) -> bool {
    m.session.current_stage().is_none()
}

fn can_go_back(m: &HintState, l: Layer) -> bool {
    stage_running(m, l)
        || (no_stage(m, l)
            && m.session
                .stages
                .values()
                .any(|s| s.state() == StageState::Ended))
}

fn paused(m: &HintState, _: Layer) -> bool {
    m.session
        .current_stage()
        .is_some_and(|s| s.state() == StageState::Paused)
}

fn phones_on(m: &HintState, _: Layer) -> bool {
    m.phones.is_some()
}

fn withheld_selected(m: &HintState, _: Layer) -> bool {
    m.withheld_selected
}

fn phone_waiting(m: &HintState, _: Layer) -> bool {
    m.phones.is_some_and(|n| n > 0)
}

fn no_round(m: &HintState, _: Layer) -> bool {
    m.session.round_open_now().is_none()
}

fn round_open(m: &HintState, _: Layer) -> bool {
    m.session.round_open_now().is_some()
}

fn counted(m: &HintState, _: Layer) -> bool {
    m.session
        .round_open_now()
        .is_some_and(|r| r.mode == BallotMode::Counted)
}

fn per_person<'a>(m: &HintState<'a>) -> Option<&'a VoteMethod> {
    m.session
        .round_open_now()
        .filter(|r| r.mode == BallotMode::PerParticipant)
        .map(|r| &r.method)
}

fn agree_round(m: &HintState, _: Layer) -> bool {
    matches!(per_person(m), Some(VoteMethod::AgreeDisagree))
}

fn scored_round(m: &HintState, _: Layer) -> bool {
    per_person(m).is_some_and(|v| !matches!(v, VoteMethod::AgreeDisagree))
}

fn dots_round(m: &HintState, _: Layer) -> bool {
    matches!(per_person(m), Some(VoteMethod::Dots { .. }))
}

fn cast_possible(m: &HintState, l: Layer) -> bool {
    counted(m, l) || dots_round(m, l)
}

fn view(m: &HintState, v: SynthView) -> bool {
    m.synthesis == v
}

fn linking(m: &HintState, _: Layer) -> bool {
    view(m, SynthView::Link)
}

fn in_grid(m: &HintState, _: Layer) -> bool {
    view(m, SynthView::Grid)
}

fn interpreting(m: &HintState, _: Layer) -> bool {
    view(m, SynthView::Interpretations)
}

fn moving_down(m: &HintState, l: Layer) -> bool {
    match l {
        Layer::Vote => true,
        Layer::Synthesis => !linking(m, l),
        _ => false,
    }
}

fn failed(m: &HintState, _: Layer) -> bool {
    m.failed
}

fn room_not_latest(m: &HintState, _: Layer) -> bool {
    m.session.room != RoomView::Latest
}

fn room_blank(m: &HintState, _: Layer) -> bool {
    m.session.room == RoomView::Blank
}

fn room_frozen(m: &HintState, _: Layer) -> bool {
    matches!(m.session.room, RoomView::Frozen(_))
}

fn room_on_break(m: &HintState, _: Layer) -> bool {
    matches!(m.session.room, RoomView::Break(_))
}

fn anyone_connected(m: &HintState, _: Layer) -> bool {
    m.connected
}

fn any_results(m: &HintState, _: Layer) -> bool {
    m.session.rounds.values().any(|r| r.results_visible())
}

// ---- the table --------------------------------------------------------------------

const STAGE_SCREENS: &[Layer] = &[L::Projector, L::Agenda];

/// Every action, in the order the help overlay lists a layer's keys.
pub static ACTIONS: &[ActionDef] = &[
    ActionDef {
        hints: &[
            Hint {
                layers: SCREEN_HINT,
                label: "quit",
                keys: HintKeys::Own,
            },
            Hint {
                layers: &[L::ReviewBrowser, L::ReviewSession, L::Picker],
                label: "quit",
                keys: HintKeys::Own,
            },
        ],
        rank: 122,
        ..row(
            A::Quit,
            &[
                (L::Global, "ctrl-q"),
                (L::Global, "ctrl-c"),
                (L::Projector, "q"),
                (L::Agenda, "q"),
                (L::Synthesis, "q"),
                (L::ReviewBrowser, "q"),
                (L::ReviewBrowser, "esc"),
                (L::ReviewBrowser, "ctrl-q"),
                (L::ReviewBrowser, "ctrl-c"),
                (L::ReviewFilter, "ctrl-q"),
                (L::ReviewFilter, "ctrl-c"),
                (L::ReviewSession, "q"),
                (L::ReviewSession, "ctrl-q"),
                (L::ReviewSession, "ctrl-c"),
                (L::Picker, "q"),
                (L::Picker, "esc"),
                (L::Picker, "ctrl-q"),
                (L::Picker, "ctrl-c"),
                (L::NewSession, "ctrl-q"),
                (L::NewSession, "ctrl-c"),
            ],
            "quit",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: SCREEN_HINT,
            label: "help",
            keys: HintKeys::Own,
        }],
        rank: 121,
        ..row(
            A::Help,
            &[
                (L::Global, "f1"),
                (L::Projector, "?"),
                (L::Agenda, "?"),
                (L::Vote, "?"),
                (L::Synthesis, "?"),
            ],
            "help: every key",
        )
    },
    row(A::ShowProjector, &[(L::Global, "f2")], "projector screen"),
    ActionDef {
        hints: &[hint("phones", &[L::Projector])],
        rank: 130,
        available: Some(phones_on),
        ..row(
            A::PhonesShow,
            &[(L::Projector, "j")],
            "this projector: how phones join (QR code and address) / back",
        )
    },
    ActionDef {
        available: Some(phones_on),
        ..row(
            A::PhoneDoor,
            &[(L::Projector, "J")],
            "phones: close the door to new phones / open it",
        )
    },
    ActionDef {
        available: Some(phones_on),
        ..row(
            A::PhoneNameless,
            &[(L::Projector, "g")],
            "phones: let phones join without a name (they follow and send words, not vote) / only by name",
        )
    },
    ActionDef {
        hints: &[hint("from phones", &[L::Capture, L::Projector])],
        rank: 20,
        available: Some(phone_waiting),
        ..row(
            A::PhoneNext,
            &[(L::Global, "f7")],
            "phones: the next statement sent from a phone, to take into the record or set aside",
        )
    },
    row(A::ShowCapture, &[(L::Global, "f3")], "capture screen"),
    row(A::ShowVote, &[(L::Global, "f4")], "vote screen"),
    row(
        A::ShowAgenda,
        &[(L::Global, "f5")],
        "agenda: planned vs actual",
    ),
    row(
        A::ShowSynthesis,
        &[(L::Global, "f6")],
        "synthesis: concepts, grid, interpretations",
    ),
    ActionDef {
        hints: &[Hint {
            layers: SCREEN_HINT,
            label: "memo",
            keys: HintKeys::Own,
        }],
        rank: 120,
        ..row(
            A::Memo,
            &[(L::Global, "ctrl-n"), (L::Projector, "m"), (L::Agenda, "m")],
            "memo (process or reflexive note)",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: SCREEN_HINT,
            label: "retry",
            keys: HintKeys::Own,
        }],
        rank: 20,
        available: Some(failed),
        ..row(
            A::Retry,
            &[(L::Global, "ctrl-r")],
            "retry statements not saved",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: &[L::Capture],
            label: "save",
            keys: HintKeys::Own,
        }],
        rank: 60,
        ..row(A::Commit, &[(L::Capture, "enter")], "save the statement")
    },
    row(
        A::NewLine,
        &[(L::Capture, "alt-enter")],
        "new line in the statement",
    ),
    ActionDef {
        describe_in: &[
            (&[L::ReviewFilter], "stop typing the filter"),
            (&[L::NewSession], "create the session"),
        ],
        ..row(
            A::Submit,
            &[
                (L::Prompt, "enter"),
                (L::ReviewFilter, "enter"),
                (L::NewSession, "enter"),
            ],
            "keep what was typed",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: &[L::Capture],
            label: "speaker",
            keys: HintKeys::Own,
        }],
        rank: 61,
        ..row(A::NextSpeaker, &[(L::Capture, "tab")], "next speaker")
    },
    row(
        A::PreviousSpeaker,
        &[(L::Capture, "backtab")],
        "previous speaker",
    ),
    ActionDef {
        hints: &[Hint {
            layers: &[L::Capture],
            label: "group",
            keys: HintKeys::Own,
        }],
        rank: 62,
        ..row(
            A::GroupSpeaker,
            &[(L::Capture, "ctrl-g")],
            "speaker: the whole group",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: &[L::Capture],
            label: "kind",
            keys: HintKeys::Own,
        }],
        rank: 63,
        ..row(
            A::CycleKind,
            &[(L::Capture, "ctrl-t")],
            "quote / paraphrase / question / action",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: &[L::Capture],
            label: "select",
            keys: HintKeys::Own,
        }],
        describe_in: &[
            (&[L::ReviewBrowser, L::Picker], "choose an earlier session"),
            (&[L::ReviewSession], "scroll up"),
            (
                &[L::Vote],
                "an earlier statement to vote on; in a round, the person before",
            ),
            (&[L::Agenda], "choose the stage before"),
        ],
        rank: 64,
        ..row(
            A::SelectUp,
            &[
                (L::Capture, "pageup"),
                (L::Vote, "up"),
                (L::Agenda, "up"),
                (L::Synthesis, "up"),
                (L::ReviewBrowser, "up"),
                (L::ReviewSession, "up"),
                (L::Picker, "up"),
            ],
            "select an earlier statement",
        )
    },
    ActionDef {
        hints: &[
            hint("select", &[L::Vote, L::Synthesis]),
            Hint {
                layers: &[L::ReviewBrowser],
                label: "choose",
                keys: HintKeys::Joined(&[A::SelectUp, A::SelectDown], ""),
            },
            Hint {
                layers: &[L::Picker],
                label: "choose",
                keys: HintKeys::Joined(&[A::SelectUp, A::SelectDown], ""),
            },
            Hint {
                layers: &[L::ReviewSession],
                label: "scroll",
                keys: HintKeys::Joined(&[A::SelectUp, A::SelectDown], ""),
            },
        ],
        rank: 40,
        available: Some(moving_down),
        describe_in: &[
            (&[L::ReviewBrowser, L::Picker], "choose a later session"),
            (&[L::ReviewSession], "scroll down"),
            (
                &[L::Vote],
                "a later statement to vote on; in a round, the next person",
            ),
            (&[L::Agenda], "choose the stage after"),
        ],
        ..row(
            A::SelectDown,
            &[
                (L::Capture, "pagedown"),
                (L::Vote, "down"),
                (L::Agenda, "down"),
                (L::Synthesis, "down"),
                (L::ReviewBrowser, "down"),
                (L::ReviewSession, "down"),
                (L::Picker, "down"),
            ],
            "select a later statement",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: &[L::Capture],
            label: "amend",
            keys: HintKeys::Own,
        }],
        rank: 65,
        ..row(
            A::Amend,
            &[(L::Capture, "ctrl-e")],
            "amend the selected statement",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: &[L::Capture],
            label: "retract",
            keys: HintKeys::Own,
        }],
        rank: 66,
        ..row(
            A::Retract,
            &[(L::Capture, "ctrl-x")],
            "retract the selected statement",
        )
    },
    row(
        A::RoomStatement,
        &[(L::Capture, "ctrl-o")],
        "every projector: the selected (or latest) statement full-screen / back",
    ),
    ActionDef {
        hints: &[hint("hand", &[L::Capture])],
        rank: 67,
        ..row(
            A::Hand,
            &[(L::Capture, "ctrl-w")],
            "the highlighted speaker wants to speak (queue on the projector) / not any more",
        )
    },
    ActionDef {
        hints: &[hint("park", &[L::Capture])],
        rank: 68,
        ..row(
            A::Park,
            &[(L::Capture, "ctrl-p")],
            "park the selected (or latest) statement for later / take it up again",
        )
    },
    ActionDef {
        hints: &[hint("action", &[L::Capture])],
        rank: 69,
        ..row(
            A::NewAction,
            &[(L::Capture, "ctrl-a")],
            "an action: what; who; by when (or “a1 done: how” for what became of one, “a1: words” to put it right)",
        )
    },
    ActionDef {
        hints: &[hint("find", &[L::Capture])],
        rank: 70,
        ..row(
            A::Find,
            &[(L::Capture, "ctrl-f")],
            "find a statement by its number or words, and select it (again: the next older)",
        )
    },
    ActionDef {
        hints: &[hint("words (private)", &[L::Capture, L::Synthesis])],
        // Shown only while a withheld statement is selected, and then the
        // one key that explains the placeholder: early in the line.
        rank: 21,
        available: Some(withheld_selected),
        ..row(
            A::Reveal,
            &[(L::Capture, "f8"), (L::Synthesis, "f8"), (L::Confirm, "f8")],
            "show a withheld statement's words here for ten seconds, marked PRIVATE (any key hides them)",
        )
    },
    row(
        A::Latecomer,
        &[(L::Capture, "ctrl-l")],
        "someone arrived late: role, name, consent yes/no, pseudonym",
    ),
    row(
        A::LeftOrBack,
        &[(L::Capture, "ctrl-d")],
        "the highlighted speaker left / came back",
    ),
    ActionDef {
        hints: &[Hint {
            layers: &[L::ReviewSession],
            label: "sessions",
            keys: HintKeys::Own,
        }],
        describe_in: &[
            (&[L::Help], "close (any key does)"),
            (&[L::Confirm, L::Quitting], "no: stay"),
            (&[L::ReviewFilter], "stop typing the filter"),
            (&[L::ReviewSession], "back to the sessions"),
            (&[L::NewSession], "back to the sessions"),
        ],
        rank: 111,
        ..row(
            A::Cancel,
            &[
                (L::Capture, "esc"),
                (L::Vote, "esc"),
                (L::Synthesis, "esc"),
                (L::Help, "esc"),
                (L::Confirm, "n"),
                (L::Confirm, "N"),
                (L::Confirm, "esc"),
                (L::Choose, "esc"),
                (L::Quitting, "n"),
                (L::Quitting, "N"),
                (L::Quitting, "esc"),
                (L::Prompt, "esc"),
                (L::ReviewFilter, "esc"),
                (L::ReviewSession, "esc"),
                (L::ReviewSession, "backspace"),
                (L::NewSession, "esc"),
            ],
            "cancel / clear",
        )
    },
    row(
        A::NextScreen,
        &[(L::Projector, "tab"), (L::Agenda, "tab"), (L::Vote, "tab")],
        "next screen",
    ),
    ActionDef {
        hints: &[hint("start", STAGE_SCREENS)],
        rank: 50,
        available: Some(no_stage),
        ..row(
            A::StartStage,
            &[(L::Projector, "s"), (L::Agenda, "s")],
            "start the next stage",
        )
    },
    ActionDef {
        hints: &[hint("pause", STAGE_SCREENS)],
        rank: 51,
        available: Some(stage_current),
        alternative: Some(("resume", paused)),
        ..row(
            A::PauseResume,
            &[(L::Projector, "space"), (L::Agenda, "space")],
            "pause / resume the stage",
        )
    },
    ActionDef {
        hints: &[hint("+1m", STAGE_SCREENS)],
        rank: 52,
        available: Some(stage_running),
        ..row(
            A::Extend1,
            &[(L::Projector, "+"), (L::Agenda, "+")],
            "extend by 1 minute",
        )
    },
    ActionDef {
        hints: &[hint("−1m", STAGE_SCREENS)],
        rank: 53,
        available: Some(stage_running),
        ..row(
            A::Shorten1,
            &[(L::Projector, "-"), (L::Agenda, "-")],
            "shorten by 1 minute",
        )
    },
    ActionDef {
        hints: &[hint("+5m", STAGE_SCREENS)],
        rank: 54,
        available: Some(stage_running),
        ..row(
            A::Extend5,
            &[(L::Projector, "]"), (L::Agenda, "]")],
            "extend by 5 minutes",
        )
    },
    row(
        A::Shorten5,
        &[(L::Projector, "["), (L::Agenda, "[")],
        "shorten by 5 minutes",
    ),
    ActionDef {
        hints: &[hint("next", STAGE_SCREENS)],
        rank: 55,
        available: Some(stage_current),
        ..row(
            A::NextStage,
            &[(L::Projector, "n"), (L::Agenda, "n")],
            "end this stage, go to the next",
        )
    },
    ActionDef {
        hints: &[hint("back", STAGE_SCREENS)],
        rank: 56,
        available: Some(can_go_back),
        ..row(
            A::PreviousStage,
            &[(L::Projector, "p"), (L::Agenda, "p")],
            "end this stage, go back to the previous",
        )
    },
    row(
        A::ToggleClock,
        &[(L::Projector, "c"), (L::Agenda, "c")],
        "the clock: time left / time used",
    ),
    ActionDef {
        hints: &[hint("skip", &[L::Agenda])],
        rank: 58,
        ..row(
            A::SkipStage,
            &[(L::Agenda, "x")],
            "skip the chosen stage to come / put it back",
        )
    },
    ActionDef {
        hints: &[Hint {
            layers: &[L::Agenda],
            label: "move",
            keys: HintKeys::Joined(&[A::MoveEarlier, A::MoveLater], ""),
        }],
        rank: 59,
        ..row(
            A::MoveEarlier,
            &[(L::Agenda, "<")],
            "move the chosen stage to come earlier",
        )
    },
    row(
        A::MoveLater,
        &[(L::Agenda, ">")],
        "move the chosen stage to come later",
    ),
    ActionDef {
        hints: &[hint("add", &[L::Agenda])],
        rank: 60,
        ..row(
            A::AddStage,
            &[(L::Agenda, "a")],
            "add a stage after the chosen one (title and minutes)",
        )
    },
    ActionDef {
        hints: &[hint("room: usual view", &[L::Projector])],
        rank: 57,
        available: Some(room_not_latest),
        ..row(
            A::RoomLatest,
            &[(L::Projector, "l")],
            "every projector: back to the stage and the latest statements",
        )
    },
    ActionDef {
        hints: &[hint("results", &[L::Projector])],
        rank: 124,
        available: Some(any_results),
        ..row(
            A::RoomResults,
            &[(L::Projector, "r")],
            "every projector: the latest results, large, with each role group's count / back",
        )
    },
    ActionDef {
        hints: &[hint("break", &[L::Projector])],
        rank: 125,
        alternative: Some(("end break", room_on_break)),
        ..row(
            A::RoomBreak,
            &[(L::Projector, "k")],
            "a break: pause the stage, every projector shows when to be back / end it",
        )
    },
    ActionDef {
        hints: &[hint("blank", &[L::Projector])],
        rank: 126,
        alternative: Some(("unblank", room_blank)),
        ..row(
            A::RoomBlank,
            &[(L::Projector, "b")],
            "every projector: the holding slide (title and focus) / back",
        )
    },
    ActionDef {
        hints: &[hint("hold", &[L::Projector])],
        rank: 127,
        alternative: Some(("release", room_frozen)),
        ..row(
            A::RoomFreeze,
            &[(L::Projector, "f")],
            "every projector: hold the view still while you prepare (a vote stays hidden) / release",
        )
    },
    ActionDef {
        hints: &[hint("summary", &[L::Projector])],
        rank: 128,
        ..row(
            A::RoomSummary,
            &[(L::Projector, "e")],
            "every projector: the end-of-session summary / back",
        )
    },
    ActionDef {
        hints: &[hint("remove a device", &[L::Projector])],
        rank: 129,
        available: Some(anyone_connected),
        ..row(
            A::RemoveDevice,
            &[(L::Projector, "d")],
            "disconnect a joined terminal; a laptop must use the join code again",
        )
    },
    ActionDef {
        hints: &[hint("method", &[L::Vote])],
        rank: 71,
        available: Some(no_round),
        ..row(A::CycleMethod, &[(L::Vote, "m")], "voting method")
    },
    ActionDef {
        hints: &[hint("target", &[L::Vote])],
        rank: 70,
        available: Some(no_round),
        ..row(
            A::CycleTarget,
            &[(L::Vote, "t")],
            "vote on: statement / interpretation / question",
        )
    },
    ActionDef {
        hints: &[hint("hands", &[L::Vote])],
        rank: 72,
        available: Some(no_round),
        ..row(
            A::ToggleCounted,
            &[(L::Vote, "c")],
            "ballots per person / show of hands / anonymous from phones",
        )
    },
    ActionDef {
        hints: &[hint("hidden", &[L::Vote])],
        rank: 73,
        available: Some(no_round),
        ..row(
            A::ToggleHidden,
            &[(L::Vote, "h")],
            "hide results until closed",
        )
    },
    row(
        A::ToggleNamed,
        &[(L::Vote, "w")],
        "who chose what: counts by role group only / shown by name (the group agrees; every projector says so)",
    ),
    ActionDef {
        hints: &[
            hint("results by", &[L::Vote]),
            hint("breakdown", &[L::ReviewSession]),
        ],
        describe_in: &[(
            &[L::ReviewSession],
            "votes, the grid and the measures by: role group / sector / level",
        )],
        rank: 76,
        available: Some(|m, _| {
            crate::domain::Breakdown::in_use(m.session.participants.values()).len() > 1
        }),
        ..row(
            A::ResultsBy,
            &[(L::Vote, "b"), (L::ReviewSession, "b")],
            "results by: role group / sector / level (on this screen)",
        )
    },
    ActionDef {
        hints: &[hint("question", &[L::Vote])],
        rank: 74,
        available: Some(no_round),
        ..row(
            A::EditQuestion,
            &[(L::Vote, "e")],
            "edit the question (options after |)",
        )
    },
    ActionDef {
        hints: &[hint("open", &[L::Vote])],
        rank: 75,
        available: Some(no_round),
        ..row(A::OpenRound, &[(L::Vote, "o")], "open the round")
    },
    ActionDef {
        hints: &[hint("close", &[L::Vote])],
        rank: 99,
        available: Some(round_open),
        ..row(
            A::CloseRound,
            &[(L::Vote, "x")],
            "close the round and reveal",
        )
    },
    ActionDef {
        hints: &[hint("agree", &[L::Vote])],
        rank: 93,
        available: Some(agree_round),
        ..row(A::Agree, &[(L::Vote, "a")], "agree")
    },
    ActionDef {
        hints: &[hint("disagree", &[L::Vote])],
        rank: 94,
        available: Some(agree_round),
        ..row(A::Disagree, &[(L::Vote, "d")], "disagree")
    },
    ActionDef {
        hints: &[hint("pass", &[L::Vote])],
        rank: 95,
        available: Some(agree_round),
        ..row(A::Pass, &[(L::Vote, "p")], "pass")
    },
    ActionDef {
        hints: &[hint("clear", &[L::Vote])],
        rank: 98,
        available: Some(dots_round),
        ..row(
            A::ClearBallot,
            &[(L::Vote, "backspace")],
            "clear this ballot",
        )
    },
    ActionDef {
        hints: &[hint("cast", &[L::Vote])],
        rank: 97,
        available: Some(cast_possible),
        ..row(
            A::CastBallot,
            &[(L::Vote, "enter")],
            "cast the ballot / record the tally",
        )
    },
    ActionDef {
        hints: &[hint("role", &[L::Vote])],
        rank: 92,
        available: Some(counted),
        ..row(
            A::CycleTallyRole,
            &[(L::Vote, "r")],
            "tally for which role group",
        )
    },
    ActionDef {
        hints: &[hint("+1", &[L::Vote])],
        rank: 90,
        available: Some(counted),
        ..row(A::CountUp, &[(L::Vote, "+")], "one more hand")
    },
    ActionDef {
        hints: &[hint("−1", &[L::Vote])],
        rank: 91,
        available: Some(counted),
        ..row(A::CountDown, &[(L::Vote, "-")], "one fewer hand")
    },
    ActionDef {
        family: Some(9),
        hints: &[hint("choose", &[L::Vote])],
        rank: 96,
        available: Some(scored_round),
        describe_in: &[(&[L::Choose], "the answer with that number")],
        ..row(
            A::Choice(1),
            &[(L::Vote, "1"), (L::Choose, "1")],
            "score, rung, option, dot or count",
        )
    },
    ActionDef {
        hints: &[hint("pane", &[L::Synthesis])],
        rank: 80,
        available: Some(linking),
        ..row(
            A::SwitchPane,
            &[(L::Synthesis, "tab")],
            "switch between concepts and statements",
        )
    },
    ActionDef {
        hints: &[hint("mark", &[L::Synthesis])],
        rank: 81,
        available: Some(linking),
        ..row(
            A::Mark,
            &[(L::Synthesis, "space")],
            "mark / unmark (several at once)",
        )
    },
    ActionDef {
        hints: &[
            hint("filter", &[L::Synthesis]),
            hint("filter", &[L::ReviewBrowser]),
        ],
        describe_in: &[(&[L::ReviewBrowser], "filter sessions by their words")],
        rank: 82,
        available: Some(linking),
        ..row(
            A::Filter,
            &[(L::Synthesis, "/"), (L::ReviewBrowser, "/")],
            "filter statements: words, #tag, P3, role:carer, sector:nhs, level:front, stage:S3",
        )
    },
    ActionDef {
        hints: &[hint("new concept", &[L::Synthesis])],
        rank: 83,
        available: Some(linking),
        ..row(A::NewConcept, &[(L::Synthesis, "n")], "new concept")
    },
    row(
        A::DefineCode,
        &[(L::Synthesis, "k")],
        "define a code in the codebook (#theme/subtheme Name | meaning), or redefine one",
    ),
    row(
        A::RenameConcept,
        &[(L::Synthesis, "r")],
        "rename the concept",
    ),
    row(
        A::DescribeConcept,
        &[(L::Synthesis, "e")],
        "describe the concept",
    ),
    ActionDef {
        hints: &[hint("link", &[L::Synthesis])],
        rank: 84,
        available: Some(linking),
        ..row(
            A::Link,
            &[(L::Synthesis, "l")],
            "link marked statements to the concept",
        )
    },
    row(
        A::Unlink,
        &[(L::Synthesis, "u")],
        "unlink marked statements from the concept",
    ),
    row(
        A::Merge,
        &[(L::Synthesis, "M")],
        "merge marked concepts into this one",
    ),
    row(
        A::Split,
        &[(L::Synthesis, "s")],
        "split marked statements into a new concept",
    ),
    ActionDef {
        hints: &[hint("reciprocal", &[L::Synthesis])],
        rank: 85,
        available: Some(linking),
        ..row(
            A::Reciprocal,
            &[(L::Synthesis, "1")],
            "reciprocal translation of marked concepts",
        )
    },
    ActionDef {
        hints: &[hint("refutational", &[L::Synthesis])],
        rank: 86,
        available: Some(linking),
        ..row(
            A::Refutational,
            &[(L::Synthesis, "2")],
            "refutational translation of marked concepts",
        )
    },
    ActionDef {
        hints: &[hint("line of arg.", &[L::Synthesis])],
        rank: 87,
        available: Some(linking),
        ..row(
            A::LineOfArgument,
            &[(L::Synthesis, "3")],
            "line of argument through marked concepts",
        )
    },
    ActionDef {
        hints: &[hint("draft", &[L::Synthesis])],
        rank: 88,
        available: Some(linking),
        ..row(
            A::Draft,
            &[(L::Synthesis, "d")],
            "draft an interpretation from what is marked",
        )
    },
    ActionDef {
        hints: &[hint("grid", &[L::Synthesis])],
        rank: 105,
        available: Some(|m, l| linking(m, l) || in_grid(m, l)),
        ..row(A::ShowGrid, &[(L::Synthesis, "g")], "translation grid")
    },
    ActionDef {
        hints: &[hint("interpretations", &[L::Synthesis])],
        rank: 106,
        available: Some(|m, l| linking(m, l) || interpreting(m, l)),
        ..row(
            A::ShowInterpretations,
            &[(L::Synthesis, "i")],
            "interpretations and provenance",
        )
    },
    row(
        A::GridColumnsBack,
        &[(L::Synthesis, "left")],
        "the grid's earlier columns, when they do not all fit",
    ),
    ActionDef {
        hints: &[Hint {
            layers: &[L::Synthesis],
            label: "more columns",
            keys: HintKeys::Joined(&[A::GridColumnsBack, A::GridColumnsOn], ""),
        }],
        rank: 31,
        available: Some(|m, l| in_grid(m, l) && m.grid_paged),
        ..row(
            A::GridColumnsOn,
            &[(L::Synthesis, "right")],
            "the grid's later columns",
        )
    },
    ActionDef {
        hints: &[hint("columns", &[L::Synthesis])],
        rank: 30,
        available: Some(in_grid),
        ..row(
            A::ToggleAccounts,
            &[(L::Synthesis, "a")],
            "grid columns: role groups / sectors / levels (a staff study's grid) / stages / cases",
        )
    },
    ActionDef {
        hints: &[hint("agree vote", &[L::Synthesis])],
        rank: 100,
        available: Some(|m, l| interpreting(m, l) && !m.workspace),
        ..row(
            A::VoteOnInterpretation,
            &[(L::Synthesis, "v")],
            "open an agree/disagree vote on it",
        )
    },
    ActionDef {
        hints: &[hint("resonance vote", &[L::Synthesis])],
        rank: 101,
        available: Some(|m, l| interpreting(m, l) && !m.workspace),
        ..row(
            A::ResonanceOnInterpretation,
            &[(L::Synthesis, "V")],
            "open a resonance vote on it",
        )
    },
    ActionDef {
        hints: &[hint("agreed", &[L::Synthesis])],
        rank: 102,
        available: Some(interpreting),
        ..row(
            A::MarkAgreed,
            &[(L::Synthesis, "A")],
            "record it as agreed (with a reason)",
        )
    },
    ActionDef {
        hints: &[hint("set aside", &[L::Synthesis])],
        rank: 103,
        available: Some(interpreting),
        ..row(
            A::SetAside,
            &[(L::Synthesis, "X")],
            "set it aside (with a reason)",
        )
    },
    ActionDef {
        hints: &[hint("rest on marked", &[L::Synthesis])],
        rank: 107,
        available: Some(interpreting),
        ..row(
            A::Reground,
            &[(L::Synthesis, "c")],
            "rest it on the marked concepts instead (take one out, or add one)",
        )
    },
    ActionDef {
        hints: &[hint("project", &[L::Synthesis])],
        rank: 104,
        available: Some(|m, l| (interpreting(m, l) || in_grid(m, l)) && !m.workspace),
        ..row(
            A::Present,
            &[(L::Synthesis, "p")],
            "show the interpretation, or the grid, on the projector / stop",
        )
    },
    row(
        A::Confirm,
        &[(L::Confirm, "y"), (L::Confirm, "Y"), (L::Confirm, "enter")],
        "yes",
    ),
    row(
        A::Rescue,
        &[
            (L::Quitting, "r"),
            (L::Quitting, "R"),
            (L::Quitting, "enter"),
        ],
        "write what is not saved to a rescue file beside the journal, then quit",
    ),
    row(
        A::QuitAnyway,
        &[(L::Quitting, "y"), (L::Quitting, "Y")],
        "quit and lose what is not saved",
    ),
    row(
        A::ToggleMemoKind,
        &[(L::Prompt, "tab")],
        "memo: process / reflexive note",
    ),
    row(
        A::ClearInput,
        &[(L::Prompt, "ctrl-u")],
        "clear what is typed",
    ),
    ActionDef {
        hints: &[hint("open", &[L::ReviewBrowser]), hint("run", &[L::Picker])],
        rank: 45,
        ..row(
            A::Open,
            &[(L::ReviewBrowser, "enter"), (L::Picker, "enter")],
            "open the chosen session",
        )
    },
    ActionDef {
        hints: &[hint("programme", &[L::ReviewBrowser])],
        rank: 90,
        ..row(
            A::Programme,
            &[(L::ReviewBrowser, "m")],
            "measures across the sessions listed (a programme)",
        )
    },
    ActionDef {
        hints: &[hint("sort", &[L::ReviewBrowser])],
        rank: 89,
        ..row(
            A::ToggleSort,
            &[(L::ReviewBrowser, "s")],
            "newest or oldest first",
        )
    },
    row(
        A::ScrubBack,
        &[(L::ReviewSession, "left")],
        "one record back",
    ),
    ActionDef {
        hints: &[Hint {
            layers: &[L::ReviewSession],
            label: "scrub 1",
            keys: HintKeys::Joined(&[A::ScrubBack, A::ScrubForward], ""),
        }],
        rank: 10,
        ..row(
            A::ScrubForward,
            &[(L::ReviewSession, "right")],
            "one record forward",
        )
    },
    row(
        A::ScrubBack10,
        &[(L::ReviewSession, "pageup")],
        "ten records back",
    ),
    ActionDef {
        hints: &[Hint {
            layers: &[L::ReviewSession],
            label: "10",
            keys: HintKeys::Joined(&[A::ScrubBack10, A::ScrubForward10], "/"),
        }],
        rank: 11,
        ..row(
            A::ScrubForward10,
            &[(L::ReviewSession, "pagedown")],
            "ten records forward",
        )
    },
    row(
        A::ScrubStart,
        &[(L::ReviewSession, "home")],
        "the first record",
    ),
    ActionDef {
        hints: &[Hint {
            layers: &[L::ReviewSession],
            label: "start/end",
            keys: HintKeys::Joined(&[A::ScrubStart, A::ScrubEnd], "/"),
        }],
        rank: 12,
        ..row(A::ScrubEnd, &[(L::ReviewSession, "end")], "the last record")
    },
    ActionDef {
        hints: &[Hint {
            layers: &[L::ReviewSession],
            label: "next/prev vote",
            keys: HintKeys::Joined(&[A::NextVote, A::PreviousVote], "/"),
        }],
        rank: 13,
        ..row(
            A::NextVote,
            &[(L::ReviewSession, "v")],
            "the next vote opened or closed",
        )
    },
    row(
        A::PreviousVote,
        &[(L::ReviewSession, "V")],
        "the previous vote opened or closed",
    ),
    ActionDef {
        hints: &[Hint {
            layers: &[L::ReviewSession],
            label: "view",
            keys: HintKeys::Joined(&[A::View(1), A::NextView], " "),
        }],
        rank: 14,
        ..row(A::NextView, &[(L::ReviewSession, "tab")], "the next view")
    },
    ActionDef {
        family: Some(7),
        ..row(
            A::View(1),
            &[(L::ReviewSession, "1")],
            "a view: timeline, agenda, statements, votes, synthesis, integrity, measures",
        )
    },
    ActionDef {
        hints: &[hint("reload", &[L::ReviewSession])],
        rank: 110,
        ..row(
            A::Reload,
            &[(L::ReviewSession, "r")],
            "read the session again",
        )
    },
    ActionDef {
        hints: &[hint("new session", &[L::Picker])],
        rank: 46,
        ..row(
            A::NewSession,
            &[(L::Picker, "n")],
            "create a session from a template",
        )
    },
    row(
        A::NextField,
        &[(L::NewSession, "tab"), (L::NewSession, "down")],
        "the next field",
    ),
    row(
        A::PreviousField,
        &[(L::NewSession, "backtab"), (L::NewSession, "up")],
        "the previous field",
    ),
    row(
        A::PreviousTemplate,
        &[(L::NewSession, "left")],
        "the previous template",
    ),
    row(
        A::NextTemplate,
        &[(L::NewSession, "right")],
        "the next template",
    ),
];

/// The row declaring `action` (a family member finds its family's row).
pub fn def(action: Action) -> Option<&'static ActionDef> {
    let base = match action {
        Action::Choice(_) => Action::Choice(1),
        Action::View(_) => Action::View(1),
        other => other,
    };
    ACTIONS.iter().find(|d| d.action == base)
}

impl Action {
    /// One sentence, for the help overlay and the README.
    pub fn describe(self) -> String {
        match self {
            Action::Choice(n) => format!("choice {n}"),
            Action::View(n) => format!("view {n}"),
            other => def(other).map_or_else(|| format!("{other:?}"), |d| d.describe.to_owned()),
        }
    }

    /// What the action does in `layer`, for the help overlay and the README.
    pub fn describe_in(self, layer: Layer) -> String {
        def(self)
            .and_then(|d| d.describe_in.iter().find(|(ls, _)| ls.contains(&layer)))
            .map_or_else(|| self.describe(), |(_, s)| (*s).to_owned())
    }

    /// The hint label in `layer`, if the action has one there.
    pub fn hint(self, layer: Layer) -> Option<&'static Hint> {
        def(self)?.hints.iter().find(|h| h.layers.contains(&layer))
    }
}
