//! The words beside a form field that is wrong: one per kind of problem (`crate::i18n::problem`
//! picks the message of a `Problem`).

catalogue! {
    /// What is wrong with a form field.
    Check {
        /// Nothing was entered.
        Required => ["Бұл өрісті толтыру міндетті", "Это поле обязательно для заполнения", "This field is required"],
        /// Not a country code.
        Country => [
            "Елдің үш әріпті кодын енгізіңіз (ISO 3166-1 alpha-3), мысалы DEU",
            "Введите трёхбуквенный код страны (ISO 3166-1 alpha-3), например DEU",
            "Enter the three-letter country code (ISO 3166-1 alpha-3), e.g. DEU",
        ],
        /// Any other wrong value.
        Invalid => ["Қате мән", "Неверное значение", "Invalid value"],
        /// A tax id that is not 12 digits.
        TaxIdFormat => ["БСН немесе ЖСН 12 цифрдан тұрады", "БИН или ИИН состоит из 12 цифр", "A BIN or IIN is 12 digits"],
        /// A tax id with a wrong check digit.
        TaxIdCheckDigit => [
            "Бақылау цифры сәйкес келмейді: нөмірді тексеріңіз",
            "Контрольная цифра не совпадает: проверьте номер",
            "The check digit does not match: check the number",
        ],
        /// A BIN for an individual or an IIN for an organisation.
        TaxIdKind => [
            "Нөмір осы тұлға түріне сәйкес келмейді (ұйым — БСН, жеке тұлға — ЖСН)",
            "Номер не соответствует виду лица (организация — БИН, физическое лицо — ИИН)",
            "The number does not fit this kind of party (organisation: BIN, individual: IIN)",
        ],
        /// Not an e-mail address.
        Email => ["Электрондық пошта мекенжайын енгізіңіз", "Введите адрес электронной почты", "Enter an e-mail address"],
        /// The e-mail has an account.
        EmailTaken => [
            "Бұл электрондық поштамен тіркелгі бар; жүйеге кіріңіз",
            "Учётная запись с этим адресом уже есть; войдите",
            "An account with this e-mail exists; please log in",
        ],
        /// The password has a control character.
        PasswordControl => [
            "Құпиясөзде басқару таңбалары (табуляция, жол ауыстыру, NUL) болмауы керек",
            "Пароль не должен содержать управляющих символов (табуляция, перевод строки, NUL)",
            "The password must not contain control characters (tab, line break, NUL)",
        ],
        /// The password is on the list of the most common ones.
        PasswordCommon => [
            "Бұл құпиясөз ең жиі қолданылатындардың бірі; басқасын таңдаңыз",
            "Этот пароль — один из самых распространённых; выберите другой",
            "This password is one of the most common ones; choose another",
        ],
        /// The password is easy to guess.
        PasswordWeak => [
            "Құпиясөзді табу оңай: бірнеше кездейсоқ сөз қосыңыз, пернетақта қатарларын, қайталауларды, күндерді, атыңыз бен поштаңызды пайдаланбаңыз",
            "Пароль легко подобрать: добавьте несколько случайных слов, не используйте ряды клавиатуры, повторы, даты, своё имя и адрес почты",
            "This password is easy to guess: add a few unrelated words, and avoid keyboard rows, repeats, dates, your name and your e-mail address",
        ],
        /// The two passwords differ.
        PasswordsDiffer => ["Құпиясөздер сәйкес келмейді", "Пароли не совпадают", "The passwords differ"],
        /// The tax id has an account.
        TaxIdTaken => [
            "Бұл БСН/ЖСН басқа тіркелгіде тіркелген",
            "Этот БИН/ИИН зарегистрирован другой учётной записью",
            "This BIN/IIN is registered by another account",
        ],
        /// No invitation has the number.
        NoSuchInvitation => [
            "Мұндай нөмірлі шақыру жоқ",
            "Приглашение с таким номером не найдено",
            "No invitation has this number",
        ],
        /// The invitation's last day is past.
        InvitationExpired => [
            "Шақырудың қолданылу мерзімі аяқталды",
            "Срок действия приглашения истёк",
            "The invitation has expired",
        ],
        /// Another application used the invitation.
        InvitationUsed => [
            "Бұл шақыру басқа өтінішке пайдаланылды",
            "Это приглашение уже использовано в другом заявлении",
            "This invitation is already used by another application",
        ],
        /// The invitation's inviting party is pending, rejected or suspended.
        InviterNotVerified => [
            "Шақырушы тарапты көші-қон қызметі әлі тексерген жоқ",
            "Приглашающая сторона ещё не проверена миграционной службой",
            "The inviting party has not been verified by the migration service yet",
        ],
        /// A stop-list entry must name a passport or a person, not both.
        OneKindOfEntry => [
            "Паспортты (нөмірі мен азаматтығы) немесе адамды (тегі мен туған күні) көрсетіңіз, екеуін бірдей емес",
            "Укажите либо паспорт (номер и гражданство), либо человека (фамилию и дату рождения), но не то и другое",
            "Give either a passport (number and citizenship) or a person (surname and date of birth), not both",
        ],
        /// The field differs from the invitation.
        Mismatch => [
            "Шақырудағы деректермен сәйкес келмейді",
            "Не совпадает с данными приглашения",
            "Does not match the invitation",
        ],
        /// The passport ends before the stay.
        PassportExpiresTooSoon => [
            "Паспорттың қолданылу мерзімі жоспарланған болу мерзімі аяқталғанға дейін бітеді",
            "Срок действия паспорта истекает до окончания планируемого пребывания",
            "The passport expires before the planned stay ends",
        ],
        /// The passport has ended.
        PassportExpired => ["Паспорттың қолданылу мерзімі өтіп кетті", "Срок действия паспорта истёк", "The passport has expired"],
        /// The instruction's rule on children, beside the question.
        WithChildren => [
            "Балаларымен бірге жүрген шетелдіктерге электрондық виза берілмейді",
            "Электронные визы не выдаются иностранцам, следующим вместе с детьми",
            "E-visas are not issued to foreigners travelling together with children",
        ],
        /// The box of the confirmation page is not ticked.
        NotConfirmed => ["Деректердің дұрыстығын растаңыз", "Подтвердите достоверность данных", "Please confirm the accuracy of the data"],
        /// The invitation's dates or stay are wrong.
        Period => [
            "Мерзім дұрыс емес: соңы басынан кейін, ең көбі 180 күн, болу ұзақтығы 1–90 күн",
            "Неверный срок: окончание после начала, не более 180 дней, пребывание 1–90 дней",
            "Invalid period: the end after the start, at most 180 days, a stay of 1–90 days",
        ],
        /// A date before today.
        DateInPast => ["Күн өткен шақта болмауы керек", "Дата не может быть в прошлом", "The date cannot be in the past"],
        /// Not MRZ letters.
        MrzLetters => [
            "Паспорттың машинамен оқылатын аймағындағыдай латын әріптерімен A–Z жазыңыз",
            "Латинскими буквами A–Z, как в машиносчитываемой зоне паспорта",
            "Use the Latin letters A–Z exactly as in the passport's machine-readable zone",
        ],
        /// Not a name in letters.
        NativeLetters => [
            "Тек әріптер; сөздер арасында бос орын, сызықша немесе апостроф",
            "Только буквы; между словами пробел, дефис или апостроф",
            "Letters only, with spaces, hyphens or apostrophes between words",
        ],
        /// Not capitals and digits.
        CapitalsAndDigits => [
            "Тек латын бас әріптері мен цифрлар",
            "Только заглавные латинские буквы и цифры",
            "Only Latin capital letters and digits",
        ],
        /// Not an invitation number.
        InvitationNumber => [
            "Шақыру нөмірі 4–20 латын әрпі, цифр және сызықшадан тұрады",
            "Номер приглашения — от 4 до 20 латинских букв, цифр и дефисов",
            "An invitation number has 4 to 20 Latin letters, digits and hyphens",
        ],
        /// Not plain text.
        PlainText => [
            "Тек әріптер, цифрлар және тыныс белгілері",
            "Только буквы, цифры и знаки препинания",
            "Letters, digits and punctuation only",
        ],
        /// Not a date's shape.
        DateShape => ["Күн ЖЖЖЖ-АА-КК түрінде жазылады", "Дата записывается в виде ГГГГ-ММ-ДД", "A date is written YYYY-MM-DD"],
        /// A day the calendar does not have.
        NoSuchDate => ["Мұндай күн жоқ", "Такой даты нет", "No such date"],
        /// Not a time's shape.
        TimeShape => [
            "Уақыт 2026-11-25T09:30:00Z түрінде жазылады",
            "Время записывается в виде 2026-11-25T09:30:00Z",
            "A time is written like 2026-11-25T09:30:00Z",
        ],
        /// No sex chosen.
        Sex => ["Жынысын таңдаңыз", "Выберите пол", "Choose the sex"],
        /// Not an e-visa category.
        Category => [
            "Электрондық виза санаттары: іскерлік, туристік және емделу",
            "Категории электронной визы: деловая, туристическая и на лечение",
            "The e-visa categories are business, tourist and treatment",
        ],
        /// Not single or double.
        Entries => [
            "Кіру саны: бір реттік немесе екі реттік",
            "Количество въездов: однократная или двукратная",
            "Entries are single or double",
        ],
        /// Not an e-visa airport.
        Port => [
            "Электрондық виза иелері тек Астана (NQZ) немесе Алматы (ALA) арқылы кіреді",
            "Владельцы электронной визы въезжают только через Астану (NQZ) или Алматы (ALA)",
            "E-visa holders enter only through Astana (NQZ) or Almaty (ALA)",
        ],
    }
}
