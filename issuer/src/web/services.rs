//! "Portal Services" and the "Electronic visa" description page with its "Get a visa" button.

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use maud::html;

use super::AppState;
use super::layout::page;
use super::session::Ctx;
use crate::i18n::msg::{Apply, Frame};

/// The routes of this step.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(services))
        .route("/services/e-visa", get(e_visa))
}

async fn services(ctx: Ctx) -> Html<String> {
    let title = ctx.msg(Apply::PortalServices);
    page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            div.tiles {
                a.tile href="/services/e-visa" {
                    span.tile-title { (ctx.msg(Apply::ElectronicVisa)) }
                    span.tile-text { (ctx.msg(Apply::ElectronicVisaTile)) }
                }
                a.tile href="/account/visas" {
                    span.tile-title { (ctx.msg(Apply::MyVisas)) }
                    span.tile-text { (ctx.msg(Apply::MyVisasTile)) }
                }
                a.tile href="/inviter" {
                    span.tile-title { (ctx.msg(Apply::RegisterInvitation)) }
                    span.tile-text { (ctx.msg(Apply::RegisterInvitationTile)) }
                }
            }
        },
    )
}

async fn e_visa(ctx: Ctx) -> Html<String> {
    let title = ctx.msg(Apply::ElectronicVisa);
    page(
        &ctx,
        title,
        html! {
            section.card {
                h1 { (title) }
                p { (ctx.msg(Apply::ServiceIntro)) }
                h2 { (ctx.msg(Apply::Important)) }
                ul.rules {
                    li { (ctx.msg(Apply::RuleCurrentDocument)) }
                    li { (ctx.msg(Apply::RuleInvitationData)) }
                    li { (ctx.msg(Apply::RuleCategories)) }
                    li { (ctx.msg(Apply::RuleInvitationNeeded)) }
                    li { (ctx.msg(Apply::RuleFees)) }
                    li { (ctx.msg(Apply::RulePrint)) }
                    li { (ctx.msg(Apply::RuleAirports)) }
                    li.warn { (ctx.msg(Apply::RuleChildren)) }
                }
                p.actions {
                    a.button.primary href="/apply" { (ctx.msg(Frame::GetAVisa)) }
                    (super::group::apply_as_group_link(&ctx))
                }
            }
        },
    )
}
