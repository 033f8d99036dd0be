//! Moving around the synthesis screen: views, panes, the cursor, marks and the filter.

use super::*;

pub(super) fn action(app: &mut App, session: &Session, action: Action) {
    let n_statements = listing(app, session, &app.synthesis.filter).len();
    let has_sources = !app.sources.is_empty();
    let st = &mut app.synthesis;
    match action {
        Action::ShowGrid => {
            st.view = if st.view == SynthView::Grid {
                SynthView::Link
            } else {
                SynthView::Grid
            };
            st.scroll = 0;
        }
        Action::ShowInterpretations => {
            st.view = if st.view == SynthView::Interpretations {
                SynthView::Link
            } else {
                SynthView::Interpretations
            };
            st.scroll = 0;
        }
        Action::ToggleAccounts => {
            let mut offered = Accounts::offered(session);
            if has_sources && !offered.contains(&Accounts::Sessions) {
                offered.push(Accounts::Sessions);
            }
            let i = offered
                .iter()
                .position(|a| *a == st.accounts)
                .map_or(0, |i| i + 1);
            st.accounts = offered[i % offered.len()];
            st.column = 0;
        }
        // The view keeps the first column shown within the grid.
        Action::GridColumnsBack => st.column = st.column.saturating_sub(1),
        Action::GridColumnsOn => {
            let (shown, of) = st.columns_fit.get();
            st.column = (st.column + 1).min(of.saturating_sub(shown));
        }
        Action::SwitchPane => {
            st.pane = match st.pane {
                Pane::Concepts => Pane::Statements,
                Pane::Statements => Pane::Concepts,
            }
        }
        Action::SelectUp | Action::SelectDown => {
            let down = action == Action::SelectDown;
            let step = |i: usize, n: usize| {
                if down {
                    (i + 1).min(n.saturating_sub(1))
                } else {
                    i.saturating_sub(1)
                }
            };
            match (st.view, st.pane) {
                (SynthView::Grid, _) => {
                    st.scroll = if down {
                        st.scroll + 1
                    } else {
                        st.scroll.saturating_sub(1)
                    }
                }
                (SynthView::Interpretations, Pane::Statements) => {
                    st.scroll = if down {
                        st.scroll + 1
                    } else {
                        st.scroll.saturating_sub(1)
                    }
                }
                (SynthView::Interpretations, Pane::Concepts) => {
                    st.interpretation = step(st.interpretation, session.interpretations.len());
                    st.scroll = 0;
                }
                (SynthView::Link, Pane::Concepts) => {
                    st.concept = step(st.concept, active_concepts(session).len())
                }
                (SynthView::Link, Pane::Statements) => {
                    st.statement = step(st.statement, n_statements)
                }
            }
        }
        Action::Mark => match st.pane {
            // As among statements: marked, and on to the next.
            Pane::Concepts => {
                if let Some(c) = current_concept(app, session) {
                    toggle(&mut app.synthesis.marked_concepts, c);
                    let n = active_concepts(session).len();
                    app.synthesis.concept = (app.synthesis.concept + 1).min(n.saturating_sub(1));
                }
            }
            Pane::Statements => {
                if let Some(s) = current_statement(app, session) {
                    toggle(&mut app.synthesis.marked_statements, s);
                    app.synthesis.statement =
                        (app.synthesis.statement + 1).min(n_statements.saturating_sub(1));
                }
            }
        },
        Action::Cancel => {
            st.marked_concepts.clear();
            st.marked_statements.clear();
            st.filter.clear();
            app.say(Tone::Info, "marks and filter cleared");
        }
        Action::Filter => {
            let f = app.synthesis.filter.clone();
            ask(app, Ask::Filter, &f);
        }
        _ => {}
    }
}
