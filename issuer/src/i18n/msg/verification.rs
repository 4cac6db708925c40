//! Where an inviting party stands with the migration service, as the party's own pages and the
//! back office name it.

catalogue! {
    /// The states of an inviting party's verification.
    Verification {
        /// Heading of the state on the party's own page.
        State => ["Тексеру күйі", "Статус проверки", "Verification status"],
        /// The party waits for an officer.
        Pending => ["Тексеруді күтуде", "Ожидает проверки", "Pending verification"],
        /// The party is verified.
        Verified => ["Тексерілді", "Проверена", "Verified"],
        /// The party was rejected.
        Rejected => ["Қабылданбады", "Отклонена", "Rejected"],
        /// The party was suspended.
        Suspended => ["Тоқтатылды", "Приостановлена", "Suspended"],
        /// On a pending party's page.
        PendingHint => [
            "Көші-қон қызметі тіркеу деректеріңізді тексергенше шақыруларыңыз жұмыс істемейді: өтініш берушілер оларды пайдалана алмайды.",
            "Пока миграционная служба не проверит ваши регистрационные данные, ваши приглашения не действуют: заявители не смогут ими воспользоваться.",
            "Until the migration service has verified your registration, your invitations do not work: applicants cannot use them.",
        ],
        /// On a rejected or suspended party's page, before the reason.
        StoppedHint => [
            "Шақыруларыңыз жұмыс істемейді. Себебі:",
            "Ваши приглашения не действуют. Причина:",
            "Your invitations do not work. Reason:",
        ],
        /// On a verified party's page: the name visas print.
        VerifiedName => [
            "Визада басылатын тексерілген атау",
            "Проверенное наименование, печатаемое в визе",
            "Verified name, as printed on e-visas",
        ],
    }
}
