//! The words of the pages around e-mail: "check your e-mail" after signing up, confirming the
//! address, the payment step of an unconfirmed account, "Forgot password?" and the new password.

catalogue! {
    /// Address confirmation and password reset pages.
    Recovery {
        /// After signing up.
        CheckMailTitle => ["Электрондық поштаңызды тексеріңіз", "Проверьте электронную почту", "Check your e-mail"],
        /// What the sign-up did, said the same whether or not the address had an account.
        CheckMailBody => [
            "Егер бұл мекенжаймен тіркелуге болса, оған растау сілтемесі бар хат жіберілді. Кіріп, 1-қадамды толтыра беруге болады; мемлекеттік бажды мекенжай расталғаннан кейін төлейсіз.",
            "Если с этим адресом можно зарегистрироваться, на него отправлено письмо со ссылкой для подтверждения. Можно войти и заполнять шаг 1; государственную пошлину можно оплатить после подтверждения адреса.",
            "If this address can be registered, a message with a confirmation link was sent to it. You can log in and fill in Step 1; the state duty can be paid once the address is confirmed.",
        ],
        /// The confirmation page's title.
        ConfirmTitle => ["Мекенжайды растау", "Подтверждение адреса", "Confirm your address"],
        /// Above its button.
        ConfirmIntro => [
            "Бұл электрондық пошта мекенжайы сіздікі екенін растау үшін батырманы басыңыз.",
            "Нажмите кнопку, чтобы подтвердить, что этот адрес электронной почты ваш.",
            "Press the button to confirm that this e-mail address is yours.",
        ],
        /// The button.
        ConfirmButton => ["Растаймын", "Подтвердить", "Confirm"],
        /// Done.
        Confirmed => [
            "Мекенжай расталды. Енді мемлекеттік бажды төлеуге болады.",
            "Адрес подтверждён. Теперь можно оплатить государственную пошлину.",
            "Your address is confirmed. You can now pay the state duty.",
        ],
        /// An unknown, used or expired link.
        LinkInvalid => [
            "Сілтеме жарамсыз: оның мерзімі өтіп кеткен немесе ол пайдаланылған. Жаңасын сұраңыз.",
            "Ссылка недействительна: срок её действия истёк или она уже использована. Запросите новую.",
            "This link is not valid: it has expired or has been used. Ask for a new one.",
        ],
        /// Go on to the services.
        Continue => ["Жалғастыру", "Продолжить", "Continue"],
        /// The payment step of an unconfirmed account.
        ConfirmBeforePaying => [
            "Мемлекеттік бажды төлеу үшін алдымен электрондық пошта мекенжайыңызды растаңыз: біз жіберген хаттағы сілтемені ашыңыз.",
            "Чтобы оплатить государственную пошлину, сначала подтвердите адрес электронной почты: откройте ссылку из нашего письма.",
            "To pay the state duty, first confirm your e-mail address: open the link in the message we sent you.",
        ],
        /// The button that mails a new confirmation link.
        SendLinkAgain => ["Сілтемені қайта жіберу", "Отправить ссылку ещё раз", "Send the link again"],
        /// A new link went out.
        LinkSent => [
            "Жаңа сілтеме жіберілді; поштаңызды тексеріңіз.",
            "Новая ссылка отправлена; проверьте почту.",
            "A new link was sent; check your mailbox.",
        ],
        /// A link went out less than a minute ago.
        LinkSentRecently => [
            "Сілтеме жаңа ғана жіберілді; бір минуттан кейін қайталап көріңіз.",
            "Ссылка только что отправлена; повторить можно через минуту.",
            "A link was sent moments ago; you can ask again in a minute.",
        ],
        /// The link on the log-in page, as on the official portal.
        ForgotPassword => ["Құпиясөзді ұмыттыңыз ба?", "Забыли пароль?", "Forgot password?"],
        /// Above the form.
        ForgotIntro => [
            "Тіркелгіңіздің электрондық поштасын (немесе ЖСН/БСН) енгізіңіз: құпиясөзді қалпына келтіру сілтемесін жібереміз.",
            "Введите адрес электронной почты учётной записи (или ИИН/БИН): мы отправим ссылку для восстановления пароля.",
            "Enter your account's e-mail address (or IIN/BIN): we will send you a link to set a new password.",
        ],
        /// Its button.
        SendResetLink => ["Сілтемені жіберу", "Отправить ссылку", "Send the link"],
        /// After asking, the same whether or not the account exists.
        ResetSent => [
            "Егер мұндай тіркелгі болса, оның электрондық поштасына 30 минут жарамды сілтеме жіберілді.",
            "Если такая учётная запись существует, на её адрес отправлена ссылка, действующая 30 минут.",
            "If such an account exists, a link valid for 30 minutes was sent to its e-mail address.",
        ],
        /// The reset page's title.
        NewPasswordTitle => ["Жаңа құпиясөз", "Новый пароль", "New password"],
        /// Its button.
        SavePassword => ["Құпиясөзді сақтау", "Сохранить пароль", "Save the password"],
        /// After a reset.
        PasswordChanged => [
            "Құпиясөз өзгертілді; басқа барлық сеанстар жабылды.",
            "Пароль изменён; все остальные сеансы завершены.",
            "Your password was changed; every other session was ended.",
        ],
    }
}
