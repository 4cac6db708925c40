//! The window's words in Kazakh, Russian and English (the portal's ҚАЗ / РУС / ENG), and the
//! plain-language reasons and next steps an officer reads on the verdict screen. The visa's field
//! labels and value names are the printout's, from `shared::labels`, so paper and screen agree.

use shared::labels::{self, DAY, Field};
use shared::{Category, Entries};

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Қазақ тілі.
    Kk,
    /// Русский.
    Ru,
    /// English.
    En,
}

impl Language {
    /// All, in the order of the switch.
    pub const ALL: [Self; 3] = [Self::Kk, Self::Ru, Self::En];

    /// Parses `kk`, `ru` or `en` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "kk" | "kz" | "kaz" => Some(Self::Kk),
            "ru" | "rus" => Some(Self::Ru),
            "en" | "eng" => Some(Self::En),
            _ => None,
        }
    }

    /// The switch's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Kk => "ҚАЗ",
            Self::Ru => "РУС",
            Self::En => "ENG",
        }
    }
}

impl From<Language> for labels::Language {
    fn from(lang: Language) -> Self {
        match lang {
            Language::Kk => Self::Kk,
            Language::Ru => Self::Ru,
            Language::En => Self::En,
        }
    }
}

/// A word or sentence of the interface in `lang`; an unknown key shows itself, so a missing
/// translation is visible in tests rather than blank on screen.
pub fn tr(lang: Language, key: &'static str) -> &'static str {
    let [kk, ru, en] = match key {
        "title" => [
            "Электрондық виза: шекаралық бақылау",
            "Электронная виза: пограничный контроль",
            "E-visa border control",
        ],
        "entry" => ["Кіру", "Въезд", "Entry"],
        "exit" => ["Шығу", "Выезд", "Exit"],
        "settings" => ["Баптаулар", "Настройки", "Settings"],
        "back" => ["Артқа", "Назад", "Back"],
        "scan_prompt" => [
            "Визаның QR кодын қол сканерімен оқыңыз немесе басып шығарылған парақты сканерге салыңыз",
            "Считайте QR-код визы ручным сканером или положите распечатку на сканер",
            "Scan the visa's QR code with the handheld scanner, or put the printout on the document scanner",
        ],
        "drop_hint" => [
            "Суретті терезеге сүйреп әкелуге болады",
            "Изображение можно перетащить в окно",
            "You can also drop an image file on this window",
        ],
        "open_image" => ["Суретті ашу…", "Открыть изображение…", "Open image…"],
        "manual_label" => [
            "Код немесе паспорт MRZ",
            "Код или MRZ паспорта",
            "Code or passport MRZ",
        ],
        "check" => ["Тексеру", "Проверить", "Check"],
        "reading" => ["QR код оқылуда…", "Чтение QR-кода…", "Reading the QR code…"],
        "valid" => ["ЖАРАМДЫ", "ДЕЙСТВИТЕЛЬНА", "VALID"],
        "invalid" => ["ЖАРАМСЫЗ", "НЕДЕЙСТВИТЕЛЬНА", "INVALID"],
        "cannot_verify" => [
            "ТЕКСЕРУ МҮМКІН ЕМЕС",
            "ПРОВЕРКА НЕВОЗМОЖНА",
            "CANNOT VERIFY",
        ],
        "what_to_do" => ["Не істеу керек", "Что делать", "What to do"],
        "record_entry" => ["Кіруді тіркеу", "Зарегистрировать въезд", "Record entry"],
        "record_exit" => ["Шығуды тіркеу", "Зарегистрировать выезд", "Record exit"],
        "next" => ["Келесі жолаушы", "Следующий пассажир", "Next traveller"],
        "recorded_entry" => ["Кіру тіркелді", "Въезд зарегистрирован", "Entry recorded"],
        "recorded_exit" => ["Шығу тіркелді", "Выезд зарегистрирован", "Exit recorded"],
        "passport_not_checked" => [
            "Паспорт тексерілмеді: паспорт оқу құрылғысымен MRZ оқыңыз",
            "Паспорт не сверен: считайте MRZ паспорта считывателем",
            "Passport not checked yet: read the passport's MRZ with the passport reader",
        ],
        "passport_matches" => [
            "Паспорт визаға сәйкес",
            "Паспорт совпадает с визой",
            "Passport matches the visa",
        ],
        "passport_waiting" => [
            "Паспорт оқылды; енді визаны сканерлеңіз",
            "Паспорт считан; теперь отсканируйте визу",
            "Passport read; now scan the visa",
        ],
        "field" => ["Өріс", "Поле", "Field"],
        "on_visa" => ["Визада", "В визе", "On the visa"],
        "on_passport" => ["Паспортта", "В паспорте", "In the passport"],
        "name" => ["Аты-жөні", "Имя", "Name"],
        "native_name" => ["Төл жазуда", "На родном письме", "Native script"],
        "passport_expiry" => [
            "Паспорттың мерзімі",
            "Срок действия паспорта",
            "Passport expiry",
        ],
        "stayed" => ["Болған күндер", "Дней пребывания", "Days stayed"],
        "first_use" => ["Алғаш пайдаланылған", "Первое использование", "First used"],
        "kiosk_id" => ["Киоск", "Киоск", "Kiosk id"],
        "kiosk_key" => ["Киоск кілті", "Ключ киоска", "Kiosk key"],
        "port" => ["Әуежай", "Аэропорт", "Airport"],
        "trust_dir" => ["Сенім кілттері", "Доверенные ключи", "Trust directory"],
        "ledger_path" => ["Журнал (SQLite)", "Журнал (SQLite)", "Ledger database"],
        "scanner_dir" => ["Сканер қалтасы", "Папка сканера", "Scanner folder"],
        "config_file" => ["Баптау файлы", "Файл настроек", "Config file"],
        "trusted_keys" => ["Сенімді кілттер", "Доверенных ключей", "Trusted keys"],
        "none" => ["жоқ", "нет", "none"],
        "trust_bundle" => ["Сенім пакеті", "Пакет доверия", "Trust bundle"],
        "bundle_file" => [
            "Сенім пакетінің файлы",
            "Файл пакета доверия",
            "Trust bundle file",
        ],
        "import_bundle" => [
            "Сенім пакетін орнату",
            "Установить пакет доверия",
            "Import trust bundle",
        ],
        "bundle_installed" => [
            "Сенім пакеті орнатылды",
            "Пакет доверия установлен",
            "Trust bundle installed",
        ],
        "bundle_refused" => [
            "Пакет қабылданбады, бұрынғысы қалды",
            "Пакет отклонён, прежний сохранён",
            "Bundle refused, the previous one is kept",
        ],
        "scan_budget" => [
            "Сурет оқу уақыты",
            "Время на чтение снимка",
            "Time per picture",
        ],
        "ready" => ["Дайын", "Готов", "Ready"],
        "open" => ["Ашу", "Открыть", "Open"],
        "cancel" => ["Болдырмау", "Отмена", "Cancel"],
        "path" => ["Жол", "Путь", "Path"],
        "recent" => ["Соңғы файлдар", "Недавние файлы", "Recent files"],
        "up" => ["Жоғары", "Вверх", "Up"],
        "direction" => ["Бағыт", "Направление", "Direction"],
        _ => [key, key, key],
    };
    match lang {
        Language::Kk => kk,
        Language::Ru => ru,
        Language::En => en,
    }
}

/// A visa field's label in `lang`, in the printout's words.
pub fn field(lang: Language, field: Field) -> &'static str {
    field.label().get(lang.into())
}

