//! The words of "Check your printout" (`/check`): the upload form, the verdict, the picture's
//! quality and what to do about it.

catalogue! {
    /// The printout check page.
    PrintoutCheck {
        /// The page's title and the link to it.
        Title => ["Басып шығаруды тексеру", "Проверка распечатки", "Check your printout"],
        /// Under the title.
        Intro => [
            "Басып шығарылған электрондық визаның фотосын немесе сканын, не порталдан алынған PDF файлын жүктеңіз: Астана мен Алматы әуежайларындағы киоск бүгін не айтатынын көресіз.",
            "Загрузите фото или скан распечатанной электронной визы либо PDF, полученный на портале: вы увидите, что сегодня скажет киоск в аэропортах Астаны и Алматы.",
            "Upload a photo or scan of your printed e-visa, or the PDF the portal gave you: you will see what the kiosk at Astana and Almaty airports would say today.",
        ],
        /// The privacy note under the form.
        NothingStored => [
            "Жүктелген файл сақталмайды және журналға жазылмайды; ол тек тексеру үшін оқылады.",
            "Загруженный файл не сохраняется и не записывается в журналы; он читается только для проверки.",
            "The file you upload is neither stored nor logged; it is read only for this check.",
        ],
        /// The file field's label.
        FileLabel => ["Файл (PNG, JPEG, TIFF, WebP, BMP немесе PDF, 10 МБ дейін)", "Файл (PNG, JPEG, TIFF, WebP, BMP или PDF, до 10 МБ)", "File (PNG, JPEG, TIFF, WebP, BMP or PDF, up to 10 MB)"],
        /// The submit button.
        Submit => ["Тексеру", "Проверить", "Check"],
        /// The result's heading.
        Result => ["Тексеру нәтижесі", "Результат проверки", "Result of the check"],
        /// VALID.
        Valid => ["Түпнұсқа және бүгін жарамды", "Подлинная и действительна сегодня", "Genuine and valid today"],
        /// INVALID.
        Invalid => ["Жарамсыз", "Недействительна", "Not valid"],
        /// CANNOT VERIFY.
        CannotVerify => ["Тексеру мүмкін емес", "Проверить невозможно", "Cannot be verified"],
        /// Reason: a genuine visa.
        ReasonOk => ["Қолтаңба расталды: визаны көші-қон қызметі берген.", "Подпись подтверждена: визу выдала миграционная служба.", "The signature verified: the visa was issued by the migration service."],
        /// Reason: the signature or the code's content is wrong.
        ReasonForged => ["Коды түпнұсқа емес немесе өзгертілген: қолтаңба расталмады.", "Код не подлинный или изменён: подпись не подтверждена.", "The code is not genuine or was altered: the signature does not verify."],
        /// Reason: a code that is not an e-visa.
        ReasonNotAVisa => ["Суретте электрондық виза коды жоқ, басқа код бар.", "На изображении другой код, не код электронной визы.", "The picture holds another code, not an e-visa's."],
        /// Reason: revoked.
        ReasonRevoked => ["Виза кері қайтарылды: ол шекарадан өтуге жарамайды.", "Виза отозвана: по ней нельзя пересечь границу.", "The visa was revoked: it cannot be used at the border."],
        /// Reason: expired.
        ReasonExpired => ["Визаның мерзімі өтті.", "Срок действия визы истёк.", "The visa has expired."],
        /// Reason: not yet valid.
        ReasonNotYetValid => ["Виза әлі күшіне енген жоқ: киоск оны жарамдылық мерзімінің бірінші күнінен бастап қабылдайды.", "Виза ещё не действует: киоск примет её с первого дня срока действия.", "The visa is not valid yet: the kiosk accepts it from its first day."],
        /// Reason: single entry already used.
        ReasonUsed => ["Бір реттік виза бойынша кіру тіркелген.", "По однократной визе въезд уже записан.", "An entry on this single-entry visa is already on record."],
        /// Reason: an unknown key or format.
        ReasonUnknownKey => ["Кодқа киоск білмейтін кілтпен қол қойылған немесе пішімі белгісіз.", "Код подписан ключом, неизвестным киоску, или в неизвестном формате.", "The code is signed with a key the kiosk does not know, or in an unknown format."],
        /// Reason: no code could be read.
        ReasonUnreadable => ["Суреттен QR кодын оқу мүмкін болмады.", "QR-код на изображении прочитать не удалось.", "No QR code could be read from the picture."],
        /// The dates' heading.
        Dates => ["Жарамдылық мерзімі", "Срок действия", "Validity"],
        /// Today's date.
        Today => ["Бүгін (Қазақстан уақыты)", "Сегодня (время Казахстана)", "Today (Kazakhstan time)"],
        /// Today within the dates.
        InsideDates => ["Бүгін мерзім ішінде", "Сегодня в пределах срока", "Today is within the dates"],
        /// Today outside the dates.
        OutsideDates => ["Бүгін мерзімнен тыс", "Сегодня вне срока", "Today is outside the dates"],
        /// Entry allowed at the airport today.
        EntryAllowed => ["бүгін кіруге болады", "въезд сегодня разрешён", "entry allowed today"],
        /// Entry refused at the airport today.
        EntryRefused => ["бүгін кіруге болмайды", "въезд сегодня не разрешён", "no entry today"],
        /// The airports' heading.
        Airports => ["Әуежайлар", "Аэропорты", "Airports"],
        /// The picture's heading.
        Picture => ["Сурет сапасы", "Качество изображения", "Picture quality"],
        /// A good picture.
        PictureGood => ["Сурет жеткілікті жақсы: киоск кодты сенімді оқиды.", "Изображение достаточно хорошее: киоск уверенно прочитает код.", "The picture is good enough: a kiosk reads the code reliably."],
        /// A poor picture.
        PicturePoor => ["Сурет нашар: киоск кодты оқи алмауы мүмкін.", "Изображение плохое: киоск может не прочитать код.", "The picture is poor: a kiosk may fail to read the code."],
        /// Module size.
        ModuleSize => ["Код модулінің өлшемі, пиксель", "Размер модуля кода, пикселей", "Module size of the code, pixels"],
        /// Too small.
        AdviceTooSmall => ["Код тым кішкентай: визаны 100 % масштабта басып шығарыңыз («беттің өлшеміне сыйғызу» емес) және 150 dpi немесе одан жоғары сканерлеңіз.", "Код слишком мелкий: печатайте визу в масштабе 100 % (не «по размеру страницы») и сканируйте с разрешением от 150 dpi.", "The code is too small: print the visa at 100 % scale (not \"fit to page\") and scan at 150 dpi or more."],
        /// Small.
        AdviceSmall => ["Код шағын: 100 % масштабта басып шығарыңыз, сонда шекарада қиындық болмайды.", "Код мелковат: печатайте в масштабе 100 %, чтобы на границе не было затруднений.", "The code is small: print at 100 % scale so it reads without trouble at the border."],
        /// Blurred.
        AdviceBlurred => ["Сурет бұлыңғыр: камераны қозғалтпай, фокуспен түсіріңіз немесе сканерлеңіз.", "Изображение размыто: снимайте неподвижно и в фокусе или отсканируйте.", "The picture is blurred: hold the camera still and in focus, or scan it."],
        /// Low contrast.
        AdviceLowContrast => ["Контраст төмен: қара бояумен ақ қағазға басып шығарыңыз, жақсы жарықта түсіріңіз.", "Низкий контраст: печатайте чёрным на белой бумаге и снимайте при хорошем освещении.", "Low contrast: print in black on white paper and photograph it in good light."],
        /// Damaged.
        AdviceDamaged => ["Код қиындықпен оқылды: ол зақымдалған, мыжылған немесе дағы бар болуы мүмкін; визаны қайта басып шығарыңыз.", "Код прочитан с трудом: он может быть повреждён, смят или запачкан; распечатайте визу заново.", "The code was read only with difficulty: it may be damaged, creased or stained; print the visa again."],
        /// Unreadable.
        AdviceUnreadable => ["Кодты оқу мүмкін емес: ол зақымдалған, тым кішкентай немесе бұлыңғыр. Визаны 100 % масштабта қайта басып шығарып, 150 dpi немесе одан жоғары сканерлеңіз.", "Код не читается: он повреждён, слишком мелкий или размыт. Распечатайте визу заново в масштабе 100 % и отсканируйте с разрешением от 150 dpi.", "The code cannot be read: it is damaged, too small or blurred. Print the visa again at 100 % scale and scan it at 150 dpi or more."],
        /// Not measured.
        AdviceNotMeasured => ["Код оқылды, бірақ оның өлшемін анықтау мүмкін болмады.", "Код прочитан, но измерить его размер не удалось.", "The code was read, but its size could not be measured."],
        /// The visa data heading.
        VisaData => ["Кодтағы виза деректері", "Данные визы из кода", "The visa's data in the code"],
        /// Compare with the passport.
        CompareWithPassport => ["Деректерді төлқұжатыңызбен салыстырыңыз: шекарада дәл солай тексеріледі.", "Сверьте данные с паспортом: на границе их сверят так же.", "Compare the data with your passport: the border officer will do the same."],
        /// Errors of the upload.
        ErrorEmpty => ["Файл таңдалмаған немесе бос.", "Файл не выбран или пуст.", "No file was chosen, or it is empty."],
        /// Not a picture.
        ErrorNotAPicture => ["Бұл файл сурет те, PDF те емес немесе зақымдалған. PNG, JPEG, TIFF, WebP, BMP немесе порталдың PDF файлын жүктеңіз.", "Файл не является изображением или PDF либо повреждён. Загрузите PNG, JPEG, TIFF, WebP, BMP или PDF портала.", "The file is not a picture or a PDF, or it is damaged. Upload a PNG, JPEG, TIFF, WebP, BMP or the portal's PDF."],
        /// Too many pixels.
        ErrorTooManyPixels => ["Сурет тым үлкен (пиксельдер саны бойынша): сканердің немесе телефонның әдеттегі суретін жүктеңіз.", "Изображение слишком большое по числу пикселей: загрузите обычный скан или фото с телефона.", "The picture has too many pixels: upload an ordinary scan or phone photo."],
        /// Too many bytes.
        ErrorTooLarge => ["Файл 10 МБ-тан үлкен.", "Файл больше 10 МБ.", "The file is larger than 10 MB."],
        /// A PDF from elsewhere.
        ErrorForeignPdf => ["Бұл PDF порталда жасалмаған: басып шығарудың фотосын немесе сканын жүктеңіз.", "Этот PDF создан не порталом: загрузите фото или скан распечатки.", "This PDF was not made by the portal: upload a photo or scan of the printout."],
        /// Rate limit.
        ErrorTooMany => ["Тексеру тым көп: бір минуттан кейін қайталаңыз.", "Слишком много проверок: повторите через минуту.", "Too many checks: try again in a minute."],
        /// Busy.
        ErrorBusy => ["Сервер бос емес: біраз уақыттан кейін қайталаңыз.", "Сервер занят: повторите немного позже.", "The server is busy: try again shortly."],
        /// After download, in the personal account.
        CheckAfterDownload => ["Басып шығардыңыз ба? Сапарға дейін тексеріңіз", "Распечатали? Проверьте до поездки", "Printed it? Check it before you travel"],
    }
}
