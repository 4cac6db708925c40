//! The back office's frame: its name, the navigation by duty, the roles.

catalogue! {
    /// The back office's frame and navigation.
    Office {
        /// The back office's name in the masthead and the browser tab.
        BackOffice => [
            "Көші-қон қызметінің кеңсесі",
            "Кабинет миграционной службы",
            "Migration service back office",
        ],
        /// The navigation link to the back office's first page.
        Home => ["Басты бет", "Главная", "Home"],
        /// The navigation link to the inviting parties.
        Inviters => ["Шақырушы тараптар", "Приглашающие стороны", "Inviting parties"],
        /// The navigation link to the screening queue and the stop-list.
        Screening => ["Тексеру", "Проверка", "Screening"],
        /// The navigation link to the issued visas (to revoke one).
        Visas => ["Берілген визалар", "Выданные визы", "Issued visas"],
        /// The navigation link to the signing keys and the trust bundle.
        Keys => ["Кілттер", "Ключи", "Keys"],
        /// The navigation link to the kiosks and their ledger uploads.
        Kiosks => ["Киоскілер", "Киоски", "Kiosks"],
        /// The navigation link to the audit log.
        Audit => ["Аудит журналы", "Журнал аудита", "Audit log"],
        /// The navigation link to the statistics.
        Statistics => ["Статистика", "Статистика", "Statistics"],
        /// The navigation link to the officers (supervisors reset second factors there).
        Officers => ["Қызметкерлер", "Сотрудники", "Officers"],
        /// The role "officer".
        RoleOfficer => ["Қызметкер", "Сотрудник", "Officer"],
        /// The role "supervisor".
        RoleSupervisor => ["Басшы", "Руководитель", "Supervisor"],
        /// The role "auditor".
        RoleAuditor => ["Аудитор", "Аудитор", "Auditor"],
    }
}
