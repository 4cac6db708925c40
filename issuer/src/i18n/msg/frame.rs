//! The words of the page frame (heading, navigation, the three steps, the error page) and the
//! words several page groups share: buttons, answers, address lines, value names.

catalogue! {
    /// The page frame, the error page and the words several page groups use.
    Frame {
        /// After each page's title in the browser tab.
        PortalShortName => ["Виза-көші-қон порталы", "Визово-миграционный портал", "Visa-migration portal"],
        /// The name of the language switch, for screen readers.
        Language => ["Тіл", "Язык", "Language"],
        /// The navigation link to "Portal Services".
        Services => ["Қызметтер", "Услуги", "Services"],
        /// The navigation link to the applicant's account, and the crumb above "Visas".
        PersonalAccount => ["Жеке кабинет", "Личный кабинет", "Personal account"],
        /// The log-out button.
        LogOut => ["Шығу", "Выйти", "Log out"],
        /// The log-in link and button.
        LogIn => ["Кіру", "Войти", "Log in"],
        /// The sign-up link and the sign-up page's title.
        SignUp => ["Тіркелу", "Регистрация", "Sign Up"],
        /// The portal's name in the masthead.
        PortalName => [
            "Қазақстан Республикасының виза-көші-қон порталы",
            "Визово-миграционный портал Республики Казахстан",
            "Visa-migration portal of the Republic of Kazakhstan",
        ],
        /// Under the portal's name.
        PortalSubtitle => [
            "Шетел азаматтарына арналған электрондық қызметтер",
            "Электронные услуги для иностранных граждан",
            "Electronic services for foreign citizens",
        ],
        /// The footer.
        Footer => [
            "Бұл — оқу жобасы: нақты визалар берілмейді.",
            "Это учебный проект: настоящие визы не выдаются.",
            "This is a demonstration project: no real visas are issued.",
        ],
        /// The mark of a required field, as a tooltip.
        Required => ["міндетті өріс", "обязательное поле", "required"],
        /// The heading over the three steps.
        Process => [
            "Шақыру арқылы электрондық визаны ресімдеу",
            "Оформление электронной визы по приглашению",
            "E-visa processing through invitation",
        ],
        /// Before a step's number.
        Step => ["ҚАДАМ", "ШАГ", "STEP"],
        /// Step 1, and the title of its form.
        PersonalData => ["Жеке деректер", "Личные данные", "Personal data"],
        /// Step 2, and the title of its page, in the instruction's words.
        PaymentOfStateDuty => [
            "Мемлекеттік бажды төлеу",
            "Оплата государственной пошлины",
            "Payment of state duty",
        ],
        /// Step 3, the title of its page, and the link back to it.
        Result => ["Нәтиже", "Результат", "Result"],
        /// The button to the next step.
        Next => ["Келесі", "Далее", "Next"],
        /// The button back to the form.
        Back => ["Артқа", "Назад", "Back"],
        /// An answer.
        Yes => ["Иә", "Да", "Yes"],
        /// An answer.
        No => ["Жоқ", "Нет", "No"],
        /// The link to the e-visa service.
        GetAVisa => ["Виза алу", "Получить визу", "Get a visa"],
        /// A form's group of invitation fields.
        Invitation => ["Шақыру", "Приглашение", "Invitation"],
        /// The surname as in the passport's machine-readable zone.
        SurnameLatin => ["Тегі (латынша)", "Фамилия (латиницей)", "Surname (Latin letters)"],
        /// The given names as in the passport's machine-readable zone.
        GivenNamesLatin => ["Аты (латынша)", "Имя (латиницей)", "Given names (Latin letters)"],
        /// Why the guest comes.
        PurposeOfVisit => ["Сапар мақсаты", "Цель поездки", "Purpose of the visit"],
        /// An address line.
        City => ["Қала", "Город", "City"],
        /// An address line.
        Street => ["Көше", "Улица", "Street"],
        /// An address line.
        House => ["Үй", "Дом", "House"],
        /// The state of an application whose visa the migration service revoked.
        VisaRevoked => ["Виза жойылды", "Виза аннулирована", "Visa revoked"],
        /// A category, in the instruction's words.
        BusinessVisa => ["Бір реттік іскерлік виза", "Однократная деловая виза", "Single-entry business visa"],
        /// A category, in the instruction's words.
        TouristVisa => ["Туристік виза", "Туристическая виза", "Tourist visa"],
        /// A category, in the instruction's words.
        TreatmentVisa => ["Емделуге арналған виза", "Виза на лечение", "Treatment visa"],
        /// A sex.
        Female => ["Әйел", "Женский", "Female"],
        /// A sex.
        Male => ["Ер", "Мужской", "Male"],
        /// A sex, with the passport's letter for it.
        SexUnspecified => ["Көрсетілмеген (X)", "Не указан (X)", "Unspecified (X)"],
        /// Error page: 404.
        PageNotFound => ["Бет табылмады", "Страница не найдена", "Page not found"],
        /// The error page when an officer's role may not open a back-office page.
        Forbidden => [
            "Сіздің рөліңізге бұл бетке кіруге рұқсат жоқ",
            "Вашей роли этот раздел недоступен",
            "Your role may not open this page",
        ],
        /// Error page: the form's CSRF token is missing or old.
        FormExpired => [
            "Форманың мерзімі өтіп кетті. Бетті жаңартып, қайталап көріңіз",
            "Срок действия формы истёк. Обновите страницу и повторите",
            "The form has expired. Reload the page and try again",
        ],
        /// Error page: 400.
        BadRequest => ["Сұрау қате", "Неверный запрос", "The request could not be understood"],
        /// Error page: 413.
        TooLarge => [
            "Жіберілген деректер тым үлкен",
            "Отправленные данные слишком велики",
            "The data sent is too large",
        ],
        /// Error page: the payment gateway failed.
        GatewayUnavailable => [
            "Төлем шлюзі қолжетімсіз. Бірнеше минуттан кейін қайталап көріңіз",
            "Платёжный шлюз недоступен. Повторите через несколько минут",
            "The payment gateway is not available. Please try again in a few minutes",
        ],
        /// Error page: 503, every password check is busy.
        Busy => [
            "Портал қазір бос емес. Бірнеше секундтан кейін қайталап көріңіз",
            "Портал сейчас перегружен. Повторите через несколько секунд",
            "The portal is busy right now. Please try again in a few seconds",
        ],
        /// Error page: 500.
        ServiceUnavailable => [
            "Қызмет уақытша қолжетімсіз. Кейінірек қайталап көріңіз",
            "Сервис временно недоступен. Повторите позже",
            "The service is temporarily unavailable. Please try again later",
        ],
    }
}
