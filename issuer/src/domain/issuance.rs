//! What visa a paid application gets: the invitation's period (from today at the earliest),
//! single entry, both airports, the holder's data as in the application.

use shared::visa::{VisaError, VisaFields, VisaNumber};
use shared::{Entries, Ports, Visa};
use time::OffsetDateTime;

use super::application::Application;

/// The visa an application gets: the invitation's period (from today at the earliest), single
/// entry, both airports, the holder's data as in the application.
pub fn visa_for(app: &Application, number: &str, now: OffsetDateTime) -> Result<Visa, VisaError> {
    let a = &app.applicant;
    let inv = &app.invitation;
    let issued_at = now.replace_nanosecond(0).unwrap_or(now);
    let today = shared::kazakhstan_date(issued_at);
    let valid_from = inv.valid_from.max(today);
    let period = (inv.valid_until - valid_from).whole_days() + 1;
    let stay_days =
        u16::try_from(period.clamp(1, i64::from(inv.stay_days))).unwrap_or(inv.stay_days);
    Visa::new(VisaFields {
        number: VisaNumber::parse(number).map_err(|error| VisaError::Field {
            field: "visa_number",
            error,
        })?,
        category: a.category,
        entries: Entries::Single,
        valid_from,
        valid_until: inv.valid_until,
        stay_days,
        ports: Ports::BOTH,
        surname: a.surname.clone(),
        given_names: a.given_names.clone(),
        surname_native: a.surname_native.clone(),
        given_names_native: a.given_names_native.clone(),
        passport_number: a.passport_number.clone(),
        citizenship: a.citizenship,
        date_of_birth: a.date_of_birth,
        sex: a.sex,
        invitation_number: a.invitation_number.clone(),
        issued_at: issued_at.to_offset(time::UtcOffset::UTC),
    })
}

/// What an issuance attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueOutcome {
    /// A visa was signed now, with this number.
    Issued(String),
    /// The application has its visa already.
    AlreadyIssued,
    /// The holder matches this stop-list entry: the application waits for an officer.
    Held(i64),
    /// The application may not be signed (not paid, or its data no longer fits).
    Refused(String),
}

/// The visa number of the `serial`-th visa (from 1): `KZ` and seven characters, nine in all, the
/// MRZ's document number field exactly. Serials 1–9 999 999 are `KZ0000001`–`KZ9999999` as
/// ever; after them the seven characters are a base-30 count whose first character is a letter
/// (`KZA000000`, `KZA000001`, …, `KZYYYYYYY`), over an alphabet without the letters a reader
/// takes for digits (B, I, O, Q, S, Z). Numbers sort as text in the order they were given, so the
/// highest one is the index's last. `None` past the last number (serial 14 590 000 000 and on:
/// 1 459 years at 10 million visas a year). See `docs/visa-token.md`.
pub fn visa_number(serial: u64) -> Option<String> {
    if serial == 0 {
        return None;
    }
    if serial < FIRST_LETTERED {
        return Some(format!("KZ{serial:07}"));
    }
    let mut value = serial - FIRST_LETTERED + LETTERED_BASE;
    if value >= ALPHABET_POWER_7 {
        return None;
    }
    let mut tail = [b'0'; 7];
    for place in tail.iter_mut().rev() {
        // The remainder is below 30, so the index is in the alphabet.
        *place = NUMBER_ALPHABET[(value % 30) as usize];
        value /= 30;
    }
    Some(format!("KZ{}", String::from_utf8_lossy(&tail)))
}

/// The serial of a visa number made by [`visa_number`], or `None` for any other text.
pub fn visa_serial(number: &str) -> Option<u64> {
    let tail = number.strip_prefix("KZ")?.as_bytes();
    if tail.len() != 7 {
        return None;
    }
    if tail.iter().all(u8::is_ascii_digit) {
        return std::str::from_utf8(tail).ok()?.parse().ok();
    }
    if !tail[0].is_ascii_uppercase() {
        return None;
    }
    let mut value = 0u64;
    for byte in tail {
        let digit = NUMBER_ALPHABET.iter().position(|c| c == byte)?;
        value = value * 30 + digit as u64;
    }
    Some(value - LETTERED_BASE + FIRST_LETTERED)
}

/// The 30 characters of the lettered numbers, in their text order: digits, then the capitals
/// but B, I, O, Q, S and Z (read as 8, 1, 0, 0, 5 and 2).
const NUMBER_ALPHABET: &[u8; 30] = b"0123456789ACDEFGHJKLMNPRTUVWXY";
/// The first serial that gets a lettered number.
const FIRST_LETTERED: u64 = 10_000_000;
/// 30^6 × 10: the base-30 value of `A000000`, the first lettered tail.
const LETTERED_BASE: u64 = 10 * 729_000_000;
/// 30^7: no seven-character tail reaches it.
const ALPHABET_POWER_7: u64 = 21_870_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_numbers_keep_their_form_and_the_next_ones_continue_in_text_order() {
        for (serial, number) in [
            (1, "KZ0000001"),
            (2_600_017, "KZ2600017"),
            (9_999_999, "KZ9999999"),
            (10_000_000, "KZA000000"),
            (10_000_001, "KZA000001"),
            (10_000_010, "KZA00000A"),
            (10_000_029, "KZA00000Y"),
            (10_000_030, "KZA000010"),
            (14_589_999_999, "KZYYYYYYY"),
        ] {
            assert_eq!(visa_number(serial).as_deref(), Some(number), "{serial}");
            assert_eq!(visa_serial(number), Some(serial), "{number}");
        }
        assert_eq!(visa_number(0), None);
        assert_eq!(visa_number(14_590_000_000), None);
    }

    #[test]
    fn numbers_last_over_a_century_at_ten_million_a_year() {
        let last = (1..)
            .map(|years: u64| years * 10_000_000)
            .take_while(|serial| visa_number(*serial).is_some())
            .count();
        assert!(last >= 100, "{last} years");
    }

    #[test]
    fn every_number_is_nine_mrz_characters_without_confusable_letters_and_sorts_by_serial() {
        let mut previous = String::new();
        // Serials growing geometrically, through both forms up to the last number.
        let mut serial = 1u64;
        while let Some(number) = visa_number(serial) {
            assert_eq!(number.len(), 9, "{number}");
            assert!(
                shared::visa::VisaNumber::parse(&number).is_ok(),
                "{number} is an MRZ document number"
            );
            assert!(
                !number[2..].contains(['B', 'I', 'O', 'Q', 'S', 'Z']),
                "{number}"
            );
            assert!(number > previous, "{number} after {previous}");
            assert_eq!(visa_serial(&number), Some(serial));
            previous = number;
            serial = serial * 3 + 7;
        }
    }

    #[test]
    fn text_that_is_not_a_visa_number_has_no_serial() {
        for text in [
            "",
            "KZ",
            "KZ123456",
            "KZ12345678",
            "XX0000001",
            "KZA00000B",
            "KZ0A00000",
            "KZa000000",
        ] {
            assert_eq!(visa_serial(text), None, "{text:?}");
        }
    }
}
