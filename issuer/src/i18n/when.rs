//! A moment as a reader in each language writes it, in Astana time (UTC+5), the time the
//! portal's receipts and the e-visa use: "30 November 2026, 16:12:53", "30 ноября 2026 г.,
//! 16:12:53", "2026 ж. 30 қараша, 16:12:53", each followed by "(Astana time, UTC+5)".

use shared::visa::KAZAKHSTAN_OFFSET;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Lang;
use super::msg::Screens;

/// The months in Kazakh (nominative: the Kazakh date puts the year first).
const KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];
/// The months in Russian, genitive ("30 ноября").
const RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
/// The months in English.
const EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `at` in Astana time, written as a reader of `l` expects, with the zone named after it.
pub fn astana_time(l: Lang, at: OffsetDateTime) -> String {
    let t = at.to_offset(KAZAKHSTAN_OFFSET);
    let month = usize::from(u8::from(t.month())) - 1;
    let (day, year) = (t.day(), t.year());
    let clock = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    let date = match l {
        Lang::Kk => format!("{year} ж. {day} {}", KK[month]),
        Lang::Ru => format!("{day} {} {year} г.", RU[month]),
        Lang::En => format!("{day} {} {year}", EN[month]),
    };
    format!("{date}, {clock} ({}, UTC+5)", Screens::AstanaTime.text(l))
}

/// An RFC 3339 moment (as the store keeps them) in Astana time; text that is not one is shown
/// as it is.
pub fn astana_time_of(l: Lang, rfc3339: &str) -> String {
    OffsetDateTime::parse(rfc3339, &Rfc3339)
        .map(|at| astana_time(l, at))
        .unwrap_or_else(|_| rfc3339.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_utc_moment_is_written_in_astana_time_in_each_language() {
        let at = "2026-11-30T23:12:53.739Z";
        assert_eq!(
            astana_time_of(Lang::En, at),
            "1 December 2026, 04:12:53 (Astana time, UTC+5)"
        );
        assert_eq!(
            astana_time_of(Lang::Ru, at),
            "1 декабря 2026 г., 04:12:53 (время Астаны, UTC+5)"
        );
        assert_eq!(
            astana_time_of(Lang::Kk, at),
            "2026 ж. 1 желтоқсан, 04:12:53 (Астана уақыты, UTC+5)"
        );
        assert_eq!(astana_time_of(Lang::En, "not a time"), "not a time");
    }
}
