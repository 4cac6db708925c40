//! The words of the inviting party's pages: registering as a party and registering invitations.

catalogue! {
    /// The inviting party's pages.
    Invite {
        /// The list's title.
        Invitations => ["Шақырулар", "Приглашения", "Invitations"],
        /// The button to the form, and the form's title.
        NewInvitation => ["Жаңа шақыру", "Новое приглашение", "New invitation"],
        /// An empty list.
        NoInvitationsYet => ["Әзірге шақырулар жоқ.", "Приглашений пока нет.", "No invitations yet."],
        /// A column: the invitation number.
        Number => ["Нөмірі", "Номер", "Number"],
        /// A column: the invited person.
        Guest => ["Шақырылушы", "Приглашённый", "Guest"],
        /// A column and a form group: the invitation's dates.
        Period => ["Мерзімі", "Срок", "Period"],
        /// A column: whether an application used the invitation.
        Used => ["Пайдаланылды", "Использовано", "Used"],
        /// The registration form's title.
        RegisterInvitingParty => [
            "Шақырушы тарапты тіркеу",
            "Регистрация приглашающей стороны",
            "Register as an inviting party",
        ],
        /// A kind of party.
        Organisation => ["Ұйым (БСН)", "Организация (БИН)", "Organisation (BIN)"],
        /// A kind of party.
        Individual => ["Жеке тұлға (ЖСН)", "Физическое лицо (ИИН)", "Individual (IIN)"],
        /// Above the registration form.
        WhoRegisters => [
            "Шетел азаматын шақыратын Қазақстан ұйымдары мен жеке тұлғаларына арналған. Тіркелгеннен кейін БСН/ЖСН арқылы да кіре аласыз.",
            "Для казахстанских организаций и физических лиц, приглашающих иностранца. После регистрации можно входить также по БИН/ИИН.",
            "For Kazakh organisations and individuals who invite a foreigner. Once registered you can also log in with the BIN/IIN.",
        ],
        /// The kind field.
        KindOfParty => ["Тұлға түрі", "Вид лица", "Kind of party"],
        /// The tax id field.
        TaxId => ["БСН / ЖСН", "БИН / ИИН", "BIN / IIN"],
        /// Under the tax id.
        TwelveDigits => ["12 цифр", "12 цифр", "12 digits"],
        /// The party's name, an organisation's or a person's.
        NameOrFullName => ["Атауы немесе аты-жөні", "Наименование или ФИО", "Name"],
        /// The party's description.
        BriefDescription => ["Қысқаша сипаттама", "Краткое описание", "Brief description"],
        /// Under the description.
        ShownToTheApplicant => ["Өтініш берушіге көрсетіледі", "Показывается заявителю", "Shown to the applicant"],
        /// The button of both forms.
        Register => ["Тіркеу", "Зарегистрировать", "Register"],
        /// Before a new invitation's number.
        Registered => [
            "Шақыру тіркелді. Нөмірі:",
            "Приглашение зарегистрировано. Номер:",
            "The invitation is registered. Its number:",
        ],
        /// The group of the guest's fields.
        InvitedPerson => ["Шақырылатын адам", "Приглашаемое лицо", "The invited person"],
        /// The group of address fields.
        PlannedAddress => ["Болудың жоспарланған мекенжайы", "Планируемый адрес пребывания", "Planned address of stay"],
        /// The first day.
        From => ["Басталуы", "С", "From"],
        /// The last day.
        Until => ["Аяқталуы", "По", "Until"],
        /// The stay's length.
        LengthOfStay => ["Болу ұзақтығы, күн", "Срок пребывания, дней", "Length of stay, days"],
        /// Below a form with errors.
        CheckTheForm => ["Форманы тексеріңіз.", "Проверьте форму.", "Please check the form."],
    }
}
