//! A database outage (issue 16, item 4): one issuer on PostgreSQL behind the load balancer,
//! with the sandbox gateway. While the database server is stopped the instance answers every
//! page with 503 and the portal's plain "temporarily unavailable" page, readiness says the
//! database is down, and a payment made meanwhile is not lost: the gateway's callback is refused
//! with 503, the gateway retries it, and once the database is back the visa is issued, once.
//! A restart of the database while the instance is idle costs no page an error.

use anyhow::{Result, ensure};
use tests::applicant::{Applicant, Method};
use tests::portal::Portal;
use tests::postgres::Postgres;

use crate::instances::{person, probe};

const UNAVAILABLE: &str = "The service is temporarily unavailable. Please try again later";

#[test]
fn while_postgresql_is_down_pages_answer_503_and_a_payment_made_then_gets_its_visa_when_it_is_back()
-> Result<()> {
    let pg = Postgres::start()?;
    let portal = Portal::start_cluster(&pg.url, 1)?;
    let traveller = person(900);
    let invitation = portal.invite(&traveller)?;
    let mut applicant = Applicant::sign_up(&portal, "outage@example.com")?;
    let id = applicant.apply(&invitation, &traveller)?;
    applicant.confirm(&id)?;
    let pay_url = applicant.to_pay(&id)?;

    pg.pause()?;
    let ready = probe(&portal.url, "/readyz")?;
    ensure!(
        ready.starts_with("HTTP/1.1 503")
            && ready.contains(r#""database":"the database did not answer"#),
        "readiness with the database down: {ready}"
    );
    let page = applicant.result(&id)?;
    ensure!(
        page.status == 503 && page.shows(UNAVAILABLE),
        "the result page with the database down (HTTP {}): {}",
        page.status,
        tests::browser::excerpt(&page.text())
    );
    // The applicant pays on the gateway meanwhile; its callback meets the outage.
    applicant.pay(&pay_url, Method::Card("4000 0000 0000 0069"))?;
    tests::wait_for(
        "the callback to be refused for the outage",
        std::time::Duration::from_secs(20),
        || {
            Ok(portal
                .logs()
                .contains("the database is unreachable")
                .then_some(()))
        },
    )?;

    pg.resume()?;
    applicant.wait_until_approved(&id)?;
    let download = applicant.download(&id)?;
    let checks = [
        ("visas", "SELECT count(*) FROM visas", 1),
        (
            "paid payments",
            "SELECT count(*) FROM payments WHERE status = 'paid'",
            1,
        ),
        (
            "issued applications",
            "SELECT count(*) FROM applications WHERE status = 'issued'",
            1,
        ),
    ];
    for (what, sql, expected) in checks {
        let found = pg.count(sql)?;
        ensure!(found == expected, "{what}: {found}, expected {expected}");
    }
    ensure!(
        pg.query("SELECT number FROM visas")? == download.visa_number,
        "the PDF's number is not the stored visa's"
    );
    let ready = probe(&portal.url, "/readyz")?;
    ensure!(
        ready.starts_with("HTTP/1.1 200"),
        "not ready again after the database came back: {ready}"
    );

    // A restart while the instance is idle closes the connections in its pool unseen; the next
    // applicant's pages still open at the first try (idle connections are tested before use).
    applicant.result(&id)?;
    pg.pause()?;
    pg.resume()?;
    std::thread::sleep(std::time::Duration::from_millis(1500));
    for attempt in 1..=3 {
        let page = applicant.result(&id)?;
        ensure!(
            page.status == 200,
            "page {attempt} after a restart of the database (HTTP {}): {}",
            page.status,
            tests::browser::excerpt(&page.text())
        );
    }
    Ok(())
}
