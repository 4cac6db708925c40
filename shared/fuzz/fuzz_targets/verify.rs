//! Fuzzes token verification with arbitrary text, against the development key: it must never
//! panic, and it must never accept anything the development key did not sign.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::{PublicKey, TrustStore};

fuzz_target!(|data: &[u8]| {
    let key = PublicKey::from_spki_pem(include_str!("../../../keys/dev-issuer.pub"))
        .expect("the development key parses");
    let trust = TrustStore::from_keys([key]);
    let text = String::from_utf8_lossy(data);
    let _ = shared::verify(&text, &trust);
    // The same bytes as a Base45 body behind the version prefix reach the CBOR reader directly.
    let _ = shared::verify(&format!("KZV1:{}", shared::base45::encode(data)), &trust);
});
