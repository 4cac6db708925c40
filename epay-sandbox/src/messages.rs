//! The sandbox's one message catalogue: every text a payer reads, in Kazakh, Russian and English.
//! Each message is declared once with exactly three texts (kk, ru, en); the `catalogue!` macro
//! accepts nothing else, so a message missing a language does not compile.

pub use epay_contract::Lang;

use crate::payment::{DeclineReason, FieldError};

macro_rules! catalogue {
    ($($(#[doc = $doc:literal])* $id:ident => [$kk:literal, $ru:literal, $en:literal $(,)?],)*) => {
        /// A message the pages show; [`Msg::text`] gives it in a language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg {
            $($(#[doc = $doc])* $id,)*
        }

        impl Msg {
            /// Every message, for the catalogue's own checks.
            pub const ALL: &[Msg] = &[$(Msg::$id,)*];

            /// The message in Kazakh, Russian and English.
            const fn words(self) -> [&'static str; 3] {
                match self {
                    $(Msg::$id => [$kk, $ru, $en],)*
                }
            }
        }
    };
}

catalogue! {
    /// The gateway's name under its logo.
    Tagline => [
        "Электрондық үкіметтің төлем шлюзі",
        "Платёжный шлюз электронного правительства",
        "E-government payment gateway",
    ],
    /// The badge saying that this is not the real gateway.
    Sandbox => ["ТЕСТІЛЕУ ОРТАСЫ", "ТЕСТОВЫЙ РЕЖИМ", "SANDBOX"],
    /// The footer.
    Footer => [
        "Қазақстан Республикасы электрондық үкіметі төлем шлюзінің тестілеу ортасы. Нақты ақша есептен шығарылмайды.",
        "Тестовая среда платёжного шлюза электронного правительства Республики Казахстан. Реальные деньги не списываются.",
        "Sandbox of the e-government payment gateway of the Republic of Kazakhstan. No real money is charged.",
    ],
    /// The name of the language switch, for screen readers.
    Language => ["Тіл", "Язык", "Language"],
    /// The name of the payment summary, for screen readers.
    PaymentSummary => ["Төлем", "Платёж", "Payment"],
    /// Who receives the money.
    Recipient => ["Алушы", "Получатель", "Recipient"],
    /// The recipient's name.
    RecipientName => [
        "Қазақстан Республикасының Виза және көші-қон порталы",
        "Визово-миграционный портал Республики Казахстан",
        "Visa and Migration Portal of the Republic of Kazakhstan",
    ],
    /// What is paid for.
    Purpose => ["Төлемнің мақсаты", "Назначение платежа", "Purpose"],
    /// Who pays.
    Payer => ["Төлеуші", "Плательщик", "Payer"],
    /// The merchant's order id.
    Order => ["Тапсырыс", "Заказ", "Order"],
    /// How much.
    Amount => ["Сома", "Сумма", "Amount"],
    /// The method page's title.
    MethodTitle => ["Төлем тәсілі", "Способ оплаты", "Payment method"],
    /// The method page's heading.
    ChooseMethod => ["Төлем тәсілін таңдау", "Выбор способа оплаты", "Payment method selection"],
    /// The list of methods, for screen readers.
    Methods => ["Төлем тәсілдері", "Способы оплаты", "Payment methods"],
    /// Paying by card.
    Card => ["Төлем картасы", "Платёжная карта", "Payment card"],
    /// Paying from an e-wallet.
    Wallet => ["Электрондық әмиян", "Электронный кошелёк", "E-wallet"],
    /// Paying from a phone balance, as the method is offered.
    Mobile => [
        "Ұялы телефон балансынан есептен шығару",
        "Списание с баланса мобильного телефона",
        "Write-off from the mobile balance",
    ],
    /// Paying from a phone balance, short (the mobile page's title, the check).
    MobileShort => ["Телефон балансы", "Баланс телефона", "Mobile balance"],
    /// Back to the merchant's site.
    ReturnToPortal => ["Порталға оралу", "Вернуться на портал", "Return to the portal"],
    /// Back to the method choice.
    OtherMethod => ["Басқа төлем тәсілі", "Другой способ оплаты", "Another payment method"],
    /// The card form's heading.
    CardDetails => ["Карта деректері", "Данные карты", "Card details"],
    /// Above a form with errors.
    CorrectFields => [
        "Төменде белгіленген өрістерді түзетіңіз.",
        "Исправьте отмеченные ниже поля.",
        "Please correct the fields marked below.",
    ],
    /// The card number field.
    CardNumber => ["Карта нөмірі", "Номер карты", "Card number"],
    /// The expiry field.
    Expiry => ["Жарамдылық мерзімі (АА/ЖЖ)", "Срок действия (ММ/ГГ)", "Valid thru (MM/YY)"],
    /// The expiry field's placeholder.
    ExpiryPlaceholder => ["АА/ЖЖ", "ММ/ГГ", "MM/YY"],
    /// The CVV field.
    Cvv => ["CVV/CVC коды", "Код CVV/CVC", "CVV/CVC"],
    /// The cardholder field.
    Holder => ["Карта иесінің аты", "Имя владельца карты", "Cardholder name"],
    /// The e-wallet field.
    WalletNumber => ["Электрондық әмиян нөмірі", "Номер электронного кошелька", "E-wallet number"],
    /// The phone field.
    PhoneNumber => [
        "Телефон нөмірі (Activ, Kcell, Beeline)",
        "Номер телефона (Activ, Kcell, Beeline)",
        "Phone number (Activ, Kcell, Beeline)",
    ],
    /// The pay button, before the amount.
    Pay => ["Төлеу", "Оплатить", "Pay"],
    /// Under the pay button.
    PayHint => [
        "«Төлеу» батырмасын басқаннан кейін сервердің жауабын күтіңіз.",
        "После нажатия «Оплатить» дождитесь ответа сервера.",
        "After pressing “Pay”, wait for the server's answer.",
    ],
    /// The folded test data.
    TestData => ["Тестілеу деректері", "Тестовые данные", "Sandbox test data"],
    /// Test data outcome: paid.
    OutcomePaid => ["төленеді", "оплачивается", "paid"],
    /// Test data outcome: declined.
    OutcomeDeclined => ["қабылданбайды", "отклоняется", "declined"],
    /// Test data outcome: the pending card.
    OutcomePending => [
        "20 с күтеді, хабарламасыз",
        "ожидание 20 с, без уведомления",
        "pending 20 s, no callback",
    ],
    /// Test data outcome: the card whose callback comes three times.
    OutcomeTripled => [
        "төленеді, хабарлама үш рет жіберіледі",
        "оплачивается, уведомление отправляется трижды",
        "paid, callback sent three times",
    ],
    /// Test data outcome: the declined wallet.
    OutcomeNoFunds => [
        "қабылданбайды: қаражат жеткіліксіз",
        "отклоняется: недостаточно средств",
        "declined: insufficient funds",
    ],
    /// Test data outcome: the declined phone.
    OutcomeNoBalance => [
        "қабылданбайды: балансында қаражат жеткіліксіз",
        "отклоняется: недостаточно средств на балансе",
        "declined: insufficient balance",
    ],
    /// Test data outcome: an operator the gateway does not serve.
    OutcomeNoOperator => [
        "оператор қолдау көрсетілмейді",
        "оператор не поддерживается",
        "operator not supported",
    ],
    /// Test data: what else a card form accepts.
    AnyCardData => [
        "Болашақтағы кез келген мерзім, 3 цифрдан тұратын кез келген CVV, кез келген аты.",
        "Любой срок в будущем, любой CVV из 3 цифр, любое имя.",
        "Any future expiry, any 3-digit CVV, any name.",
    ],
    /// The waiting page's title.
    WaitingTitle => ["Жауап күтілуде", "Ожидание ответа", "Waiting for the answer"],
    /// The waiting page's heading.
    WaitForAnswer => [
        "Сервердің жауабын күтіңіз",
        "Дождитесь ответа сервера",
        "Please wait for the server's answer",
    ],
    /// The waiting page's text.
    Processing => [
        "Төлем өңделуде. Жауап келгенде бет хабарлайды; оны жаппаңыз және қайта төлемеңіз.",
        "Платёж обрабатывается. Страница сообщит, когда придёт ответ; не закрывайте её и не оплачивайте повторно.",
        "The payment is being processed. This page tells you when the answer arrives; do not close it or pay again.",
    ],
    /// The waiting page's link to the answer: it reloads the page (and works without script).
    CheckAnswer => [
        "Жауапты тексеру",
        "Проверить ответ",
        "Check for the answer",
    ],
    /// Announced politely (a live region) when the waiting page's script sees the answer.
    AnswerArrived => [
        "Жауап келді. Оны көру үшін төмендегі сілтемені ашыңыз.",
        "Ответ получен. Откройте ссылку ниже, чтобы его увидеть.",
        "The answer has arrived. Follow the link below to see it.",
    ],
    /// The waiting page's link once the answer has arrived.
    SeeAnswer => ["Жауапты көру", "Посмотреть ответ", "See the answer"],
    /// The waiting page's way back.
    ReturnAndUpdate => [
        "Порталға оралу (төлем мәртебесін сол жерде жаңартуға болады)",
        "Вернуться на портал (статус можно обновить там)",
        "Return to the portal (the status can be updated there)",
    ],
    /// The check's title.
    ElectronicCheck => ["Электрондық чек", "Электронный чек", "Electronic check"],
    /// The check's confirmation line.
    PaymentCompleted => ["Төлем сәтті өтті", "Оплата прошла успешно", "Payment completed"],
    /// The check's number.
    ReceiptNumber => ["Чек нөмірі", "Номер чека", "Receipt number"],
    /// When.
    DateTime => ["Күні мен уақыты", "Дата и время", "Date and time"],
    /// After a time on the check.
    AstanaTime => ["Астана уақыты", "время Астаны", "Astana time"],
    /// How it was paid.
    PaidWith => ["Төлем тәсілі", "Способ оплаты", "Paid with"],
    /// The gateway's id.
    Transaction => ["Транзакция", "Транзакция", "Transaction"],
    /// The stamp on the check.
    PaidStamp => ["ТӨЛЕНДІ", "ОПЛАЧЕНО", "PAID"],
    /// The print button.
    Print => ["Басып шығару", "Печать", "Print"],
    /// Under the check.
    PrintHint => [
        "Чекті басып шығару немесе PDF ретінде сақтау үшін браузердің басып шығару командасын пайдаланыңыз (Ctrl+P).",
        "Чтобы распечатать или сохранить чек в PDF, используйте печать браузера (Ctrl+P).",
        "To print or save the check as PDF, use your browser's Print command (Ctrl+P).",
    ],
    /// The decline's title.
    PaymentDeclined => ["Төлем қабылданбады", "Платёж отклонён", "Payment declined"],
    /// The decline's text.
    NothingCharged => [
        "Ақша есептен шығарылған жоқ. Төлемді қайталау үшін порталға оралыңыз.",
        "Деньги не списаны. Вернитесь на портал, чтобы повторить оплату.",
        "No money was charged. Return to the portal to try again.",
    ],
    /// Decline reason of the declined card.
    CardDeclined => [
        "Картаны шығарған банк төлемді қабылдамады",
        "Банк-эмитент отклонил платёж",
        "The card issuer declined the payment",
    ],
    /// Decline reason of the declined wallet.
    InsufficientFunds => [
        "Электрондық әмиянда қаражат жеткіліксіз",
        "Недостаточно средств в электронном кошельке",
        "Insufficient funds in the e-wallet",
    ],
    /// Decline reason of the declined phone.
    InsufficientBalance => [
        "Телефон балансында қаражат жеткіліксіз",
        "Недостаточно средств на балансе телефона",
        "Insufficient balance on the phone account",
    ],
    /// A form whose CSRF token did not match.
    SessionExpired => ["Сеанс мерзімі өтті", "Сеанс истёк", "Session expired"],
    /// What to do about it.
    SessionExpiredText => [
        "Форма қабылданбады. Төлем бетін қайта ашып, әрекетті қайталаңыз.",
        "Форма не принята. Откройте страницу оплаты заново и повторите.",
        "The form could not be accepted. Open the payment page again and repeat.",
    ],
    /// A database failure.
    TemporaryFailure => ["Уақытша ақау", "Временный сбой", "Temporary failure"],
    /// What to do about it.
    TemporaryFailureText => [
        "Төлемді оқу мүмкін болмады. Бір минуттан кейін қайталаңыз; ақша екі рет есептен шығарылмайды.",
        "Не удалось прочитать платёж. Повторите через минуту; повторного списания не будет.",
        "The payment could not be read. Try again in a minute; nothing was charged twice.",
    ],
    /// An unknown payment id.
    NotFound => ["Төлем табылмады", "Платёж не найден", "Payment not found"],
    /// What to do about it.
    NotFoundText => [
        "Сілтеме қате немесе төлем мерзімі өтіп кеткен. Порталға оралып, төлемді қайта бастаңыз.",
        "Ссылка неверна или срок платежа истёк. Вернитесь на портал и начните оплату заново.",
        "The link is wrong or the payment has expired. Return to the portal and start the payment again.",
    ],
    /// A paid or pending payment opened in another browser.
    CheckPrivate => [
        "Электрондық чек жабық",
        "Электронный чек закрыт",
        "The electronic check is private",
    ],
    /// What to do about it.
    CheckPrivateText => [
        "Чек тек төлем жасалған браузерде немесе порталдың жеке кабинетіндегі сілтеме арқылы ашылады. Порталға кіріп, төлемнің чегін сол жерден ашыңыз.",
        "Чек открывается только в браузере, из которого была оплата, или по ссылке из личного кабинета портала. Войдите на портал и откройте чек оттуда.",
        "The check opens only in the browser that paid, or through the link in the portal's personal account. Log in to the portal and open the check from there.",
    ],
    /// The link to the payment page.
    OpenPaymentPage => ["Төлем бетін ашу", "Открыть страницу оплаты", "Open the payment page"],
    /// Field error: empty.
    Required => ["Міндетті өріс", "Обязательное поле", "Required"],
    /// Field error: not a card number's length.
    CardLength => [
        "Карта нөмірі 12–19 цифрдан тұрады",
        "Номер карты состоит из 12–19 цифр",
        "A card number has 12 to 19 digits",
    ],
    /// Field error: the Luhn check failed.
    CardCheckDigit => [
        "Карта нөмірі қате (бақылау цифры)",
        "Неверный номер карты (контрольная цифра)",
        "This card number is not valid (check digit)",
    ],
    /// Field error: not MM/YY.
    ExpiryFormat => [
        "Мерзімді АА/ЖЖ түрінде жазыңыз",
        "Срок действия в виде ММ/ГГ",
        "Write the expiry as MM/YY",
    ],
    /// Field error: in the past.
    Expired => [
        "Картаның жарамдылық мерзімі өтті",
        "Срок действия карты истёк",
        "This card has expired",
    ],
    /// Field error: not three digits.
    CvvDigits => [
        "CVV — картаның артқы жағындағы 3 цифр",
        "CVV — 3 цифры на обороте карты",
        "The CVV is the 3 digits on the back of the card",
    ],
    /// Field error: the holder's name.
    HolderName => [
        "Атын картадағыдай жазыңыз (60 таңбадан аспайды)",
        "Введите имя как на карте (не более 60 символов)",
        "Type the name as printed on the card (at most 60 characters)",
    ],
    /// Field error: not a wallet number.
    WalletFormat => [
        "Электрондық әмиян нөмірі: WAL- және алты цифр, мысалы WAL-100001",
        "Номер электронного кошелька: WAL- и шесть цифр, например WAL-100001",
        "An e-wallet number is WAL- and six digits, e.g. WAL-100001",
    ],
    /// Field error: not a Kazakh mobile number.
    PhoneFormat => [
        "Қазақстандық ұялы телефон нөмірін жазыңыз, мысалы +7 701 555 0101",
        "Введите номер мобильного телефона Казахстана, например +7 701 555 0101",
        "Write a Kazakhstan mobile number, e.g. +7 701 555 0101",
    ],
    /// Field error: an operator the gateway does not serve.
    OperatorNotSupported => [
        "Бұл оператор қолдау көрсетілмейді: Activ, Kcell немесе Beeline нөмірінен төлеңіз",
        "Оператор не поддерживается: оплата с номеров Activ, Kcell или Beeline",
        "This operator is not supported: pay from an Activ, Kcell or Beeline number",
    ],
}

impl Msg {
    /// The message in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let [kk, ru, en] = self.words();
        match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

impl From<FieldError> for Msg {
    fn from(error: FieldError) -> Self {
        match error {
            FieldError::Required => Self::Required,
            FieldError::CardLength => Self::CardLength,
            FieldError::CardCheckDigit => Self::CardCheckDigit,
            FieldError::ExpiryFormat => Self::ExpiryFormat,
            FieldError::Expired => Self::Expired,
            FieldError::CvvDigits => Self::CvvDigits,
            FieldError::HolderName => Self::HolderName,
            FieldError::WalletFormat => Self::WalletFormat,
            FieldError::PhoneFormat => Self::PhoneFormat,
            FieldError::OperatorNotSupported => Self::OperatorNotSupported,
        }
    }
}

impl From<DeclineReason> for Msg {
    fn from(reason: DeclineReason) -> Self {
        match reason {
            DeclineReason::CardDeclined => Self::CardDeclined,
            DeclineReason::InsufficientFunds => Self::InsufficientFunds,
            DeclineReason::InsufficientBalance => Self::InsufficientBalance,
        }
    }
}

/// The label of a language in the switch, in that language, as on the portal.
pub fn label(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "ҚАЗ",
        Lang::Ru => "РУС",
        Lang::En => "ENG",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_cyrillic(c: char) -> bool {
        ('\u{0400}'..='\u{04FF}').contains(&c)
    }

    #[test]
    fn every_message_is_written_in_all_three_languages_in_their_own_script() {
        let mut untranslated = Vec::new();
        for &msg in Msg::ALL {
            let [kk, ru, en] = msg.words();
            if kk.trim().is_empty() || ru.trim().is_empty() || en.trim().is_empty() {
                untranslated.push(format!("{msg:?}: an empty text"));
            }
            if !kk.chars().any(is_cyrillic) || !ru.chars().any(is_cyrillic) {
                untranslated.push(format!("{msg:?}: Kazakh or Russian not in Cyrillic"));
            }
            if en.chars().any(is_cyrillic) {
                untranslated.push(format!("{msg:?}: Cyrillic in the English text"));
            }
        }
        assert!(untranslated.is_empty(), "{untranslated:#?}");
    }

    #[test]
    fn kazakh_texts_are_not_russian_copies_except_shared_words() {
        // "Транзакция" is the same word in both languages.
        let shared = [Msg::Transaction];
        let copies: Vec<Msg> = Msg::ALL
            .iter()
            .copied()
            .filter(|msg| !shared.contains(msg))
            .filter(|msg| msg.text(Lang::Kk) == msg.text(Lang::Ru))
            .collect();
        assert!(copies.is_empty(), "{copies:?}");
    }

    #[test]
    fn a_message_is_picked_by_language() {
        assert_eq!(Msg::Card.text(Lang::Kk), "Төлем картасы");
        assert_eq!(Msg::Card.text(Lang::Ru), "Платёжная карта");
        assert_eq!(Msg::Card.text(Lang::En), "Payment card");
    }
}
