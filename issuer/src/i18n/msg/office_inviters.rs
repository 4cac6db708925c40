//! The back office's inviting parties: the queue of parties waiting for verification, and the
//! decisions on them.

catalogue! {
    /// The back office's inviting-party pages.
    OfficeInviters {
        /// Heading of the queue.
        Queue => ["Тексеруді күтетін тараптар", "Ожидают проверки", "Waiting for verification"],
        /// Above the queue: what to check before verifying.
        WhatToCheck => [
            "Растамас бұрын тіркеу құжаттарын (мемлекеттік тіркеу туралы куәлік, БСН/ЖСН, басшының өкілеттігі) жіберілген деректермен салыстырыңыз. Расталған атау визада басылады.",
            "Перед подтверждением сверьте регистрационные документы (свидетельство о госрегистрации, БИН/ИИН, полномочия руководителя) с поданными данными. Подтверждённое наименование печатается в визе.",
            "Before verifying, compare the registration documents (state registration certificate, BIN/IIN, the signatory's authority) with what was submitted. The verified name is printed on e-visas.",
        ],
        /// The queue is empty.
        NoPending => [
            "Тексеруді күтетін тарап жоқ",
            "Нет сторон, ожидающих проверки",
            "No inviting party is waiting for verification",
        ],
        /// Heading of the verified parties.
        VerifiedParties => ["Расталған тараптар", "Подтверждённые стороны", "Verified parties"],
        /// Heading of the rejected and suspended parties.
        StoppedParties => [
            "Қабылданбаған және тоқтатылған тараптар",
            "Отклонённые и приостановленные стороны",
            "Rejected and suspended parties",
        ],
        /// Nothing in a list.
        NoneYet => ["Әзірге жоқ", "Пока нет", "None yet"],
        /// Column: the name as submitted.
        SubmittedName => ["Жіберілген атау", "Поданное наименование", "Name as submitted"],
        /// Column: kind of party.
        Kind => ["Түрі", "Вид", "Kind"],
        /// Column: the account that registered the party.
        AccountEmail => ["Тіркелгі e-mail-ы", "E-mail учётной записи", "Account e-mail"],
        /// The party was registered at the operator's command line, not through an account.
        ByOperator => [
            "оператор командалық жолда тіркеген",
            "зарегистрирована оператором в командной строке",
            "registered by the operator's command line",
        ],
        /// Column: when it was registered.
        Submitted => ["Тіркелген күні", "Дата регистрации", "Registered"],
        /// Column: the last decision.
        Decision => ["Шешім", "Решение", "Decision"],
        /// Button: verify.
        Verify => ["Растау", "Подтвердить", "Verify"],
        /// Button: verify a suspended party again.
        Reinstate => ["Қайта растау", "Подтвердить снова", "Verify again"],
        /// Button: reject.
        Reject => ["Қабылдамау", "Отклонить", "Reject"],
        /// Button: suspend.
        Suspend => ["Тоқтата тұру", "Приостановить", "Suspend"],
        /// Label of the reason field.
        Reason => ["Себебі (міндетті)", "Причина (обязательно)", "Reason (required)"],
        /// Done: verified.
        DoneVerified => ["Тарап расталды", "Сторона подтверждена", "The party was verified"],
        /// Done: rejected.
        DoneRejected => ["Тарап қабылданбады", "Сторона отклонена", "The party was rejected"],
        /// Done: suspended.
        DoneSuspended => [
            "Тарап тоқтатылды: оның ашық шақырулары енді жұмыс істемейді",
            "Сторона приостановлена: её открытые приглашения больше не действуют",
            "The party was suspended: its open invitations no longer work",
        ],
        /// The decision did not apply (the party's state changed meanwhile, or no such party).
        NotApplicable => [
            "Бұл шешім тараптың қазіргі күйіне қолданылмайды; тізімді қараңыз",
            "Это решение неприменимо к текущему статусу стороны; см. список",
            "This decision does not apply to the party's current state; see the list",
        ],
        /// A reason is needed.
        ReasonNeeded => [
            "Қабылдамау немесе тоқтату үшін себебін жазыңыз",
            "Для отклонения или приостановки укажите причину",
            "Give a reason to reject or suspend",
        ],
    }
}
