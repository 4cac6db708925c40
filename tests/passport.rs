//! The passport the traveller hands over with the printout: its machine-readable zone (ICAO 9303
//! TD3, two lines of 44 characters), as a passport reader types it into the kiosk.

use crate::portal::Person;

/// The two MRZ lines of `person`'s passport expiring on `expiry` (YYYY-MM-DD), joined by a line
/// break, with every check digit computed.
pub fn td3(person: &Person, expiry: &str) -> String {
    let name = format!(
        "{}<<{}",
        person.surname.replace(' ', "<"),
        person.given_names.replace(' ', "<")
    );
    let line1 = pad(&format!("P<{}{name}", person.citizenship), 44);
    let number = pad(person.passport, 9);
    let birth = yymmdd(person.date_of_birth);
    let expiry = yymmdd(expiry);
    let personal = pad("", 14);
    let mut line2 = String::new();
    line2.push_str(&number);
    line2.push(check_digit(&number));
    line2.push_str(person.citizenship);
    line2.push_str(&birth);
    line2.push(check_digit(&birth));
    line2.push_str(person.sex);
    line2.push_str(&expiry);
    line2.push(check_digit(&expiry));
    line2.push_str(&personal);
    line2.push('<');
    let composite = format!("{}{}{}", &line2[0..10], &line2[13..20], &line2[21..43]);
    line2.push(check_digit(&composite));
    format!("{line1}\n{line2}")
}

/// ICAO 9303 check digit: weights 7, 3, 1; digits count as themselves, letters A–Z as 10–35,
/// the filler `<` as 0.
pub fn check_digit(text: &str) -> char {
    let sum: u32 = text
        .bytes()
        .zip([7, 3, 1].into_iter().cycle())
        .map(|(b, weight)| {
            let value = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                _ => 0,
            };
            value * weight
        })
        .sum();
    char::from(b'0' + (sum % 10) as u8)
}

fn pad(text: &str, width: usize) -> String {
    format!("{text:<<width$}")
}

/// `1974-08-12` → `740812`.
fn yymmdd(date: &str) -> String {
    date.get(2..).unwrap_or("").replace('-', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icao_specimen_passport_zone_is_reproduced() {
        let specimen = Person {
            surname: "ERIKSSON",
            given_names: "ANNA MARIA",
            sex: "F",
            date_of_birth: "1974-08-12",
            citizenship: "UTO",
            passport: "L898902C3",
            category: "tourist",
        };
        // The ICAO 9303 specimen without its personal number (so another composite digit).
        assert_eq!(
            td3(&specimen, "2012-04-15"),
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159<<<<<<<<<<<<<<<8"
        );
        // The specimen's own check digits, personal number and composite included.
        assert_eq!(check_digit("L898902C3"), '6');
        assert_eq!(check_digit("740812"), '2');
        assert_eq!(check_digit("120415"), '9');
        assert_eq!(check_digit("ZE184226B<<<<<"), '1');
        assert_eq!(check_digit("L898902C3674081221204159ZE184226B<<<<<1"), '0');
    }
}
