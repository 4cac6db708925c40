//! The auditors' pages through the audit log.

catalogue! {
    /// The audit log's page.
    OfficeAudit {
        /// What the log is.
        Intro => [
            "Кеңседегі әрбір әрекет. Жазбалар хэшпен тізбектелген, оларды өзгертуге немесе жоюға болмайды; тізбекті «issuer audit verify» командасы тексереді.",
            "Каждое действие в кабинете. Записи связаны в цепочку хэшами, их нельзя изменить или удалить; цепочку проверяет команда «issuer audit verify».",
            "Every action in the back office. Entries are chained by hash and cannot be edited or deleted; the command “issuer audit verify” checks the chain.",
        ],
        /// Column: entry number.
        Number => ["Нөмірі", "Номер", "No."],
        /// Column: when.
        When => ["Уақыты (UTC)", "Время (UTC)", "When (UTC)"],
        /// Column: who.
        Who => ["Кім", "Кто", "Who"],
        /// Column: what.
        What => ["Әрекет", "Действие", "Action"],
        /// Column: on which record.
        Record => ["Жазба", "Запись", "Record"],
        /// Column: before.
        Before => ["Бұрын", "До", "Before"],
        /// Column: after.
        After => ["Кейін", "После", "After"],
        /// Column: address.
        Address => ["Мекенжай", "Адрес", "Address"],
        /// Link to the next page of older entries.
        Older => ["Ескірек жазбалар →", "Более ранние записи →", "Older entries →"],
        /// Link back to the newest entries.
        Newest => ["← Ең жаңа жазбалар", "← Самые новые записи", "← Newest entries"],
        /// The export link.
        DownloadCsv => ["CSV жүктеп алу", "Скачать CSV", "Download CSV"],
        /// When there is nothing to show.
        Empty => ["Жазбалар жоқ.", "Записей нет.", "No entries."],
    }
}
