//! The words of every screen's common situations: the framed error pages and their way back, a
//! form kept after its token or session expired, a date of birth in the future, the receipt's
//! "Print" and Astana time.

catalogue! {
    /// Error pages, expired forms, dates and receipts.
    Screens {
        /// The error page's heading, before the status code.
        Error => ["Қате", "Ошибка", "Error"],
        /// The error page's link back to the page the visitor came from.
        BackToPrevious => ["Алдыңғы бетке оралу", "Вернуться на предыдущую страницу", "Back to the previous page"],
        /// The error page's link to the portal's services.
        ToServices => ["Портал қызметтеріне өту", "Перейти к услугам портала", "Go to the portal's services"],
        /// Error page: 429 from a layer.
        TooManyRequests => [
            "Сұраулар тым көп. Біраз күтіп, қайталап көріңіз",
            "Слишком много запросов. Подождите немного и повторите",
            "Too many requests. Please wait a little and try again",
        ],
        /// A posted form whose token had expired, shown again with what was typed.
        FormExpiredKept => [
            "Форманың мерзімі өтіп кетті (бет тым ұзақ ашық тұрды немесе сіз жүйеден шықтыңыз). Енгізгеніңіз сақталды: тексеріп, форманы қайта жіберіңіз",
            "Срок действия формы истёк (страница была открыта слишком долго или вы вышли из системы). Введённые данные сохранены: проверьте их и отправьте форму ещё раз",
            "This form had expired (the page was open too long, or you were logged out). What you typed is kept: check it and send the form again",
        ],
        /// Step 1 posted after the session ended: log in again in the same form.
        SessionEndedKept => [
            "Сеансыңыз аяқталды. Енгізгеніңіз сақталды: төменде қайта кіріңіз, сонда форма жіберіледі",
            "Ваш сеанс завершён. Введённые данные сохранены: войдите снова ниже, и форма будет отправлена",
            "Your session has ended. What you typed is kept: log in again below and the form is sent",
        ],
        /// The legend of the log-in fields inside an expired Step 1.
        LogInAgain => ["Қайта кіру", "Повторный вход", "Log in again"],
        /// The button of an expired Step 1 that logs in and sends the form.
        LogInAndSend => ["Кіріп, жіберу", "Войти и отправить", "Log in and send"],
        /// The log-in inside an expired Step 1 failed.
        LogInFailed => [
            "ЖСН/БСН, e-mail немесе құпиясөз қате. Енгізгеніңіз сақталды",
            "Неверный ИИН/БИН, e-mail или пароль. Введённые данные сохранены",
            "Wrong IIN/BIN, e-mail or password. What you typed is kept",
        ],
        /// Beside a date of birth that has not happened yet.
        BirthInFuture => [
            "Туған күн болашақта болуы мүмкін емес: бүгіннен бұрынғы күнді көрсетіңіз",
            "Дата рождения не может быть в будущем: укажите дату раньше сегодняшней",
            "The date of birth cannot be in the future: give a date before today",
        ],
        /// The receipt's print button.
        Print => ["Басып шығару", "Распечатать", "Print"],
        /// After a time on a receipt.
        AstanaTime => ["Астана уақыты", "время Астаны", "Astana time"],
        /// The caption of the language switch on a page with a form: switching keeps what was typed.
        SwitchKeepsForm => [
            "Тілді ауыстырғанда енгізгеніңіз сақталады",
            "При смене языка введённые данные сохраняются",
            "Switching the language keeps what you typed",
        ],
    }
}
