//! The names of what a key can do, and of the layers keys are read in.
//! What each action does is declared in [`super::actions`]; its handler
//! lives with the screen it belongs to.

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
    pub const ALL: [Layer; 15] = [
        Layer::Global,
        Layer::Projector,
        Layer::Agenda,
        Layer::Capture,
        Layer::Vote,
        Layer::Synthesis,
        Layer::Help,
        Layer::Confirm,
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
    /// Open the chosen session (review, picker).
    Open,
    /// Review: newest or oldest first.
    ToggleSort,
    ScrubBack,
    ScrubForward,
    ScrubBack10,
    ScrubForward10,
    ScrubStart,
    ScrubEnd,
    NextVote,
    PreviousVote,
    NextView,
    /// 1 to 6: a view of the session under review.
    View(u8),
    Reload,
    NewSession,
    NextField,
    PreviousField,
    PreviousTemplate,
    NextTemplate,
}
