//! How the portal words a [`Problem`] beside its field, in the three languages.

use shared::visa::{FieldError, FormatError};

use super::Lang;
use crate::domain::problem::Problem;
use crate::domain::taxid::TaxIdError;

impl Problem {
    /// The message shown beside the field.
    pub fn message(&self, l: Lang) -> String {
        let s = |kk, ru, en| l.t(kk, ru, en).to_owned();
        match self {
            Self::Field(FieldError::Missing) => s(
                "Бұл өрісті толтыру міндетті",
                "Это поле обязательно для заполнения",
                "This field is required",
            ),
            Self::Field(FieldError::TooLong { max }) => match l {
                Lang::Kk => format!("Ең көбі {max} таңба"),
                Lang::Ru => format!("Не более {max} символов"),
                Lang::En => format!("At most {max} characters"),
            },
            Self::Field(FieldError::Range { min, max }) => match l {
                Lang::Kk => format!("{min} мен {max} аралығында болуы керек"),
                Lang::Ru => format!("Должно быть от {min} до {max}"),
                Lang::En => format!("Must be between {min} and {max}"),
            },
            Self::Field(FieldError::Country(_)) => s(
                "Елдің үш әріпті кодын енгізіңіз (ISO 3166-1 alpha-3), мысалы DEU",
                "Введите трёхбуквенный код страны (ISO 3166-1 alpha-3), например DEU",
                "Enter the three-letter country code (ISO 3166-1 alpha-3), e.g. DEU",
            ),
            Self::Field(FieldError::Format(text)) => format_message(l, text),
            Self::Field(_) => s("Қате мән", "Неверное значение", "Invalid value"),
            Self::TaxId(TaxIdError::Format) => s(
                "БСН немесе ЖСН 12 цифрдан тұрады",
                "БИН или ИИН состоит из 12 цифр",
                "A BIN or IIN is 12 digits",
            ),
            Self::TaxId(TaxIdError::CheckDigit) => s(
                "Бақылау цифры сәйкес келмейді: нөмірді тексеріңіз",
                "Контрольная цифра не совпадает: проверьте номер",
                "The check digit does not match: check the number",
            ),
            Self::TaxId(TaxIdError::Kind) => s(
                "Нөмір осы тұлға түріне сәйкес келмейді (ұйым — БСН, жеке тұлға — ЖСН)",
                "Номер не соответствует виду лица (организация — БИН, физическое лицо — ИИН)",
                "The number does not fit this kind of party (organisation: BIN, individual: IIN)",
            ),
            Self::Email => s(
                "Электрондық пошта мекенжайын енгізіңіз",
                "Введите адрес электронной почты",
                "Enter an e-mail address",
            ),
            Self::EmailTaken => s(
                "Бұл электрондық поштамен тіркелгі бар; жүйеге кіріңіз",
                "Учётная запись с этим адресом уже есть; войдите",
                "An account with this e-mail exists; please log in",
            ),
            Self::PasswordLength => s(
                "Құпиясөз 10-нан 128 таңбаға дейін",
                "Пароль от 10 до 128 символов",
                "The password has 10 to 128 characters",
            ),
            Self::PasswordsDiffer => s(
                "Құпиясөздер сәйкес келмейді",
                "Пароли не совпадают",
                "The passwords differ",
            ),
            Self::TaxIdTaken => s(
                "Бұл БСН/ЖСН басқа тіркелгіде тіркелген",
                "Этот БИН/ИИН зарегистрирован другой учётной записью",
                "This BIN/IIN is registered by another account",
            ),
            Self::NoSuchInvitation => s(
                "Мұндай нөмірлі шақыру жоқ",
                "Приглашение с таким номером не найдено",
                "No invitation has this number",
            ),
            Self::InvitationExpired => s(
                "Шақырудың қолданылу мерзімі аяқталды",
                "Срок действия приглашения истёк",
                "The invitation has expired",
            ),
            Self::InvitationUsed => s(
                "Бұл шақыру басқа өтінішке пайдаланылды",
                "Это приглашение уже использовано в другом заявлении",
                "This invitation is already used by another application",
            ),
            Self::Mismatch => s(
                "Шақырудағы деректермен сәйкес келмейді",
                "Не совпадает с данными приглашения",
                "Does not match the invitation",
            ),
            Self::PassportExpiresTooSoon => s(
                "Паспорттың қолданылу мерзімі жоспарланған болу мерзімі аяқталғанға дейін бітеді",
                "Срок действия паспорта истекает до окончания планируемого пребывания",
                "The passport expires before the planned stay ends",
            ),
            Self::PassportExpired => s(
                "Паспорттың қолданылу мерзімі өтіп кетті",
                "Срок действия паспорта истёк",
                "The passport has expired",
            ),
            Self::WithChildren => s(
                "Балаларымен бірге жүрген шетелдіктерге электрондық виза берілмейді",
                "Электронная виза не выдаётся иностранцам, следующим вместе с детьми",
                "E-visas are not issued to foreigners travelling together with children",
            ),
            Self::NotConfirmed => s(
                "Деректердің дұрыстығын растаңыз",
                "Подтвердите достоверность данных",
                "Please confirm the accuracy of the data",
            ),
            Self::Period => s(
                "Мерзім дұрыс емес: соңы басынан кейін, ең көбі 180 күн, болу ұзақтығы 1–90 күн",
                "Неверный срок: окончание после начала, не более 180 дней, пребывание 1–90 дней",
                "Invalid period: the end after the start, at most 180 days, a stay of 1–90 days",
            ),
            Self::DateInPast => s(
                "Күн өткен шақта болмауы керек",
                "Дата не может быть в прошлом",
                "The date cannot be in the past",
            ),
        }
    }
}

