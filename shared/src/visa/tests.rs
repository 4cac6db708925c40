//! The rules of a visa, each refused with its reason.

use super::*;

fn draft() -> VisaDraft {
    crate::token::tests::sample_draft()
}

fn check(change: impl FnOnce(&mut VisaDraft), expected: &str) {
    let mut d = draft();
    change(&mut d);
    let got = d
        .into_visa()
        .map(|_| "ok".to_owned())
        .unwrap_or_else(|e| e.to_string());
    assert_eq!(got, expected);
}

#[test]
fn a_complete_draft_becomes_a_visa_and_back() {
    let visa = draft().into_visa().expect("valid draft");
    assert_eq!(visa.full_name(), "ERIKSSON ANNA MARIA");
    assert_eq!(
        visa.full_name_native().as_deref(),
        Some("Эрикссон Анна Мария")
    );
    assert_eq!(visa.to_draft(), draft());
}

#[test]
fn each_rule_is_refused_with_a_clear_reason() {
    check(|_| {}, "ok");
    check(
        |d| d.surname = " ".into(),
        "surname: this field is required",
    );
    check(
        |d| d.surname = "Éric".into(),
        "surname: use the Latin letters A-Z exactly as in the passport's machine-readable zone",
    );
    check(
        |d| d.surname = "o'neil".into(),
        "surname: use the Latin letters A-Z exactly as in the passport's machine-readable zone",
    );
    check(|d| d.surname = "van  der<berg".into(), "ok");
    check(|d| d.given_names = None, "ok");
    check(
        |d| d.citizenship = "XYZ".into(),
        "citizenship: XYZ is not an ISO 3166-1 alpha-3 country code",
    );
    check(
        |d| d.date_of_birth = "2027-01-01".into(),
        "date_of_birth (2027-01-01) is in the future",
    );
    check(
        |d| d.date_of_birth = "1890-01-01".into(),
        "date_of_birth (1890-01-01) is more than 130 years ago",
    );
    check(
        |d| d.date_of_birth = "1974-02-30".into(),
        "date_of_birth: no such date",
    );
    check(
        |d| d.date_of_birth = "12.08.1974".into(),
        "date_of_birth: a date is written YYYY-MM-DD",
    );
    check(
        |d| d.valid_until = "2026-11-30".into(),
        "valid_until (2026-11-30) is before valid_from (2026-12-01)",
    );
    check(
        |d| d.valid_from = "2026-11-24".into(),
        "valid_from (2026-11-24) is before the issuing date (2026-11-25)",
    );
    check(
        |d| d.valid_until = "2027-12-01".into(),
        "the validity period is longer than 180 days",
    );
    check(
        |d| d.duration_of_stay = 0,
        "duration_of_stay: must be between 1 and 90",
    );
    check(
        |d| d.valid_until = "2026-12-10".into(),
        "a stay of 30 days does not fit in a validity period of 10 days",
    );
    check(
        |d| d.entries = "double".into(),
        "a business e-visa is single-entry",
    );
    check(
        |d| d.category = "transit".into(),
        "category: the e-visa categories are business, tourist and treatment",
    );
    check(|d| d.ports = vec![], "ports: this field is required");
    check(
        |d| d.ports = vec!["TSE".into()],
        "ports: e-visa holders enter only through Astana (NQZ) or Almaty (ALA)",
    );
    check(|d| d.passport_number = "L898 902c3".into(), "ok");
    check(
        |d| d.passport_number = "L8989020C3".into(),
        "passport_number: at most 9 characters",
    );
    check(
        |d| d.visa_number = "kz1".into(),
        "visa_number: only Latin capital letters and digits",
    );
    check(|d| d.sex = "female".into(), "sex: sex is F, M or X");
    check(
        |d| d.surname_native = None,
        "given_names_native needs surname_native",
    );
    check(
        |d| d.surname_native = Some("Ahmed\u{202e}".into()),
        "surname_native: letters only, with spaces, hyphens or apostrophes between words",
    );
    check(|d| d.surname_native = Some("ҚОЖАХМЕТ ӘБІЛҰЛЫ".into()), "ok");
    check(
        |d| d.issued_at = "yesterday".into(),
        "issued_at: a time is written like 2026-11-25T09:30:00Z",
    );
}

#[test]
fn the_issuing_date_is_the_date_in_kazakhstan() {
    // 20:00 UTC on the 24th is already the 25th in Astana, so a visa valid from the 25th is fine.
    check(
        |d| {
            d.issued_at = "2026-11-24T20:00:00Z".into();
            d.valid_from = "2026-11-25".into();
        },
        "ok",
    );
}

#[test]
fn each_parser_names_what_is_wrong_by_a_variant_not_by_its_english() {
    let format = |r: Result<(), FieldError>| match r {
        Err(FieldError::Format(f)) => Some(f),
        _ => None,
    };
    let cases = [
        (
            format(MrzName::parse("Éric").map(drop)),
            FormatError::MrzLetters,
        ),
        (
            format(NativeName::parse("Ahmed\u{202e}").map(drop)),
            FormatError::NativeLetters,
        ),
        (
            format(PassportNumber::parse("L8-98").map(drop)),
            FormatError::CapitalsAndDigits,
        ),
        (
            format(InvitationNumber::parse("IN?").map(drop)),
            FormatError::InvitationNumber,
        ),
        (
            format(parse_date("12.08.1974").map(drop)),
            FormatError::DateShape,
        ),
        (
            format(parse_date("1974-02-30").map(drop)),
            FormatError::NoSuchDate,
        ),
        (
            format(parse_date("1974-13-01").map(drop)),
            FormatError::NoSuchDate,
        ),
        (format(Sex::parse("female").map(drop)), FormatError::Sex),
        (
            format(Category::parse("transit").map(drop)),
            FormatError::Category,
        ),
        (
            format(Entries::parse("triple").map(drop)),
            FormatError::Entries,
        ),
        (format(Port::parse("TSE").map(drop)), FormatError::Port),
    ];
    for (got, expected) in cases {
        assert_eq!(got, Some(expected));
    }
    let mut d = draft();
    d.issued_at = "yesterday".into();
    assert_eq!(
        d.into_visa(),
        Err(VisaError::Field {
            field: "issued_at",
            error: FieldError::Format(FormatError::TimeShape),
        })
    );
}
