//! The catalogue: every message's Kazakh, Russian and English text in one exhaustive `match`, so
//! a message id without its three texts does not compile.

use std::borrow::Cow;

use shared::labels::{self, DAY, Words};

use super::{Msg, ZoneProblem};
use crate::decision::Verdict;
use crate::kiosk::Direction;

impl Msg {
    /// The message in Kazakh, Russian and English. Every arm gives all three: this `match` is the
    /// catalogue.
    pub fn all(&self) -> [Cow<'static, str>; 3] {
        match self {
            Self::Title => fixed(
                "Электрондық виза: шекаралық бақылау",
                "Электронная виза: пограничный контроль",
                "E-visa border control",
            ),
            Self::Direction => fixed("Бағыт", "Направление", "Direction"),
            Self::Crossing(Direction::Entry) => fixed("Кіру", "Въезд", "Entry"),
            Self::Crossing(Direction::Exit) => fixed("Шығу", "Выезд", "Exit"),
            Self::Settings => fixed("Баптаулар", "Настройки", "Settings"),
            Self::Back => fixed("Артқа", "Назад", "Back"),
            Self::Ready => fixed("Дайын", "Готов", "Ready"),
            Self::NotReady { detail } => owned(
                format!("Киоск дайын емес: {detail}"),
                format!("Киоск не готов: {detail}"),
                format!("The kiosk is not ready: {detail}"),
            ),
            Self::CameraFailed { device, detail } => owned(
                format!("Камера {device} ашылмады: {detail}"),
                format!("Камера {device} не открылась: {detail}"),
                format!("Camera {device} could not be opened: {detail}"),
            ),
            Self::CameraNotBuilt { device } => owned(
                format!("Камера {device}: бұл киоск камерасыз жинақталған"),
                format!("Камера {device}: киоск собран без поддержки камеры"),
                format!("Camera {device}: this kiosk was built without the camera feature"),
            ),
            Self::CameraStopped { detail } => owned(
                format!("Камера тоқтады: {detail}"),
                format!("Камера остановилась: {detail}"),
                format!("The camera stopped: {detail}"),
            ),
            Self::PassportRead {
                surname,
                given_names,
                number,
            } => {
                let text = format!("MRZ: {surname} {given_names} · {number}");
                owned(text.clone(), text.clone(), text)
            }
            Self::ScanPrompt => fixed(
                "Визаның QR кодын қол сканерімен оқыңыз немесе басып шығарылған парақты сканерге салыңыз",
                "Считайте QR-код визы ручным сканером или положите распечатку на сканер",
                "Scan the visa's QR code with the handheld scanner, or put the printout on the document scanner",
            ),
            Self::DropHint => fixed(
                "Суретті терезеге сүйреп әкелуге болады",
                "Изображение можно перетащить в окно",
                "You can also drop an image file on this window",
            ),
            Self::OpenImage => fixed("Суретті ашу…", "Открыть изображение…", "Open image…"),
            Self::ManualLabel => fixed(
                "Код немесе паспорт MRZ",
                "Код или MRZ паспорта",
                "Code or passport MRZ",
            ),
            Self::Check => fixed("Тексеру", "Проверить", "Check"),
            Self::PassportWaiting => fixed(
                "Паспорт оқылды; енді визаны сканерлеңіз",
                "Паспорт считан; теперь отсканируйте визу",
                "Passport read; now scan the visa",
            ),
            Self::Zone(problem) => zone(*problem),
            Self::Reading => fixed("QR код оқылуда…", "Чтение QR-кода…", "Reading the QR code…"),
            Self::Verdict(Verdict::Valid) => fixed("ЖАРАМДЫ", "ДЕЙСТВИТЕЛЬНА", "VALID"),
            Self::Verdict(Verdict::Invalid) => fixed("ЖАРАМСЫЗ", "НЕДЕЙСТВИТЕЛЬНА", "INVALID"),
            Self::Verdict(Verdict::CannotVerify) => fixed(
                "ТЕКСЕРУ МҮМКІН ЕМЕС",
                "ПРОВЕРКА НЕВОЗМОЖНА",
                "CANNOT VERIFY",
            ),
            Self::WhatToDo => fixed("Не істеу керек", "Что делать", "What to do"),
            Self::Record(Direction::Entry) => {
                fixed("Кіруді тіркеу", "Зарегистрировать въезд", "Record entry")
            }
            Self::Record(Direction::Exit) => {
                fixed("Шығуды тіркеу", "Зарегистрировать выезд", "Record exit")
            }
            Self::Recorded(Direction::Entry) => {
                fixed("Кіру тіркелді", "Въезд зарегистрирован", "Entry recorded")
            }
            Self::Recorded(Direction::Exit) => {
                fixed("Шығу тіркелді", "Выезд зарегистрирован", "Exit recorded")
            }
            Self::NextTraveller => fixed("Келесі жолаушы", "Следующий пассажир", "Next traveller"),
            Self::PassportNotChecked => fixed(
                "Паспорт тексерілмеді: паспорт оқу құрылғысымен MRZ оқыңыз",
                "Паспорт не сверен: считайте MRZ паспорта считывателем",
                "Passport not checked yet: read the passport's MRZ with the passport reader",
            ),
            Self::PassportMatches => fixed(
                "Паспорт визаға сәйкес",
                "Паспорт совпадает с визой",
                "Passport matches the visa",
            ),
            Self::MismatchField => fixed("Өріс", "Поле", "Field"),
            Self::OnVisa => fixed("Визада", "В визе", "On the visa"),
            Self::InPassport => fixed("Паспортта", "В паспорте", "In the passport"),
            Self::Name => fixed("Аты-жөні", "Имя", "Name"),
            Self::NativeName => fixed("Төл жазуда", "На родном письме", "Native script"),
            Self::PassportExpiry => fixed(
                "Паспорттың мерзімі",
                "Срок действия паспорта",
                "Passport expiry",
            ),
            Self::FirstUse { at, port, kiosk_id } => owned(
                format!("Алғаш пайдаланылған: {at} · {port} · {kiosk_id}"),
                format!("Первое использование: {at} · {port} · {kiosk_id}"),
                format!("First used: {at} · {port} · {kiosk_id}"),
            ),
            Self::DaysStayed { days, permitted } => owned(
                format!("Болған күндер: {days} / {permitted}"),
                format!("Дней пребывания: {days} / {permitted}"),
                format!("Days stayed: {days} / {permitted}"),
            ),
            Self::Elapsed { ms } => {
                owned(format!("{ms} мс"), format!("{ms} мс"), format!("{ms} ms"))
            }
            Self::Field(field) => words(field.label()),
            Self::Category(category) => words(labels::category(*category)),
            Self::Entries(entries) => words(labels::entries(*entries)),
            Self::Days(n) => {
                let count = |lang| Cow::Owned(DAY.count(lang, *n));
                [
                    count(labels::Language::Kk),
                    count(labels::Language::Ru),
                    count(labels::Language::En),
                ]
            }
            Self::Port(port) => words(labels::port(*port)),
            Self::Genuine => fixed(
                "Түпнұсқа электрондық виза",
                "Подлинная электронная виза",
                "Genuine e-visa",
            ),
            Self::BadSignature => fixed(
                "Қолтаңба сәйкес емес: код өзгертілген немесе жалған",
                "Подпись не совпадает: код изменён или подделан",
                "The signature does not match: the code was altered or forged",
            ),
            Self::Expired => fixed(
                "Визаның мерзімі өтті",
                "Срок действия визы истёк",
                "The visa has expired",
            ),
            Self::NotYetValid => fixed(
                "Виза әлі күшіне енген жоқ",
                "Виза ещё не действует",
                "The visa is not valid yet",
            ),
            Self::WrongPort => fixed(
                "Виза бұл әуежай үшін жарамсыз",
                "Виза не действует в этом аэропорту",
                "The visa is not valid at this airport",
            ),
            Self::AlreadyUsed => fixed(
                "Бір реттік виза бұрын пайдаланылған",
                "Однократная виза уже использована",
                "This single-entry visa was already used",
            ),
            Self::Overstay => fixed(
                "Рұқсат етілген болу мерзімі асып кетті",
                "Превышен разрешённый срок пребывания",
                "Overstay: the permitted stay was exceeded",
            ),
            Self::PassportMismatch => fixed(
                "Паспорт визаға сәйкес емес",
                "Паспорт не совпадает с визой",
                "The passport does not match the visa",
            ),
            Self::Revoked => fixed("Виза жойылған", "Виза аннулирована", "The visa was revoked"),
            Self::RevokedKey => fixed(
                "Визаға қол қойған кілт жойылған",
                "Ключ, подписавший визу, отозван",
                "The key that signed the visa was revoked",
            ),
            Self::OutsideKeyPeriod => fixed(
                "Виза кілттің рұқсат етілген мерзімінен тыс қол қойылған",
                "Виза подписана вне срока действия ключа",
                "The visa was signed outside its key's certified period",
            ),
            Self::TrustTooOld => fixed(
                "Киосктің сенім деректері ескірген",
                "Доверенные данные киоска устарели",
                "The kiosk's trust data is too old",
            ),
            Self::ClockSuspicious => fixed(
                "Киосктің сағаты күмәнді",
                "Часы киоска вызывают сомнение",
                "The kiosk's clock is suspicious",
            ),
            Self::NotAVisa => fixed(
                "Бұл Қазақстанның электрондық визасының коды емес немесе код бүлінген",
                "Это не код электронной визы Казахстана, или код повреждён",
                "This is not a Kazakhstan e-visa code, or the code is damaged",
            ),
            Self::InvalidData => fixed(
                "Визаның деректері жарамсыз",
                "Данные визы недействительны",
                "The visa's data is invalid",
            ),
            Self::Unreadable => fixed(
                "Суреттегі кодты оқу мүмкін емес",
                "Не удалось прочитать код на изображении",
                "The code in the picture could not be read",
            ),
            Self::UnknownKey => fixed(
                "Код бұл киоск білмейтін кілтпен қол қойылған",
                "Код подписан ключом, которого киоск не знает",
                "The code is signed with a key this kiosk does not know",
            ),
            Self::UnsupportedVersion => fixed(
                "Кодтың форматы бұл киоскіге белгісіз",
                "Формат кода неизвестен этому киоску",
                "The code's format is newer than this kiosk",
            ),
            Self::KioskFailed => fixed(
                "Киоск бұл деректерде қателесті",
                "Киоск дал сбой на этих данных",
                "The kiosk failed on this input",
            ),
            Self::NotRecorded => fixed(
                "Киоск шешімді журналға жаза алмады",
                "Киоск не смог записать решение в журнал",
                "The kiosk could not record the decision",
            ),
            Self::StepRescan => fixed(
                "Парақты сканер әйнегіне тегіс салып қайта сканерлеңіз немесе QR кодты қол сканерімен оқыңыз",
                "Положите распечатку ровно на стекло и отсканируйте снова или считайте QR-код ручным сканером",
                "Put the printout flat on the scanner glass and scan again, or read the QR code with the handheld scanner",
            ),
            Self::StepNewBundle => fixed(
                "Жаңа сенім пакетін орнатыңыз (verifier-kiosk bundle import); ауысым бастығына хабарлаңыз",
                "Установите новый пакет доверия (verifier-kiosk bundle import); сообщите начальнику смены",
                "Install a newer trust bundle (verifier-kiosk bundle import); call the shift supervisor",
            ),
            Self::StepFixClock => fixed(
                "Киосктің күні мен уақытын тексеріп түзетіңіз; ауысым бастығына хабарлаңыз",
                "Проверьте и исправьте дату и время киоска; сообщите начальнику смены",
                "Check and correct the kiosk's date and time; call the shift supervisor",
            ),
            Self::StepScanAgain => fixed(
                "Қайта сканерлеңіз; қайталанса, ауысым бастығына хабарлаңыз",
                "Отсканируйте снова; если повторится, сообщите начальнику смены",
                "Scan again; if it happens again, call the shift supervisor",
            ),
            Self::StepCheckSettings => fixed(
                "Баптауларды (F10) және сенім қалтасын тексеріңіз; ауысым бастығына хабарлаңыз",
                "Проверьте настройки (F10) и папку доверенных ключей; сообщите начальнику смены",
                "Check the settings (F10) and the trust directory; call the shift supervisor",
            ),
            Self::StepPassportAgain => fixed(
                "Паспортты оқу құрылғысына қайта салыңыз немесе MRZ қолмен енгізіңіз",
                "Приложите паспорт к считывателю снова или введите MRZ вручную",
                "Put the passport on the reader again, or type the MRZ by hand",
            ),
            Self::StepUpdateTrust => fixed(
                "Киосктің сенім деректерін жаңартыңыз; ауысым бастығына хабарлаңыз",
                "Обновите доверенные ключи киоска; сообщите начальнику смены",
                "Update the kiosk's trust data; call the shift supervisor",
            ),
            Self::StepUpdateSoftware => fixed(
                "Киоск бағдарламасын жаңартыңыз; ауысым бастығына хабарлаңыз",
                "Обновите программу киоска; сообщите начальнику смены",
                "Update the kiosk software; call the shift supervisor",
            ),
            Self::StepCheckLedger => fixed(
                "Журнал файлын және дискіні тексеріңіз; ауысым бастығына хабарлаңыз",
                "Проверьте файл журнала и диск; сообщите начальнику смены",
                "Check the ledger file and the disk; call the shift supervisor",
            ),
            Self::StepCallSupervisor => fixed(
                "Ауысым бастығына хабарлаңыз",
                "Сообщите начальнику смены",
                "Call the shift supervisor",
            ),
            Self::KioskId => fixed("Киоск", "Киоск", "Kiosk id"),
            Self::KioskKey => fixed("Киоск кілті", "Ключ киоска", "Kiosk key"),
            Self::Airport => fixed("Әуежай", "Аэропорт", "Airport"),
            Self::TrustDir => fixed("Сенім кілттері", "Доверенные ключи", "Trust directory"),
            Self::LedgerPath => fixed("Журнал (SQLite)", "Журнал (SQLite)", "Ledger database"),
            Self::ScannerDir => fixed("Сканер қалтасы", "Папка сканера", "Scanner folder"),
            Self::ConfigFile => fixed("Баптау файлы", "Файл настроек", "Config file"),
            Self::TrustedKeys => fixed("Сенімді кілттер", "Доверенных ключей", "Trusted keys"),
            Self::TrustBundle => fixed("Сенім пакеті", "Пакет доверия", "Trust bundle"),
            Self::ScanBudget => fixed(
                "Сурет оқу уақыты",
                "Время на чтение снимка",
                "Time per picture",
            ),
            Self::Seconds(s) => {
                // Kazakh and Russian write a decimal comma.
                let comma = format!("{s:.1}").replace('.', ",");
                owned(
                    format!("{comma} с"),
                    format!("{comma} с"),
                    format!("{s:.1} s"),
                )
            }
            Self::NotSet => fixed("жоқ", "нет", "none"),
            Self::BundleFile => fixed(
                "Сенім пакетінің файлы",
                "Файл пакета доверия",
                "Trust bundle file",
            ),
            Self::ImportBundle => fixed(
                "Сенім пакетін орнату",
                "Установить пакет доверия",
                "Import trust bundle",
            ),
            Self::BundleInstalled { summary } => owned(
                format!("Сенім пакеті орнатылды: {summary}"),
                format!("Пакет доверия установлен: {summary}"),
                format!("Trust bundle installed: {summary}"),
            ),
            Self::BundleRefused { detail } => owned(
                format!("Пакет қабылданбады, бұрынғысы қалды: {detail}"),
                format!("Пакет отклонён, прежний сохранён: {detail}"),
                format!("Bundle refused, the previous one is kept: {detail}"),
            ),
            Self::Path => fixed("Жол", "Путь", "Path"),
            Self::Open => fixed("Ашу", "Открыть", "Open"),
            Self::Cancel => fixed("Болдырмау", "Отмена", "Cancel"),
            Self::Up => fixed("Жоғары", "Вверх", "Up"),
            Self::Recent => fixed("Соңғы файлдар", "Недавние файлы", "Recent files"),
        }
    }
}

