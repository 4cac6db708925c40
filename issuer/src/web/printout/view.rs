//! The `/check` page: the upload form, and above it the last answer: the verdict with an icon
//! and a word (colour is never the only carrier), the reason, the dates against today, each
//! airport, the picture's quality with what to do, and the visa's data from the code.

use axum::response::Html;
use maud::{Markup, html};
use shared::labels::Field;

use super::{Outcome, Source, UploadError};
use crate::domain::printout::{Advice, Verdict};
use crate::i18n::msg::PrintoutCheck as M;
use crate::web::layout::{category_name, notice, page as frame, sex_name};
use crate::web::session::Ctx;

/// The page, with the answer to an upload when there is one.
pub fn page(ctx: &Ctx, answer: Option<Result<&Outcome, &UploadError>>) -> Html<String> {
    let title = ctx.msg(M::Title);
    frame(
        ctx,
        title,
        html! {
            section.card.check {
                h1 { (title) }
                p { (ctx.msg(M::Intro)) }
                @match answer {
                    Some(Ok(outcome)) => (result(ctx, outcome)),
                    Some(Err(error)) => (notice("error", ctx.msg(error.msg()))),
                    None => {}
                }
                form.upload method="post" action="/check" enctype="multipart/form-data" {
                    div.field {
                        label for="f-file" { (ctx.msg(M::FileLabel)) }
                        input id="f-file" name="file" type="file" required
                            accept="image/png,image/jpeg,image/tiff,image/webp,image/bmp,application/pdf,.pdf";
                    }
                    p.actions { button.primary type="submit" { (ctx.msg(M::Submit)) } }
                }
                p.hint { (ctx.msg(M::NothingStored)) }
            }
        },
    )
}

fn result(ctx: &Ctx, outcome: &Outcome) -> Markup {
    let j = &outcome.judgement;
    let (class, icon, word) = match j.verdict {
        Verdict::Valid => ("verdict valid", "✓", M::Valid),
        Verdict::Invalid => ("verdict invalid", "✗", M::Invalid),
        Verdict::CannotVerify => ("verdict cannot", "?", M::CannotVerify),
    };
    let picture = &outcome.picture;
    let good = picture.read && !picture.advice.iter().any(|a| a.is_fatal());
    html! {
        section.check-result aria-labelledby="result-title" {
            h2 #result-title { (ctx.msg(M::Result)) }
            div class=(class) role="status" {
                span.verdict-icon aria-hidden="true" { (icon) }
                span.verdict-word { (ctx.msg(word)) }
            }
            p.reason { (ctx.msg(reason(j.reason))) }
            @if let Some(revoked) = &j.revoked {
                p.reason lang="en" { (revoked) }
            }
            @if let Some(validity) = &j.validity {
                h3 { (ctx.msg(M::Dates)) }
                dl.facts {
                    dt { (ctx.label(Field::ValidFrom)) } dd { (validity.valid_from) }
                    dt { (ctx.label(Field::ValidUntil)) } dd { (validity.valid_until) }
                    dt { (ctx.msg(M::Today)) } dd { (validity.today) " — "
                        (ctx.msg(if validity.inside { M::InsideDates } else { M::OutsideDates })) }
                }
                h3 { (ctx.msg(M::Airports)) }
                ul.airports {
                    @for at in &j.ports {
                        li class=(if at.reason == "ok" { "yes" } else { "no" }) {
                            span aria-hidden="true" { (if at.reason == "ok" { "✓ " } else { "✗ " }) }
                            (shared::labels::port(at.port).get(ctx.lang.into())) " (" (at.port.code()) "): "
                            (ctx.msg(if at.reason == "ok" { M::EntryAllowed } else { M::EntryRefused }))
                        }
                    }
                }
            }
            h3 { (ctx.msg(M::Picture)) }
            p class=(if good { "quality good" } else { "quality poor" }) {
                span aria-hidden="true" { (if good { "✓ " } else { "! " }) }
                (ctx.msg(if good { M::PictureGood } else { M::PicturePoor }))
            }
            @if let Some(measure) = picture.measure {
                dl.facts {
                    dt { (ctx.msg(M::ModuleSize)) }
                    dd { (format!("{:.1}", measure.module_pixels))
                        @if picture.source == Source::Pdf { " (150 dpi)" } }
                }
            }
            @if !picture.advice.is_empty() {
                ul.advice {
                    @for advice in &picture.advice { li { (ctx.msg(advice_msg(*advice))) } }
                }
            }
            @if let Some(visa) = &j.visa {
                h3 { (ctx.msg(M::VisaData)) }
                p.hint { (ctx.msg(M::CompareWithPassport)) }
                dl.facts.visa-data {
                    dt { (ctx.label(Field::VisaNumber)) } dd { (visa.visa_number) }
                    dt { (ctx.label(Field::Surname)) } dd { (visa.surname)
                        @if let Some(native) = &visa.surname_native { " / " (native) } }
                    dt { (ctx.label(Field::GivenNames)) } dd {
                        (visa.given_names.as_deref().unwrap_or("—"))
                        @if let Some(native) = &visa.given_names_native { " / " (native) } }
                    dt { (ctx.label(Field::PassportNumber)) } dd { (visa.passport_number) }
                    dt { (ctx.label(Field::Citizenship)) } dd { (visa.citizenship) }
                    dt { (ctx.label(Field::DateOfBirth)) } dd { (visa.date_of_birth) }
                    dt { (ctx.label(Field::Sex)) } dd { (shared::Sex::parse(&visa.sex).map_or(visa.sex.as_str(), |s| sex_name(ctx.lang, s))) }
                    dt { (ctx.label(Field::Category)) } dd { (shared::Category::parse(&visa.category).map_or(visa.category.as_str(), |c| category_name(ctx.lang, c))) }
                    dt { (ctx.label(Field::Entries)) } dd { (shared::Entries::parse(&visa.entries).map_or(visa.entries.as_str(), |e| shared::labels::entries(e).get(ctx.lang.into()))) }
                    dt { (ctx.label(Field::DurationOfStay)) } dd { (visa.duration_of_stay) }
                    dt { (ctx.label(Field::InvitationNumber)) } dd { (visa.invitation_number) }
                }
            }
        }
    }
}

/// The page's words for a kiosk reason code.
fn reason(code: &str) -> M {
    match code {
        "ok" => M::ReasonOk,
        "revoked" | "revoked_key" => M::ReasonRevoked,
        "expired" => M::ReasonExpired,
        "not_yet_valid" => M::ReasonNotYetValid,
        "already_used" => M::ReasonUsed,
        "not_a_visa" | "empty" => M::ReasonNotAVisa,
        "unknown_key"
        | "unsupported_version"
        | "outside_key_period"
        | "outlives_key_certificate"
        | "kiosk_error" => M::ReasonUnknownKey,
        "unreadable" => M::ReasonUnreadable,
        _ => M::ReasonForged,
    }
}

fn advice_msg(advice: Advice) -> M {
    match advice {
        Advice::TooSmall => M::AdviceTooSmall,
        Advice::Small => M::AdviceSmall,
        Advice::Blurred => M::AdviceBlurred,
        Advice::LowContrast => M::AdviceLowContrast,
        Advice::Damaged => M::AdviceDamaged,
        Advice::Unreadable => M::AdviceUnreadable,
        Advice::NotMeasured => M::AdviceNotMeasured,
    }
}
