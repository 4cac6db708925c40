//! The back office's frame: the officer and the role on top, the navigation showing only what the
//! role may open, the language switch. (The server checks each route's duty again; the menu is
//! only a convenience.)

use axum::response::Html;
use maud::{DOCTYPE, Markup, html};

use super::OfficeCtx;
use crate::domain::office::{Duty, Role};
use crate::i18n::Lang;
use crate::i18n::msg::{A11y, Frame, Office};

/// The back office's sections: path, name, and the duty that opens it.
pub const SECTIONS: [(&str, Office, Duty); 8] = [
    ("/office/inviters", Office::Inviters, Duty::Inviters),
    ("/office/screening", Office::Screening, Duty::Screening),
    ("/office/visas", Office::Visas, Duty::RevokeVisa),
    ("/office/keys", Office::Keys, Duty::Keys),
    ("/office/kiosks", Office::Kiosks, Duty::Ledgers),
    ("/office/officers", Office::Officers, Duty::ResetOfficers),
    ("/office/audit", Office::Audit, Duty::ReadAudit),
    (
        "/office/statistics",
        Office::Statistics,
        Duty::ReadStatistics,
    ),
];

/// The name of a role in the page's language.
pub fn role_name(l: Lang, role: Role) -> &'static str {
    match role {
        Role::Officer => Office::RoleOfficer.text(l),
        Role::Supervisor => Office::RoleSupervisor.text(l),
        Role::Auditor => Office::RoleAuditor.text(l),
    }
}

/// A page in the back office's frame.
pub fn page(ctx: &OfficeCtx, title: &str, body: Markup) -> Html<String> {
    let l = ctx.lang;
    let markup = html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (Office::BackOffice.text(l)) }
                link rel="stylesheet" href="/static/style.css";
            }
            body.office {
                a.skip-link href="#main" { (A11y::SkipToContent.text(l)) }
                header.site {
                    div.topbar {
                        div.wrap {
                            (languages(l, &ctx.path))
                            nav.main aria-label=(Office::BackOffice.text(l)) {
                                a href="/office" { (Office::Home.text(l)) }
                                @for (path, name, duty) in SECTIONS {
                                    @if ctx.officer.role.may(duty) {
                                        a href=(path) { (name.text(l)) }
                                    }
                                }
                            }
                            nav.who aria-label=(A11y::AccountMenu.text(l)) {
                                span.user { (ctx.officer.email) " · " (role_name(l, ctx.officer.role)) }
                                form.inline method="post" action="/office/logout" {
                                    (csrf(ctx))
                                    button.link type="submit" { (Frame::LogOut.text(l)) }
                                }
                            }
                        }
                    }
                    div.masthead {
                        div.wrap {
                            div.emblem aria-hidden="true" { "KZ" }
                            div { div.portal-name { (Office::BackOffice.text(l)) } }
                        }
                    }
                }
                main.wrap id="main" tabindex="-1" { (body) }
            }
        }
    };
    Html(markup.into_string())
}

/// The language switch, keeping the current path.
pub fn languages(l: Lang, path: &str) -> Markup {
    html! {
        nav.langs aria-label=(Frame::Language.text(l)) {
            @for lang in Lang::ALL {
                @if lang == l {
                    span.current lang=(lang.code()) aria-current="true" { (lang.label()) }
                } @else {
                    a href=(format!("{path}?lang={}", lang.code())) lang=(lang.code()) hreflang=(lang.code()) { (lang.label()) }
                }
            }
        }
    }
}

/// The hidden CSRF field every back-office form carries.
pub fn csrf(ctx: &OfficeCtx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.csrf); }
}
