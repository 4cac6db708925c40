//! The group application's pages as markup: the form with a block per person (each person's
//! problems beside that person's fields), the confirmation listing everyone, the duty for the
//! group, the result with each person's e-visa, and the electronic check of the one payment.

use maud::{Markup, html};
use shared::labels::Field;

use crate::domain::application::{ApplicationForm, ApplicationStatus};
use crate::domain::fees::{Fees, format_minor};
use crate::domain::group::{Group, GroupProblem, GroupProblems, MAX_PERSONS};
use crate::domain::payment::{Payment, PaymentMethod, PaymentStatus};
use crate::domain::problem::Problems;
use crate::i18n::Lang;
use crate::i18n::msg::{Apply, Duty, Frame, Group as G, Screening};
use crate::web::apply::{applicant_table, invitation_box};
use crate::web::cabinet::status_text;
use crate::web::layout::{self, Kind, csrf, notice, page, sex_name, steps};
use crate::web::payment::codes;
use crate::web::session::Ctx;
use axum::response::Html;

/// One person's field: like [`layout::field`], named `p{n}.{name}` with that person's problem.
#[expect(
    clippy::too_many_arguments,
    reason = "the same shape as layout::field, plus the person"
)]
fn person_field(
    l: Lang,
    n: usize,
    name: &str,
    label: &str,
    value: &str,
    required: bool,
    kind: Kind,
    hint: Option<&str>,
    p: &Problems,
) -> Markup {
    let problem = p.get(name).map(|p| p.message(l));
    let input_type = match kind {
        Kind::Date => "date",
        _ => "text",
    };
    let (id, error_id) = (format!("f-p{n}-{name}"), format!("e-p{n}-{name}"));
    html! {
        div class=(if problem.is_some() { "field invalid" } else { "field" }) {
            label for=(id) { (label) @if required { span.req title=(Frame::Required.text(l)) { " *" } } }
            input id=(id) name=(format!("p{n}.{name}")) type=(input_type) value=(value)
                required[required]
                aria-invalid=[problem.as_ref().map(|_| "true")]
                aria-describedby=[problem.as_ref().map(|_| error_id.as_str())];
            @if let Some(hint) = hint { small.hint { (hint) } }
            @if let Some(problem) = &problem { span.error id=(error_id) role="alert" { (problem) } }
        }
    }
}

/// One person's dropdown.
fn person_select(
    l: Lang,
    n: usize,
    name: &str,
    label: &str,
    value: &str,
    options: &[(&str, &str)],
    p: &Problems,
) -> Markup {
    let problem = p.get(name).map(|p| p.message(l));
    let (id, error_id) = (format!("f-p{n}-{name}"), format!("e-p{n}-{name}"));
    html! {
        div class=(if problem.is_some() { "field invalid" } else { "field" }) {
            label for=(id) { (label) span.req { " *" } }
            select id=(id) name=(format!("p{n}.{name}")) required
                aria-invalid=[problem.as_ref().map(|_| "true")]
                aria-describedby=[problem.as_ref().map(|_| error_id.as_str())] {
                option value="" { "—" }
                @for (v, text) in options {
                    option value=(v) selected[*v == value] { (text) }
                }
            }
            @if let Some(problem) = &problem { span.error id=(error_id) role="alert" { (problem) } }
        }
    }
}

