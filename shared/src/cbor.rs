//! The small, strict subset of CBOR (RFC 8949) that the token uses.
//!
//! General CBOR libraries accept trailing bytes, indefinite lengths, non-minimal heads and unknown
//! fields; a signature format should accept exactly one encoding of each value. This module writes
//! core deterministic encoding (RFC 8949 §4.2.1) and its reader refuses everything else, so a token
//! has one byte form and the reader never allocates more than the input it was given.

/// Why bytes are not the CBOR we expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CborError {
    /// The input ended inside an item.
    #[error("the data ends too early (byte {offset})")]
    Truncated {
        /// Where the missing item starts.
        offset: usize,
    },
    /// An item of another type than the format requires at this place.
    #[error("unexpected CBOR item at byte {offset}")]
    Unexpected {
        /// Where the item starts.
        offset: usize,
    },
    /// A head that is not the shortest form, an indefinite length or a reserved value.
    #[error("non-canonical CBOR at byte {offset}")]
    NonCanonical {
        /// Where the item starts.
        offset: usize,
    },
    /// A text string that is not UTF-8.
    #[error("text at byte {offset} is not UTF-8")]
    Utf8 {
        /// Where the item starts.
        offset: usize,
    },
    /// Bytes left over after the last item.
    #[error("{count} trailing bytes after the data")]
    Trailing {
        /// How many bytes were left.
        count: usize,
    },
}

const UNSIGNED: u8 = 0;
const NEGATIVE: u8 = 1;
const BYTES: u8 = 2;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;
const MAP: u8 = 5;
const TAG: u8 = 6;

/// Appends canonical CBOR items to a buffer.
#[derive(Debug, Default)]
pub struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// A signed integer.
    pub fn int(&mut self, value: i64) -> &mut Self {
        match u64::try_from(value) {
            Ok(n) => self.head(UNSIGNED, n),
            // -1 - value is non-negative for every negative i64.
            Err(_) => self.head(NEGATIVE, (-1 - i128::from(value)) as u64),
        }
    }

    /// An unsigned integer.
    pub fn uint(&mut self, value: u64) -> &mut Self {
        self.head(UNSIGNED, value)
    }

    /// A byte string.
    pub fn bytes(&mut self, value: &[u8]) -> &mut Self {
        self.head(BYTES, value.len() as u64);
        self.out.extend_from_slice(value);
        self
    }

    /// A text string.
    pub fn text(&mut self, value: &str) -> &mut Self {
        self.head(TEXT, value.len() as u64);
        self.out.extend_from_slice(value.as_bytes());
        self
    }

    /// The head of an array of `len` items; the items follow.
    pub fn array(&mut self, len: usize) -> &mut Self {
        self.head(ARRAY, len as u64)
    }

    /// The head of a map of `len` pairs; the keys and values follow.
    pub fn map(&mut self, len: usize) -> &mut Self {
        self.head(MAP, len as u64)
    }

    /// A tag; the tagged item follows.
    pub fn tag(&mut self, tag: u64) -> &mut Self {
        self.head(TAG, tag)
    }

    fn head(&mut self, major: u8, n: u64) -> &mut Self {
        let m = major << 5;
        // Each arm's value fits the width it is cast to, which is the point of the match.
        match n {
            0..=23 => self.out.push(m | n as u8),
            24..=0xff => self.out.extend_from_slice(&[m | 24, n as u8]),
            0x100..=0xffff => {
                self.out.push(m | 25);
                self.out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                self.out.push(m | 26);
                self.out.extend_from_slice(&(n as u32).to_be_bytes());
            }
            _ => {
                self.out.push(m | 27);
                self.out.extend_from_slice(&n.to_be_bytes());
            }
        }
        self
    }
}

