//! Group applications (issue 14): one account applies for up to ten adults on one form, confirms
//! once, pays the duty × persons once, and each person gets their own e-visa exactly once, which
//! the printout check judges as a kiosk would. One person's problem stays beside that person.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use issuer::domain::payment::PaymentNotice;
use issuer::web::AppState;
use serde_json::{Value, json};
use time::Duration;
use tower::ServiceExt;

use crate::flow::{ANNA, JONAS, Traveller, invitation_from};
use crate::portal::{callback, notice, now, portal};
use crate::support::*;
use issuer::service::demo::DEMO_BIN;

const LI: Traveller = Traveller {
    surname: "LI",
    given_names: "WEI",
    passport: "E12345678",
    citizenship: "CHN",
    born: "1985-03-14",
    sex: "M",
};

const OLGA: Traveller = Traveller {
    surname: "PETROVA",
    given_names: "OLGA",
    passport: "751234567",
    citizenship: "RUS",
    born: "1992-11-02",
    sex: "F",
};

/// One person of the group form: their invitation, their data, and the children answer.
fn person_fields(
    n: usize,
    invitation: &str,
    t: Traveller,
    children: &str,
) -> Vec<(String, String)> {
    let expiry = (today() + Duration::days(3 * 365)).to_string();
    [
        ("invitation_number", invitation),
        ("category", "tourist"),
        ("surname", t.surname),
        ("given_names", t.given_names),
        ("surname_native", ""),
        ("given_names_native", ""),
        ("sex", t.sex),
        ("date_of_birth", t.born),
        ("citizenship", t.citizenship),
        ("passport_number", t.passport),
        ("passport_expiry", expiry.as_str()),
        ("with_children", children),
    ]
    .into_iter()
    .map(|(k, v)| (format!("p{n}.{k}"), v.to_owned()))
    .collect()
}

