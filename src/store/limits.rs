//! Caps applied to anything read from disk, before it is parsed.

/// Longest journal line (one record).
pub const MAX_LINE: usize = 1 << 20;
/// Largest journal file that can be read.
pub const MAX_JOURNAL: u64 = 4 << 30;
/// Largest journal the appender writes: well short of what can be read, so
/// a session can always be opened again, whatever it grew to.
pub const MAX_JOURNAL_WRITE: u64 = MAX_JOURNAL - (256 << 20);
// Room for far more than the largest record between the two.
const _: () = assert!(MAX_JOURNAL - MAX_JOURNAL_WRITE >= 64 * MAX_LINE as u64);
/// Largest snapshot file.
pub const MAX_SNAPSHOT: u64 = 1 << 30;
/// Largest template, participants or keymap file.
pub const MAX_SMALL_FILE: u64 = 1 << 20;
/// Deepest bracket nesting accepted in any RON text. Real records nest about
/// eight levels; the cap keeps the parser's recursion far from the stack's end.
pub const MAX_DEPTH: usize = 64;

/// Checks that brackets outside string literals nest at most `MAX_DEPTH`
/// deep. Returns the 1-based line and column where the limit is passed.
pub fn check_depth(text: &str) -> Result<(), (usize, usize)> {
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        col += 1;
        if c == '\n' {
            line += 1;
            col = 0;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err((line, col));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Most characters of someone's input an error message quotes.
pub const MAX_QUOTE: usize = 80;

/// An error message with every quoted piece of input (between backticks or
/// double quotes) cut to [`MAX_QUOTE`] characters: a bad 100 KB line is
/// named, not echoed back.
pub fn shorten_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut quote: Option<char> = None;
    let mut quoted = 0usize;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {
                quoted += 1;
                if quoted <= MAX_QUOTE {
                    out.push(c);
                } else if quoted == MAX_QUOTE + 1 {
                    out.push('…');
                }
            }
            None => {
                if c == '`' || c == '"' {
                    quote = Some(c);
                    quoted = 0;
                }
                out.push(c);
            }
        }
    }
    out
}

/// The text of a file (without a leading byte-order mark, which some
/// editors on Windows add), or the 1-based line holding its first byte that
/// is not UTF-8.
pub fn utf8_or_line(bytes: &[u8]) -> Result<&str, usize> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    })
}

/// The 1-based line where `needle` first appears in `text` (1 if nowhere).
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_input_is_cut_short_and_a_bom_is_skipped() {
        let long = "x".repeat(100_000);
        let m = shorten_quotes(&format!("`{long}` is not a key; neither is \"{long}\""));
        assert!(m.len() < 300, "{}", m.len());
        assert!(
            m.starts_with(&format!("`{}…`", "x".repeat(MAX_QUOTE))),
            "{m}"
        );
        assert!(m.contains(" is not a key; neither is \""), "{m}");
        assert_eq!(utf8_or_line(b"\xEF\xBB\xBF[1]"), Ok("[1]"));
    }

    #[test]
    fn depth_counts_only_outside_strings() {
        assert!(check_depth(&"(".repeat(MAX_DEPTH)).is_ok());
        assert_eq!(
            check_depth(&"[".repeat(MAX_DEPTH + 1)),
            Err((1, MAX_DEPTH + 1))
        );
        let quoted = format!("\"{}\"", "(".repeat(1000));
        assert!(check_depth(&quoted).is_ok());
        let escaped_quote = format!("\"\\\"{}\"", "(".repeat(1000));
        assert!(check_depth(&escaped_quote).is_ok());
    }
}
