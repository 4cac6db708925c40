//! The one module that makes random identifiers and secrets: application and order ids, session
//! and CSRF tokens, invitation numbers, officers' set-up tokens and second-factor secrets. All
//! come from the operating system's generator.

use rand_core::RngCore;
use sha2::{Digest, Sha256};
use shared::visa::{FieldError, InvitationNumber};

/// A random id of 128 bits, hex-encoded: application ids, order ids.
pub fn random_id() -> String {
    hex::encode(random_bytes::<16>())
}

/// A fresh random token of 256 bits, hex-encoded: sessions, CSRF, API bearer tokens.
pub fn new_token() -> String {
    hex::encode(random_bytes::<32>())
}

/// A fresh shared secret for an officer's second factor: 160 random bits (RFC 4226's size).
pub fn totp_secret() -> [u8; 20] {
    random_bytes::<20>()
}

/// SHA-256 of a token, which is what the database keeps instead of the token.
pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Makes a fresh, unguessable invitation number like `INV-2026-7KQ4M9XD`: the random part keeps
/// anyone from walking through numbers to probe other people's invitations.
pub fn invitation_number(year: i32) -> Result<InvitationNumber, FieldError> {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let random: String = random_bytes::<8>()
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    InvitationNumber::parse(&format!("INV-{year}-{random}"))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand_core::OsRng.fill_bytes(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tokens_are_hex_of_their_size_and_never_repeat() {
        let (a, b) = (random_id(), random_id());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        let token = new_token();
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(hash_token(&token).len(), 32);
    }

    #[test]
    fn invitation_numbers_carry_the_year_and_eight_unambiguous_characters() {
        let number = invitation_number(2026).expect("valid");
        let text = number.as_str();
        assert!(text.starts_with("INV-2026-"), "{text}");
        assert_eq!(text.len(), 17);
        assert!(!text[9..].contains(['0', '1', 'O', 'I']), "{text}");
    }
}
