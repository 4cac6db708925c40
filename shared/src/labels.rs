//! The words that name a visa's fields and values in Kazakh, Russian and English, defined once so
//! that the printout, the portal and the kiosk screen say the same thing, and the one plural
//! helper for counted words such as "N days".
//!
//! These are the words of the official printout. They are pure data: each product decides how to
//! lay them out (all three on paper, the chosen language on a screen).

use crate::visa::{Category, Entries, Port, Sex};

/// A language of the visa's words, in the order the printout stacks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Қазақ тілі.
    Kk,
    /// Русский.
    Ru,
    /// English.
    En,
}

/// One word or phrase in the three languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Words {
    /// Kazakh.
    pub kk: &'static str,
    /// Russian.
    pub ru: &'static str,
    /// English.
    pub en: &'static str,
}

/// A field of the visa as the printout labels it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The visa number.
    VisaNumber,
    /// The category: business, tourist or treatment.
    Category,
    /// Single or double entry.
    Entries,
    /// The first day of validity.
    ValidFrom,
    /// The last day of validity.
    ValidUntil,
    /// The permitted stay, in days.
    DurationOfStay,
    /// The airports of entry and exit.
    Ports,
    /// The holder's surname.
    Surname,
    /// The holder's given names.
    GivenNames,
    /// The passport's number.
    PassportNumber,
    /// The holder's citizenship.
    Citizenship,
    /// The holder's date of birth.
    DateOfBirth,
    /// The holder's sex.
    Sex,
    /// The invitation the visa was granted on.
    InvitationNumber,
    /// The organisation or person who invited the holder.
    InvitingParty,
    /// The date the visa was issued.
    DateOfIssue,
}

/// A counted word: its Kazakh form (Kazakh nouns do not change after a numeral), its three
/// Russian forms and its two English forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Noun {
    kk: &'static str,
    ru: [&'static str; 3],
    en: [&'static str; 2],
}

/// "Day", as in the duration of stay: 1 күн, 1 день, 1 day; 22 күн, 22 дня, 22 days.
pub const DAY: Noun = Noun::new("күн", ["день", "дня", "дней"], ["day", "days"]);

impl Language {
    /// All three, in the printout's order.
    pub const ALL: [Language; 3] = [Language::Kk, Language::Ru, Language::En];
}

impl Words {
    /// The words in Kazakh, Russian and English.
    pub const fn new(kk: &'static str, ru: &'static str, en: &'static str) -> Self {
        Self { kk, ru, en }
    }

    /// The words in one language.
    pub const fn get(self, lang: Language) -> &'static str {
        match lang {
            Language::Kk => self.kk,
            Language::Ru => self.ru,
            Language::En => self.en,
        }
    }

    /// Kazakh, Russian and English, the order of the printout.
    pub const fn all(self) -> [&'static str; 3] {
        [self.kk, self.ru, self.en]
    }
}

impl Field {
    /// Every field, in the order of the printout's table.
    pub const ALL: [Field; 16] = [
        Field::VisaNumber,
        Field::Category,
        Field::Entries,
        Field::ValidFrom,
        Field::ValidUntil,
        Field::DurationOfStay,
        Field::Ports,
        Field::Surname,
        Field::GivenNames,
        Field::PassportNumber,
        Field::Citizenship,
        Field::DateOfBirth,
        Field::Sex,
        Field::InvitationNumber,
        Field::InvitingParty,
        Field::DateOfIssue,
    ];