/// Reads canonical CBOR items from untrusted bytes, one expected type at a time.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at the first byte.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    /// Checks that every byte was consumed.
    pub fn finish(self) -> Result<(), CborError> {
        match self.data.len() - self.pos {
            0 => Ok(()),
            count => Err(CborError::Trailing { count }),
        }
    }

    /// The major type of the next item, without consuming it.
    pub fn peek_major(&self) -> Result<u8, CborError> {
        self.data
            .get(self.pos)
            .map(|b| b >> 5)
            .ok_or(CborError::Truncated { offset: self.pos })
    }

    /// Whether every byte was consumed.
    pub fn is_empty(&self) -> bool {
        self.pos == self.data.len()
    }

    /// An unsigned integer.
    pub fn uint(&mut self) -> Result<u64, CborError> {
        self.expect(UNSIGNED)
    }

    /// A signed integer that fits in an `i64`.
    pub fn int(&mut self) -> Result<i64, CborError> {
        let offset = self.pos;
        match self.peek_major()? {
            UNSIGNED => {
                let n = self.expect(UNSIGNED)?;
                i64::try_from(n).map_err(|_| CborError::Unexpected { offset })
            }
            NEGATIVE => {
                let n = self.expect(NEGATIVE)?;
                i64::try_from(n)
                    .map(|n| -1 - n)
                    .map_err(|_| CborError::Unexpected { offset })
            }
            _ => Err(CborError::Unexpected { offset }),
        }
    }

    /// A byte string, borrowed from the input.
    pub fn bytes(&mut self) -> Result<&'a [u8], CborError> {
        let len = self.expect(BYTES)?;
        self.take(len)
    }

    /// A text string, borrowed from the input.
    pub fn text(&mut self) -> Result<&'a str, CborError> {
        let offset = self.pos;
        let len = self.expect(TEXT)?;
        let raw = self.take(len)?;
        std::str::from_utf8(raw).map_err(|_| CborError::Utf8 { offset })
    }

    /// The length of an array whose items follow.
    pub fn array(&mut self) -> Result<u64, CborError> {
        self.expect(ARRAY)
    }

    /// The number of pairs of a map whose keys and values follow.
    pub fn map(&mut self) -> Result<u64, CborError> {
        self.expect(MAP)
    }

    /// A tag number; the tagged item follows.
    pub fn tag(&mut self) -> Result<u64, CborError> {
        self.expect(TAG)
    }

    fn take(&mut self, len: u64) -> Result<&'a [u8], CborError> {
        let offset = self.pos;
        let len = usize::try_from(len).map_err(|_| CborError::Truncated { offset })?;
        let end = offset
            .checked_add(len)
            .filter(|&end| end <= self.data.len())
            .ok_or(CborError::Truncated { offset })?;
        self.pos = end;
        Ok(&self.data[offset..end])
    }

    /// Reads a head of the given major type and returns its argument.
    fn expect(&mut self, major: u8) -> Result<u64, CborError> {
        let offset = self.pos;
        let initial = *self
            .data
            .get(offset)
            .ok_or(CborError::Truncated { offset })?;
        if initial >> 5 != major {
            return Err(CborError::Unexpected { offset });
        }
        self.pos += 1;
        let info = initial & 0x1f;
        let (n, smallest) = match info {
            0..=23 => (u64::from(info), 0),
            24 => (be(self.take(1)?), 24),
            25 => (be(self.take(2)?), 0x100),
            26 => (be(self.take(4)?), 0x1_0000),
            27 => (be(self.take(8)?), 0x1_0000_0000),
            _ => return Err(CborError::NonCanonical { offset }),
        };
        if n < smallest {
            return Err(CborError::NonCanonical { offset });
        }
        Ok(n)
    }
}

fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_use_the_shortest_head_and_read_back() {
        for (value, hex) in [
            (0_i64, "00"),
            (23, "17"),
            (24, "1818"),
            (255, "18ff"),
            (256, "190100"),
            (65536, "1a00010000"),
            (4294967296, "1b0000000100000000"),
            (-1, "20"),
            (-8, "27"),
            (-25, "3818"),
            (i64::MIN, "3b7fffffffffffffff"),
        ] {
            let mut w = Writer::new();
            w.int(value);
            let bytes = w.into_bytes();
            assert_eq!(to_hex(&bytes), hex, "{value}");
            let mut r = Reader::new(&bytes);
            assert_eq!(r.int(), Ok(value));
            assert_eq!(r.finish(), Ok(()));
        }
    }

    #[test]
    fn non_canonical_and_indefinite_heads_are_refused() {
        assert_eq!(
            Reader::new(&[0x18, 0x05]).uint(),
            Err(CborError::NonCanonical { offset: 0 })
        );
        assert_eq!(
            Reader::new(&[0x19, 0x00, 0xff]).uint(),
            Err(CborError::NonCanonical { offset: 0 })
        );
        assert_eq!(
            Reader::new(&[0x5f, 0x41, 0x00, 0xff]).bytes(),
            Err(CborError::NonCanonical { offset: 0 })
        );
    }

    #[test]
    fn truncated_and_trailing_data_are_refused() {
        assert_eq!(
            Reader::new(&[0x45, 1, 2]).bytes(),
            Err(CborError::Truncated { offset: 1 })
        );
        assert_eq!(
            Reader::new(&[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).bytes(),
            Err(CborError::Truncated { offset: 9 })
        );
        let mut r = Reader::new(&[0x01, 0x02]);
        assert_eq!(r.uint(), Ok(1));
        assert_eq!(r.finish(), Err(CborError::Trailing { count: 1 }));
    }

    #[test]
    fn text_must_be_utf8() {
        assert_eq!(
            Reader::new(&[0x62, 0xc3, 0x28]).text(),
            Err(CborError::Utf8 { offset: 0 })
        );
        let mut w = Writer::new();
        w.text("ҚАЗАҚСТАН");
        assert_eq!(Reader::new(&w.into_bytes()).text(), Ok("ҚАЗАҚСТАН"));
    }

    fn to_hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
