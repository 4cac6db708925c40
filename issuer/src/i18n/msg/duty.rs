//! The words of Step 2 "Payment of state duty", Step 3 "Result" and the electronic check.

catalogue! {
    /// Step 2, Step 3 and the electronic check.
    Duty {
        /// Who receives the duty.
        RecipientName => [
            "«Астана қаласы бойынша Мемлекеттік кірістер департаменті» РММ",
            "РГУ «Департамент государственных доходов по городу Астане»",
            "State Revenue Department of Astana (RSI)",
        ],
        /// Step 2's heading, as in the instruction.
        PayTheStateFee => [
            "Қызметті көрсету үшін мемлекеттік бажды төлеңіз",
            "Оплатите государственную пошлину за оказание услуги",
            "Pay the state fee for issuing the service",
        ],
        /// Step 2 after a declined payment.
        PreviousDeclined => [
            "Алдыңғы төлем қабылданбады. Қайта төлеп көріңіз.",
            "Предыдущий платёж отклонён. Попробуйте оплатить ещё раз.",
            "The previous payment was declined. Please try again.",
        ],
        /// Who pays.
        Payer => ["Төлеуші", "Плательщик", "Payer"],
        /// The recipient, as Step 2 of the instruction labels it.
        PaymentWillBeReceived => ["Төлемді алушы", "Получатель платежа", "Payment will be received"],
        /// A budget code.
        TaxAuthorityCode => ["Салық органының коды", "Код налогового органа", "Code of the tax authority"],
        /// A budget code.
        PaymentPurposeCode => ["Төлем мақсатының коды", "Код назначения платежа", "Payment purpose code"],
        /// A budget code.
        BudgetClassificationCode => [
            "Бюджеттік сыныптама коды",
            "Код бюджетной классификации",
            "Budget classification code",
        ],
        /// The currency.
        Currency => ["Валюта", "Валюта", "Currency"],
        /// How much.
        Amount => ["Сомасы", "Сумма", "Amount"],
        /// Under the duty's table.
        NonRefundable => [
            "Төленген консулдық алымдар қайтарылмайды.",
            "Оплаченные консульские сборы не возвращаются.",
            "Paid consular fees are non-refundable.",
        ],
        /// Beside the "To pay" button, as in the instruction.
        PaidOnEpay => [
            "Төлем Қазақстан Республикасының «Электрондық үкіметтің төлем шлюзі» (E-Pay) бетінде жүргізіледі",
            "Оплата будет произведена на странице «Платёжного шлюза электронного правительства» Республики Казахстан (E-Pay)",
            "Payment will be made on the page of the Electronic Government Payment Gateway of the Republic of Kazakhstan (E-Pay)",
        ],
        /// The button to the gateway, as in the instruction.
        ToPay => ["Төлеуге", "Оплатить", "To pay"],
        /// Why the visa was revoked.
        Reason => ["Себебі", "Причина", "Reason"],
        /// Under a revoked visa.
        RevokedVisaUnusable => [
            "Бұл визамен шекарадан өтуге болмайды. Сұрақтар бойынша көші-қон қызметіне хабарласыңыз.",
            "По этой визе въезд невозможен. По вопросам обращайтесь в миграционную службу.",
            "This visa can no longer be used to cross the border. Contact the migration service with any questions.",
        ],
        /// The folded applicant's data under the result.
        ApplicationData => ["Өтініш деректері", "Данные заявления", "Application data"],
        /// The PDF link, as in the instruction.
        CopyThePdf => ["Визаның PDF форматындағы көшірмесі", "Копия визы в формате PDF", "Copy the visa in PDF format"],
        /// The link to the electronic check.
        ElectronicCheckLink => ["Электрондық чек", "Электронный чек", "Electronic check (receipt)"],
        /// Under an issued visa, as in the instruction.
        PrintAndPresent => [
            "Электрондық визаны басып шығарып, төлқұжат бақылауында көрсетіңіз. Кіру/шығу тек Астана (Нұр-Сұлтан) және Алматы халықаралық әуежайлары арқылы. Басып шығарылған визаны Қазақстанда болған бүкіл уақыт бойы төлқұжатпен бірге сақтаңыз.",
            "Распечатайте электронную визу и предъявите её на паспортном контроле. Въезд/выезд только через международные аэропорты Астаны (Нур-Султана) и Алматы. Храните распечатку вместе с паспортом в течение всего пребывания в Казахстане.",
            "Print the e-visa and present it at passport control. Entry/exit only through the international airports of Astana (Nur-Sultan) and Almaty. Keep the printout with the passport during the entire stay in Kazakhstan.",
        ],
        /// Step 3 after a declined payment.
        PaymentDeclined => ["Төлем қабылданбады.", "Платёж отклонён.", "The payment was declined."],
        /// The link back to Step 2.
        PayAgain => ["Қайта төлеу", "Оплатить снова", "Pay again"],
        /// While the payment is not confirmed, as in the instruction.
        UpdateStatusHint => [
            "Егер төлем картасынан қаражат алынса, бірақ «Төлем жасалмады» мәртебесі көрсетілсе, «Мәртебені жаңарту» түймесін басыңыз.",
            "Если средства с платёжной карты списаны, а отображается статус «Оплата не произведена», нажмите кнопку «Обновить статус».",
            "If the funds were withdrawn but the status says \"Payment not done\", press \"Update Status\".",
        ],
        /// The button, as in the instruction.
        UpdateStatus => ["Мәртебені жаңарту", "Обновить статус", "Update Status"],
        /// "Update Status" when the gateway did not answer.
        GatewayDidNotAnswer => [
            "Төлем шлюзі жауап бермеді. Біраз уақыттан кейін қайталап көріңіз.",
            "Платёжный шлюз не ответил. Повторите немного позже.",
            "The payment gateway did not answer. Please try again in a moment.",
        ],
        /// The receipt's title.
        ElectronicCheck => ["Электрондық чек", "Электронный чек", "Electronic check"],
        /// The link from the portal's receipt to the gateway's own check, signed for 10 minutes.
        GatewayCheckLink => [
            "e-pay шлюзіндегі чек (сілтеме 10 минут жарамды)",
            "Чек в шлюзе e-pay (ссылка действует 10 минут)",
            "The check at the e-pay gateway (the link works for 10 minutes)",
        ],
        /// A payment method.
        PaymentCard => ["Төлем картасы", "Платёжная карта", "Payment card"],
        /// A payment method.
        EWallet => ["Электрондық әмиян", "Электронный кошелёк", "E-wallet"],
        /// A payment method.
        MobileBalance => [
            "Мобильді баланстан есептен шығару",
            "Списание с баланса мобильного телефона",
            "Write-off from the mobile balance",
        ],
        /// The gateway's receipt number.
        ReceiptNumber => ["Чек нөмірі", "Номер чека", "Receipt number"],
        /// When the gateway took the payment.
        PaidAt => ["Төленген уақыты", "Время оплаты", "Paid at"],
        /// Who received the payment, on the receipt.
        Recipient => ["Төлемді алушы", "Получатель платежа", "Recipient"],
        /// How it was paid.
        Method => ["Төлем тәсілі", "Способ оплаты", "Method"],
        /// The masked card, wallet or phone.
        PaidWith => ["Төлеуші деректемесі", "Реквизит плательщика", "Paid with"],
        /// The portal's order id.
        Order => ["Тапсырыс", "Заказ", "Order"],
    }
}
