//! What the action table says on screen: the bottom line's hints, the
//! help overlay's list, and the README's key table.

use super::actions::{ACTIONS, ActionDef, Hint, HintKeys, HintState, def};
use super::actions::{Action, Layer};
use super::keymap::Keymap;

/// The bottom line's hints in `layer`, in order: the keys as shown and the
/// label. On the five screens `model` says which are worth showing now;
/// elsewhere every hint is shown.
pub fn hints(
    keymap: &Keymap,
    layer: Layer,
    model: Option<&HintState>,
) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(&ActionDef, &Hint)> = ACTIONS
        .iter()
        .filter_map(|d| Some((d, d.hints.iter().find(|h| h.layers.contains(&layer))?)))
        .filter(|(d, _)| match (d.available, model) {
            (Some(when), Some(m)) => when(m, layer),
            _ => true,
        })
        .collect();
    rows.sort_by_key(|(d, _)| d.rank);
    rows.into_iter()
        .filter_map(|(d, h)| {
            let keys = match h.keys {
                HintKeys::Own => keymap.shown(layer, d.action)?,
                HintKeys::Joined(actions, sep) => actions
                    .iter()
                    .map(|a| keymap.shown(layer, *a))
                    .collect::<Option<Vec<_>>>()?
                    .join(sep),
            };
            let label = match (d.alternative, model) {
                (Some((alt, when)), Some(m)) if when(m, layer) => alt,
                _ => h.label,
            };
            Some((keys, label))
        })
        .collect()
}

/// The help overlay's lines for `layer`: each binding's key (a family's
/// keys together, `1-9`) and what it does there; on a screen, the global
/// keys after its own.
pub fn help_lines(keymap: &Keymap, layer: Layer) -> Vec<(String, String)> {
    describe_bindings(keymap, layer, keymap.for_layer(layer))
}

fn describe_bindings(
    keymap: &Keymap,
    layer: Layer,
    bindings: Vec<&super::keymap::Binding>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen = Vec::new();
    for b in bindings {
        if matches!(b.action, Action::Choice(_) | Action::View(_)) {
            if matches!(b.action, Action::Choice(1) | Action::View(1)) {
                let shown = keymap.shown(b.layer, b.action).unwrap_or_default();
                let what = def(b.action).map(|d| d.describe).unwrap_or_default();
                out.push((shown, what.to_owned()));
            }
            continue;
        }
        if seen.contains(&(b.key, b.action)) {
            continue;
        }
        seen.push((b.key, b.action));
        out.push((b.key.to_string(), b.action.describe_in(layer)));
    }
    out
}

/// Every key in every layer as Markdown: the README's key table and
/// `roundtable keys` print this, and a test keeps the README equal to it.
pub fn markdown_table(keymap: &Keymap) -> String {
    let mut out = String::new();
    for layer in Layer::ALL {
        let own = keymap
            .bindings
            .iter()
            .filter(|b| b.layer == layer)
            .collect();
        let lines = describe_bindings(keymap, layer, own);
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "**{}**\n\n| key | does |\n|---|---|\n",
            capitalise(layer.title())
        ));
        for (key, what) in lines {
            let key = key.replace('|', "\\|");
            out.push_str(&format!("| `{key}` | {what} |\n"));
        }
        out.push('\n');
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
