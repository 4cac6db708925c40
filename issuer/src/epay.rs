//! The merchant side of the e-pay gateway contract (docs/epay-gateway.md): HMAC-SHA256 signatures
//! over `"<timestamp>.<body>"` in both directions, with secret rotation and a 300-second window,
//! creating a payment, asking for its status, and the message a callback or status answer carries.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::clock::Clock;
pub use crate::domain::payment::PaymentNotice;

/// How far a message's timestamp may be from our clock, in seconds.
pub const MAX_SKEW_SECONDS: i64 = 300;
/// The header carrying the merchant id.
pub const MERCHANT_HEADER: &str = "x-epay-merchant";
/// The header carrying the Unix timestamp.
pub const TIMESTAMP_HEADER: &str = "x-epay-timestamp";
/// The header carrying the signatures.
pub const SIGNATURE_HEADER: &str = "x-epay-signature";

/// The shared HMAC secrets: the first signs, every one verifies.
#[derive(Clone)]
pub struct Secrets(Vec<Vec<u8>>);

/// Why a signed message is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// A header is missing or malformed.
    #[error("missing or malformed signature headers")]
    Missing,
    /// The merchant id is not ours.
    #[error("unknown merchant")]
    Merchant,
    /// The timestamp is too far from our clock (a replay, or a broken clock).
    #[error("stale or future timestamp")]
    Stale,
    /// No signature matches any of our secrets.
    #[error("bad signature")]
    Mismatch,
}

/// The gateway as the issuer sees it: where it is, who we are, and the secrets.
#[derive(Clone)]
pub struct Gateway {
    http: reqwest::Client,
    base_url: String,
    merchant_id: String,
    secrets: Secrets,
    clock: Clock,
}

/// A payment order sent to the gateway.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentOrder {
    /// Our unguessable order id.
    pub order_id: String,
    /// Amount in minor units (cents).
    pub amount_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// What is paid for.
    pub description: String,
    /// The payer's name.
    pub payer: String,
    /// Where the browser comes back to.
    pub return_url: String,
    /// Where the gateway posts the result.
    pub callback_url: String,
}

/// The gateway's answer to a new payment.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedPayment {
    /// The gateway's id.
    pub payment_id: String,
    /// Where to send the browser.
    pub pay_url: String,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} hidden)", self.0.len())
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