/// A field named by its JSON key, as the passport cross-check names them: a visa field in the
/// printout's words, the passport's own fields (its expiry) in the window's.
pub fn field_by_key(lang: Language, key: &'static str) -> &'static str {
    match Field::from_key(key) {
        Some(f) => field(lang, f),
        None => tr(lang, key),
    }
}

/// A visa's category (`business`…) in `lang`, as the printout names it; other text as is.
pub fn category(lang: Language, value: &str) -> String {
    Category::parse(value).map_or_else(
        |_| value.to_owned(),
        |c| labels::category(c).get(lang.into()).to_owned(),
    )
}

/// A visa's number of entries (`single`, `double`) in `lang`, as the printout names it; other
/// text as is.
pub fn entries(lang: Language, value: &str) -> String {
    Entries::parse(value).map_or_else(
        |_| value.to_owned(),
        |e| labels::entries(e).get(lang.into()).to_owned(),
    )
}

/// A number of days in `lang`, in the form the number takes ("1 день", "22 дня", "30 дней").
pub fn days(lang: Language, n: u64) -> String {
    DAY.count(lang.into(), n)
}

/// The reason of a decision in plain words, by its stable code.
pub fn reason(lang: Language, code: &str) -> &'static str {
    let [kk, ru, en] = match code {
        "ok" => [
            "Түпнұсқа электрондық виза",
            "Подлинная электронная виза",
            "Genuine e-visa",
        ],
        "bad_signature" => [
            "Қолтаңба сәйкес емес: код өзгертілген немесе жалған",
            "Подпись не совпадает: код изменён или подделан",
            "The signature does not match: the code was altered or forged",
        ],
        "expired" => [
            "Визаның мерзімі өтті",
            "Срок действия визы истёк",
            "The visa has expired",
        ],
        "not_yet_valid" => [
            "Виза әлі күшіне енген жоқ",
            "Виза ещё не действует",
            "The visa is not valid yet",
        ],
        "wrong_port" => [
            "Виза бұл әуежай үшін жарамсыз",
            "Виза не действует в этом аэропорту",
            "The visa is not valid at this airport",
        ],
        "already_used" => [
            "Бір реттік виза бұрын пайдаланылған",
            "Однократная виза уже использована",
            "This single-entry visa was already used",
        ],
        "overstay" => [
            "Рұқсат етілген болу мерзімі асып кетті",
            "Превышен разрешённый срок пребывания",
            "Overstay: the permitted stay was exceeded",
        ],
        "passport_mismatch" => [
            "Паспорт визаға сәйкес емес",
            "Паспорт не совпадает с визой",
            "The passport does not match the visa",
        ],
        "revoked" => ["Виза жойылған", "Виза аннулирована", "The visa was revoked"],
        "revoked_key" => [
            "Визаға қол қойған кілт жойылған",
            "Ключ, подписавший визу, отозван",
            "The key that signed the visa was revoked",
        ],
        "outside_key_period" | "outlives_key_certificate" => [
            "Виза кілттің рұқсат етілген мерзімінен тыс қол қойылған",
            "Виза подписана вне срока действия ключа",
            "The visa was signed outside its key's certified period",
        ],
        "trust_too_old" => [
            "Киосктің сенім деректері ескірген",
            "Доверенные данные киоска устарели",
            "The kiosk's trust data is too old",
        ],
        "clock_suspicious" => [
            "Киосктің сағаты күмәнді",
            "Часы киоска вызывают сомнение",
            "The kiosk's clock is suspicious",
        ],
        "not_a_visa" | "malformed_text" | "malformed_envelope" | "empty" | "too_long" => [
            "Бұл Қазақстанның электрондық визасының коды емес немесе код бүлінген",
            "Это не код электронной визы Казахстана, или код повреждён",
            "This is not a Kazakhstan e-visa code, or the code is damaged",
        ],
        "invalid_claims" | "unsupported_algorithm" => [
            "Визаның деректері жарамсыз",
            "Данные визы недействительны",
            "The visa's data is invalid",
        ],
        "unreadable" | "unreadable_passport" => [
            "Суреттегі кодты оқу мүмкін емес",
            "Не удалось прочитать код на изображении",
            "The code in the picture could not be read",
        ],
        "unknown_key" => [
            "Код бұл киоск білмейтін кілтпен қол қойылған",
            "Код подписан ключом, которого киоск не знает",
            "The code is signed with a key this kiosk does not know",
        ],
        "unsupported_version" => [
            "Кодтың форматы бұл киоскіге белгісіз",
            "Формат кода неизвестен этому киоску",
            "The code's format is newer than this kiosk",
        ],
        "kiosk_error" => [
            "Киоск бұл деректерде қателесті",
            "Киоск дал сбой на этих данных",
            "The kiosk failed on this input",
        ],
        "ledger_unavailable" | "kiosk_not_ready" => [
            "Киоск шешімді журналға жаза алмады",
            "Киоск не смог записать решение в журнал",
            "The kiosk could not record the decision",
        ],
        _ => ["Шешім", "Решение", "Decision"],
    };
    match lang {
        Language::Kk => kk,
        Language::Ru => ru,
        Language::En => en,
    }
}

