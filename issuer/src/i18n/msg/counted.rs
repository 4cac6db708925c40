//! Messages that carry a number, formatted in one language. A counted word takes its form after
//! the number from `shared::labels::Noun`, the one plural helper of the project (Russian 1 день,
//! 2 дня, 5 дней, 11 дней; Kazakh nouns do not change after a numeral; English day, days).

use shared::labels::{DAY, Noun};

use crate::i18n::Lang;

/// A message with a number in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A number of days, like the stay an invitation allows: 22 күн, 22 дня, 22 days.
    Days(u64),
    /// The password hint of the sign-up form.
    AtLeastChars(usize),
    /// A field error: the text is longer than the limit.
    AtMostChars(usize),
    /// A field error: the password is shorter or longer than allowed.
    PasswordChars {
        /// The fewest characters.
        min: usize,
        /// The most characters.
        max: usize,
    },
    /// A field error: the number is outside its range.
    Between {
        /// The smallest allowed.
        min: i64,
        /// The largest allowed.
        max: i64,
    },
    /// A form refused by the throttle: try again in so many seconds (said in minutes from 60 s
    /// on, rounded up).
    RetryAfter(u64),
}

/// "Character" after "at least", "at most" and "up to": Russian takes the genitive (не менее
/// 1 символа, 12 символов).
const CHARACTERS: Noun = Noun::new(
    "таңба",
    ["символа", "символов", "символов"],
    ["character", "characters"],
);

/// "Second" after "try again in": Russian takes the accusative (через 1 секунду, 2 секунды,
/// 5 секунд); Kazakh carries the ablative of "after" on the noun (30 секундтан кейін).
const SECONDS: Noun = Noun::new(
    "секундтан",
    ["секунду", "секунды", "секунд"],
    ["second", "seconds"],
);

/// "Minute" after "try again in": Russian takes the accusative (через 1 минуту, 2 минуты,
/// 15 минут); Kazakh carries the ablative of "after" on the noun (15 минуттан кейін).
const MINUTES: Noun = Noun::new(
    "минуттан",
    ["минуту", "минуты", "минут"],
    ["minute", "minutes"],
);

impl Counted {
    /// The message in `lang`.
    pub fn text(self, lang: Lang) -> String {
        let l = shared::labels::Language::from(lang);
        match (self, lang) {
            (Self::Days(n), _) => DAY.count(l, n),
            (Self::AtLeastChars(n), Lang::Kk) => format!("Кемінде {}", chars(l, n)),
            (Self::AtLeastChars(n), Lang::Ru) => format!("Не менее {}", chars(l, n)),
            (Self::AtLeastChars(n), Lang::En) => format!("At least {}", chars(l, n)),
            (Self::AtMostChars(n), Lang::Kk) => format!("Ең көбі {}", chars(l, n)),
            (Self::AtMostChars(n), Lang::Ru) => format!("Не более {}", chars(l, n)),
            (Self::AtMostChars(n), Lang::En) => format!("At most {}", chars(l, n)),
            (Self::PasswordChars { min, max }, Lang::Kk) => {
                format!("Құпиясөз {min}–{max} таңбадан тұрады")
            }
            (Self::PasswordChars { min, max }, Lang::Ru) => {
                format!("Пароль от {min} до {}", chars(l, max))
            }
            (Self::PasswordChars { min, max }, Lang::En) => {
                format!("The password has {min} to {}", chars(l, max))
            }
            (Self::Between { min, max }, Lang::Kk) => {
                format!("{min} мен {max} аралығында болуы керек")
            }
            (Self::Between { min, max }, Lang::Ru) => format!("Должно быть от {min} до {max}"),
            (Self::Between { min, max }, Lang::En) => format!("Must be between {min} and {max}"),
            (Self::RetryAfter(seconds), Lang::Kk) => format!(
                "Әрекеттер тым көп. {} кейін қайталап көріңіз.",
                wait(l, seconds)
            ),
            (Self::RetryAfter(seconds), Lang::Ru) => format!(
                "Слишком много попыток. Повторите через {}.",
                wait(l, seconds)
            ),
            (Self::RetryAfter(seconds), Lang::En) => format!(
                "Too many attempts. Please try again in {}.",
                wait(l, seconds)
            ),
        }
    }
}

/// A wait: seconds under a minute, else whole minutes rounded up.
fn wait(l: shared::labels::Language, seconds: u64) -> String {
    if seconds < 60 {
        SECONDS.count(l, seconds.max(1))
    } else {
        MINUTES.count(l, seconds.div_ceil(60))
    }
}

fn chars(l: shared::labels::Language, n: usize) -> String {
    CHARACTERS.count(l, u64::try_from(n).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(counted: Counted, expected: [&str; 3]) {
        assert_eq!(Lang::ALL.map(|l| counted.text(l)), expected, "{counted:?}");
    }

    #[test]
    fn a_stay_is_counted_in_days_with_the_russian_form_the_number_takes() {
        check(Counted::Days(1), ["1 күн", "1 день", "1 day"]);
        check(Counted::Days(22), ["22 күн", "22 дня", "22 days"]);
        check(Counted::Days(90), ["90 күн", "90 дней", "90 days"]);
    }

    #[test]
    fn the_password_rules_name_their_numbers_in_each_language() {
        check(
            Counted::AtLeastChars(12),
            [
                "Кемінде 12 таңба",
                "Не менее 12 символов",
                "At least 12 characters",
            ],
        );
        check(
            Counted::PasswordChars { min: 12, max: 128 },
            [
                "Құпиясөз 12–128 таңбадан тұрады",
                "Пароль от 12 до 128 символов",
                "The password has 12 to 128 characters",
            ],
        );
        check(
            Counted::AtMostChars(21),
            [
                "Ең көбі 21 таңба",
                "Не более 21 символа",
                "At most 21 characters",
            ],
        );
    }

    #[test]
    fn a_throttled_form_says_when_to_try_again() {
        check(
            Counted::RetryAfter(900),
            [
                "Әрекеттер тым көп. 15 минуттан кейін қайталап көріңіз.",
                "Слишком много попыток. Повторите через 15 минут.",
                "Too many attempts. Please try again in 15 minutes.",
            ],
        );
        check(
            Counted::RetryAfter(61),
            [
                "Әрекеттер тым көп. 2 минуттан кейін қайталап көріңіз.",
                "Слишком много попыток. Повторите через 2 минуты.",
                "Too many attempts. Please try again in 2 minutes.",
            ],
        );
        check(
            Counted::RetryAfter(1),
            [
                "Әрекеттер тым көп. 1 секундтан кейін қайталап көріңіз.",
                "Слишком много попыток. Повторите через 1 секунду.",
                "Too many attempts. Please try again in 1 second.",
            ],
        );
        check(
            Counted::RetryAfter(32),
            [
                "Әрекеттер тым көп. 32 секундтан кейін қайталап көріңіз.",
                "Слишком много попыток. Повторите через 32 секунды.",
                "Too many attempts. Please try again in 32 seconds.",
            ],
        );
    }
}
