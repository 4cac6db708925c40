//! What an applicant sees of screening: the two states a held application can be in, with no
//! reason given.

catalogue! {
    /// The applicant's words for an application held for review or refused.
    Screening {
        /// Status: paid, held for an officer's review (no reason is given).
        StatusUnderReview => ["Қаралуда", "На рассмотрении", "Under review"],
        /// Status: refused by the migration service after review.
        StatusRefused => ["Бас тартылды", "Отказано", "Refused"],
        /// Under "Under review" on the result page.
        UnderReviewHint => [
            "Өтініш көші-қон қызметінде қосымша қаралуда. Сізден ештеңе талап етілмейді; шешім осы бетте көрсетіледі.",
            "Заявление проходит дополнительное рассмотрение в миграционной службе. От вас ничего не требуется; решение появится на этой странице.",
            "The application is being reviewed further by the migration service. Nothing is needed from you; the decision will appear on this page.",
        ],
        /// Under "Refused" on the result page: the instruction says fees are non-refundable.
        RefusedHint => [
            "Көші-қон қызметі электрондық виза беруден бас тартты. Мемлекеттік баж қайтарылмайды; электрондық чек қолжетімді болып қалады.",
            "Миграционная служба отказала в выдаче электронной визы. Государственная пошлина не возвращается; электронный чек остаётся доступным.",
            "The migration service refused the e-visa. The state duty is non-refundable; the electronic check (receipt) stays available.",
        ],
    }
}
