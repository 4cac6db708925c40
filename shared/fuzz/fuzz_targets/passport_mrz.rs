//! Fuzzes the passport MRZ parser, which reads whatever a passport reader types.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = shared::PassportMrz::parse(&String::from_utf8_lossy(data));
});
