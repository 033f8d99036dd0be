//! Every table as a sheet of one spreadsheet (`.xlsx`), for the researcher
//! who opens the tables in Excel or LibreOffice: opened as CSV, a
//! spreadsheet turns "3/4" into a date, "TRUE" into a boolean, "1e3" into
//! 1000, "007" into 7 and "(5)" into −5, and ignores the byte-order mark.
//! Here every text cell is typed as text (and formatted as text, so an edit
//! keeps it so), times are real date-times in UTC (said in the header),
//! counts and durations are numbers; each sheet's header row is frozen and
//! its columns sized to what they hold. Written by `rust_xlsxwriter`.

use super::csv::Table;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// Columns holding a time (RFC 3339, UTC): written as date-times.
const TIMES: [&str; 5] = ["captured_at", "at", "started", "ended", "at_utc"];
/// Columns holding a day: written as dates.
const DAYS: [&str; 2] = ["date", "date_utc"];
/// Columns holding a count or a duration: written as numbers.
const NUMBERS: [&str; 14] = [
    "position",
    "planned_seconds",
    "allowed_seconds",
    "actual_seconds",
    "pauses",
    "statements",
    "statements_withheld",
    "count",
    "of",
    "minutes",
    "hours",
    "records",
    "statement_count",
    "sessions",
];

/// Widest a column is made, in characters (longer words wrap in the cell).
const MAX_WIDTH: usize = 60;

/// The workbook: one sheet per table, named after its CSV file. `created`
/// (RFC 3339, UTC: the session's creation) is the workbook's own creation
/// time, so the same session gives the same bytes every time (the clock
/// would make every export differ).
pub fn workbook(tables: &[(&str, Table)], created: &str) -> Result<Vec<u8>, String> {
    write(tables, created).map_err(|e| e.to_string())
}

fn write(tables: &[(&str, Table)], created: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let when = ExcelDateTime::parse_from_str(created)
        .or_else(|_| ExcelDateTime::parse_from_str("2000-01-01T00:00:00Z"))?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&when));
    let text = Format::new().set_num_format("@");
    let head = Format::new().set_bold().set_num_format("@");
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    for (name, table) in tables {
        let sheet = book.add_worksheet();
        let stem: String = name.trim_end_matches(".csv").chars().take(31).collect();
        sheet.set_name(stem)?;
        let mut widths: Vec<usize> = Vec::with_capacity(table.header.len());
        for (c, h) in table.header.iter().enumerate() {
            let shown = match TIMES.contains(&h.as_str()) || DAYS.contains(&h.as_str()) {
                true => format!("{h} (UTC)"),
                false => h.clone(),
            };
            widths.push(shown.chars().count());
            sheet.write_string_with_format(0, col(c), shown, &head)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let kind = table.header.get(c).map_or("", String::as_str);
                let at = col(c);
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(cell.lines().map(|l| l.chars().count()).max().unwrap_or(0));
                }
                if cell.is_empty() {
                    continue;
                }
                match (
                    TIMES.contains(&kind),
                    DAYS.contains(&kind),
                    NUMBERS.contains(&kind),
                ) {
                    (true, _, _) if let Ok(t) = ExcelDateTime::parse_from_str(cell) => {
                        sheet.write_datetime_with_format(r, at, &t, &time)?;
                    }
                    (_, true, _) if let Ok(d) = ExcelDateTime::parse_from_str(cell) => {
                        sheet.write_datetime_with_format(r, at, &d, &day)?;
                    }
                    (_, _, true) if let Some(n) = number(cell) => {
                        sheet.write_number(r, at, n)?;
                    }
                    // What someone typed, as they typed it: controls shown
                    // visibly, as in every other export.
                    _ => {
                        sheet.write_string_with_format(r, at, crate::safe::cell(cell), &text)?;
                    }
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(col(c), (*w).clamp(6, MAX_WIDTH) as f64 + 2.0)?;
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A count or duration as written in the tables, if it is one.
fn number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|n| n.is_finite())
}
