//! Kazakh identification numbers of inviting parties: the BIN of an organisation and the IIN of
//! an individual, both 12 digits ending in the official check digit.

use std::fmt;

/// A business identification number (BIN) or individual identification number (IIN).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaxId(String);

/// Whether the number belongs to an organisation or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyKind {
    /// A legal entity with a BIN.
    Organisation,
    /// A natural person with an IIN.
    Individual,
}

/// Why a text is not a BIN or IIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TaxIdError {
    /// Not exactly 12 digits.
    #[error("a BIN or IIN is 12 digits")]
    Format,
    /// The last digit is not the check digit of the first eleven.
    #[error("the check digit does not match")]
    CheckDigit,
    /// The digits do not describe this kind of party.
    #[error("the number does not belong to this kind of party")]
    Kind,
}

impl PartyKind {
    /// Parses `organisation` or `individual`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "organisation" => Some(Self::Organisation),
            "individual" => Some(Self::Individual),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Individual => "individual",
        }
    }
}

impl TaxId {
    /// Parses 12 digits (spaces ignored) and checks the check digit, whatever the kind.
    pub fn parse(text: &str) -> Result<Self, TaxIdError> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TaxIdError::Format);
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        match check_digit(&d[..11]) {
            Some(check) if check == d[11] => Ok(Self(digits)),
            _ => Err(TaxIdError::CheckDigit),
        }
    }

    /// Parses a number of a given kind: an IIN starts with a date of birth and a century digit
    /// 1–6; a BIN has the entity type 4, 5 or 6 in its fifth digit.
    pub fn parse_for(text: &str, kind: PartyKind) -> Result<Self, TaxIdError> {
        let id = Self::parse(text)?;
        let d = id.0.as_bytes();
        let fits = match kind {
            PartyKind::Organisation => matches!(d[4], b'4'..=b'6'),
            PartyKind::Individual => {
                let two = |i: usize| (d[i] - b'0') * 10 + (d[i + 1] - b'0');
                matches!(d[6], b'1'..=b'6')
                    && (1..=12).contains(&two(2))
                    && (1..=31).contains(&two(4))
            }
        };
        if fits { Ok(id) } else { Err(TaxIdError::Kind) }
    }

    /// The twelve digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The official algorithm: weights 1–11 modulo 11; if that gives 10, weights 3–11, 1, 2; if that
/// gives 10 again, no number with these eleven digits is issued.
fn check_digit(first: &[u32]) -> Option<u32> {
    const FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let sum = |weights: &[u32; 11]| first.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11;
    match sum(&FIRST) {
        10 => Some(sum(&SECOND)).filter(|c| *c != 10),
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_with_the_official_check_digit() {
        let cases = [
            ("180240012342", Ok("180240012342")),
            ("1802 4001 2342", Ok("180240012342")),
            ("180240012343", Err(TaxIdError::CheckDigit)),
            ("18024001234", Err(TaxIdError::Format)),
            ("18024001234a", Err(TaxIdError::Format)),
            // 74081250012: the first weights give 10, the second give 4.
            ("740812500124", Ok("740812500124")),
        ];
        for (input, expected) in cases {
            let got = TaxId::parse(input);
            assert_eq!(
                got.as_ref().map(TaxId::as_str).map_err(|e| *e),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn the_kind_of_party_must_fit_the_digits() {
        assert!(TaxId::parse_for("180240012342", PartyKind::Organisation).is_ok());
        assert_eq!(
            TaxId::parse_for("180240012342", PartyKind::Individual),
            Err(TaxIdError::Kind)
        );
        assert!(TaxId::parse_for("740812500124", PartyKind::Individual).is_ok());
        assert_eq!(
            TaxId::parse_for("740812500124", PartyKind::Organisation),
            Err(TaxIdError::Kind)
        );
    }
}
