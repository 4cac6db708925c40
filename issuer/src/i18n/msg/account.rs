//! The words of signing up and logging in, with the official portal's "Digital signature" tab.

catalogue! {
    /// Sign up and log in.
    Account {
        /// The log-in page's title.
        LogInTitle => ["Кіру", "Вход", "Log In"],
        /// The tab of the e-mail and password form.
        LoginPassword => ["Логин/Құпиясөз", "Логин/Пароль", "Login/Password"],
        /// The tab of the digital-signature login.
        DigitalSignature => ["Электрондық цифрлық қолтаңба", "Электронная цифровая подпись", "Digital signature"],
        /// The digital-signature tab's explanation.
        DigitalSignatureNotice => [
            "ЭЦҚ арқылы кіру ҚР ҰКО тіркелген сертификаты бар Қазақстан азаматтары мен ұйымдарына арналған. Шетел азаматтары үшін қолжетімді емес: электрондық пошта мен құпиясөз арқылы кіріңіз.",
            "Вход по ЭЦП доступен гражданам и организациям Казахстана с сертификатом НУЦ РК. Для иностранных граждан он недоступен: войдите по электронной почте и паролю.",
            "Login with a digital signature is for citizens and organisations of Kazakhstan holding an NCA RK certificate. It is not available for foreign citizens: please log in with your e-mail and password.",
        ],
        /// Above the log-in form.
        UseYourEmail => [
            "Деректеріңізді порталмен үйлестіру үшін тіркелу кезінде көрсеткен электрондық поштаны пайдаланыңыз.",
            "Чтобы синхронизировать ваши данные с порталом, используйте адрес электронной почты, указанный при регистрации.",
            "To synchronise your data with the portal, use the e-mail address you gave when registering.",
        ],
        /// A failed login.
        WrongCredentials => [
            "ЖСН, БСН, электрондық пошта немесе құпиясөз қате",
            "Неверный ИИН, БИН, адрес электронной почты или пароль",
            "Wrong IIN, BIN, e-mail or password",
        ],
        /// The login field.
        Identifier => ["ЖСН, БСН немесе e-mail", "ИИН, БИН или e-mail", "IIN, BIN or e-mail"],
        /// The password field.
        Password => ["Құпиясөз", "Пароль", "Password"],
        /// Before the link to the sign-up page.
        NoAccountYet => ["Тіркелгіңіз жоқ па?", "Нет учётной записи?", "No account yet?"],
        /// Above the sign-up form.
        FieldsMarkedRequired => [
            "Өрістер * белгісімен толтырылуы міндетті.",
            "Поля, отмеченные *, обязательны для заполнения.",
            "Fields marked * are required.",
        ],
        /// The account holder's name.
        FullName => ["Аты-жөні", "ФИО", "Full name"],
        /// The second password field.
        RepeatPassword => ["Құпиясөзді қайталаңыз", "Повторите пароль", "Repeat the password"],
        /// The sign-up button.
        SignUpButton => ["Тіркелу", "Зарегистрироваться", "Sign up"],
        /// Before the link to the log-in page.
        AlreadyRegistered => ["Тіркелгіңіз бар ма?", "Уже есть учётная запись?", "Already registered?"],
    }
}