/// The group form: a block per person in `persons`, with each person's problems beside them.
pub fn form_view(
    ctx: &Ctx,
    editing: Option<&str>,
    persons: &[ApplicationForm],
    problems: &GroupProblems,
) -> Html<String> {
    let l = ctx.lang;
    let title = ctx.msg(G::GroupApplication);
    let sexes = [
        ("F", sex_name(l, shared::Sex::Female)),
        ("M", sex_name(l, shared::Sex::Male)),
        ("X", sex_name(l, shared::Sex::Unspecified)),
    ];
    let categories = layout::category_options(l);
    let group_problem = problems.group.map(|g| match g {
        GroupProblem::TooManyPersons => ctx.msg(G::TooManyPersons),
        GroupProblem::NoPersons => ctx.msg(G::NoPersons),
    });
    let persons_wrong = problems.persons.iter().any(|p| !p.is_empty());
    page(
        ctx,
        title,
        html! {
            section.card.group {
                (steps(l, 1))
                h1 { (title) }
                (notice("info", ctx.msg(G::Intro)))
                @if let Some(text) = group_problem { (notice("error", text)) }
                @if persons_wrong { (notice("error", ctx.msg(G::CheckThePersons))) }
                form method="post" action="/groups/new" novalidate {
                    (csrf(ctx))
                    @if let Some(id) = editing { input type="hidden" name="group" value=(id); }
                    @for (i, form) in persons.iter().enumerate() {
                        @let n = i + 1;
                        @let p = problems.of(i);
                        @let children = p.get("with_children").map(|p| p.message(l));
                        fieldset.person id=(format!("person-{n}")) class=(if p.is_empty() { "person" } else { "person invalid" }) {
                            legend { (ctx.msg(G::Person)) " " (n) }
                            (person_field(l, n, "invitation_number", ctx.label(Field::InvitationNumber), &form.invitation_number, true, Kind::Text,
                                Some(ctx.msg(Apply::InvitationNumberHint)), p))
                            (person_select(l, n, "category", ctx.label(Field::Category), &form.category, &categories, p))
                            (person_field(l, n, "surname", ctx.msg(Frame::SurnameLatin), &form.surname, true, Kind::Text,
                                Some(ctx.msg(Apply::AsInTheMrz)), p))
                            (person_field(l, n, "given_names", ctx.msg(Frame::GivenNamesLatin), &form.given_names, false, Kind::Text, None, p))
                            (person_field(l, n, "surname_native", ctx.msg(Apply::SurnameNative), &form.surname_native, false, Kind::Text,
                                Some(ctx.msg(Apply::IfThePassportShowsIt)), p))
                            (person_field(l, n, "given_names_native", ctx.msg(Apply::GivenNamesNative), &form.given_names_native, false, Kind::Text, None, p))
                            (person_select(l, n, "sex", ctx.label(Field::Sex), &form.sex, &sexes, p))
                            (person_field(l, n, "date_of_birth", ctx.label(Field::DateOfBirth), &form.date_of_birth, true, Kind::Date, None, p))
                            (person_field(l, n, "citizenship", ctx.label(Field::Citizenship), &form.citizenship, true, Kind::Text,
                                Some(ctx.msg(Apply::CitizenshipHint)), p))
                            (person_field(l, n, "passport_number", ctx.label(Field::PassportNumber), &form.passport_number, true, Kind::Text, None, p))
                            (person_field(l, n, "passport_expiry", ctx.msg(Apply::PassportValidUntil), &form.passport_expiry, true, Kind::Date, None, p))
                            div class=(if children.is_some() { "field invalid" } else { "field" }) role="radiogroup"
                                aria-labelledby=(format!("q-p{n}-children")) {
                                span.question id=(format!("q-p{n}-children")) { (ctx.msg(Apply::WithChildren)) span.req { " *" } }
                                label.radio { input type="radio" name=(format!("p{n}.with_children")) value="no" checked[form.with_children == "no"]; " " (ctx.msg(Frame::No)) }
                                label.radio { input type="radio" name=(format!("p{n}.with_children")) value="yes" checked[form.with_children == "yes"]
                                    aria-describedby=[children.as_ref().map(|_| format!("e-p{n}-with_children"))]; " " (ctx.msg(Frame::Yes)) }
                                @if let Some(problem) = &children { span.error id=(format!("e-p{n}-with_children")) role="alert" { (problem) } }
                            }
                        }
                    }
                    p.actions {
                        button.primary type="submit" name="action" value="next" { (ctx.msg(Frame::Next)) }
                        @if persons.len() < MAX_PERSONS {
                            button.button type="submit" name="action" value="add" { "+ " (ctx.msg(G::AddPerson)) }
                        }
                        @if persons.len() > 1 {
                            button.button type="submit" name="action" value="remove" { (ctx.msg(G::RemoveLastPerson)) }
                        }
                    }
                }
            }
        },
    )
}

/// The confirmation: every person's data and invitation, and one box for all.
pub fn confirm_view(ctx: &Ctx, group: &Group, problem: Option<&str>) -> Html<String> {
    let title = ctx.msg(G::CheckEveryone);
    page(
        ctx,
        title,
        html! {
            section.card.group {
                (steps(ctx.lang, 1))
                h1 { (title) }
                @if let Some(problem) = problem { (notice("error", problem)) }
                @for (i, app) in group.members.iter().enumerate() {
                    section.person {
                        h2 { (ctx.msg(G::Person)) " " (i + 1) ": " (app.applicant.full_name()) }
                        (applicant_table(ctx, app))
                        (invitation_box(ctx, &app.invitation))
                    }
                }
                form method="post" action=(format!("/groups/{}/confirm", group.id)) {
                    (csrf(ctx))
                    div class=(if problem.is_some() { "field invalid confirm" } else { "field confirm" }) {
                        label.checkbox {
                            input type="checkbox" name="confirm" value="yes";
                            " " (ctx.msg(G::ConfirmForEveryone))
                        }
                    }
                    p.actions {
                        a.button href=(format!("/groups/new?group={}", group.id)) { (ctx.msg(Frame::Back)) }
                        button.primary type="submit" { (ctx.msg(Frame::Next)) }
                    }
                }
            }
        },
    )
}