/// Words that are the same in every call of the message.
fn fixed(kk: &'static str, ru: &'static str, en: &'static str) -> [Cow<'static, str>; 3] {
    [Cow::Borrowed(kk), Cow::Borrowed(ru), Cow::Borrowed(en)]
}

/// Words made for this call, with its numbers and names.
fn owned(kk: String, ru: String, en: String) -> [Cow<'static, str>; 3] {
    [Cow::Owned(kk), Cow::Owned(ru), Cow::Owned(en)]
}

/// The printout's words, from `shared::labels`.
fn words(words: Words) -> [Cow<'static, str>; 3] {
    fixed(words.kk, words.ru, words.en)
}

fn zone(problem: ZoneProblem) -> [Cow<'static, str>; 3] {
    match problem {
        ZoneProblem::Shape => fixed(
            "MRZ: паспорт аймағы 44 таңбадан тұратын екі жол болуы керек",
            "MRZ: зона паспорта — две строки по 44 символа",
            "MRZ: a passport zone is two lines of 44 characters",
        ),
        ZoneProblem::Character => fixed(
            "MRZ: аймақта A–Z, 0–9 және < емес таңба бар",
            "MRZ: в зоне есть символ, кроме A–Z, 0–9 и <",
            "MRZ: the zone holds a character other than A–Z, 0–9 and <",
        ),
        ZoneProblem::NotAPassport => fixed(
            "MRZ: бұл паспорттың (TD3) аймағы емес",
            "MRZ: это не зона паспорта (TD3)",
            "MRZ: this is not a passport (TD3) zone",
        ),
        ZoneProblem::CheckDigit => fixed(
            "MRZ: бақылау саны сәйкес емес; паспортты қайта оқыңыз",
            "MRZ: контрольная цифра не совпадает; считайте паспорт снова",
            "MRZ: a check digit does not match; read the passport again",
        ),
        ZoneProblem::Date => fixed(
            "MRZ: аймақтағы күн жарамсыз",
            "MRZ: дата в зоне недопустима",
            "MRZ: a date in the zone is not a date",
        ),
        ZoneProblem::Sex => fixed(
            "MRZ: жыныс өрісі F, M немесе < емес",
            "MRZ: поле пола не F, M или <",
            "MRZ: the sex field is not F, M or <",
        ),
        ZoneProblem::Other => fixed(
            "MRZ: паспорт аймағын оқу мүмкін емес",
            "MRZ: зону паспорта прочитать не удалось",
            "MRZ: the passport zone could not be read",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, tr};
    use shared::labels::Field;
    use shared::{Category, Entries, Port};

    /// One of every message, with sample fields.
    fn every_message() -> Vec<Msg> {
        let text = |s: &str| s.to_owned();
        let mut all = vec![
            Msg::Title,
            Msg::Direction,
            Msg::Crossing(Direction::Entry),
            Msg::Crossing(Direction::Exit),
            Msg::Settings,
            Msg::Back,
            Msg::Ready,
            Msg::NotReady { detail: text("x") },
            Msg::CameraFailed {
                device: text("/dev/video0"),
                detail: text("x"),
            },
            Msg::CameraNotBuilt {
                device: text("/dev/video0"),
            },
            Msg::CameraStopped { detail: text("x") },
            Msg::ScanPrompt,
            Msg::DropHint,
            Msg::OpenImage,
            Msg::ManualLabel,
            Msg::Check,
            Msg::PassportWaiting,
            Msg::Reading,
            Msg::Verdict(Verdict::Valid),
            Msg::Verdict(Verdict::Invalid),
            Msg::Verdict(Verdict::CannotVerify),
            Msg::WhatToDo,
            Msg::Record(Direction::Entry),
            Msg::Record(Direction::Exit),
            Msg::Recorded(Direction::Entry),
            Msg::Recorded(Direction::Exit),
            Msg::NextTraveller,
            Msg::PassportNotChecked,
            Msg::PassportMatches,
            Msg::MismatchField,
            Msg::OnVisa,
            Msg::InPassport,
            Msg::Name,
            Msg::NativeName,
            Msg::PassportExpiry,
            Msg::FirstUse {
                at: text("2026-12-05 10:00 (UTC+5)"),
                port: text("NQZ"),
                kiosk_id: text("NQZ-01"),
            },
            Msg::DaysStayed {
                days: 3,
                permitted: 30,
            },
            Msg::Elapsed { ms: 12 },
            Msg::Days(22),
            Msg::Genuine,
            Msg::BadSignature,
            Msg::Expired,
            Msg::NotYetValid,
            Msg::WrongPort,
            Msg::AlreadyUsed,
            Msg::Overstay,
            Msg::PassportMismatch,
            Msg::Revoked,
            Msg::RevokedKey,
            Msg::OutsideKeyPeriod,
            Msg::TrustTooOld,
            Msg::ClockSuspicious,
            Msg::NotAVisa,
            Msg::InvalidData,
            Msg::Unreadable,
            Msg::UnknownKey,
            Msg::UnsupportedVersion,
            Msg::KioskFailed,
            Msg::NotRecorded,
            Msg::StepRescan,
            Msg::StepNewBundle,
            Msg::StepFixClock,
            Msg::StepScanAgain,
            Msg::StepCheckSettings,
            Msg::StepPassportAgain,
            Msg::StepUpdateTrust,
            Msg::StepUpdateSoftware,
            Msg::StepCheckLedger,
            Msg::StepCallSupervisor,
            Msg::KioskId,
            Msg::KioskKey,
            Msg::Airport,
            Msg::TrustDir,
            Msg::LedgerPath,
            Msg::ScannerDir,
            Msg::ConfigFile,
            Msg::TrustedKeys,
            Msg::TrustBundle,
            Msg::ScanBudget,
            Msg::Seconds(4.0),
            Msg::NotSet,
            Msg::BundleFile,
            Msg::ImportBundle,
            Msg::BundleInstalled {
                summary: text("#2"),
            },
            Msg::BundleRefused { detail: text("x") },
            Msg::Path,
            Msg::Open,
            Msg::Cancel,
            Msg::Up,
            Msg::Recent,
        ];
        all.extend(Field::ALL.map(Msg::Field));
        all.extend(Category::ALL.map(Msg::Category));
        all.extend([Entries::Single, Entries::Double].map(Msg::Entries));
        all.extend(Port::ALL.map(Msg::Port));
        all.extend(
            [
                ZoneProblem::Shape,
                ZoneProblem::Character,
                ZoneProblem::NotAPassport,
                ZoneProblem::CheckDigit,
                ZoneProblem::Date,
                ZoneProblem::Sex,
                ZoneProblem::Other,
            ]
            .map(Msg::Zone),
        );
        all
    }

    fn cyrillic(text: &str) -> bool {
        text.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'))
    }

    #[test]
    fn every_message_reads_in_kazakh_and_russian_in_cyrillic_and_in_english_in_latin() {
        for msg in every_message() {
            let [kk, ru, en] = msg.all();
            // The passport's own letters are the same in every language.
            let neutral = matches!(msg, Msg::PassportRead { .. });
            assert!(neutral || cyrillic(&kk), "{msg:?} in Kazakh: {kk:?}");
            assert!(neutral || cyrillic(&ru), "{msg:?} in Russian: {ru:?}");
            assert!(
                !cyrillic(&en) && !en.trim().is_empty(),
                "{msg:?} in English: {en:?}"
            );
        }
    }

    #[test]
    fn kazakh_words_differ_from_russian_ones_except_shared_loanwords() {
        // Words the two languages genuinely share on this screen.
        let shared = [Msg::KioskId, Msg::LedgerPath, Msg::Port(Port::Ala)];
        for msg in every_message() {
            let [kk, ru, _] = msg.all();
            let is_shared =
                shared.contains(&msg) || matches!(msg, Msg::Elapsed { .. } | Msg::Seconds(_));
            assert!(
                is_shared || kk != ru,
                "{msg:?} is Russian in Kazakh: {kk:?}"
            );
        }
    }

    #[test]
    fn the_days_stayed_and_the_days_permitted_take_the_right_form() {
        assert_eq!(tr(Language::Ru, Msg::Days(22)), "22 дня");
        assert_eq!(tr(Language::Ru, Msg::Days(1)), "1 день");
        assert_eq!(tr(Language::Kk, Msg::Days(30)), "30 күн");
        assert_eq!(tr(Language::Ru, Msg::Seconds(4.0)), "4,0 с");
        assert_eq!(tr(Language::En, Msg::Seconds(1.5)), "1.5 s");
        assert_eq!(
            tr(
                Language::En,
                Msg::DaysStayed {
                    days: 1,
                    permitted: 30
                }
            ),
            "Days stayed: 1 / 30"
        );
    }
}
