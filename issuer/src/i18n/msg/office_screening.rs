//! The back office's screening: the queue of paid applications held by the stop-list, and the
//! stop-list itself.

catalogue! {
    /// The back office's screening pages.
    OfficeScreening {
        /// Heading of the queue.
        Queue => ["Қарауды күтетін өтініштер", "Заявления, ожидающие рассмотрения", "Applications waiting for review"],
        /// The queue is empty.
        NoneWaiting => ["Қарауды күтетін өтініш жоқ", "Нет заявлений, ожидающих рассмотрения", "No application is waiting for review"],
        /// Column: the traveller.
        Holder => ["Саяхатшы", "Путешественник", "Traveller"],
        /// Column: the entry the traveller matched.
        MatchedEntry => ["Сәйкес келген жазба", "Совпавшая запись", "Matching entry"],
        /// Column: when it was held.
        HeldAt => ["Тоқтатылған уақыты", "Задержано", "Held since"],
        /// Button: approve (the visa is signed at once).
        Approve => ["Мақұлдау және беру", "Одобрить и выдать", "Approve and issue"],
        /// Button: refuse.
        Refuse => ["Бас тарту", "Отказать", "Refuse"],
        /// Label of the reason field.
        Reason => ["Бас тарту себебі (міндетті)", "Причина отказа (обязательно)", "Reason for refusal (required)"],
        /// Heading of the stop-list.
        StopList => ["Тоқтату тізімі", "Стоп-лист", "Stop-list"],
        /// How entries match.
        HowItMatches => [
            "Жазба паспортты (нөмірі мен азаматтығы) немесе адамды (тегі мен туған күні) атайды. Аттар MRZ сияқты салыстырылады: бас әріптер, диакритикасыз, O мен 0 бірдей, бос орын мен сызықша ескерілмейді.",
            "Запись указывает паспорт (номер и гражданство) или человека (фамилию и дату рождения). Имена сравниваются как в MRZ: заглавные буквы, без диакритики, O и 0 одинаковы, пробелы и дефисы не учитываются.",
            "An entry names a passport (number and citizenship) or a person (surname and date of birth). Names compare as the MRZ writes them: capitals, no diacritics, O and 0 alike, spaces and hyphens ignored.",
        ],
        /// The stop-list is empty.
        NoEntries => ["Тізімде жазба жоқ", "В списке нет записей", "The list has no entries"],
        /// Heading of the add form.
        AddEntry => ["Жазба қосу", "Добавить запись", "Add an entry"],
        /// Legend: by passport.
        ByPassport => ["Паспорт бойынша", "По паспорту", "By passport"],
        /// Legend: by person.
        ByPerson => ["Адам бойынша", "По человеку", "By person"],
        /// Label: surname (any Latin spelling).
        Surname => ["Тегі (латын әріптерімен)", "Фамилия (латиницей)", "Surname (Latin letters)"],
        /// Label: a note.
        Note => ["Ескертпе", "Примечание", "Note"],
        /// Button: add.
        Add => ["Қосу", "Добавить", "Add"],
        /// Button: remove.
        Remove => ["Алып тастау", "Удалить", "Remove"],
        /// Column: entry.
        Entry => ["Жазба", "Запись", "Entry"],
        /// Column: who added it and when.
        Added => ["Кім және қашан қосты", "Кем и когда добавлена", "Added by, on"],
        /// Done: approved and signed.
        DoneApproved => ["Мақұлданды, виза берілді:", "Одобрено, виза выдана:", "Approved; visa issued:"],
        /// Done: refused.
        DoneRefused => [
            "Өтініштен бас тартылды (баж қайтарылмайды)",
            "В заявлении отказано (пошлина не возвращается)",
            "The application was refused (no refund of the duty)",
        ],
        /// Done: an entry added.
        DoneAdded => ["Жазба қосылды", "Запись добавлена", "The entry was added"],
        /// Done: an entry removed.
        DoneRemoved => ["Жазба алынып тасталды", "Запись удалена", "The entry was removed"],
        /// The application was decided meanwhile.
        NotWaiting => [
            "Бұл өтініш енді қарауды күтпейді",
            "Это заявление больше не ожидает рассмотрения",
            "This application is no longer waiting for review",
        ],
        /// Approval could not sign.
        NotSigned => [
            "Виза қол қойылмады, ештеңе өзгерген жоқ; сервер журналын қараңыз",
            "Виза не подписана, ничего не изменилось; см. журнал сервера",
            "The visa could not be signed and nothing changed; see the server log",
        ],
        /// No such entry in force.
        NoSuchEntry => ["Мұндай жазба жоқ", "Такой записи нет", "No such entry"],
        /// The forms have problems.
        CheckTheForm => ["Пішінді тексеріңіз", "Проверьте форму", "Check the form"],
    }
}
