//! The words only assistive technology and keyboard users meet: the skip link, the names of the
//! frame's landmarks, the error summary's heading, the hidden header of a table's link column;
//! and the payment's purpose in the payer's language, which the gateway declares as such.

catalogue! {
    /// Accessibility: landmark names, the skip link, the error summary.
    A11y {
        /// The first link of every page, shown when focused: it jumps over the frame.
        SkipToContent => [
            "Негізгі мазмұнға өту",
            "Перейти к основному содержанию",
            "Skip to main content",
        ],
        /// The name of the portal's main navigation (Portal Services, personal account, …).
        MainMenu => ["Негізгі мәзір", "Главное меню", "Main menu"],
        /// The name of the navigation with log-in / sign-up, or the user's address and log-out.
        AccountMenu => ["Тіркелгі", "Учётная запись", "Account"],
        /// The error summary's heading above a refused form: its links lead to the fields.
        ErrorSummary => [
            "Пішінде қателер бар",
            "В форме есть ошибки",
            "There is a problem with the form",
        ],
        /// The payment's purpose sent to the gateway, followed by the invitation number. It is in
        /// the page's language because the gateway declares it as the payment's `lang`
        /// (`<dd lang>`), so a screen reader reads it with the right voice.
        DutyPurpose => [
            "Электрондық визаға өтінім үшін мемлекеттік баж, шақыру",
            "Государственная пошлина за заявление на электронную визу, приглашение",
            "State duty for e-visa application, invitation",
        ],
        /// The hidden header of the "Visas" table's column of links (receipt, e-visa PDF).
        Documents => ["Құжаттар", "Документы", "Documents"],
        /// The hidden header of a back-office table's column of buttons (reset, remove).
        Actions => ["Әрекеттер", "Действия", "Actions"],
    }
}