/// Posts the group form with these persons (invitation, traveller, children answer).
async fn post_group(client: &mut Client, persons: &[(String, Traveller, &str)]) -> Reply {
    client.get("/groups/new").await;
    let mut fields: Vec<(String, String)> = vec![("action".into(), "next".into())];
    for (i, (invitation, t, children)) in persons.iter().enumerate() {
        fields.extend(person_fields(i + 1, invitation, *t, children));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post("/groups/new", &refs).await
}

fn location(reply: &Reply) -> String {
    reply.headers[header::LOCATION]
        .to_str()
        .expect("a location")
        .to_owned()
}

fn group_id(location: &str) -> String {
    location
        .trim_start_matches("/groups/")
        .split('/')
        .next()
        .expect("an id")
        .to_owned()
}

/// An account with three invited travellers whose group is saved and confirmed; gives the
/// browser, the group id and the three invitations.
async fn confirmed_group_of(
    app: &Router,
    state: &AppState,
    email: &str,
    travellers: &[Traveller],
) -> (Client, String) {
    let mut client = Client::new(app);
    client.sign_up(email).await;
    let persons: Vec<(String, Traveller, &str)> = travellers
        .iter()
        .map(|t| (invitation_from(state, DEMO_BIN, *t), *t, "no"))
        .collect();
    let saved = post_group(&mut client, &persons).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id = group_id(&location(&saved));
    let page = client.get(&format!("/groups/{id}/confirm")).await;
    assert_eq!(page.status, StatusCode::OK);
    for t in travellers {
        assert!(page.body.contains(t.surname), "{} is listed", t.surname);
        assert!(page.body.contains(t.passport));
    }
    let confirmed = client
        .post(&format!("/groups/{id}/confirm"), &[("confirm", "yes")])
        .await;
    assert_eq!(location(&confirmed), format!("/groups/{id}/payment"));
    (client, id)
}

/// Opens the group's order as "To pay" does (`store::group::open_group_payment`), as if the
/// gateway answered with payment `pay-1` (`pay-2` for a second account's); gives the order id.
fn open_group_order(state: &AppState, email: &str, id: &str, amount: i64) -> String {
    let (email, id) = (email.to_owned(), id.to_owned());
    let gateway_id = if email.starts_with("anna") {
        "pay-1"
    } else {
        "pay-2"
    };
    state
        .db
        .with(move |conn| {
            let (user, _) = issuer::store::account::find_login(conn, &email)?
                .ok_or_else(|| anyhow::anyhow!("no account {email}"))?;
            let now = issuer::clock::Clock::system().rfc3339();
            let row =
                issuer::store::group::open_group_payment(conn, &id, user, amount, "USD", &now)?
                    .ok_or_else(|| anyhow::anyhow!("an open group payment"))?;
            issuer::store::payment::set_gateway_payment(
                conn,
                &row.order_id,
                gateway_id,
                &format!("http://127.0.0.1:9/pay/{gateway_id}"),
                &now,
            )?;
            Ok(row.order_id)
        })
        .expect("an order")
}

/// Every visa of the database: (application, number), in number order.
fn visas(state: &AppState) -> Vec<(String, String)> {
    state
        .db
        .with(|conn| {
            let mut stmt =
                conn.prepare("SELECT application_id, number FROM visas ORDER BY number")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .expect("visas")
}

/// The persons' application ids of a group, in the form's order, read through the API.
async fn api_group(
    app: &Router,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let request = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            request.body(Body::from(body.to_string()))
        }
        None => request.body(Body::empty()),
    }
    .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn api_token(app: &Router, email: &str) -> String {
    let (status, body) = api_group(
        app,
        "",
        "POST",
        "/api/v1/sessions",
        Some(json!({"identifier": email, "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["token"].as_str().expect("a token").to_owned()
}

/// The raw bytes of a page for this browser (PDFs are not text).
async fn bytes_for(client: &Client, path: &str) -> (StatusCode, Vec<u8>) {
    let request = Request::get(path)
        .header(header::COOKIE, client.cookie_header())
        .extension(axum::extract::ConnectInfo(client.addr))
        .body(Body::empty())
        .expect("request");
    let response = client
        .app
        .clone()
        .oneshot(request)
        .await
        .expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, bytes.to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_of_three_pays_once_and_each_person_gets_a_distinct_visa_a_kiosk_accepts() {
    let (app, state) = portal();
    let (mut anna, id) =
        confirmed_group_of(&app, &state, "anna@example.com", &[ANNA, JONAS, LI]).await;
    confirm_address(&mut anna, &state, "anna@example.com").await;

    // Step 2: one payment of the duty × 3.
    let payment = anna.get(&format!("/groups/{id}/payment")).await;
    assert_eq!(payment.status, StatusCode::OK);
    assert!(
        payment.body.contains("Number of persons"),
        "{}",
        payment.body
    );
    assert!(
        payment.body.contains("<td>240</td>"),
        "the total is 3 × 80: {}",
        payment.body
    );
    assert!(
        payment
            .body
            .contains(&format!("action=\"/groups/{id}/payment\""))
    );
    let order = open_group_order(&state, "anna@example.com", &id, 24000);
    // A person of the group cannot open a payment of their own.
    let (_, members) = api_group(
        &app,
        &api_token(&app, "anna@example.com").await,
        "GET",
        &format!("/api/v1/groups/{id}"),
        None,
    )
    .await;
    let first = members["persons"][0]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let single = anna.get(&format!("/applications/{first}/payment")).await;
    assert_eq!(location(&single), format!("/groups/{id}/payment"));

    // The paid callback, many times and at once, with the "Update Status" path among them.
    let paid = notice(&order, "paid", 24000, "USD");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..9 {
        let (app, paid, state) = (app.clone(), paid.clone(), state.clone());
        tasks.spawn(async move {
            if i % 3 == 0 {
                let notice: PaymentNotice = serde_json::from_value(paid).expect("notice");
                issuer::service::issuance::settle(
                    &state.db,
                    &state.key,
                    &state.clock,
                    notice,
                    "status",
                )
                .await
                .expect("settles");
                StatusCode::NO_CONTENT
            } else {
                callback(&app, &paid, SECRET, now()).await
            }
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.expect("task"), StatusCode::NO_CONTENT);
    }
    let issued = visas(&state);
    assert_eq!(issued.len(), 3, "{issued:?}");
    let numbers: std::collections::BTreeSet<&str> =
        issued.iter().map(|(_, n)| n.as_str()).collect();
    let applications: std::collections::BTreeSet<&str> =
        issued.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        (numbers.len(), applications.len()),
        (3, 3),
        "distinct visas for distinct persons"
    );
    // Later duplicates issue nothing more.
    assert_eq!(
        callback(&app, &paid, SECRET, now()).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(visas(&state), issued);
    // One mail for the one payment, one for each person's visa.
    let letters = letters_to(&state, "anna@example.com");
    let count = |kind: &str| letters.iter().filter(|l| l.kind() == kind).count();
    assert_eq!((count("payment_confirmed"), count("visa_issued")), (1, 3));
    let restarted =
        issuer::service::issuance::complete_paid(&state.db, state.key.as_ref(), &state.clock)
            .expect("start-up completion");
    assert_eq!(restarted, 0);

    // The result lists everyone with their own PDF; the receipt shows the one payment.
    let result = anna.get(&format!("/groups/{id}/result")).await;
    for (application, number) in &issued {
        assert!(
            result.body.contains(number.as_str()),
            "{number} on the result page"
        );
        assert!(
            result
                .body
                .contains(&format!("/applications/{application}/visa.pdf"))
        );
    }
    let receipt = anna.get(&format!("/groups/{id}/receipt")).await;
    assert_eq!(receipt.status, StatusCode::OK);
    for expected in [
        "EP-2026-000123",
        "240 USD",
        "Number of persons",
        "<td>3</td>",
        order.as_str(),
    ] {
        assert!(
            receipt.body.contains(expected),
            "{expected}: {}",
            receipt.body
        );
    }
    assert_eq!(
        receipt.body.matches("80 USD").count(),
        3,
        "each person's duty on the receipt"
    );
    let own = anna
        .get(&format!("/applications/{}/receipt", issued[1].0))
        .await;
    assert_eq!(
        location(&own),
        format!("/groups/{id}/receipt"),
        "one receipt for the group"
    );
    let cabinet = anna.get("/account/visas").await;
    for t in [ANNA, JONAS, LI] {
        assert!(cabinet.body.contains(t.surname));
    }
    assert!(cabinet.body.contains(&format!("/groups/{id}")));

    // Each PDF downloads for its owner only, and the printout check (a kiosk's verdict) accepts
    // each one as its own visa.
    let mut stranger = Client::new(&app);
    stranger.sign_up("stranger@example.com").await;
    for (application, number) in &issued {
        let path = format!("/applications/{application}/visa.pdf");
        let (status, pdf) = bytes_for(&anna, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(bytes_for(&stranger, &path).await.0, StatusCode::NOT_FOUND);
        let check = Request::post("/api/v1/check")
            .header(header::CONTENT_TYPE, "application/pdf")
            .extension(axum::extract::ConnectInfo(next_address()))
            .body(Body::from(pdf))
            .expect("request");
        let response = app.clone().oneshot(check).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        let answer: Value = serde_json::from_slice(
            &axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body"),
        )
        .expect("JSON");
        assert_eq!(answer["verdict"], "valid", "{answer}");
        assert!(answer.to_string().contains(number.as_str()), "{answer}");
    }
}

#[tokio::test]
async fn a_restart_after_the_payment_was_recorded_issues_each_person_once() {
    let (app, state) = portal();
    let (_anna, id) = confirmed_group_of(&app, &state, "anna@example.com", &[ANNA, JONAS]).await;
    let order = open_group_order(&state, "anna@example.com", &id, 16000);
    // The process died after recording the payment, before any visa was signed.
    let paid: PaymentNotice =
        serde_json::from_value(notice(&order, "paid", 16000, "USD")).expect("notice");
    let now_text = state.clock.rfc3339();
    state
        .db
        .with(move |conn| issuer::store::payment::record_notice(conn, &paid, "callback", &now_text))
        .expect("recorded");
    assert!(visas(&state).is_empty());
    let first =
        issuer::service::issuance::complete_paid(&state.db, state.key.as_ref(), &state.clock)
            .expect("completes");
    let second =
        issuer::service::issuance::complete_paid(&state.db, state.key.as_ref(), &state.clock)
            .expect("completes");
    assert_eq!((first, second), (2, 0));
    assert_eq!(visas(&state).len(), 2);
    // A payment of the wrong amount (one person's duty for two) is refused and pays for nobody.
    let (_olga, other) = confirmed_group_of(&app, &state, "olga@example.com", &[OLGA, LI]).await;
    let cheap_order = open_group_order(&state, "olga@example.com", &other, 16000);
    let mut cheap = notice(&cheap_order, "paid", 8000, "USD");
    cheap["payment_id"] = json!("pay-2");
    assert_eq!(
        callback(&app, &cheap, SECRET, now()).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(visas(&state).len(), 2);
}

#[tokio::test]
async fn an_eleventh_person_is_refused_with_a_clear_message_and_every_persons_data_is_kept() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let persons: Vec<(String, Traveller, &str)> = (0..11)
        .map(|i| {
            (
                format!("INV-GRP-{i:04}"),
                if i % 2 == 0 { ANNA } else { JONAS },
                "no",
            )
        })
        .collect();
    let reply = post_group(&mut anna, &persons).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("A group application holds at most 10 persons"),
        "{}",
        reply.body
    );
    for i in 0..11 {
        assert!(
            reply.body.contains(&format!("value=\"INV-GRP-{i:04}\"")),
            "person {} kept",
            i + 1
        );
    }
    assert!(
        !reply.body.contains("value=\"add\""),
        "no more persons can be added"
    );
    let stored: i64 = state
        .db
        .with(|conn| conn.query_row("SELECT COUNT(*) FROM applications", [], |r| r.get(0)))
        .expect("count");
    assert_eq!(stored, 0);
    // The same in Russian.
    anna.get("/groups/new?lang=ru").await;
    let reply = post_group(&mut anna, &persons).await;
    assert!(reply.body.contains("не более 10 человек"), "{}", reply.body);
}

#[tokio::test]
async fn a_child_and_a_mismatch_are_shown_beside_those_persons_and_the_others_data_stays() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let (a, j, l) = (
        invitation_from(&state, DEMO_BIN, ANNA),
        invitation_from(&state, DEMO_BIN, JONAS),
        invitation_from(&state, DEMO_BIN, LI),
    );
    // Jonas travels with children (refused by the form's rules).
    let reply = post_group(
        &mut anna,
        &[
            (a.clone(), ANNA, "no"),
            (j.clone(), JONAS, "yes"),
            (l.clone(), LI, "no"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let person = |n: usize| {
        let start = reply
            .body
            .find(&format!("id=\"person-{n}\""))
            .expect("the person's block");
        let end = reply.body[start..]
            .find("</fieldset>")
            .map_or(reply.body.len(), |e| start + e);
        reply.body[start..end].to_owned()
    };
    assert!(
        person(2).contains("id=\"e-p2-with_children\""),
        "{}",
        person(2)
    );
    assert!(
        person(2)
            .contains("E-visas are not issued to foreigners travelling together with children")
    );
    assert!(!person(1).contains("class=\"error\""));
    assert!(!person(3).contains("class=\"error\""));
    for (n, t, inv) in [(1, ANNA, &a), (2, JONAS, &j), (3, LI, &l)] {
        assert!(
            person(n).contains(&format!("value=\"{}\"", t.passport)),
            "person {n} kept"
        );
        assert!(person(n).contains(&format!("value=\"{inv}\"")));
    }
    // Li's passport differs from the invitation (refused against the stored invitation): only
    // Li's field is marked, and nothing of the group is stored.
    let wrong = Traveller {
        passport: "E99999999",
        ..LI
    };
    let reply = post_group(
        &mut anna,
        &[
            (a.clone(), ANNA, "no"),
            (j.clone(), JONAS, "no"),
            (l.clone(), wrong, "no"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("id=\"e-p3-passport_number\""),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("id=\"e-p1-"));
    assert!(!reply.body.contains("id=\"e-p2-"));
    assert!(reply.body.contains("value=\"E99999999\""));
    let stored: i64 = state
        .db
        .with(|conn| conn.query_row("SELECT COUNT(*) FROM applications", [], |r| r.get(0)))
        .expect("count");
    assert_eq!(stored, 0, "all persons or none");
    // "Add a person" keeps everything typed and adds an empty block.
    anna.get("/groups/new").await;
    let mut fields: Vec<(String, String)> = vec![("action".into(), "add".into())];
    fields.extend(person_fields(1, &a, ANNA, "no"));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let added = anna.post("/groups/new", &refs).await;
    assert_eq!(added.status, StatusCode::OK);
    assert!(added.body.contains(&format!("value=\"{a}\"")));
    assert!(added.body.contains("id=\"person-2\""));
    assert!(!added.body.contains("id=\"person-3\""));
}

#[tokio::test]
async fn screening_holds_only_the_stop_listed_person_and_a_refusal_leaves_the_others_visas() {
    let (app, state) = portal();
    let entry = issuer::domain::screening::NewStopEntry {
        subject: issuer::domain::screening::Subject::Person {
            surname: "Mueller".to_owned(),
            born: time::Date::from_calendar_date(1990, time::Month::January, 31).expect("date"),
        },
        note: "test entry".to_owned(),
    };
    state
        .db
        .with(|conn| {
            issuer::service::screening::add_entry(
                conn,
                &state.clock,
                &issuer::domain::audit::Actor::Operator,
                &entry,
                None,
            )
        })
        .expect("an entry");
    let (mut anna, id) =
        confirmed_group_of(&app, &state, "anna@example.com", &[ANNA, JONAS, LI]).await;
    let order = open_group_order(&state, "anna@example.com", &id, 24000);
    assert_eq!(
        callback(&app, &notice(&order, "paid", 24000, "USD"), SECRET, now()).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(visas(&state).len(), 2, "Anna and Li are issued");
    let token = api_token(&app, "anna@example.com").await;
    let (_, group) = api_group(&app, &token, "GET", &format!("/api/v1/groups/{id}"), None).await;
    let statuses: Vec<&str> = group["persons"]
        .as_array()
        .expect("persons")
        .iter()
        .map(|p| p["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, ["issued", "under_review", "issued"], "{group}");
    let jonas = group["persons"][1]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let result = anna.get(&format!("/groups/{id}/result")).await;
    assert!(result.body.contains("Under review"), "{}", result.body);
    let refused = state
        .db
        .with(|conn| {
            issuer::service::screening::refuse(
                conn,
                &state.clock,
                &issuer::domain::audit::Actor::Operator,
                &jonas,
                "test",
                None,
            )
        })
        .expect("refused");
    assert!(
        matches!(refused, issuer::service::screening::Reviewed::Refused),
        "{refused:?}"
    );
    let (_, group) = api_group(&app, &token, "GET", &format!("/api/v1/groups/{id}"), None).await;
    let statuses: Vec<&str> = group["persons"]
        .as_array()
        .expect("persons")
        .iter()
        .map(|p| p["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, ["issued", "refused", "issued"]);
    assert!(group["persons"][0]["visa"]["number"].is_string());
    assert!(group["persons"][2]["visa"]["number"].is_string());
    assert_eq!(visas(&state).len(), 2);
}

#[tokio::test]
async fn the_api_creates_reads_and_confirms_a_group_and_names_each_persons_problem() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let token = api_token(&app, "anna@example.com").await;
    let expiry = (today() + Duration::days(3 * 365)).to_string();
    let person = |inv: &str, t: Traveller, children: &str| {
        json!({
            "invitation_number": inv, "category": "tourist", "surname": t.surname,
            "given_names": t.given_names, "sex": t.sex, "date_of_birth": t.born,
            "citizenship": t.citizenship, "passport_number": t.passport,
            "passport_expiry": expiry, "with_children": children
        })
    };
    let (a, j) = (
        invitation_from(&state, DEMO_BIN, ANNA),
        invitation_from(&state, DEMO_BIN, JONAS),
    );
    let (status, body) = api_group(
        &app,
        &token,
        "POST",
        "/api/v1/groups",
        Some(json!({"persons": [person(&a, ANNA, "no"), person(&j, JONAS, "yes")]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["fields"]["persons[1].with_children"]["code"], "travelling_with_children",
        "{body}"
    );
    assert_eq!(
        body["fields"].as_object().map(|f| f.len()),
        Some(1),
        "{body}"
    );
    let eleven: Vec<Value> = (0..11).map(|_| person(&a, ANNA, "no")).collect();
    let (status, body) = api_group(
        &app,
        &token,
        "POST",
        "/api/v1/groups",
        Some(json!({"persons": eleven})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["fields"]["persons"]["code"], "too_many_persons",
        "{body}"
    );
    assert!(
        body["fields"]["persons"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 10"))
    );

    let (status, created) = api_group(
        &app,
        &token,
        "POST",
        "/api/v1/groups",
        Some(json!({"persons": [person(&a, ANNA, "no"), person(&j, JONAS, "no")]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["amount_minor"], 16000);
    assert_eq!(created["currency"], "USD");
    assert_eq!(created["persons"].as_array().map(Vec::len), Some(2));
    assert_eq!(created["persons"][1]["applicant"]["surname"], "MUELLER");
    let id = created["id"].as_str().expect("an id").to_owned();
    assert_eq!(created["next"], format!("/groups/{id}/confirm"));
    // Another account sees no such group.
    let mut other = Client::new(&app);
    other.sign_up("other@example.com").await;
    let other_token = api_token(&app, "other@example.com").await;
    let (status, _) = api_group(
        &app,
        &other_token,
        "GET",
        &format!("/api/v1/groups/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api_group(
        &app,
        &token,
        "POST",
        &format!("/api/v1/groups/{id}/confirm"),
        Some(json!({"confirm": false})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, confirmed) = api_group(
        &app,
        &token,
        "POST",
        &format!("/api/v1/groups/{id}/confirm"),
        Some(json!({"confirm": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert_eq!(confirmed["status"], "submitted");
    assert_eq!(confirmed["next"], format!("/groups/{id}/payment"));
    let (status, list) = api_group(&app, &token, "GET", "/api/v1/groups", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["groups"][0]["id"], id.as_str());
    // The document declares the group operations.
    let (_, doc) = api_group(&app, &token, "GET", "/api/v1/openapi.json", None).await;
    for (path, method) in [
        ("/groups", "get"),
        ("/groups", "post"),
        ("/groups/{id}", "get"),
        ("/groups/{id}/confirm", "post"),
    ] {
        assert!(
            doc["paths"][path][method]["responses"]["422"].is_object() || method == "get",
            "{method} {path}"
        );
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    assert_eq!(
        doc["components"]["schemas"]["GroupRequest"]["properties"]["persons"]["maxItems"],
        10
    );
}

#[tokio::test]
async fn going_back_from_the_confirmation_edits_the_same_group() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let (a, j, l) = (
        invitation_from(&state, DEMO_BIN, ANNA),
        invitation_from(&state, DEMO_BIN, JONAS),
        invitation_from(&state, DEMO_BIN, LI),
    );
    let saved = post_group(
        &mut anna,
        &[(a.clone(), ANNA, "no"), (j.clone(), JONAS, "no")],
    )
    .await;
    let id = group_id(&location(&saved));
    // "Back" shows both persons' data again, with the group to edit.
    let back = anna.get(&format!("/groups/new?group={id}")).await;
    assert_eq!(back.status, StatusCode::OK);
    assert!(
        back.body
            .contains(&format!("name=\"group\" value=\"{id}\""))
    );
    assert!(back.body.contains(&format!("value=\"{j}\"")));
    // Li joins; the same group now holds three persons, and no draft is left behind.
    let mut fields: Vec<(String, String)> = vec![
        ("action".into(), "next".into()),
        ("group".into(), id.clone()),
    ];
    for (n, (inv, t)) in [(&a, ANNA), (&j, JONAS), (&l, LI)].into_iter().enumerate() {
        fields.extend(person_fields(n + 1, inv, t, "no"));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let again = anna.post("/groups/new", &refs).await;
    assert_eq!(location(&again), format!("/groups/{id}/confirm"));
    let counts: (i64, i64, i64) = state
        .db
        .with(|conn| {
            conn.query_row(
                "SELECT (SELECT COUNT(*) FROM application_groups), (SELECT COUNT(*) FROM group_members),
                        (SELECT COUNT(*) FROM applications)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        })
        .expect("counts");
    assert_eq!(counts, (1, 3, 3));
    let confirm = anna.get(&format!("/groups/{id}/confirm")).await;
    assert!(
        confirm.body.contains("Person 3: LI WEI"),
        "{}",
        confirm.body
    );
    // Another account's group id is nobody's to edit: a new group of the caller's own is made.
    let mut other = Client::new(&app);
    other.sign_up("other@example.com").await;
    assert_eq!(
        other.get(&format!("/groups/new?group={id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get(&format!("/groups/{id}/confirm")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_gateways_retried_callback_finishes_an_issuance_that_did_not_finish() {
    let (app, state) = portal();
    let (_anna, id) = confirmed_group_of(&app, &state, "anna@example.com", &[ANNA, JONAS]).await;
    let order = open_group_order(&state, "anna@example.com", &id, 16000);
    // The payment was recorded, then the issuance failed (on PostgreSQL: too many conflicts with
    // another instance), so the callback was answered with an error and the gateway sends it again.
    let body = notice(&order, "paid", 16000, "USD");
    let paid: PaymentNotice = serde_json::from_value(body.clone()).expect("notice");
    let now_text = state.clock.rfc3339();
    state
        .db
        .with(move |conn| issuer::store::payment::record_notice(conn, &paid, "callback", &now_text))
        .expect("recorded");
    assert!(visas(&state).is_empty());
    assert!(callback(&app, &body, SECRET, now()).await.is_success());
    assert_eq!(
        visas(&state).len(),
        2,
        "the retry issued each person's visa"
    );
    assert!(callback(&app, &body, SECRET, now()).await.is_success());
    assert_eq!(
        visas(&state).len(),
        2,
        "and a further retry issues nothing more"
    );
}
