//! Reading a list of certificate codes as people paste or export them: one
//! per line, or a spreadsheet's CSV with the code in any column.
//!
//! From each row we take the first cell that is shaped like a code (even a
//! mistyped one, so the typo can be reported). A first row with no such cell
//! is a header and is skipped; a later one is kept whole, to be reported as
//! not found rather than silently dropped.

use crate::certificates::code::{CertificateCode, CodeError};
use holdspace_app::dto::MAX_BULK_CODES;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeListError {
    #[error(
        "We found no certificate codes there. Please paste one code per line, or upload a CSV file with a column of codes."
    )]
    Empty,
    #[error("That list has {0} codes; we can check up to 10,000 at a time. Please split it into smaller lists.")]
    TooMany(usize),
    #[error("We couldn't read that file as text. Please save it as CSV (UTF-8) and try again.")]
    NotText,
}

fn code_shaped(cell: &str) -> bool {
    !matches!(CertificateCode::parse(cell), Err(CodeError::Malformed))
}

/// The codes of `text`, in order, as typed.
pub fn parse(text: &str) -> Result<Vec<String>, CodeListError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut codes = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let Ok(record) = record else {
            return Err(CodeListError::NotText);
        };
        let cells: Vec<&str> = record
            .iter()
            .flat_map(|cell| cell.split([';', '\t']))
            .map(str::trim)
            .filter(|cell| !cell.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        match cells.iter().find(|cell| code_shaped(cell)) {
            Some(code) => codes.push((*code).to_owned()),
            None if index == 0 => {}
            None => codes.push(cells.join(", ")),
        }
        if codes.len() > MAX_BULK_CODES {
            // Count the rest without keeping it, to say how long the list was.
            let rest = reader.records().count();
            return Err(CodeListError::TooMany(codes.len() + rest));
        }
    }
    if codes.is_empty() {
        Err(CodeListError::Empty)
    } else {
        Ok(codes)
    }
}

/// Uploaded text as a string. Spreadsheets start a file with a byte-order
/// mark, and pasted text followed by a file has one in the middle: all go.
pub fn decode(bytes: &[u8]) -> Result<String, CodeListError> {
    let text = std::str::from_utf8(bytes).map_err(|_| CodeListError::NotText)?;
    Ok(text.replace('\u{feff}', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> String {
        CertificateCode::generate().to_string()
    }

    #[test]
    fn one_code_per_line_keeps_order_and_skips_blank_lines() {
        let (a, b) = (code(), code());
        assert_eq!(parse(&format!("{a}\n\n  {b}  \n")).unwrap(), vec![a, b]);
    }

    #[test]
    fn a_csv_export_gives_its_code_column_and_skips_the_header() {
        let (a, b) = (code(), code());
        let text =
            format!("name,email,certificate\r\n\"Muñoz, Ana\",ana@example.org,{a}\r\nSam,sam@example.org,{b}\r\n");
        assert_eq!(parse(&text).unwrap(), vec![a, b]);
    }

    #[test]
    fn semicolon_and_tab_separated_exports_work_too() {
        let (a, b) = (code(), code());
        assert_eq!(parse(&format!("Ana;{a}\nSam\t{b}\n")).unwrap(), vec![a, b]);
    }

    #[test]
    fn a_typo_is_kept_to_be_reported_and_a_later_odd_row_is_not_dropped() {
        let good = code();
        let mut typo: Vec<char> = good.chars().collect();
        let last = typo.len() - 1;
        typo.swap(last - 1, last);
        let typo: String = typo.into_iter().collect();
        let rows = parse(&format!("{good}\n{typo}\nnot a code\n")).unwrap();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[2], "not a code");
    }

    #[test]
    fn empty_and_oversized_lists_are_refused_with_a_count() {
        assert_eq!(parse(" \n\n"), Err(CodeListError::Empty));
        let many: String = (0..MAX_BULK_CODES + 5).map(|_| "HS-0000-0000-00000\n").collect();
        assert_eq!(parse(&many), Err(CodeListError::TooMany(MAX_BULK_CODES + 5)));
        let exactly: String = (0..MAX_BULK_CODES).map(|_| "HS-0000-0000-00000\n").collect();
        assert_eq!(parse(&exactly).unwrap().len(), MAX_BULK_CODES);
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_binary_is_refused() {
        assert_eq!(decode("\u{feff}HS-1".as_bytes()).unwrap(), "HS-1");
        assert_eq!(decode("HS-1\n\u{feff}HS-2".as_bytes()).unwrap(), "HS-1\nHS-2");
        assert_eq!(decode(&[0xff, 0xfe, 0x00]), Err(CodeListError::NotText));
    }

    proptest::proptest! {
        /// Anything pasted or uploaded: codes, or a sentence, never a panic.
        #[test]
        fn any_list_reads_or_is_refused(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..1024)) {
            if let Ok(text) = decode(&bytes) {
                proptest::prop_assert!(!text.contains('\u{feff}'), "a byte-order mark is left");
                if let Ok(codes) = parse(&text) {
                    proptest::prop_assert!(!codes.is_empty() && codes.len() <= MAX_BULK_CODES);
                }
            }
        }
    }
}