impl Secrets {
    /// Parses a comma-separated list; empty entries are dropped, at least one must remain.
    pub fn parse(list: &str) -> Result<Self> {
        let secrets: Vec<Vec<u8>> = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.as_bytes().to_vec())
            .collect();
        if secrets.is_empty() {
            bail!("at least one e-pay secret is needed");
        }
        Ok(Self(secrets))
    }

    /// `v1=<hex>` with the first secret.
    pub fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        let first = self.0.first().map(Vec::as_slice).unwrap_or_default();
        format!("v1={}", hex::encode(mac(first, timestamp, body)))
    }

    /// Checks the signature headers of a message against every secret.
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        merchant_id: &str,
        now: i64,
    ) -> Result<(), SignatureError> {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .ok_or(SignatureError::Missing)
        };
        if header(MERCHANT_HEADER)? != merchant_id {
            return Err(SignatureError::Merchant);
        }
        let timestamp: i64 = header(TIMESTAMP_HEADER)?
            .trim()
            .parse()
            .map_err(|_| SignatureError::Missing)?;
        if (now - timestamp).abs() > MAX_SKEW_SECONDS {
            return Err(SignatureError::Stale);
        }
        let signature = header(SIGNATURE_HEADER)?;
        // A few entries during a rotation; anything longer is not a gateway's header.
        if signature.len() > 1024 {
            return Err(SignatureError::Missing);
        }
        let sent: Vec<Vec<u8>> = signature
            .split(',')
            .filter_map(|entry| entry.trim().strip_prefix("v1="))
            .filter_map(|h| hex::decode(h).ok())
            .collect();
        if sent.is_empty() {
            return Err(SignatureError::Missing);
        }
        let mut ok = subtle::Choice::from(0);
        for secret in &self.0 {
            let expected = mac(secret, timestamp, body);
            for candidate in &sent {
                ok |= expected.as_slice().ct_eq(candidate.as_slice());
            }
        }
        if bool::from(ok) {
            Ok(())
        } else {
            Err(SignatureError::Mismatch)
        }
    }
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of every length, so the error branch is never taken; an empty result
    // would match no 32-byte signature anyway.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else {
        return Vec::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
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

    /// The secrets, to verify callbacks.
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
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
        let mut http_headers = HeaderMap::new();
        for (name, value) in &headers {
            if let (Ok(name), Ok(value)) = (
                axum::http::HeaderName::from_bytes(name.as_str().as_bytes()),
                axum::http::HeaderValue::from_bytes(value.as_bytes()),
            ) {
                http_headers.insert(name, value);
            }
        }
        self.secrets
            .verify(&http_headers, &body, &self.merchant_id, self.clock.unix())
            .map_err(|e| anyhow!("the gateway's status answer: {e}"))?;
        serde_json::from_slice(&body).context("reading the gateway's status JSON")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(merchant: &str, ts: i64, signature: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(MERCHANT_HEADER, merchant.parse().expect("header"));
        h.insert(TIMESTAMP_HEADER, ts.to_string().parse().expect("header"));
        h.insert(SIGNATURE_HEADER, signature.parse().expect("header"));
        h
    }

    #[test]
    fn a_signature_verifies_within_the_window_and_with_a_rotated_secret() {
        let old = Secrets::parse("old-secret").expect("secrets");
        let both = Secrets::parse("new-secret, old-secret").expect("secrets");
        let body = br#"{"order_id":"x"}"#;
        let sig = old.sign(1_000, body);
        assert_eq!(
            both.verify(&headers("m", 1_000, &sig), body, "m", 1_299),
            Ok(())
        );
        let listed = format!("v1=00ff,{sig}");
        assert_eq!(
            both.verify(&headers("m", 1_000, &listed), body, "m", 1_000),
            Ok(())
        );
        assert_eq!(
            both.verify(&headers("m", 1_000, &sig), body, "m", 1_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            both.verify(&headers("m", 1_000, &sig), b"{}", "m", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            both.verify(&headers("other", 1_000, &sig), body, "m", 1_000),
            Err(SignatureError::Merchant)
        );
        let new_only = Secrets::parse("new-secret").expect("secrets");
        assert_eq!(
            new_only.verify(&headers("m", 1_000, &sig), body, "m", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            both.verify(&HeaderMap::new(), body, "m", 1_000),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // From: printf '1700000000.{}' | openssl dgst -sha256 -hmac k
        let s = Secrets::parse("k").expect("secrets");
        assert_eq!(
            s.sign(1_700_000_000, b"{}"),
            "v1=c6ef4734033cee2367414a0939385eca0397754aa7a59716da7463a9298b5146"
        );
    }

    #[test]
    fn our_signatures_and_the_sandbox_gateways_agree_both_ways() {
        let body = br#"{"payment_id":"p","order_id":"o","status":"paid"}"#;
        let ours = Secrets::parse("shared-secret").expect("secrets");
        assert_eq!(
            ours.sign(1_700_000_123, body),
            epay_sandbox::signature::sign(b"shared-secret", 1_700_000_123, body)
        );
        let mut h = HeaderMap::new();
        for (name, value) in
            epay_sandbox::signature::headers("m", &["shared-secret"], 1_700_000_123, body)
        {
            h.insert(name, value.parse().expect("header"));
        }
        assert_eq!(ours.verify(&h, body, "m", 1_700_000_000), Ok(()));
        let too_long = format!("v1={}", "0".repeat(2000));
        let h = headers("m", 1_700_000_123, &too_long);
        assert_eq!(
            ours.verify(&h, body, "m", 1_700_000_123),
            Err(SignatureError::Missing)
        );
    }
}
