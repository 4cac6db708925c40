//! The merchant side of the e-pay gateway contract (docs/epay-gateway.md): the HTTP client that
//! creates a payment and asks for its status, and the check of the gateway's signed messages.
//! The signature scheme, the JSON bodies and the payment status are the `epay-contract` crate,
//! the same code the gateway compiles, so the two sides cannot drift apart. The payment pages
//! open in the applicant's portal language, sent as the create request's `lang`.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use axum::http::HeaderMap;
use epay_contract::signature::{MERCHANT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// The issuer calls the create request its payment order.
pub use epay_contract::CreatePayment as PaymentOrder;
/// The gateway's answer to a new payment.
pub use epay_contract::PaymentCreated as CreatedPayment;
pub use epay_contract::{PaymentMethod, PaymentNotice, PaymentStatus, Secrets, SignatureError};

use crate::clock::Clock;
use crate::i18n::Lang;

/// The gateway as the issuer sees it: where it is, who we are, and the secrets.
#[derive(Clone)]
pub struct Gateway {
    http: reqwest::Client,
    base_url: String,
    merchant_id: String,
    secrets: Secrets,
    clock: Clock,
}

/// The gateway's pages open in the applicant's portal language.
impl From<Lang> for epay_contract::Lang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Kk => Self::Kk,
            Lang::Ru => Self::Ru,
            Lang::En => Self::En,
        }
    }
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("base_url", &self.base_url)
            .field("merchant_id", &self.merchant_id)
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// A client for the gateway at `base_url` (like `http://127.0.0.1:8081`).
    pub fn new(base_url: &str, merchant_id: &str, secrets: Secrets) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(3))
            .build()
            .context("building the HTTP client")?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            merchant_id: merchant_id.to_owned(),
            secrets,
            clock: Clock::system(),
        })
    }

    /// The same client with its request timestamps taken from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The gateway's origin, for the CSP's `form-action`.
    pub fn origin(&self) -> &str {
        &self.base_url
    }

    /// Our merchant id.
    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    /// The secrets: the first signs, every one verifies.
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// How long a link to the gateway's electronic check opens it, in seconds.
    pub const CHECK_LINK_SECONDS: i64 = 10 * 60;

    /// A link to the gateway's electronic check of a payment, signed for
    /// [`Self::CHECK_LINK_SECONDS`]: the check opens through it in any browser until then (in
    /// the paying browser it opens anyway). The portal shows it to the owner only.
    pub fn check_link(&self, pay_url: &str, payment_id: &str) -> String {
        let expires = self.clock.unix() + Self::CHECK_LINK_SECONDS;
        let signature = self.secrets.sign_check_link(payment_id, expires);
        format!("{pay_url}?expires={expires}&signature={signature}")
    }

    /// Checks a message of the gateway (a callback or a status answer): our merchant id, a
    /// timestamp within 300 s of `now` (Unix seconds) and a signature under one of our secrets.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8], now: i64) -> Result<(), SignatureError> {
        self.secrets.authenticate(
            &self.merchant_id,
            |name| headers.get(name).and_then(|v| v.to_str().ok()),
            body,
            now,
        )
    }

    fn signed(&self, builder: reqwest::RequestBuilder, body: &[u8]) -> reqwest::RequestBuilder {
        let now = self.clock.unix();
        builder
            .header(MERCHANT_HEADER, &self.merchant_id)
            .header(TIMESTAMP_HEADER, now.to_string())
            .header(SIGNATURE_HEADER, self.secrets.sign(now, body))
    }

    /// Creates (or, for a known order id, finds again) a payment.
    pub async fn create(&self, order: &PaymentOrder) -> Result<CreatedPayment> {
        let body = serde_json::to_vec(order)?;
        let request = self
            .http
            .post(format!("{}/api/v1/payments", self.base_url))
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        let response = self
            .signed(request, &body)
            .body(body)
            .send()
            .await
            .context("reaching the payment gateway")?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            bail!("the payment gateway refused the payment: {status} {text}");
        }
        response
            .json()
            .await
            .context("reading the gateway's answer")
    }

    /// Asks the gateway for a payment's state; the answer must be signed.
    pub async fn status(&self, payment_id: &str) -> Result<PaymentNotice> {
        if !payment_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            bail!("a gateway payment id with unexpected characters");
        }
        let request = self
            .http
            .get(format!("{}/api/v1/payments/{payment_id}", self.base_url));
        let response = self
            .signed(request, b"")
            .send()
            .await
            .context("reaching the payment gateway")?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.context("reading the status")?;
        if !status.is_success() {
            bail!("the payment gateway answered {status}");
        }
        self.verify(&headers, &body, self.clock.unix())
            .map_err(|e| anyhow!("the gateway's status answer: {e}"))?;
        serde_json::from_slice(&body).context("reading the gateway's status JSON")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000;

    fn gateway(secrets: &str) -> Gateway {
        Gateway::new(
            "http://127.0.0.1:9",
            "evisa-dev",
            Secrets::parse(secrets).expect("secrets"),
        )
        .expect("gateway")
    }

    fn headers(merchant: &str, timestamp: &str, signature: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(MERCHANT_HEADER, merchant.parse().expect("header"));
        h.insert(TIMESTAMP_HEADER, timestamp.parse().expect("header"));
        h.insert(SIGNATURE_HEADER, signature.parse().expect("header"));
        h
    }

    #[test]
    fn a_gateway_message_verifies_within_the_window_and_with_a_rotated_secret() {
        let body = br#"{"order_id":"x"}"#;
        let sig = Secrets::parse("old-secret")
            .expect("secrets")
            .sign(NOW, body);
        let t = NOW.to_string();
        let both = gateway("new-secret, old-secret");
        assert_eq!(
            both.verify(&headers("evisa-dev", &t, &sig), body, NOW + 300),
            Ok(())
        );
        assert!(matches!(
            both.verify(&headers("evisa-dev", &t, &sig), body, NOW + 301),
            Err(SignatureError::Stale { skew: 301 })
        ));
        assert_eq!(
            both.verify(&headers("evisa-dev", &t, &sig), b"{}", NOW),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            both.verify(&headers("other", &t, &sig), body, NOW),
            Err(SignatureError::WrongMerchant)
        );
        assert_eq!(
            gateway("new-secret").verify(&headers("evisa-dev", &t, &sig), body, NOW),
            Err(SignatureError::Mismatch)
        );
        assert!(matches!(
            both.verify(&HeaderMap::new(), body, NOW),
            Err(SignatureError::Missing { .. })
        ));
    }

    #[test]
    fn a_payment_order_carries_the_portal_language_as_the_gateways_code() {
        for (portal, code) in [(Lang::Kk, "kk"), (Lang::Ru, "ru"), (Lang::En, "en")] {
            let order = PaymentOrder {
                order_id: "ord-1".into(),
                amount_minor: 8000,
                currency: "USD".into(),
                description: "State duty".into(),
                payer: "ERIKSSON ANNA MARIA".into(),
                return_url: "http://127.0.0.1:8080/applications/1/result".into(),
                callback_url: "http://127.0.0.1:8080/epay/callback".into(),
                lang: Some(portal.into()),
            };
            let json: serde_json::Value = serde_json::to_value(&order).expect("the order is JSON");
            assert_eq!(json["lang"], code);
        }
    }

    #[test]
    fn signed_timestamps_with_a_sign_or_too_many_digits_are_refused_at_any_clock() {
        // A well-formed entry (signed at -5, the only one of these an i64 can say), so only the
        // timestamp's form can be what refuses each message.
        let signature = Secrets::parse("k").expect("secrets").sign(-5, b"");
        let forty = "1".repeat(40);
        for timestamp in [
            "-5",
            "+5",
            "-0",
            "-9223372036854775808",
            "9223372036854775807",
            &forty,
        ] {
            for now in [i64::MIN, 0, NOW, i64::MAX] {
                assert_eq!(
                    gateway("k").verify(&headers("evisa-dev", timestamp, &signature), b"", now),
                    Err(SignatureError::BadTimestamp),
                    "{timestamp} at {now}"
                );
            }
        }
    }
}