/// Each person's duty and the group's total, in minor units.
pub fn persons_with_fees(ctx: &Ctx, group: &Group, fees: &[i64], total: i64) -> Markup {
    html! {
        table.data.persons {
            thead { tr {
                th scope="col" { "#" }
                th scope="col" { (ctx.msg(Apply::Applicant)) }
                th scope="col" { (ctx.label(Field::InvitationNumber)) }
                th scope="col" { (ctx.msg(G::DutyPerPerson)) }
            } }
            tbody {
                @for (i, (app, fee)) in group.members.iter().zip(fees).enumerate() {
                    tr {
                        td { (i + 1) }
                        td { (app.applicant.full_name()) }
                        td { (app.applicant.invitation_number.as_str()) }
                        td { (format_minor(*fee)) " " (Fees::CURRENCY) }
                    }
                }
            }
            tfoot { tr {
                th scope="row" colspan="3" { (ctx.msg(G::Total)) " (" (group.members.len()) ")" }
                td.total { (format_minor(total)) " " (Fees::CURRENCY) }
            } }
        }
    }
}

/// Step 2 for the group: the duty's codes, the persons, and the total.
pub fn payment_view(
    ctx: &Ctx,
    group: &Group,
    fees: &[i64],
    total: i64,
    latest: Option<&Payment>,
    confirmed: bool,
    confirm_first: Markup,
) -> Html<String> {
    let title = ctx.msg(Frame::PaymentOfStateDuty);
    let payer = ctx
        .session
        .user
        .as_ref()
        .map(|u| u.full_name.clone())
        .unwrap_or_default();
    let rows: [(&str, String); 8] = [
        (ctx.msg(Duty::Payer), payer),
        (
            ctx.msg(Duty::PaymentWillBeReceived),
            ctx.msg(Duty::RecipientName).to_owned(),
        ),
        (
            ctx.msg(Duty::TaxAuthorityCode),
            codes::TAX_AUTHORITY.to_owned(),
        ),
        (ctx.msg(Duty::PaymentPurposeCode), codes::PURPOSE.to_owned()),
        (
            ctx.msg(Duty::BudgetClassificationCode),
            codes::BUDGET_CLASSIFICATION.to_owned(),
        ),
        (ctx.msg(Duty::Currency), Fees::CURRENCY.to_owned()),
        (ctx.msg(G::NumberOfPersons), group.members.len().to_string()),
        (ctx.msg(Duty::Amount), format_minor(total)),
    ];
    page(
        ctx,
        title,
        html! {
            section.card.group {
                (steps(ctx.lang, 2))
                h1 { (ctx.msg(Duty::PayTheStateFee)) }
                @if latest.is_some_and(|p| p.status == PaymentStatus::Declined) {
                    (notice("error", ctx.msg(Duty::PreviousDeclined)))
                }
                table.data.payment {
                    @for (label, value) in rows { tr { th scope="row" { (label) } td { (value) } } }
                }
                h2 { (ctx.msg(G::Persons)) }
                (persons_with_fees(ctx, group, fees, total))
                p.muted { (ctx.msg(Duty::NonRefundable)) }
                @if !confirmed {
                    (confirm_first)
                } @else {
                    form.pay method="post" action=(format!("/groups/{}/payment", group.id)) {
                        (csrf(ctx))
                        p.actions {
                            span.muted { (ctx.msg(Duty::PaidOnEpay)) }
                            button.primary type="submit" { (ctx.msg(Duty::ToPay)) " ›" }
                        }
                    }
                }
            }
        },
    )
}

