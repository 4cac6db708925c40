//! Why a visa or one of its fields is refused, as structured values: callers translate them by
//! variant, and the English `Display` is only for logs and the command line.

use time::Date;

use super::MAX_VALIDITY_DAYS;
use crate::country::CountryError;

/// Why a single field's text is not an acceptable value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldError {
    /// Nothing was given where a value is required.
    #[error("this field is required")]
    Missing,
    /// The text is longer than the field allows.
    #[error("at most {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// The text has the wrong shape or a character the field cannot hold.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// Not an ISO 3166-1 alpha-3 code.
    #[error(transparent)]
    Country(#[from] CountryError),
    /// A number outside the allowed range.
    #[error("must be between {min} and {max}")]
    Range {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
}

/// What shape a field's text should have had. The `Display` is English for logs and the command
/// line; pages translate by variant, and [`FormatError::ALL`] lists the variants for their tests.
///
/// Deliberately not `#[non_exhaustive]`: translators match it without a wildcard, so a new variant
/// does not build until it has words in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum FormatError {
    /// A name in MRZ form holds something besides the Latin letters A–Z.
    #[error("use the Latin letters A-Z exactly as in the passport's machine-readable zone")]
    MrzLetters,
    /// A native-script name holds something besides letters and the marks between words.
    #[error("letters only, with spaces, hyphens or apostrophes between words")]
    NativeLetters,
    /// A visa or passport number holds something besides Latin capitals and digits.
    #[error("only Latin capital letters and digits")]
    CapitalsAndDigits,
    /// An invitation number is not 4 to 20 Latin letters, digits and hyphens.
    #[error("an invitation number has 4 to 20 Latin letters, digits and hyphens")]
    InvitationNumber,
    /// Free text holds control characters or bidirectional overrides.
    #[error("letters, digits and punctuation only")]
    PlainText,
    /// A date not written `YYYY-MM-DD`.
    #[error("a date is written YYYY-MM-DD")]
    DateShape,
    /// A date written right that no calendar has, like 30 February (or a birth date to come).
    #[error("no such date")]
    NoSuchDate,
    /// A time not written in RFC 3339.
    #[error("a time is written like 2026-11-25T09:30:00Z")]
    TimeShape,
    /// Sex other than `F`, `M` or `X`.
    #[error("sex is F, M or X")]
    Sex,
    /// A category other than business, tourist or treatment.
    #[error("the e-visa categories are business, tourist and treatment")]
    Category,
    /// Entries other than single or double.
    #[error("entries are single or double")]
    Entries,
    /// A port other than the airports of Astana and Almaty.
    #[error("e-visa holders enter only through Astana (NQZ) or Almaty (ALA)")]
    Port,
}

/// Why a visa cannot be made: one field, or a rule across fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VisaError {
    /// One field is wrong; `field` is its JSON name.
    #[error("{field}: {error}")]
    Field {
        /// The field's name as in [`VisaDraft`].
        field: &'static str,
        /// What is wrong with it.
        error: FieldError,
    },
    /// The validity period ends before it starts.
    #[error("valid_until ({until}) is before valid_from ({from})")]
    ValidityReversed {
        /// Start of validity.
        from: Date,
        /// End of validity.
        until: Date,
    },
    /// The validity period is longer than an e-visa may be.
    #[error("the validity period is longer than {MAX_VALIDITY_DAYS} days")]
    ValidityTooLong,
    /// The visa would start before it was issued.
    #[error("valid_from ({from}) is before the issuing date ({issued})")]
    StartsBeforeIssue {
        /// Start of validity.
        from: Date,
        /// Issuing date in Kazakhstan.
        issued: Date,
    },
    /// The permitted stay does not fit in the validity period.
    #[error("a stay of {stay} days does not fit in a validity period of {period} days")]
    StayLongerThanValidity {
        /// Permitted stay.
        stay: u16,
        /// Days from valid_from to valid_until inclusive.
        period: i64,
    },
    /// The holder would be born after the visa was issued.
    #[error("date_of_birth ({0}) is in the future")]
    BornInFuture(Date),
    /// A date of birth no living person has.
    #[error("date_of_birth ({0}) is more than 130 years ago")]
    BornTooLongAgo(Date),
    /// A business visa is single-entry by definition.
    #[error("a business e-visa is single-entry")]
    BusinessNotSingleEntry,
    /// A native-script given name without a native-script surname.
    #[error("given_names_native needs surname_native")]
    NativeGivenWithoutSurname,
}

impl FormatError {
    /// Every variant, so that whoever translates them can test that none is left in English.
    pub const ALL: [FormatError; 12] = [
        Self::MrzLetters,
        Self::NativeLetters,
        Self::CapitalsAndDigits,
        Self::InvitationNumber,
        Self::PlainText,
        Self::DateShape,
        Self::NoSuchDate,
        Self::TimeShape,
        Self::Sex,
        Self::Category,
        Self::Entries,
        Self::Port,
    ];
}

#[cfg(test)]
mod tests {
    use super::FormatError;

    /// The match has no wildcard, so a new variant does not build until it is given a place here,
    /// which reminds its author to put it at that place in `ALL`.
    fn position(error: FormatError) -> usize {
        match error {
            FormatError::MrzLetters => 0,
            FormatError::NativeLetters => 1,
            FormatError::CapitalsAndDigits => 2,
            FormatError::InvitationNumber => 3,
            FormatError::PlainText => 4,
            FormatError::DateShape => 5,
            FormatError::NoSuchDate => 6,
            FormatError::TimeShape => 7,
            FormatError::Sex => 8,
            FormatError::Category => 9,
            FormatError::Entries => 10,
            FormatError::Port => 11,
        }
    }

    #[test]
    fn the_list_of_format_errors_holds_every_variant_once() {
        for (i, error) in FormatError::ALL.into_iter().enumerate() {
            assert_eq!(position(error), i, "{error:?} is out of place in ALL");
        }
    }

    #[test]
    fn format_errors_read_as_lowercase_english_without_a_full_stop() {
        for error in FormatError::ALL {
            let text = error.to_string();
            assert!(text.starts_with(|c: char| c.is_lowercase()), "{text:?}");
            assert!(!text.ends_with('.'), "{text:?}");
        }
    }
}
