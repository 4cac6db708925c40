//! The words of the mails the portal sends (address confirmation, password reset, the
//! application's news), in the account's language. The mail adapter puts them together with the
//! values and links of each letter.

catalogue! {
    /// The mails to account holders.
    Mail {
        /// Before the holder's name.
        Greeting => ["Құрметті", "Здравствуйте", "Hello"],
        /// Under every mail.
        Signature => [
            "Қазақстан Республикасының визалық-көші-қон порталы",
            "Визово-миграционный портал Республики Казахстан",
            "The visa and migration portal of the Republic of Kazakhstan",
        ],
        /// At the foot of every mail.
        Automatic => [
            "Бұл хат автоматты түрде жіберілді; оған жауап бермеңіз.",
            "Это письмо отправлено автоматически; не отвечайте на него.",
            "This message was sent automatically; please do not reply to it.",
        ],
        /// Subject: confirm the address.
        VerifySubject => [
            "Электрондық пошта мекенжайын растаңыз",
            "Подтвердите адрес электронной почты",
            "Confirm your e-mail address",
        ],
        /// Why the confirmation mail came.
        VerifyBody => [
            "Сіз визалық-көші-қон порталында тіркелдіңіз. Мемлекеттік бажды төлеу үшін осы мекенжайды төмендегі сілтеме арқылы растаңыз (сілтеме 48 сағат жарамды):",
            "Вы зарегистрировались на визово-миграционном портале. Чтобы оплатить государственную пошлину, подтвердите этот адрес по ссылке ниже (ссылка действует 48 часов):",
            "You signed up on the visa and migration portal. To pay the state duty, confirm this address with the link below (it is valid for 48 hours):",
        ],
        /// The link text of the confirmation mail.
        VerifyLink => ["Мекенжайды растау", "Подтвердить адрес", "Confirm the address"],
        /// For whoever did not sign up.
        VerifyNotYou => [
            "Егер сіз тіркелмесеңіз, бұл хатты елемеңіз.",
            "Если вы не регистрировались, просто не обращайте внимания на это письмо.",
            "If you did not sign up, ignore this message.",
        ],
        /// Subject: someone tried to register the address.
        AttemptSubject => [
            "Сіздің мекенжайыңызбен тіркелу әрекеті",
            "Попытка регистрации с вашим адресом",
            "Someone tried to sign up with your address",
        ],
        /// What happened.
        AttemptBody => [
            "Біреу осы электрондық пошта мекенжайымен порталда жаңа тіркелгі ашуға тырысты. Бұл мекенжайдың тіркелгісі бар болғандықтан, ештеңе өзгерген жоқ.",
            "Кто-то пытался открыть на портале новую учётную запись с этим адресом электронной почты. У адреса уже есть учётная запись, поэтому ничего не изменилось.",
            "Someone tried to open a new account on the portal with this e-mail address. The address already has an account, so nothing changed.",
        ],
        /// If it was the holder.
        AttemptForgot => [
            "Егер бұл сіз болсаңыз және құпиясөзді ұмытсаңыз, жаңасын мына жерде орнатыңыз:",
            "Если это были вы и вы забыли пароль, задайте новый здесь:",
            "If it was you and you forgot your password, set a new one here:",
        ],
        /// Subject: the reset link.
        ResetSubject => ["Құпиясөзді қалпына келтіру", "Восстановление пароля", "Reset your password"],
        /// Why the reset mail came.
        ResetBody => [
            "Тіркелгіңіздің құпиясөзін қалпына келтіру сұралды. Жаңа құпиясөзді төмендегі сілтеме арқылы орнатыңыз; сілтеме 30 минут жарамды және бір рет қана қолданылады:",
            "Для вашей учётной записи запрошено восстановление пароля. Задайте новый пароль по ссылке ниже; ссылка действует 30 минут и только один раз:",
            "A password reset was asked for your account. Set a new password with the link below; it is valid for 30 minutes and works once:",
        ],
        /// The link text of the reset mail.
        ResetLink => ["Жаңа құпиясөз орнату", "Задать новый пароль", "Set a new password"],
        /// For whoever did not ask.
        ResetNotYou => [
            "Егер сіз сұрамасаңыз, бұл хатты елемеңіз: құпиясөзіңіз өзгермейді.",
            "Если вы этого не запрашивали, не обращайте внимания на письмо: пароль не изменится.",
            "If you did not ask for it, ignore this message: your password stays as it is.",
        ],
        /// Subject: the password was changed.
        ChangedSubject => ["Құпиясөз өзгертілді", "Пароль изменён", "Your password was changed"],
        /// What happened.
        ChangedBody => [
            "Тіркелгіңіздің құпиясөзі электрондық поштаға жіберілген сілтеме арқылы өзгертілді, барлық ашық сеанстар жабылды.",
            "Пароль вашей учётной записи изменён по ссылке из письма, все открытые сеансы завершены.",
            "The password of your account was changed with an e-mailed link, and every open session was ended.",
        ],
        /// If it was not the holder.
        ChangedNotYou => [
            "Егер бұл сіз болмасаңыз, құпиясөзді дереу қалпына келтіріңіз:",
            "Если это были не вы, немедленно восстановите пароль:",
            "If it was not you, reset your password at once:",
        ],
        /// Subject: payment confirmed.
        PaidSubject => ["Төлем расталды", "Оплата подтверждена", "Payment confirmed"],
        /// What happened.
        PaidBody => [
            "Электрондық визаға өтініміңіз бойынша мемлекеттік баж төленді. Виза дайын болғанда сізге хат жібереміз.",
            "Государственная пошлина по вашему заявлению на электронную визу оплачена. Когда виза будет готова, мы сообщим письмом.",
            "The state duty for your e-visa application has been paid. We will write to you when the visa is ready.",
        ],
        /// Subject: the visa is issued.
        IssuedSubject => ["Электрондық виза берілді", "Электронная виза выдана", "Your e-visa has been issued"],
        /// What to do now.
        IssuedBody => [
            "Сіздің электрондық визаңыз берілді. Оны жеке кабинеттің «Визалар» бөлімінен PDF түрінде жүктеп алып, басып шығарыңыз; шекарада паспортпен бірге көрсетіңіз.",
            "Ваша электронная виза выдана. Скачайте её в формате PDF в разделе «Визы» личного кабинета и распечатайте; на границе предъявите её вместе с паспортом.",
            "Your e-visa has been issued. Download it as a PDF in the \"Visas\" section of your personal account and print it; show it with your passport at the border.",
        ],
        /// The link to the application in the personal account.
        OpenApplication => ["Өтінімді жеке кабинетте ашу", "Открыть заявление в личном кабинете", "Open the application in your personal account"],
        /// Subject: under review.
        ReviewSubject => ["Өтінім қаралуда", "Заявление на рассмотрении", "Your application is under review"],
        /// What happened.
        ReviewBody => [
            "Өтініміңіз көші-қон қызметінің қызметкеріне қарауға жіберілді. Шешім қабылданғанда сізге хат жібереміз.",
            "Ваше заявление передано на рассмотрение сотруднику миграционной службы. Когда решение будет принято, мы сообщим письмом.",
            "Your application was passed to a migration officer for review. We will write to you when a decision is made.",
        ],
        /// Subject: refused.
        RefusedSubject => ["Өтінім қабылданбады", "В выдаче визы отказано", "Your application was refused"],
        /// What happened.
        RefusedBody => [
            "Көші-қон қызметі электрондық визаға өтініміңізден бас тартты.",
            "Миграционная служба отказала в выдаче электронной визы по вашему заявлению.",
            "The migration service refused your e-visa application.",
        ],
        /// Subject: revoked.
        RevokedSubject => ["Электрондық виза жойылды", "Электронная виза аннулирована", "Your e-visa was revoked"],
        /// What happened.
        RevokedBody => [
            "Көші-қон қызметі сіздің электрондық визаңызды жойды. Онымен шекарадан өтуге болмайды.",
            "Миграционная служба аннулировала вашу электронную визу. По ней нельзя пересечь границу.",
            "The migration service revoked your e-visa. It cannot be used to cross the border.",
        ],
    }
}
