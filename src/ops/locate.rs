//! Finding a session folder, naming a new one, and the computer's clock.

use crate::domain::Timestamp;
use crate::store::{StoreError, journal::JOURNAL};
use std::path::{Path, PathBuf};

/// Finds a session by path or by folder name under the sessions folder.
pub fn resolve(sessions: &Path, name: &str) -> Result<PathBuf, StoreError> {
    let direct = PathBuf::from(name);
    if direct.join(JOURNAL).exists() {
        return Ok(direct);
    }
    let dir = sessions.join(name);
    if dir.join(JOURNAL).exists() {
        return Ok(dir);
    }
    Err(StoreError::Invalid {
        path: dir,
        reason: format!(
            "there is no session `{name}` here (no journal.ron); `roundtable list` shows the sessions in {}",
            sessions.display()
        ),
    })
}

/// The computer's clock, as the record writes time.
pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp::from_unix_millis(ms)
}

/// A folder name from a date and a title: `2026-03-14-cag-findings`.
/// The plain letters a lower-case letter with a mark is written with in a
/// folder name; empty for anything else.
fn ascii_letters(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'æ' => "ae",
        'ç' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'œ' => "oe",
        'ß' => "ss",
        'š' | 'ś' => "s",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => "u",
        'ý' | 'ÿ' => "y",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ð' => "d",
        'þ' => "th",
        _ => "",
    }
}

pub fn slug(date: &str, title: &str) -> String {
    let mut s = String::from(date);
    let mut dash = true;
    for c in title.chars().flat_map(char::to_lowercase) {
        // A letter with a mark keeps its letter (`café`, `samråd`, `vården`
        // make `cafe`, `samrad`, `varden`), never a gap.
        let plain = ascii_letters(c);
        if !plain.is_empty() {
            if dash {
                s.push('-');
            }
            s.push_str(plain);
            dash = false;
        } else if c.is_ascii_alphanumeric() {
            if dash {
                s.push('-');
            }
            s.push(c);
            dash = false;
        } else {
            dash = true;
        }
        if s.len() >= 60 {
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn a_title_with_marks_keeps_its_letters_in_the_folder_name() {
        assert_eq!(
            slug("2025-11-04", "Case 2: memory café"),
            "2025-11-04-case-2-memory-cafe"
        );
        assert_eq!(
            slug("2026-02-01", "Samråd om vården — Östergötland"),
            "2026-02-01-samrad-om-varden-ostergotland"
        );
    }
}
