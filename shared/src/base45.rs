//! Base45 (RFC 9285): the text form of the token, chosen because every character is in the QR
//! alphanumeric mode and can be typed by a keyboard-wedge scanner.
//!
//! Decoding is strict: lowercase letters, characters outside the alphabet, a dangling single
//! character and triples worth more than 65535 are all refused rather than repaired.

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Why a text is not Base45.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Base45Error {
    /// A character outside the 45-character alphabet (lowercase letters included).
    #[error("character {position} is not in the Base45 alphabet")]
    Character {
        /// Zero-based index of the offending character.
        position: usize,
    },
    /// The length leaves one character over, which encodes nothing.
    #[error("the Base45 text has a dangling character at the end")]
    Length,
    /// A group of three characters encodes a value above 65535.
    #[error("the Base45 group at character {position} is out of range")]
    Overflow {
        /// Zero-based index of the group's first character.
        position: usize,
    },
}

/// Encodes bytes as Base45 text.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    let mut push = |value: usize| out.push(char::from(ALPHABET[value % 45]));
    for pair in bytes.chunks(2) {
        match *pair {
            [a, b] => {
                let n = usize::from(a) * 256 + usize::from(b);
                push(n);
                push(n / 45);
                push(n / (45 * 45));
            }
            [a] => {
                let n = usize::from(a);
                push(n);
                push(n / 45);
            }
            _ => {}
        }
    }
    out
}

/// Decodes Base45 text, refusing anything RFC 9285 does not produce.
pub fn decode(text: &str) -> Result<Vec<u8>, Base45Error> {
    let digits = text
        .bytes()
        .enumerate()
        .map(|(position, c)| value_of(c).ok_or(Base45Error::Character { position }))
        .collect::<Result<Vec<u32>, _>>()?;
    if digits.len() % 3 == 1 {
        return Err(Base45Error::Length);
    }
    let mut out = Vec::with_capacity(digits.len() / 3 * 2 + 1);
    for (index, group) in digits.chunks(3).enumerate() {
        let position = index * 3;
        match *group {
            [c, d, e] => {
                let n = c + d * 45 + e * 45 * 45;
                let n = u16::try_from(n).map_err(|_| Base45Error::Overflow { position })?;
                out.extend_from_slice(&n.to_be_bytes());
            }
            [c, d] => {
                let n = c + d * 45;
                let n = u8::try_from(n).map_err(|_| Base45Error::Overflow { position })?;
                out.push(n);
            }
            _ => return Err(Base45Error::Length),
        }
    }
    Ok(out)
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a == c)
        .and_then(|p| u32::try_from(p).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], text: &str) {
        assert_eq!(encode(bytes), text);
        assert_eq!(decode(text).as_deref(), Ok(bytes));
    }

    #[test]
    fn rfc_9285_examples_round_trip() {
        check(b"AB", "BB8");
        check(b"Hello!!", "%69 VD92EX0");
        check(b"base-45", "UJCLQE7W581");
        check(b"ietf!", "QED8WEX0");
        check(b"", "");
    }

    #[test]
    fn malformed_text_is_refused() {
        assert_eq!(decode("GGW"), Err(Base45Error::Overflow { position: 0 }));
        assert_eq!(decode("ZZZ"), Err(Base45Error::Overflow { position: 0 }));
        assert_eq!(decode("BB8A"), Err(Base45Error::Length));
        assert_eq!(decode("bb8"), Err(Base45Error::Character { position: 0 }));
        assert_eq!(decode("BB8\n"), Err(Base45Error::Character { position: 3 }));
        assert_eq!(decode(":Z"), Err(Base45Error::Overflow { position: 0 }));
    }
}
