//! The words of "Portal Services", the "Electronic visa" description, Step 1 "Personal data", the
//! confirmation page and the personal account's "Visas" section.

catalogue! {
    /// The services, Step 1, the confirmation and the "Visas" section.
    Apply {
        /// The services page's title.
        PortalServices => ["Портал қызметтері", "Услуги портала", "Portal Services"],
        /// The e-visa service's tile and page title.
        ElectronicVisa => ["Электрондық виза", "Электронная виза", "Electronic visa"],
        /// Under the e-visa tile.
        ElectronicVisaTile => [
            "Қазақстан тарапының шақыруы бойынша іскерлік, туристік және емделу визасы",
            "Деловая, туристическая виза и виза на лечение по приглашению казахстанской стороны",
            "Business, tourist and treatment visa on an invitation from the Kazakh side",
        ],
        /// The tile of the applicant's visas.
        MyVisas => ["Менің визаларым", "Мои визы", "My visas"],
        /// Under the tile of the applicant's visas.
        MyVisasTile => [
            "Өтініштердің мәртебесі, түбіртектер және электрондық визалар",
            "Статус заявлений, квитанции и электронные визы",
            "Application status, receipts and e-visas",
        ],
        /// The tile for inviting parties.
        RegisterInvitation => ["Шақыруды тіркеу", "Регистрация приглашения", "Register an invitation"],
        /// Under the tile for inviting parties.
        RegisterInvitationTile => [
            "Шетелдік азаматты шақыратын ұйымдар (БСН) мен жеке тұлғаларға (ЖСН)",
            "Для организаций (БИН) и физических лиц (ИИН), приглашающих иностранца",
            "For organisations (BIN) and individuals (IIN) inviting a foreigner",
        ],
        /// The first sentence of the e-visa page.
        ServiceIntro => [
            "Қызмет шетел азаматтарына Қазақстан тарапының шақыруы бойынша электрондық визаны ресімдеуге мүмкіндік береді.",
            "Услуга позволяет иностранным гражданам оформить электронную визу по приглашению казахстанской стороны.",
            "The service lets foreign citizens obtain an electronic visa on an invitation from the Kazakh side.",
        ],
        /// The heading of the rules.
        Important => ["Маңызды", "Важно", "Important"],
        /// A rule of the instruction.
        RuleCurrentDocument => [
            "Форманы толтырған кезде деректер шетел азаматының жарамды құжатымен сәйкес келуі тиіс.",
            "При заполнении формы данные должны совпадать с действующим документом иностранного гражданина.",
            "When filling in the form, the data must coincide with the current document of the foreign citizen.",
        ],
        /// A rule of the instruction.
        RuleInvitationData => [
            "Деректер шақырудағы деректермен сәйкес келуі тиіс.",
            "Данные должны совпадать с данными, указанными в приглашении.",
            "The data must coincide with the data given in the invitation.",
        ],
        /// A rule of the instruction.
        RuleCategories => [
            "Электрондық виза санаттары: бір реттік іскерлік виза, туристік виза және емделуге арналған виза.",
            "Электронная виза оформляется по категориям: однократная деловая, туристическая и виза на лечение.",
            "E-visas are issued in these categories: single-entry business visa, tourist visa and treatment visa.",
        ],
        /// A rule of the instruction.
        RuleInvitationNeeded => [
            "Электрондық виза Қазақстан тарапының жарамды шақыруы болған кезде ғана беріледі; өтініш беру үшін шақырушы тараптан алынған шақыру нөмірі қажет.",
            "Электронная виза оформляется только при наличии действующего приглашения казахстанской стороны; для подачи заявления нужен номер приглашения, полученный от приглашающей стороны.",
            "An e-visa can be issued only with a valid invitation from the Kazakh side; to apply you need the invitation number received from the inviting party.",
        ],
        /// A rule of the instruction.
        RuleFees => [
            "Виза консулдық алымдар мен мемлекеттік баж төленгеннен кейін беріледі. Төленген консулдық алымдар қайтарылмайды.",
            "Виза выдаётся после оплаты консульского сбора и государственной пошлины. Оплаченные консульские сборы не возвращаются.",
            "The visa is issued after payment of the consular fees and state duty. Paid consular fees are non-refundable.",
        ],
        /// A rule of the instruction.
        RulePrint => [
            "Алынған электрондық визаны мемлекеттік шекарада және Қазақстан аумағында көрсету үшін басып шығару қажет.",
            "Полученную электронную визу необходимо распечатать для предъявления на государственной границе и на территории Казахстана.",
            "The e-visa must be printed out for presentation at the state border and on the territory of the Republic of Kazakhstan.",
        ],
        /// A rule of the instruction.
        RuleAirports => [
            "Электрондық виза Қазақстанға кіруге/шығуға тек Астана (Нұр-Сұлтан) және Алматы халықаралық әуежайлары арқылы құқық береді.",
            "Электронная виза даёт право въезда/выезда только через международные аэропорты Астаны (Нур-Султана) и Алматы.",
            "The e-visa gives the right to enter / exit only through the international airports of Astana (Nur-Sultan) and Almaty.",
        ],
        /// A rule of the instruction.
        RuleChildren => [
            "Балаларымен бірге жүрген шетелдіктерге электрондық виза берілмейді.",
            "Электронные визы не выдаются иностранцам, следующим вместе с детьми.",
            "E-visas are not issued to foreigners travelling together with children.",
        ],
        /// Above the Step 1 form.
        StepOneNotice => [
            "Маңызды! Деректер шетел азаматының жарамды құжатымен және шақырудағы деректермен сәйкес келуі тиіс. * белгісімен белгіленген өрістер міндетті.",
            "Важно! Данные должны совпадать с действующим документом иностранного гражданина и с данными приглашения. Поля, отмеченные *, обязательны.",
            "Important! The data must coincide with the current document of the foreign citizen and with the invitation. Fields marked * are required.",
        ],
        /// Above a Step 1 form with errors.
        CheckTheFields => [
            "Форманы тексеріңіз: қателер өрістердің жанында көрсетілген.",
            "Проверьте форму: ошибки указаны рядом с полями.",
            "Please check the form: the errors are shown beside the fields.",
        ],
        /// Under the invitation number.
        InvitationNumberHint => [
            "Шақырушы тараптан алынған нөмір",
            "Номер, полученный от приглашающей стороны",
            "The number you received from the inviting party",
        ],
        /// The group of passport fields.
        PassportData => ["Паспорт деректері", "Паспортные данные", "Passport data"],
        /// Under the surname.
        AsInTheMrz => [
            "Паспорттың машинамен оқылатын аймағындағыдай",
            "Как в машиносчитываемой зоне паспорта",
            "As in the passport's machine-readable zone",
        ],
        /// The surname in the holder's own script.
        SurnameNative => ["Тегі (ана тілінде)", "Фамилия (на родном языке)", "Surname (native script)"],
        /// Under the native surname.
        IfThePassportShowsIt => ["Паспортта көрсетілсе", "Если указана в паспорте", "If the passport shows it"],
        /// The given names in the holder's own script.
        GivenNamesNative => ["Аты (ана тілінде)", "Имя (на родном языке)", "Given names (native script)"],
        /// Under the citizenship.
        CitizenshipHint => [
            "Үш әріпті код, мысалы DEU, SWE, USA",
            "Трёхбуквенный код, например DEU, SWE, USA",
            "Three-letter code, e.g. DEU, SWE, USA",
        ],
        /// The passport's expiry.
        PassportValidUntil => ["Паспорттың қолданылу мерзімі", "Срок действия паспорта", "Passport valid until"],
        /// The question the instruction's rule on children asks.
        WithChildren => [
            "Балаларыңызбен бірге жүресіз бе?",
            "Следуете ли вы вместе с детьми?",
            "Are you travelling together with children?",
        ],
        /// The confirmation page's title.
        CheckTheData => ["Деректерді тексеру", "Проверка данных", "Check the data"],
        /// The full name in Latin letters.
        NameLatin => ["Тегі, аты (латынша)", "Фамилия, имя (латиницей)", "Name (Latin letters)"],
        /// The full name in the holder's own script.
        NameNative => ["Тегі, аты (ана тілінде)", "Фамилия, имя (на родном языке)", "Name (native script)"],
        /// The tax id of an inviting organisation.
        OrganisationBin => ["Ұйым, БСН", "Организация, БИН", "Organisation, BIN"],
        /// The tax id of an inviting individual.
        IndividualIin => ["Жеке тұлға, ЖСН", "Физическое лицо, ИИН", "Individual, IIN"],
        /// The inviting party's name.
        Name => ["Атауы", "Наименование", "Name"],
        /// The inviting party's description.
        Description => ["Сипаттамасы", "Описание", "Description"],
        /// The dates and the stay the invitation allows.
        PeriodOfVisit => ["Сапар мерзімі", "Сроки поездки", "Period of the visit"],
        /// The confirmation page's address heading, as in the instruction.
        PlannedAddressOfStay => [
            "Қазақстан Республикасында болудың жоспарланған мекенжайы",
            "Планируемый адрес пребывания в Республике Казахстан",
            "Planned address of stay in the Republic of Kazakhstan",
        ],
        /// The confirmation box, as in the instruction.
        ConfirmAccuracy => [
            "Ұсынылған деректердің дұрыстығын растаймын және жалған деректерді ұсыну қызмет нәтижелерінің жарамсыз болуына әкелетіні туралы хабардармын",
            "Подтверждаю достоверность предоставленных данных и уведомлен(а), что предоставление ложных данных повлечёт недействительность результатов услуги",
            "I confirm the accuracy of the data provided and I am notified that the provision of false data will cause invalid results of services",
        ],
        /// The title of the personal account's section.
        Visas => ["Визалар", "Визы", "Visas"],
        /// An empty "Visas" section.
        NoApplicationsYet => ["Әзірге өтініштер жоқ.", "Заявлений пока нет.", "No applications yet."],
        /// A column: the day the application was made.
        Applied => ["Өтініш берілген күн", "Дата заявления", "Applied"],
        /// A column: the applicant's name.
        Applicant => ["Өтініш беруші", "Заявитель", "Applicant"],
        /// A column: the application's status.
        Status => ["Мәртебесі", "Статус", "Status"],
        /// The link to an application's next step.
        Open => ["Ашу", "Открыть", "Open"],
        /// The link to the electronic check.
        Receipt => ["Чек", "Чек", "Receipt"],
        /// The link to the visa's PDF.
        EVisaPdf => ["Электрондық виза (PDF)", "Электронная виза (PDF)", "E-visa (PDF)"],
        /// Status: saved, not confirmed.
        StatusDraft => ["Жоба: деректер расталмаған", "Черновик: данные не подтверждены", "Draft: data not confirmed"],
        /// Status: confirmed, not paid, in the instruction's words.
        StatusPaymentNotDone => ["Төлем жасалмады", "Оплата не произведена", "Payment not done"],
        /// Status: paid, the visa not yet signed.
        StatusPaid => [
            "Төлем алынды, виза ресімделуде",
            "Оплата получена, виза оформляется",
            "Payment received, the visa is being issued",
        ],
        /// Status: the visa is issued, in the instruction's words.
        StatusApproved => ["Мақұлданды. Төлем жасалды", "Одобрено. Оплата произведена", "Approved. Payment completed"],
    }
}