    /// The field's label.
    pub const fn label(self) -> Words {
        match self {
            Self::VisaNumber => Words::new("Виза нөмірі", "Номер визы", "Visa number"),
            Self::Category => Words::new("Виза санаты", "Категория визы", "Category"),
            Self::Entries => Words::new("Кіру саны", "Количество въездов", "Number of entries"),
            Self::ValidFrom => Words::new("Бастап жарамды", "Действительна с", "Valid from"),
            Self::ValidUntil => Words::new("Дейін жарамды", "Действительна до", "Valid until"),
            Self::DurationOfStay => {
                Words::new("Болу мерзімі", "Срок пребывания", "Duration of stay")
            }
            Self::Ports => Words::new(
                "Кіру-шығу пункттері",
                "Пункты въезда-выезда",
                "Ports of entry and exit",
            ),
            Self::Surname => Words::new("Тегі", "Фамилия", "Surname"),
            Self::GivenNames => Words::new("Аты", "Имя", "Given names"),
            Self::PassportNumber => {
                Words::new("Паспорт нөмірі", "Номер паспорта", "Passport number")
            }
            Self::Citizenship => Words::new("Азаматтығы", "Гражданство", "Citizenship"),
            Self::DateOfBirth => Words::new("Туған күні", "Дата рождения", "Date of birth"),
            Self::Sex => Words::new("Жынысы", "Пол", "Sex"),
            Self::InvitationNumber => {
                Words::new("Шақыру нөмірі", "Номер приглашения", "Invitation number")
            }
            Self::InvitingParty => {
                Words::new("Шақырушы тарап", "Приглашающая сторона", "Inviting party")
            }
            Self::DateOfIssue => Words::new("Берілген күні", "Дата выдачи", "Date of issue"),
        }
    }

    /// The field's name in the visa's JSON form (`VisaDraft`) and in the claims' documentation;
    /// the inviting party, which the token does not carry, is `inviting_party`.
    pub const fn key(self) -> &'static str {
        match self {
            Self::VisaNumber => "visa_number",
            Self::Category => "category",
            Self::Entries => "entries",
            Self::ValidFrom => "valid_from",
            Self::ValidUntil => "valid_until",
            Self::DurationOfStay => "duration_of_stay",
            Self::Ports => "ports",
            Self::Surname => "surname",
            Self::GivenNames => "given_names",
            Self::PassportNumber => "passport_number",
            Self::Citizenship => "citizenship",
            Self::DateOfBirth => "date_of_birth",
            Self::Sex => "sex",
            Self::InvitationNumber => "invitation_number",
            Self::InvitingParty => "inviting_party",
            Self::DateOfIssue => "issued_at",
        }
    }

    /// The field with this [`key`](Field::key), for callers that name fields as the JSON does.
    pub fn from_key(key: &str) -> Option<Field> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }
}

impl Noun {
    /// A counted word from its Kazakh form, its Russian forms after 1, 2 and 5 (день, дня,
    /// дней), and its English singular and plural.
    pub const fn new(kk: &'static str, ru: [&'static str; 3], en: [&'static str; 2]) -> Self {
        Self { kk, ru, en }
    }

    /// The form that follows the number `n`. Russian takes the form after 1 for 1, 21, 31… (but
    /// not 11), the form after 2 for 2–4, 22–24… (but not 12–14), and the form after 5 otherwise.
    pub const fn form(self, lang: Language, n: u64) -> &'static str {
        match lang {
            Language::Kk => self.kk,
            Language::Ru => {
                let (last, last_two) = (n % 10, n % 100);
                if last == 1 && last_two != 11 {
                    self.ru[0]
                } else if last >= 2 && last <= 4 && !(last_two >= 12 && last_two <= 14) {
                    self.ru[1]
                } else {
                    self.ru[2]
                }
            }
            Language::En => {
                if n == 1 {
                    self.en[0]
                } else {
                    self.en[1]
                }
            }
        }
    }

    /// The number and the word, like "22 дня".
    pub fn count(self, lang: Language, n: u64) -> String {
        format!("{n} {}", self.form(lang, n))
    }
}

/// The category's name, as the printout writes it.
pub const fn category(category: Category) -> Words {
    match category {
        Category::Business => Words::new("Іскерлік", "Деловая", "Business"),
        Category::Tourist => Words::new("Туристік", "Туристическая", "Tourist"),
        Category::Treatment => Words::new("Емделу", "Лечение", "Medical treatment"),
    }
}

