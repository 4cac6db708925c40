//! "Portal Services" and the "Electronic visa" description page with its "Get a visa" button.

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use maud::html;

use super::AppState;
use super::layout::page;
use super::session::Ctx;

/// The routes of this step.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(services))
        .route("/services/e-visa", get(e_visa))
}

async fn services(ctx: Ctx) -> Html<String> {
    let title = ctx.t("Портал қызметтері", "Услуги портала", "Portal Services");
    page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            div.tiles {
                a.tile href="/services/e-visa" {
                    span.tile-title { (ctx.t("Электрондық виза", "Электронная виза", "Electronic visa")) }
                    span.tile-text { (ctx.t(
                        "Қазақстан тарапының шақыруы бойынша іскерлік, туристік және емделу визасы",
                        "Деловая, туристическая виза и виза на лечение по приглашению казахстанской стороны",
                        "Business, tourist and treatment visa on an invitation from the Kazakh side")) }
                }
                a.tile href="/account/visas" {
                    span.tile-title { (ctx.t("Менің визаларым", "Мои визы", "My visas")) }
                    span.tile-text { (ctx.t(
                        "Өтініштердің мәртебесі, түбіртектер және электрондық визалар",
                        "Статус заявлений, квитанции и электронные визы",
                        "Application status, receipts and e-visas")) }
                }
                a.tile href="/inviter" {
                    span.tile-title { (ctx.t("Шақыруды тіркеу", "Регистрация приглашения", "Register an invitation")) }
                    span.tile-text { (ctx.t(
                        "Шетелдік азаматты шақыратын ұйымдар (БСН) мен жеке тұлғаларға (ЖСН)",
                        "Для организаций (БИН) и физических лиц (ИИН), приглашающих иностранца",
                        "For organisations (BIN) and individuals (IIN) inviting a foreigner")) }
                }
            }
        },
    )
}

async fn e_visa(ctx: Ctx) -> Html<String> {
    let title = ctx.t("Электрондық виза", "Электронная виза", "Electronic visa");
    page(
        &ctx,
        title,
        html! {
            section.card {
                h1 { (title) }
                p { (ctx.t(
                    "Қызмет шетел азаматтарына Қазақстан тарапының шақыруы бойынша электрондық визаны ресімдеуге мүмкіндік береді.",
                    "Услуга позволяет иностранным гражданам оформить электронную визу по приглашению казахстанской стороны.",
                    "The service lets foreign citizens obtain an electronic visa on an invitation from the Kazakh side.")) }
                h2 { (ctx.t("Маңызды", "Важно", "Important")) }
                ul.rules {
                    li { (ctx.t(
                        "Форманы толтырған кезде деректер шетел азаматының жарамды құжатымен сәйкес келуі тиіс.",
                        "При заполнении формы данные должны совпадать с действующим документом иностранного гражданина.",
                        "When filling in the form, the data must coincide with the current document of the foreign citizen.")) }
                    li { (ctx.t(
                        "Деректер шақырудағы деректермен сәйкес келуі тиіс.",
                        "Данные должны совпадать с данными, указанными в приглашении.",
                        "The data must coincide with the data given in the invitation.")) }
                    li { (ctx.t(
                        "Электрондық виза санаттары: бір реттік іскерлік виза, туристік виза және емделуге арналған виза.",
                        "Электронная виза оформляется по категориям: однократная деловая, туристическая и виза на лечение.",
                        "E-visas are issued in these categories: single-entry business visa, tourist visa and treatment visa.")) }
                    li { (ctx.t(
                        "Электрондық виза Қазақстан тарапының жарамды шақыруы болған кезде ғана беріледі; өтініш беру үшін шақырушы тараптан алынған шақыру нөмірі қажет.",
                        "Электронная виза оформляется только при наличии действующего приглашения казахстанской стороны; для подачи заявления нужен номер приглашения, полученный от приглашающей стороны.",
                        "An e-visa can be issued only with a valid invitation from the Kazakh side; to apply you need the invitation number received from the inviting party.")) }
                    li { (ctx.t(
                        "Виза консулдық алымдар мен мемлекеттік баж төленгеннен кейін беріледі. Төленген консулдық алымдар қайтарылмайды.",
                        "Виза выдаётся после оплаты консульского сбора и государственной пошлины. Оплаченные консульские сборы не возвращаются.",
                        "The visa is issued after payment of the consular fees and state duty. Paid consular fees are non-refundable.")) }
                    li { (ctx.t(
                        "Алынған электрондық визаны мемлекеттік шекарада және Қазақстан аумағында көрсету үшін басып шығару қажет.",
                        "Полученную электронную визу необходимо распечатать для предъявления на государственной границе и на территории Казахстана.",
                        "The e-visa must be printed out for presentation at the state border and on the territory of the Republic of Kazakhstan.")) }
                    li { (ctx.t(
                        "Электрондық виза Қазақстанға кіруге/шығуға тек Астана (Нұр-Сұлтан) және Алматы халықаралық әуежайлары арқылы құқық береді.",
                        "Электронная виза даёт право въезда/выезда только через международные аэропорты Астаны (Нур-Султана) и Алматы.",
                        "The e-visa gives the right to enter / exit only through the international airports of Astana (Nur-Sultan) and Almaty.")) }
                    li.warn { (ctx.t(
                        "Балаларымен бірге жүрген шетелдіктерге электрондық виза берілмейді.",
                        "Электронные визы не выдаются иностранцам, следующим вместе с детьми.",
                        "E-visas are not issued to foreigners travelling together with children.")) }
                }
                p.actions {
                    a.button.primary href="/apply" { (ctx.t("Виза алу", "Получить визу", "Get a visa")) }
                }
            }
        },
    )
}
