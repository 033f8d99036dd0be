//! What every HTML page roundtable writes shares: the stylesheet, text
//! escaped for HTML and SVG, and tables with captions and header scopes.

use maud::{DOCTYPE, Markup, PreEscaped, Render, html};

/// Text for HTML content and attributes: markup escaped, each line break
/// (LF, CRLF, CR, and a vertical tab, form feed, U+0085 or line separator:
/// `safe::is_break`) as `<br>`, and other control characters HTML forbids
/// left out (a bell in what someone typed).
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    esc_to(s, &mut o);
    o
}

pub(super) fn esc_to(s: &str, o: &mut String) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                o.push_str("<br>");
            }
            c if crate::safe::is_break(c) => o.push_str("<br>"),
            '\t' => o.push('\t'),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
}

/// What someone typed, as HTML: see [`esc`].
pub(super) struct Text<'a>(&'a str);

impl Render for Text<'_> {
    /// Isolated (`<bdi>`): right-to-left words, or a direction override
    /// left open in them, never reorder what is around them.
    fn render_to(&self, buffer: &mut String) {
        buffer.push_str("<bdi>");
        esc_to(&crate::safe::balance_bidi(self.0), buffer);
        buffer.push_str("</bdi>");
    }
}

pub(super) fn t(s: &str) -> Text<'_> {
    Text(s)
}

/// Text inside an SVG `<text>`: escaped, and on one line (SVG has no
/// `<br>`; a line break in a stage title would break the chart).
pub(super) fn svg_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || crate::safe::is_break(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

const CSS: &str = r#"
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;max-width:60rem;margin:2rem auto;padding:0 1rem;overflow-wrap:break-word}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2.2rem}
.focus{font-size:1.15rem;background:#fff6d5;border-left:6px solid #c90;padding:.6rem 1rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}.num{text-align:right;font-variant-numeric:tabular-nums}
.st{margin:.3rem 0 .3rem 1rem;overflow-wrap:anywhere}.id{font-family:ui-monospace,monospace;color:#555}.tag{font-size:.85rem;background:#e8eef8;border-radius:3px;padding:0 .3rem;margin-left:.2rem}
.note{color:#8a4b00;font-style:italic}.withdrawn{color:#595959;font-style:italic}
caption{text-align:left;font-weight:bold;padding:.2rem 0}
.scroll{overflow-x:auto}.scroll>svg{min-width:760px}
.bar{display:flex;align-items:center;gap:.5rem;margin:.15rem 0;break-inside:avoid}.bar .label{width:14rem;text-align:right}.bar svg{width:60%;height:1.1rem}
.interp{border:2px solid #333;padding:.6rem 1rem;margin:1rem 0}.status{font-weight:bold;text-transform:uppercase;font-size:.9rem}
.agreed{color:#0a6b2d}.set-aside{color:#8a4b00}.flag{color:#b00020;font-weight:bold}
.audit{font-family:ui-monospace,monospace;word-break:break-all}
@media print{body{margin:0;max-width:none;font-size:11pt}.scroll{overflow:visible}.scroll>svg{min-width:0}table{width:100%}th,td{overflow-wrap:anywhere;font-size:.85em}th.num{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;text-align:left;vertical-align:top}h2,h3,caption{break-after:avoid}h2,h3,tr,.st,.bars{break-inside:avoid}.framework tr{break-inside:auto}a{color:inherit}}
"#;

/// A table that scrolls sideways on a phone rather than being cut off,
/// with its caption, column headings and rows.
pub(super) fn table(caption: Markup, columns: &[(&str, bool)], rows: Markup) -> Markup {
    html! {
        div.scroll {
            table {
                caption { (caption) }
                thead { tr { @for (c, num) in columns { th scope="col" class=[num.then_some("num")] { (t(c)) } } } }
                tbody { (rows) }
            }
        }
    }
}

/// A whole self-contained page: its title, the stylesheet inline, `body`,
/// and a final line break.
pub(super) fn document(title: impl Render, body: Markup) -> String {
    document_with(title, CSS, body)
}

/// [`document`] with a stylesheet of its own (the easy-read report's).
pub(super) fn document_with(title: impl Render, css: &str, body: Markup) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (title) }
                style { (PreEscaped(css)) }
            }
            body { (body) }
        }
    };
    let mut o = page.into_string();
    o.push('\n');
    o
}
