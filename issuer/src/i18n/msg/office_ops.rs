//! The back office's operator pages: issued visas and their revocation, the signing keys and the
//! trust bundle, the kiosks and their ledger uploads, and the statistics.

catalogue! {
    /// The words of `/office/visas`, `/office/keys`, `/office/kiosks` and `/office/statistics`.
    OfficeOps {
        /// The label of the search field: a visa's number.
        FindByNumber => ["Визаны нөмірі бойынша іздеу", "Найти визу по номеру", "Find a visa by its number"],
        /// The search button.
        Find => ["Іздеу", "Найти", "Find"],
        /// No visa has the number searched for.
        NoSuchVisa => [
            "Мұндай нөмірмен виза берілмеген.",
            "Визы с таким номером не выдавалось.",
            "No visa with this number was issued here.",
        ],
        /// The list of visas is empty.
        NoVisasYet => ["Әзірге виза берілмеген.", "Визы ещё не выдавались.", "No visa has been issued yet."],
        /// The heading of the list of the latest visas.
        LatestVisas => ["Соңғы берілген визалар", "Последние выданные визы", "Latest issued visas"],
        /// The link to the next page of older visas.
        OlderVisas => ["Ертерек визалар →", "Более ранние визы →", "Older visas →"],
        /// The column of the holder's name.
        Holder => ["Иесі", "Владелец", "Holder"],
        /// The column of when the visa was signed.
        SignedAt => ["Қол қойылған уақыты", "Подписана", "Signed at"],
        /// A visa that stands.
        StateIssued => ["Жарамды", "Действует", "Valid"],
        /// A revoked visa or key.
        StateRevoked => ["Кері қайтарылды", "Отозвана", "Revoked"],
        /// The heading of the revocation form.
        RevokeVisa => ["Визаны кері қайтару", "Отозвать визу", "Revoke this visa"],
        /// The reason field's label.
        RevocationReason => ["Кері қайтару себебі", "Причина отзыва", "Reason for revoking"],
        /// The hint under the visa revocation's reason.
        VisaReasonHint => [
            "Өтініш берушіге көрсетіледі және келесі сенім пакетімен киоскілерге жіберіледі (200 байтқа дейін).",
            "Показывается заявителю и передаётся киоскам в следующем пакете доверия (до 200 байт).",
            "Shown to the applicant and carried to the kiosks in the next trust bundle (up to 200 bytes).",
        ],
        /// A reason is missing or too long.
        ReasonRequired => [
            "Себебін жазыңыз: 1-ден 200 байтқа дейін.",
            "Укажите причину: от 1 до 200 байт.",
            "Give a reason of 1 to 200 bytes.",
        ],
        /// The visa revocation's button.
        RevokeVisaButton => ["Визаны кері қайтару", "Отозвать эту визу", "Revoke the visa"],
        /// After revoking a visa.
        VisaRevoked => [
            "Виза кері қайтарылды. Киоскілер оны келесі сенім пакетін алғаннан кейін қабылдамайды.",
            "Виза отозвана. Киоски отклонят её после загрузки следующего пакета доверия.",
            "The visa was revoked. Kiosks refuse it once they import the next trust bundle.",
        ],
        /// When and why the visa was revoked.
        RevokedOn => ["Кері қайтарылған күні", "Дата отзыва", "Revoked on"],
        /// The keys page's heading of the signing keys.
        SigningKeys => ["Қол қою кілттері", "Ключи подписи", "Signing keys"],
        /// The column of a key's file name.
        KeyName => ["Файл", "Файл ключа", "Key file"],
        /// The column of a key's id.
        KeyId => ["Кілт идентификаторы", "Идентификатор ключа", "Key id"],
        /// The column of the start of a certificate's period.
        CertifiedFrom => ["Сертификат басталуы", "Сертификат с", "Certified from"],
        /// The column of the end of a certificate's period.
        CertifiedUntil => ["Сертификат аяқталуы", "Сертификат до", "Certified until"],
        /// The column saying whether the issuer holds the private key.
        Signs => ["Қол қояды", "Подписывает", "Signs"],
        /// A key whose certificate runs.
        KeyActive => ["Белсенді", "Действует", "In force"],
        /// A key whose certificate has ended.
        KeyEnded => ["Сертификат мерзімі өтті", "Срок сертификата истёк", "Certificate ended"],
        /// A key whose certificate ends within 60 days.
        KeyEnding => [
            "Сертификат 60 күн ішінде аяқталады: келесі кілтті сертификаттаңыз.",
            "Сертификат истекает в течение 60 дней: сертифицируйте следующий ключ.",
            "The certificate ends within 60 days: certify the next key.",
        ],
        /// The short state of a key whose certificate ends within 60 days.
        EndsSoon => ["Жақында аяқталады", "Скоро истекает", "Ends soon"],
        /// Before the days left until a certificate ends.
        DaysLeft => ["Қалған уақыт", "Осталось", "Time left"],
        /// The issuer signs with one key file and has no key directory.
        NoKeyDirectory => [
            "Эмитент бір кілт файлымен қол қояды (әзірлеу режимі): кілттер каталогы жоқ.",
            "Эмитент подписывает одним файлом ключа (режим разработки): каталога ключей нет.",
            "The issuer signs with one key file (development): there is no key directory to show.",
        ],
        /// The key directory could not be read.
        KeysUnreadable => [
            "Кілттер каталогын оқу мүмкін болмады; журналды қараңыз.",
            "Не удалось прочитать каталог ключей; см. журнал сервера.",
            "The key directory could not be read; see the server's log.",
        ],
        /// The heading of the key revocation form.
        RevokeKey => ["Кілтті кері қайтару", "Отозвать ключ", "Revoke a key"],
        /// The hint of the key revocation form.
        RevokeKeyHint => [
            "Осы кілтпен қол қойылған барлық визалар киоскілер келесі пакетті алғаннан кейін қабылданбайды.",
            "Все визы, подписанные этим ключом, будут отклоняться после загрузки киосками следующего пакета.",
            "Every visa this key signed is refused once the kiosks import the next bundle.",
        ],
        /// The confirmation box of the key revocation.
        ConfirmRevokeKey => [
            "Осы кілтпен қол қойылған әр виза қабылданбайтынын түсінемін.",
            "Я понимаю, что каждая виза, подписанная этим ключом, будет отклонена.",
            "I understand that every visa signed by this key will be refused.",
        ],
        /// The confirmation box was not ticked.
        ConfirmRequired => ["Растау үшін белгі қойыңыз.", "Отметьте флажок для подтверждения.", "Tick the box to confirm."],
        /// The key to revoke is not one of the key directory's.
        PickKey => ["Тізімнен кілтті таңдаңыз.", "Выберите ключ из списка.", "Choose a key from the list."],
        /// The key revocation's button.
        RevokeKeyButton => ["Кілтті кері қайтару", "Отозвать выбранный ключ", "Revoke the key"],
        /// After revoking a key.
        KeyRevoked => [
            "Кілт кері қайтарылды. Киоскілер білуі үшін келесі сенім пакетін экспорттаңыз.",
            "Ключ отозван. Экспортируйте следующий пакет доверия, чтобы киоски узнали об этом.",
            "The key was revoked. Export the next trust bundle so the kiosks learn it.",
        ],
        /// The key was revoked before.
        KeyAlreadyRevoked => ["Бұл кілт бұрын кері қайтарылған.", "Этот ключ уже был отозван.", "This key was already revoked."],
        /// The heading of the bundle section.
        TrustBundle => ["Сенім пакеті", "Пакет доверия", "Trust bundle"],
        /// The label of the last exported bundle.
        LastBundle => ["Соңғы экспортталған пакет", "Последний экспортированный пакет", "Last exported bundle"],
        /// No bundle was exported yet.
        NoBundleYet => ["Әзірге пакет экспортталмаған.", "Пакеты ещё не экспортировались.", "No bundle has been exported yet."],
        /// The bundle export's button.
        ExportBundle => ["Келесі пакетті жүктеп алу", "Скачать следующий пакет", "Download the next bundle"],
        /// The hint of the bundle export.
        ExportBundleHint => [
            "Киоскілерге арналған қол қойылған файл; оның нөмірі соңғысынан бірге артық.",
            "Подписанный файл для киосков; его номер на единицу больше последнего.",
            "The signed file for the kiosks; its number is one more than the last one's.",
        ],
        /// The server holds no root key to sign bundles with.
        NoRootKey => [
            "Серверде түбірлік кілт жоқ (--root-key): пакетті `issuer bundle export` арқылы экспорттаңыз.",
            "У сервера нет корневого ключа (--root-key): экспортируйте пакет командой `issuer bundle export`.",
            "The server holds no root key (--root-key): export bundles with `issuer bundle export`.",
        ],
        /// The heading of the kiosk list.
        RegisteredKiosks => ["Тіркелген киоскілер", "Зарегистрированные киоски", "Registered kiosks"],
        /// The column of a kiosk's id.
        Kiosk => ["Киоск", "Киоск", "Kiosk"],
        /// The column of a kiosk's airport.
        Port => ["Әуежай", "Аэропорт", "Airport"],
        /// The column of a kiosk's last upload.
        LastUpload => ["Соңғы жүктеу", "Последняя загрузка", "Last upload"],
        /// The column of the last record held of a kiosk.
        LastRecord => ["Соңғы жазба", "Последняя запись", "Last record"],
        /// A kiosk that has not uploaded yet.
        NoUploadYet => ["Жүктеу болмаған", "Загрузок не было", "No upload yet"],
        /// No kiosk is registered.
        NoKiosks => [
            "Тіркелген киоск жоқ: `issuer kiosk add` арқылы тіркеңіз.",
            "Зарегистрированных киосков нет: зарегистрируйте командой `issuer kiosk add`.",
            "No kiosk is registered: register one with `issuer kiosk add`.",
        ],
        /// A kiosk that may upload.
        KioskActive => ["Жұмыс істейді", "Работает", "Active"],
        /// The heading of the upload form.
        UploadLedger => ["Журнал экспортын жүктеу", "Загрузить экспорт журнала", "Upload a ledger export"],
        /// The hint of the upload form.
        UploadHint => [
            "Тіркелген киосктың `verifier-kiosk ledger export` арқылы қол қойылған экспорты, 32 МиБ-қа дейін.",
            "Подписанный экспорт зарегистрированного киоска (`verifier-kiosk ledger export`), до 32 МиБ.",
            "A registered kiosk's signed export (`verifier-kiosk ledger export`), up to 32 MiB.",
        ],
        /// The file field's label.
        ExportFile => ["Экспорт файлы", "Файл экспорта", "Export file"],
        /// The upload button.
        Upload => ["Жүктеу", "Загрузить", "Upload"],
        /// No file was chosen.
        NoFile => ["Жүктейтін файлды таңдаңыз.", "Выберите файл для загрузки.", "Choose a file to upload."],
        /// The export was imported.
        Imported => ["Экспорт қабылданды.", "Экспорт принят.", "The export was imported."],
        /// The export was refused.
        Refused => [
            "Экспорт қабылданбады, ештеңе импортталмады. Себебі:",
            "Экспорт отклонён, ничего не импортировано. Причина:",
            "The export was refused and nothing was imported. Why:",
        ],
        /// How many records of an upload were new.
        NewRecords => ["Жаңа жазбалар", "Новые записи", "New records"],
        /// How many records of an upload were held already.
        KnownRecords => ["Бұрын импортталған", "Уже импортированы", "Already imported"],
        /// How many entries on single-entry visas an upload added.
        NewEntries => [
            "Бір реттік визалардағы жаңа кірулер",
            "Новые въезды по однократным визам",
            "New entries on single-entry visas",
        ],
        /// The period form's first day.
        From => ["Басы", "С", "From"],
        /// The period form's last day.
        Until => ["Соңы", "По", "Until"],
        /// The period form's button.
        Show => ["Көрсету", "Показать", "Show"],
        /// Days are Astana's.
        AstanaDays => [
            "Күндер Астана уақытымен (UTC+5) есептеледі.",
            "Дни считаются по времени Астаны (UTC+5).",
            "Days are counted in Astana time (UTC+5).",
        ],
        /// A date is not YYYY-MM-DD.
        BadDate => ["Күнді ЖЖЖЖ-АА-КК түрінде жазыңыз.", "Укажите дату в виде ГГГГ-ММ-ДД.", "Write the date as YYYY-MM-DD."],
        /// The first day is after the last.
        Reversed => [
            "Бірінші күн соңғы күннен кейін болмауы керек.",
            "Первый день не может быть позже последнего.",
            "The first day must not be after the last.",
        ],
        /// The period is too long.
        TooLong => ["Ең көбі 366 күн таңдаңыз.", "Выберите не более 366 дней.", "Choose at most 366 days."],
        /// The heading of the applications chart.
        ApplicationsPerDay => ["Күн сайынғы өтініштер", "Заявления по дням", "Applications per day"],
        /// Applications started.
        Started => ["Басталды", "Начато", "Started"],
        /// Applications paid.
        Paid => ["Төленді", "Оплачено", "Paid"],
        /// Visas issued.
        Issued => ["Берілді", "Выдано", "Issued"],
        /// Applications held for screening.
        UnderReview => ["Тексеруде", "На проверке", "Under review"],
        /// Visas revoked.
        Revoked => ["Кері қайтарылған", "Отозвано", "Revoked"],
        /// The heading of the crossings chart.
        CrossingsPerDay => [
            "Әуежайлар бойынша кірулер мен шығулар",
            "Въезды и выезды по аэропортам",
            "Entries and exits per airport",
        ],
        /// Where the crossings come from.
        CrossingsSource => [
            "Импортталған киоск журналдарынан.",
            "По импортированным журналам киосков.",
            "From the imported kiosk ledgers.",
        ],
        /// Entries.
        Entries => ["кірулер", "въезды", "entries"],
        /// Exits.
        Exits => ["шығулар", "выезды", "exits"],
        /// Exits after a stay over the permitted days.
        Overstays => [
            "Рұқсат етілген күндерден асып кеткен шығулар",
            "Выезды с превышением разрешённого срока",
            "Exits after staying over the permitted days",
        ],
        /// The column of overstays, short.
        OverstaysShort => ["Мерзімнен асу", "Превышения срока", "Overstays"],
        /// The heading of the citizenships chart.
        TopCitizenships => [
            "Берілген визалар бойынша негізгі азаматтықтар",
            "Основные гражданства выданных виз",
            "Top citizenships of issued visas",
        ],
        /// The column of the count of visas.
        VisasIssued => ["Берілген визалар саны", "Выдано виз", "Visas issued"],
        /// The column of a day.
        Day => ["Күн", "День", "Day"],
        /// The totals row.
        Total => ["Барлығы", "Итого", "Total"],
        /// Nothing in the period.
        NothingInPeriod => ["Бұл кезеңде деректер жоқ.", "За этот период данных нет.", "Nothing in this period."],
    }
}