/// Step 3 for the group: each person's status and, once issued, their own e-visa.
pub fn result_view(
    ctx: &Ctx,
    group: &Group,
    visas: &[Option<String>],
    latest: Option<&Payment>,
    warning: Option<&str>,
) -> Html<String> {
    let l = ctx.lang;
    let title = ctx.msg(Frame::Result);
    let status = group.status();
    let declined = status == ApplicationStatus::Submitted
        && latest.is_some_and(|p| p.status == PaymentStatus::Declined);
    let waiting = group.members.iter().any(|m| {
        matches!(
            m.status,
            ApplicationStatus::Submitted | ApplicationStatus::Paid
        )
    });
    page(
        ctx,
        title,
        html! {
            section.card.group {
                (steps(l, 3))
                h1 { (title) }
                @if let Some(warning) = warning { (notice("error", warning)) }
                h2 { (ctx.msg(G::EachPersonsVisa)) }
                ul.persons-result {
                    @for (i, (app, visa)) in group.members.iter().zip(visas).enumerate() {
                        li class=(format!("result-person {}", app.status.as_str())) {
                            p.person-name { (i + 1) ". " strong { (app.applicant.full_name()) }
                                " · " (app.applicant.passport_number.as_str()) }
                            p { span class=(format!("status {}", app.status.as_str())) { (status_text(l, app.status)) } }
                            @if let (ApplicationStatus::Issued, Some(number)) = (app.status, visa) {
                                p { (ctx.label(Field::VisaNumber)) ": " strong { (number) } }
                                p { a.button.primary href=(format!("/applications/{}/visa.pdf", app.id)) {
                                    (ctx.msg(Duty::CopyThePdf)) } }
                            } @else if app.status == ApplicationStatus::UnderReview {
                                p.muted { (ctx.msg(Screening::UnderReviewHint)) }
                            } @else if app.status == ApplicationStatus::Refused {
                                p.muted { (ctx.msg(Screening::RefusedHint)) }
                            } @else if app.status == ApplicationStatus::Paid {
                                p.muted { (ctx.msg(G::ThisPersonWaits)) }
                            }
                        }
                    }
                }
                @if status != ApplicationStatus::Submitted {
                    p { a href=(format!("/groups/{}/receipt", group.id)) { (ctx.msg(Duty::ElectronicCheckLink)) } }
                }
                @if status == ApplicationStatus::Issued {
                    p.muted { (ctx.msg(Duty::PrintAndPresent)) }
                }
                @if waiting {
                    @if declined {
                        p { (ctx.msg(Duty::PaymentDeclined)) " "
                            a href=(format!("/groups/{}/payment", group.id)) { (ctx.msg(Duty::PayAgain)) } }
                    } @else {
                        p.muted { (ctx.msg(Duty::UpdateStatusHint)) }
                    }
                    form method="post" action=(format!("/groups/{}/status", group.id)) {
                        (csrf(ctx))
                        p.actions {
                            button.primary type="submit" { (ctx.msg(Duty::UpdateStatus)) }
                            @if status == ApplicationStatus::Submitted && latest.is_none() {
                                a.button href=(format!("/groups/{}/payment", group.id)) { (ctx.msg(Duty::ToPay)) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The electronic check of the group's one payment: the persons and their duties, the total.
pub fn receipt_view(
    ctx: &Ctx,
    group: &Group,
    payment: &Payment,
    fees: &[i64],
    gateway_check: Option<String>,
) -> Html<String> {
    let title = ctx.msg(Duty::ElectronicCheck);
    let dash = || "—".to_owned();
    let method = match payment.method {
        Some(PaymentMethod::Card) => ctx.msg(Duty::PaymentCard),
        Some(PaymentMethod::Wallet) => ctx.msg(Duty::EWallet),
        Some(PaymentMethod::Mobile) => ctx.msg(Duty::MobileBalance),
        None => "—",
    };
    let payer = ctx
        .session
        .user
        .as_ref()
        .map(|u| u.full_name.clone())
        .unwrap_or_default();
    let rows: [(&str, String); 10] = [
        (
            ctx.msg(Duty::ReceiptNumber),
            payment.receipt_number.clone().unwrap_or_else(dash),
        ),
        (
            ctx.msg(Duty::PaidAt),
            payment.paid_at.clone().unwrap_or_else(dash),
        ),
        (ctx.msg(Duty::Payer), payer),
        (
            ctx.msg(Duty::Recipient),
            ctx.msg(Duty::RecipientName).to_owned(),
        ),
        (
            ctx.msg(Duty::BudgetClassificationCode),
            codes::BUDGET_CLASSIFICATION.to_owned(),
        ),
        (ctx.msg(Duty::Method), method.to_owned()),
        (
            ctx.msg(Duty::PaidWith),
            payment.payer_hint.clone().unwrap_or_else(dash),
        ),
        (ctx.msg(G::NumberOfPersons), group.members.len().to_string()),
        (
            ctx.msg(Duty::Amount),
            format!(
                "{} {}",
                format_minor(payment.amount_minor),
                payment.currency
            ),
        ),
        (ctx.msg(Duty::Order), payment.order_id.clone()),
    ];
    page(
        ctx,
        title,
        html! {
            section.card.receipt.group {
                h1 { (title) }
                table.data { @for (label, value) in rows { tr { th scope="row" { (label) } td { (value) } } } }
                h2 { (ctx.msg(G::Persons)) }
                (persons_with_fees(ctx, group, fees, payment.amount_minor))
                @if let Some(link) = gateway_check {
                    p { a href=(link) rel="noreferrer" { (ctx.msg(Duty::GatewayCheckLink)) } }
                }
                p { a href=(format!("/groups/{}/result", group.id)) { "← " (ctx.msg(Frame::Result)) } }
            }
        },
    )
}
