//! The group application's pages: the form with a block per person, the confirmation listing
//! everyone, the one payment and the result with each person's e-visa.

catalogue! {
    /// A group application: up to ten adults travelling together.
    Group {
        /// The service's name.
        GroupApplication => ["Топтық өтініш", "Групповая заявка", "Group application"],
        /// The link to it from the e-visa service and the "Visas" section.
        ApplyAsGroup => ["Топ болып өтініш беру", "Подать заявку группой", "Apply as a group"],
        /// What a group is.
        Intro => [
            "Бірге саяхаттайтын 10 ересек адамға дейін, әрқайсысының өз шақыруы мен паспорты бар. Баж бәріне бір рет төленеді; әр адам өз электрондық визасын алады.",
            "До 10 взрослых, путешествующих вместе, у каждого своё приглашение и паспорт. Пошлина оплачивается один раз за всех; каждый получает свою электронную визу.",
            "Up to 10 adults travelling together, each with their own invitation and passport. The duty is paid once for everyone; each person gets their own e-visa.",
        ],
        /// The heading of one person's block ("Person 2").
        Person => ["Адам", "Человек", "Person"],
        /// Adds a block for one more person.
        AddPerson => ["Адам қосу", "Добавить человека", "Add a person"],
        /// Removes the last person's block.
        RemoveLastPerson => ["Соңғы адамды алып тастау", "Убрать последнего", "Remove the last person"],
        /// An eleventh person.
        TooManyPersons => [
            "Топтық өтінішке ең көбі 10 адам кіреді: қалғандары бөлек немесе басқа топпен өтініш берсін",
            "В групповую заявку входит не более 10 человек: остальные подают заявку отдельно или другой группой",
            "A group application holds at most 10 persons: the others apply separately or as another group",
        ],
        /// No person filled in.
        NoPersons => [
            "Кемінде бір адамның деректерін толтырыңыз",
            "Заполните данные хотя бы одного человека",
            "Fill in the data of at least one person",
        ],
        /// Some person's data is wrong.
        CheckThePersons => [
            "Кейбір адамдардың деректерін түзету керек: әр адамның белгіленген өрістерін қараңыз. Басқа деректер сақталды.",
            "Данные некоторых людей нужно исправить: смотрите отмеченные поля у каждого человека. Остальные данные сохранены.",
            "Some persons' data need correcting: see the fields marked at each person. Everything else you entered is kept.",
        ],
        /// The persons of the group.
        Persons => ["Адамдар", "Участники", "Persons"],
        /// The confirmation page's title.
        CheckEveryone => [
            "Әр адамның деректерін тексеріңіз",
            "Проверьте данные каждого человека",
            "Check every person's data",
        ],
        /// The confirmation box for the whole group.
        ConfirmForEveryone => [
            "Әр адам бойынша берілген деректердің дұрыстығын растаймын",
            "Подтверждаю достоверность данных, указанных для каждого человека",
            "I confirm the accuracy of the data provided for every person",
        ],
        /// The duty of one person.
        DutyPerPerson => ["Бір адамға баж", "Пошлина за одного человека", "Duty per person"],
        /// How many persons pay.
        NumberOfPersons => ["Адамдар саны", "Количество человек", "Number of persons"],
        /// The sum paid for the group.
        Total => ["Топ үшін барлығы", "Итого за группу", "Total for the group"],
        /// The result's list of visas.
        EachPersonsVisa => ["Әр адамның визасы", "Виза каждого человека", "Each person's e-visa"],
        /// One person's visa is waiting (held for review, being issued).
        ThisPersonWaits => [
            "Бұл адамның визасы әлі дайын емес; басқалардың визалары оны күтпейді",
            "Виза этого человека ещё не готова; визы остальных её не ждут",
            "This person's visa is not ready yet; the others' visas do not wait for it",
        ],
        /// The "Visas" section's list of groups.
        YourGroups => ["Топтық өтініштеріңіз", "Ваши групповые заявки", "Your group applications"],
        /// A group with some persons.
        OpenGroup => ["Топты ашу", "Открыть группу", "Open the group"],
    }
}