/// The words for each way a field's text can have the wrong shape. The match has no wildcard, so
/// a new `FormatError` does not build until it has words in the three languages.
fn format_message(l: Lang, error: &FormatError) -> String {
    let t = match error {
        FormatError::MrzLetters => l.t(
            "Паспорттың машинамен оқылатын аймағындағыдай латын әріптерімен A–Z жазыңыз",
            "Латинскими буквами A–Z, как в машиносчитываемой зоне паспорта",
            "Use the Latin letters A–Z exactly as in the passport's machine-readable zone",
        ),
        FormatError::NativeLetters => l.t(
            "Тек әріптер; сөздер арасында бос орын, сызықша немесе апостроф",
            "Только буквы; между словами пробел, дефис или апостроф",
            "Letters only, with spaces, hyphens or apostrophes between words",
        ),
        FormatError::CapitalsAndDigits => l.t(
            "Тек латын бас әріптері мен цифрлар",
            "Только заглавные латинские буквы и цифры",
            "Only Latin capital letters and digits",
        ),
        FormatError::InvitationNumber => l.t(
            "Шақыру нөмірі 4–20 латын әрпі, цифр және сызықшадан тұрады",
            "Номер приглашения — от 4 до 20 латинских букв, цифр и дефисов",
            "An invitation number has 4 to 20 Latin letters, digits and hyphens",
        ),
        FormatError::PlainText => l.t(
            "Тек әріптер, цифрлар және тыныс белгілері",
            "Только буквы, цифры и знаки препинания",
            "Letters, digits and punctuation only",
        ),
        FormatError::DateShape => l.t(
            "Күн ЖЖЖЖ-АА-КК түрінде жазылады",
            "Дата записывается в виде ГГГГ-ММ-ДД",
            "A date is written YYYY-MM-DD",
        ),
        FormatError::NoSuchDate => l.t("Мұндай күн жоқ", "Такой даты нет", "No such date"),
        FormatError::TimeShape => l.t(
            "Уақыт 2026-11-25T09:30:00Z түрінде жазылады",
            "Время записывается в виде 2026-11-25T09:30:00Z",
            "A time is written like 2026-11-25T09:30:00Z",
        ),
        FormatError::Sex => l.t("Жынысын таңдаңыз", "Выберите пол", "Choose the sex"),
        FormatError::Category => l.t(
            "Электрондық виза санаттары: іскерлік, туристік және емделу",
            "Категории электронной визы: деловая, туристическая и на лечение",
            "The e-visa categories are business, tourist and treatment",
        ),
        FormatError::Entries => l.t(
            "Кіру саны: бір реттік немесе екі реттік",
            "Количество въездов: однократная или двукратная",
            "Entries are single or double",
        ),
        FormatError::Port => l.t(
            "Электрондық виза иелері тек Астана (NQZ) немесе Алматы (ALA) арқылы кіреді",
            "Владельцы электронной визы въезжают только через Астану (NQZ) или Алматы (ALA)",
            "E-visa holders enter only through Astana (NQZ) or Almaty (ALA)",
        ),
    };
    t.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::visa::parse_date;

    /// Every way a field can have the wrong shape reads differently in Kazakh, Russian and
    /// English, so no ҚАЗ or РУС user is shown an English sentence.
    #[test]
    fn every_format_error_of_the_shared_parsers_has_kazakh_and_russian_words() {
        for error in FormatError::ALL {
            let [kk, ru, en] = [Lang::Kk, Lang::Ru, Lang::En].map(|l| format_message(l, &error));
            assert!(
                kk != en && ru != en && kk != ru,
                "{error:?}: {kk:?} {ru:?} {en:?}"
            );
        }
    }

    #[test]
    fn a_field_error_from_a_parser_shows_the_words_of_its_kind() {
        let error = parse_date("1974-02-30").map(drop).map_err(Problem::from);
        assert_eq!(
            error.map_err(|p| p.message(Lang::Ru)),
            Err("Такой даты нет".to_owned())
        );
    }
}