/// The number of entries in words, as the printout writes it.
pub const fn entries(entries: Entries) -> Words {
    match entries {
        Entries::Single => Words::new("Бір реттік", "Однократная", "Single"),
        Entries::Double => Words::new("Екі реттік", "Двукратная", "Double"),
    }
}

/// The city of the airport, with the capital's former name that older documents carry.
pub const fn port(port: Port) -> Words {
    match port {
        Port::Nqz => Words::new(
            "Астана (Нұр-Сұлтан)",
            "Астана (Нур-Султан)",
            "Astana (Nur-Sultan)",
        ),
        Port::Ala => Words::new("Алматы", "Алматы", "Almaty"),
    }
}

/// The sex in words, as the printout writes it under the MRZ letter.
pub const fn sex(sex: Sex) -> Words {
    match sex {
        Sex::Female => Words::new("Әйел", "Женский", "Female"),
        Sex::Male => Words::new("Ер", "Мужской", "Male"),
        Sex::Unspecified => Words::new("Көрсетілмеген", "Не указан", "Unspecified"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_days(lang: Language, cases: &[(u64, &str)]) {
        for (n, expected) in cases {
            assert_eq!(DAY.count(lang, *n), *expected, "{lang:?} {n}");
        }
    }

    #[test]
    fn russian_days_take_den_after_one_dnya_after_two_to_four_and_dney_otherwise() {
        check_days(
            Language::Ru,
            &[
                (1, "1 день"),
                (2, "2 дня"),
                (3, "3 дня"),
                (4, "4 дня"),
                (5, "5 дней"),
                (11, "11 дней"),
                (12, "12 дней"),
                (14, "14 дней"),
                (20, "20 дней"),
                (21, "21 день"),
                (22, "22 дня"),
                (30, "30 дней"),
                (90, "90 дней"),
                (101, "101 день"),
                (111, "111 дней"),
                (112, "112 дней"),
                (0, "0 дней"),
            ],
        );
    }

    #[test]
    fn kazakh_kun_does_not_change_after_a_number() {
        check_days(
            Language::Kk,
            &[(1, "1 күн"), (2, "2 күн"), (22, "22 күн"), (90, "90 күн")],
        );
    }

    #[test]
    fn english_days_are_singular_for_one_only() {
        check_days(
            Language::En,
            &[(1, "1 day"), (2, "2 days"), (21, "21 days"), (0, "0 days")],
        );
    }

    #[test]
    fn every_label_and_value_has_words_in_all_three_languages() {
        let mut all: Vec<Words> = Field::ALL.into_iter().map(Field::label).collect();
        all.extend(Category::ALL.map(category));
        all.extend([Entries::Single, Entries::Double].map(entries));
        all.extend(Port::ALL.map(port));
        all.extend([Sex::Female, Sex::Male, Sex::Unspecified].map(sex));
        for words in all {
            for lang in Language::ALL {
                let text = words.get(lang);
                assert!(!text.trim().is_empty(), "{words:?} is empty in {lang:?}");
            }
            assert!(
                !words.kk.is_ascii() && !words.ru.is_ascii() && words.en.is_ascii(),
                "{words:?} has a language in the wrong script"
            );
        }
    }

    #[test]
    fn every_field_is_found_again_by_its_key() {
        for field in Field::ALL {
            assert_eq!(Field::from_key(field.key()), Some(field));
        }
        assert_eq!(Field::from_key("passport_expiry"), None);
    }

    #[test]
    fn the_start_of_validity_reads_as_on_the_official_form() {
        assert_eq!(
            Field::ValidFrom.label().all(),
            ["Бастап жарамды", "Действительна с", "Valid from"]
        );
        assert_eq!(Field::Category.label().get(Language::Kk), "Виза санаты");
    }
}