/// What the officer should do after a CANNOT VERIFY, by reason code.
pub fn next_step(lang: Language, code: &str) -> &'static str {
    let [kk, ru, en] = match code {
        "unreadable" => [
            "Парақты сканер әйнегіне тегіс салып қайта сканерлеңіз немесе QR кодты қол сканерімен оқыңыз",
            "Положите распечатку ровно на стекло и отсканируйте снова или считайте QR-код ручным сканером",
            "Put the printout flat on the scanner glass and scan again, or read the QR code with the handheld scanner",
        ],
        "trust_too_old" => [
            "Жаңа сенім пакетін орнатыңыз (verifier-kiosk bundle import); ауысым бастығына хабарлаңыз",
            "Установите новый пакет доверия (verifier-kiosk bundle import); сообщите начальнику смены",
            "Install a newer trust bundle (verifier-kiosk bundle import); call the shift supervisor",
        ],
        "clock_suspicious" => [
            "Киосктің күні мен уақытын тексеріп түзетіңіз; ауысым бастығына хабарлаңыз",
            "Проверьте и исправьте дату и время киоска; сообщите начальнику смены",
            "Check and correct the kiosk's date and time; call the shift supervisor",
        ],
        "kiosk_error" => [
            "Қайта сканерлеңіз; қайталанса, ауысым бастығына хабарлаңыз",
            "Отсканируйте снова; если повторится, сообщите начальнику смены",
            "Scan again; if it happens again, call the shift supervisor",
        ],
        "kiosk_not_ready" => [
            "Баптауларды (F10) және сенім қалтасын тексеріңіз; ауысым бастығына хабарлаңыз",
            "Проверьте настройки (F10) и папку доверенных ключей; сообщите начальнику смены",
            "Check the settings (F10) and the trust directory; call the shift supervisor",
        ],
        "unreadable_passport" => [
            "Паспортты оқу құрылғысына қайта салыңыз немесе MRZ қолмен енгізіңіз",
            "Приложите паспорт к считывателю снова или введите MRZ вручную",
            "Put the passport on the reader again, or type the MRZ by hand",
        ],
        "unknown_key" => [
            "Киосктің сенім деректерін жаңартыңыз; ауысым бастығына хабарлаңыз",
            "Обновите доверенные ключи киоска; сообщите начальнику смены",
            "Update the kiosk's trust data; call the shift supervisor",
        ],
        "unsupported_version" => [
            "Киоск бағдарламасын жаңартыңыз; ауысым бастығына хабарлаңыз",
            "Обновите программу киоска; сообщите начальнику смены",
            "Update the kiosk software; call the shift supervisor",
        ],
        _ => [
            "Журнал файлын және дискіні тексеріңіз; ауысым бастығына хабарлаңыз",
            "Проверьте файл журнала и диск; сообщите начальнику смены",
            "Check the ledger file and the disk; call the shift supervisor",
        ],
    };
    match lang {
        Language::Kk => kk,
        Language::Ru => ru,
        Language::En => en,
    }
}
