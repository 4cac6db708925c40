//! The passport cross-check: the zone a passport reader types, compared field by field with the
//! verified visa, so a genuine visa presented with someone else's passport is refused.

use shared::{Country, PassportMrz, Visa};
use time::Date;

use crate::decision::Mismatch;

/// Compares a passport's zone with a visa on `today` (Kazakhstan date) and lists every field that
/// differs: passport number, surname, given names, date of birth, citizenship, sex, and a passport
/// that has expired or expires before the visa does.
///
/// The zone parser already repaired OCR's O/0 confusion where the field type or a check digit
/// settles it; the number is compared with O and 0 folded as well, because the visa's number was
/// typed by the applicant and the same confusion happens there.
pub fn cross_check(visa: &Visa, mrz: &PassportMrz, today: Date) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let mut differ = |field: &'static str, visa: String, passport: String| {
        out.push(Mismatch {
            field,
            visa,
            passport,
        });
    };
    let fold = |s: &str| s.replace('O', "0");
    if fold(visa.passport_number().as_str()) != fold(mrz.number()) {
        differ(
            "passport_number",
            visa.passport_number().as_str().to_owned(),
            mrz.number().to_owned(),
        );
    }
    let visa_given = visa.given_names().map_or("", |g| g.as_str());
    // The zone has 39 characters for both names; a long name is cut at the end, so a passport
    // name that fills the field only needs to be the beginning of the visa's.
    let truncated = mrz.surname().len() + 2 + mrz.given_names().len() >= 39;
    let same = |visa_name: &str, passport_name: &str| {
        visa_name == passport_name || (truncated && visa_name.starts_with(passport_name))
    };
    if !same(visa.surname().as_str(), mrz.surname()) {
        differ(
            "surname",
            visa.surname().as_str().to_owned(),
            mrz.surname().to_owned(),
        );
    }
    if !same(visa_given, mrz.given_names()) {
        differ(
            "given_names",
            visa_given.to_owned(),
            mrz.given_names().to_owned(),
        );
    }
    let birth = mrz.birth().as_birth_date(today);
    if birth != Some(visa.date_of_birth()) {
        differ(
            "date_of_birth",
            visa.date_of_birth().to_string(),
            birth.map_or_else(|| mrz.birth().to_yymmdd(), |d| d.to_string()),
        );
    }
    let citizenship = Country::from_mrz(mrz.nationality()).ok();
    if citizenship != Some(visa.citizenship()) {
        differ(
            "citizenship",
            visa.citizenship().to_string(),
            mrz.nationality().trim_end_matches('<').to_owned(),
        );
    }
    if mrz.sex() != visa.sex() {
        differ(
            "sex",
            visa.sex().as_str().to_owned(),
            mrz.sex().as_str().to_owned(),
        );
    }
    match mrz.expiry().as_expiry_date(today) {
        Some(expiry) if expiry >= visa.valid_until() && expiry >= today => {}
        expiry => differ(
            "passport_expiry",
            visa.valid_until().to_string(),
            expiry.map_or_else(|| mrz.expiry().to_yymmdd(), |d| d.to_string()),
        ),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::VisaDraft;
    use shared::mrz::check_digit;
    use time::macros::date;

    /// The ICAO Doc 9303 specimen passport (Utopia, expired 2012).
    const SPECIMEN: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                            L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    fn visa() -> Visa {
        let json = include_str!("../../shared/tests/vectors/visa.json");
        let draft: VisaDraft = serde_json::from_str(json).expect("the vector is JSON");
        draft.into_visa().expect("the vector is a visa")
    }

    /// A TD3 zone with correct check digits for the given fields.
    fn passport(number: &str, nationality: &str, birth: &str, sex: &str, expiry: &str) -> String {
        let number = format!("{number:<<9}");
        let personal = "<".repeat(14);
        let d = |s: &str| check_digit(s).expect("zone characters").to_string();
        let composite = format!(
            "{number}{}{birth}{}{expiry}{}{personal}<",
            d(&number),
            d(birth),
            d(expiry)
        );
        let line1 = format!("{:<<44}", format!("P<{nationality}ERIKSSON<<ANNA<MARIA"));
        let line2 = format!(
            "{number}{}{nationality}{birth}{}{sex}{expiry}{}{personal}<{}",
            d(&number),
            d(birth),
            d(expiry),
            d(&composite)
        );
        format!("{line1}\n{line2}")
    }

    fn check(zone: &str, expect: &[&str]) {
        let mrz = PassportMrz::parse(zone).expect("a valid zone");
        let fields: Vec<_> = cross_check(&visa(), &mrz, date!(2026 - 12 - 05))
            .into_iter()
            .map(|m| m.field)
            .collect();
        assert_eq!(fields, expect);
    }

    #[test]
    fn the_icao_specimen_differs_in_citizenship_and_has_expired() {
        check(SPECIMEN, &["citizenship", "passport_expiry"]);
    }

    #[test]
    fn the_holders_own_passport_matches() {
        check(&passport("L898902C3", "SWE", "740812", "F", "300101"), &[]);
    }

    #[test]
    fn an_ocr_letter_o_for_a_zero_in_the_number_still_matches() {
        let zone = passport("L898902C3", "SWE", "740812", "F", "300101");
        // The reader saw the 0 of L898902C3 as an O; the check digit repairs it.
        let misread = zone.replacen("L898902C3", "L8989O2C3", 1);
        check(&misread, &[]);
    }

    #[test]
    fn another_persons_passport_lists_every_differing_field() {
        check(
            &passport("X1234567", "SWE", "800101", "M", "300101"),
            &["passport_number", "date_of_birth", "sex"],
        );
    }

    #[test]
    fn a_passport_expiring_before_the_visa_is_flagged() {
        check(
            &passport("L898902C3", "SWE", "740812", "F", "270101"),
            &["passport_expiry"],
        );
    }
}
