//! Public certificate codes: `HS-7K2M-9QXD-4FTRW`.
//!
//! Twelve random Crockford base32 symbols (60 bits) and one check symbol.
//! Crockford's own check symbol is mod 37 and needs five extra characters
//! (`*~$=U`) that are hard to read aloud or type; instead the check is a
//! Damm-style check over GF(2⁵) using the same 32 symbols. With
//! `x ∘ y = a·x ⊕ y` (a ∉ {0, 1}) every single wrong symbol and every swap of
//! two neighbours changes the result, so a mistyped code is told apart from
//! an unknown one.
//!
//! Input is forgiving as Crockford intends: any case, dashes and spaces
//! ignored, `O` read as `0`, `I` and `L` read as `1`, the `HS` prefix optional.

use rand::RngCore;
use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RANDOM_SYMBOLS: usize = 12;
const PREFIX: &str = "HS";

/// A well-formed certificate code (its check symbol verified).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CertificateCode {
    /// The 13 symbols, without prefix or dashes.
    symbols: String,
}

/// Why typed text is not a certificate code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a certificate code has 13 letters and digits after HS-, like HS-7K2M-9QXD-4FTRW")]
    Malformed,
    #[error("this code has a typo: one character is wrong or two are swapped")]
    Typo,
}

/// Multiplication by `a = x` in GF(2⁵) modulo the primitive x⁵ + x² + 1.
fn times_a(value: u8) -> u8 {
    let shifted = value << 1;
    if shifted & 0b10_0000 != 0 {
        (shifted ^ 0b10_0101) & 0b1_1111
    } else {
        shifted
    }
}

/// The Damm interim value after `values`; a valid code ends at 0.
fn interim(values: impl IntoIterator<Item = u8>) -> u8 {
    values.into_iter().fold(0, |acc, v| times_a(acc) ^ v)
}

fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET.iter().position(|s| char::from(*s) == c).map(|p| p as u8)
}

impl CertificateCode {
    /// A new random code from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = [0u8; RANDOM_SYMBOLS];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self::from_random(bytes.map(|b| b & 0b1_1111))
    }

    fn from_random(values: [u8; RANDOM_SYMBOLS]) -> Self {
        // The check symbol c makes a·interim ⊕ c = 0, i.e. c = a·interim.
        let check = times_a(interim(values));
        let symbols = values
            .iter()
            .chain([&check])
            .map(|v| char::from(ALPHABET[*v as usize]))
            .collect();
        Self { symbols }
    }

    /// Reads a code as a person typed it.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let mut cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}'..='\u{2015}'))
            .collect();
        // `get`, not indexing: two bytes in may fall inside a character.
        if cleaned.len() == RANDOM_SYMBOLS + 1 + PREFIX.len()
            && cleaned
                .get(..PREFIX.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
        {
            cleaned.drain(..PREFIX.len());
        }
        let values: Vec<u8> = cleaned
            .chars()
            .map(symbol_value)
            .collect::<Option<_>>()
            .ok_or(CodeError::Malformed)?;
        if values.len() != RANDOM_SYMBOLS + 1 {
            return Err(CodeError::Malformed);
        }
        if interim(values.iter().copied()) != 0 {
            return Err(CodeError::Typo);
        }
        Ok(Self {
            symbols: values.iter().map(|v| char::from(ALPHABET[*v as usize])).collect(),
        })
    }

    /// The canonical symbols, as stored and looked up.
    pub fn as_key(&self) -> &str {
        &self.symbols
    }
}

impl fmt::Display for CertificateCode {
    /// `HS-XXXX-XXXX-XXXXX`: groups a person can read out and type back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.symbols;
        write!(f, "{PREFIX}-{}-{}-{}", &s[..4], &s[4..8], &s[8..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_read_back_and_look_right() {
        for _ in 0..200 {
            let code = CertificateCode::generate();
            let shown = code.to_string();
            assert_eq!(shown.len(), "HS-XXXX-XXXX-XXXXX".len());
            assert!(shown.starts_with("HS-"));
            assert_eq!(CertificateCode::parse(&shown), Ok(code));
        }
    }

    #[test]
    fn input_is_forgiving_about_case_dashes_and_look_alike_letters() {
        let code = CertificateCode::from_random([0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        let canonical = code.to_string();
        assert!(canonical.starts_with("HS-0112-"), "{canonical}");
        let sloppy = canonical
            .to_lowercase()
            .replace('-', " ")
            .replacen('0', "o", 1)
            .replacen('1', "l", 1)
            .replacen('1', "I", 1);
        assert_eq!(CertificateCode::parse(&sloppy), Ok(code.clone()));
        assert_eq!(CertificateCode::parse(code.as_key()), Ok(code));
    }

    #[test]
    fn every_single_wrong_symbol_is_a_typo() {
        let code = CertificateCode::generate();
        let symbols: Vec<char> = code.as_key().chars().collect();
        for i in 0..symbols.len() {
            for &replacement in ALPHABET {
                let replacement = char::from(replacement);
                if replacement == symbols[i] {
                    continue;
                }
                let mut typed = symbols.clone();
                typed[i] = replacement;
                let typed: String = typed.into_iter().collect();
                assert_eq!(CertificateCode::parse(&typed), Err(CodeError::Typo), "{typed}");
            }
        }
    }

    #[test]
    fn every_swap_of_neighbours_is_a_typo() {
        for _ in 0..200 {
            let code = CertificateCode::generate();
            let symbols: Vec<char> = code.as_key().chars().collect();
            for i in 0..symbols.len() - 1 {
                if symbols[i] == symbols[i + 1] {
                    continue;
                }
                let mut typed = symbols.clone();
                typed.swap(i, i + 1);
                let typed: String = typed.into_iter().collect();
                assert_eq!(CertificateCode::parse(&typed), Err(CodeError::Typo), "{typed}");
            }
        }
    }

    #[test]
    fn the_wrong_shape_is_malformed_not_a_typo() {
        for input in [
            "",
            "HS-",
            "HS-7K2M-9QXD",
            "HS-7K2M-9QXD-4FTRW-X",
            "HS-7K2M-9QXD-4FTR!",
            "HS-7K2M-9QXD-4FTRU",
            "Hé7K2M9QXD4FTR",
            "xĦ7K2M9QXD4FTR",
        ] {
            assert_eq!(CertificateCode::parse(input), Err(CodeError::Malformed), "{input}");
        }
    }
}
