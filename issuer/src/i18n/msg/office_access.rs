//! The back office's log-in, the officer's set-up page and the supervisors' list of officers.

catalogue! {
    /// Getting into the back office and managing who may.
    OfficeAccess {
        /// The log-in page's heading.
        LogInTitle => ["Кеңсеге кіру", "Вход в кабинет", "Back office log-in"],
        /// Under the heading: who may log in here.
        StaffOnly => [
            "Көші-қон қызметінің қызметкерлеріне арналған. Тіркелгіні оператор ашады.",
            "Для сотрудников миграционной службы. Учётные записи создаёт оператор.",
            "For migration service staff. Accounts are created by the operator.",
        ],
        /// The e-mail field.
        Email => ["Электрондық пошта", "Электронная почта", "E-mail"],
        /// The code field.
        Code => [
            "Қолданбадағы растау коды",
            "Код подтверждения из приложения",
            "Verification code from the app",
        ],
        /// The one answer to any wrong e-mail, password or code.
        LoginFailed => [
            "Кіру мүмкін болмады: e-mail, құпиясөз немесе код дұрыс емес.",
            "Не удалось войти: неверный e-mail, пароль или код.",
            "Could not log in: the e-mail, password or code is wrong.",
        ],
        /// The password was right but the factor is locked.
        FactorLocked => [
            "Екінші фактор тым көп қате кодтан кейін бұғатталды. Оны басшы қалпына келтіреді.",
            "Второй фактор заблокирован после слишком многих неверных кодов. Его сбросит руководитель.",
            "Your second factor is locked after too many wrong codes. A supervisor can reset it.",
        ],
        /// The set-up page's heading.
        SetupTitle => [
            "Кеңсе тіркелгісін баптау",
            "Настройка учётной записи кабинета",
            "Set up your back-office account",
        ],
        /// What the set-up asks for.
        SetupIntro => [
            "Құпиясөз таңдаңыз және телефондағы аутентификатор қолданбасына екінші факторды қосыңыз: QR кодты сканерлеңіз немесе кілтті теріңіз.",
            "Выберите пароль и добавьте второй фактор в приложение-аутентификатор на телефоне: отсканируйте QR-код или введите ключ.",
            "Choose a password and add the second factor to an authenticator app on your phone: scan the QR code or type the key.",
        ],
        /// Above the QR code.
        ScanQr => [
            "Аутентификатор қолданбасымен сканерлеңіз",
            "Отсканируйте приложением-аутентификатором",
            "Scan with an authenticator app",
        ],
        /// Above the base32 key.
        TypeKey => ["Немесе осы кілтті теріңіз", "Или введите этот ключ", "Or type this key"],
        /// Under the key.
        KeyShownOnce => [
            "Кілт баптау аяқталғанша ғана көрсетіледі; оны тек қолданбада сақтаңыз.",
            "Ключ показан только до завершения настройки; храните его только в приложении.",
            "The key is shown only until you finish; keep it nowhere but in the app.",
        ],
        /// The hint under the code field on the set-up page.
        CodeHint => [
            "Қолданба қазір көрсетіп тұрған алты цифрды енгізіңіз.",
            "Введите шесть цифр, которые приложение показывает сейчас.",
            "Enter the six digits the app shows now.",
        ],
        /// The code is not six digits.
        CodeFormat => [
            "Алты цифр енгізіңіз.",
            "Введите шесть цифр.",
            "Enter six digits.",
        ],
        /// The code does not fit the new secret.
        WrongCode => [
            "Код сәйкес келмейді. Телефондағы уақытты тексеріп, ағымдағы кодты енгізіңіз.",
            "Код не подходит. Проверьте время на телефоне и введите текущий код.",
            "The code does not match. Check the phone's time and enter the current code.",
        ],
        /// The set-up form's button.
        FinishSetup => ["Баптауды аяқтау", "Завершить настройку", "Finish set-up"],
        /// After the set-up.
        SetupDone => [
            "Тіркелгі дайын. E-mail, құпиясөз және қолданбадағы кодпен кіріңіз.",
            "Учётная запись готова. Войдите с e-mail, паролем и кодом из приложения.",
            "Your account is ready. Log in with your e-mail, password and a code from the app.",
        ],
        /// A set-up link that is unknown, used or expired.
        LinkGone => [
            "Бұл баптау сілтемесі жарамсыз: ол қолданылған, мерзімі өткен немесе ауыстырылған. Жаңасын сұраңыз.",
            "Эта ссылка настройки недействительна: она использована, истекла или заменена. Запросите новую.",
            "This set-up link is not valid: it was used, it expired or it was replaced. Ask for a new one.",
        ],
        /// Column: role.
        Role => ["Рөлі", "Роль", "Role"],
        /// Column: state.
        State => ["Күйі", "Состояние", "State"],
        /// Column: created.
        Created => ["Құрылған", "Создан", "Created"],
        /// State: waiting for the set-up link to be used.
        AwaitingSetup => ["Баптауды күтуде", "Ожидает настройки", "Awaiting set-up"],
        /// State: may log in.
        Active => ["Белсенді", "Активен", "Active"],
        /// State: factor locked.
        Locked => ["Бұғатталған", "Заблокирован", "Locked"],
        /// State: disabled by the operator.
        Disabled => ["Өшірілген", "Отключён", "Disabled"],
        /// The reset button.
        ResetFactor => [
            "Екінші факторды қалпына келтіру",
            "Сбросить второй фактор",
            "Reset second factor",
        ],
        /// After a reset, above the new link.
        ResetDone => [
            "Екінші фактор қалпына келтірілді, сессиялар жабылды. Қызметкерге осы бір реттік баптау сілтемесін беріңіз (3 күн жарамды); ол тек қазір көрсетіледі:",
            "Второй фактор сброшен, сессии закрыты. Передайте сотруднику эту одноразовую ссылку настройки (действует 3 дня); она показана только сейчас:",
            "The second factor is reset and the sessions are ended. Give the officer this one-time set-up link (valid for 3 days); it is shown only now:",
        ],
    }
}
