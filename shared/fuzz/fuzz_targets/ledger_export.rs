//! Fuzzes the signed ledger export reader with arbitrary bytes, against the development kiosk key:
//! it must never panic, and nothing the development kiosk key did not sign may open.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::kiosk::{KioskId, RegisteredKiosk};
use shared::{Port, PublicKey};

fuzz_target!(|data: &[u8]| {
    let kiosk = RegisteredKiosk {
        id: KioskId::parse("NQZ-01").expect("a kiosk id"),
        port: Port::Nqz,
        key: PublicKey::from_spki_pem(include_str!("../../../keys/kiosk/dev-kiosk-nqz-01.pub"))
            .expect("the development kiosk key parses"),
    };
    let _ = shared::ledger::open_export(data, &[kiosk]);
});
