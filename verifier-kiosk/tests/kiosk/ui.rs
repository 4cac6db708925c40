//! The window driven like an officer drives it, by the labels on screen (egui_kittest, headless):
//! scan → verdict → record entry, the passport check, opening a file, the language switch.

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shared::{Port, TrustStore};
use time::OffsetDateTime;
use time::macros::datetime;
use verifier_kiosk::app::{KioskApp, MAX_WEDGE_BYTES, Screen};
use verifier_kiosk::config::Settings;
use verifier_kiosk::i18n::Language;
use verifier_kiosk::kiosk::Kiosk;
use verifier_kiosk::ledger::Ledger;
use verifier_kiosk::scan::Pipeline;

use crate::render::{a4_page, png};
use crate::{issuer, token};

fn during() -> OffsetDateTime {
    datetime!(2026-12-05 05:00 UTC)
}

fn harness() -> Harness<'static, KioskApp> {
    harness_with(None)
}

/// Steps the window until a widget labelled exactly `label` shows; the worker answers on its own
/// thread.
fn wait_for(h: &mut Harness<'static, KioskApp>, label: &str) {
    wait_until(h, label, |h, l| h.query_by_label(l).is_some());
}

/// Steps the window until a widget whose label contains `part` shows.
fn wait_for_part(h: &mut Harness<'static, KioskApp>, part: &str) {
    wait_until(h, part, |h, l| h.query_by_label_contains(l).is_some());
}

fn wait_until(
    h: &mut Harness<'static, KioskApp>,
    label: &str,
    shows: impl Fn(&Harness<'static, KioskApp>, &str) -> bool,
) {
    for _ in 0..3000 {
        h.step();
        if shows(h, label) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{label:?} never appeared; screen {:?}", h.state().screen());
}

/// Types like a keyboard-wedge scanner: the characters, then Enter, with no field clicked.
fn wedge(h: &mut Harness<'static, KioskApp>, text: &str) {
    h.event(egui::Event::Text(text.to_owned()));
    h.key_press(egui::Key::Enter);
    h.step();
}

#[test]
fn a_wedge_scan_shows_valid_then_records_the_entry_and_the_next_scan_is_refused() {
    let mut h = harness();
    let code = token(|_| {});
    wedge(&mut h, &code);
    wait_for(&mut h, "VALID");
    // Not colour alone: an icon stands beside the word.
    assert!(h.query_by_label("✔").is_some(), "the valid icon shows");
    assert!(
        h.query_by_label("ERIKSSON ANNA MARIA").is_some(),
        "the holder's name shows"
    );
    h.get_by_label("Record entry").click();
    wait_for_part(&mut h, "Entry recorded");

    h.get_by_label("Next traveller").click();
    h.run();
    assert!(matches!(h.state().screen(), Screen::Scan));
    wedge(&mut h, &code);
    wait_for(&mut h, "This single-entry visa was already used");
    assert!(h.query_by_label("INVALID").is_some());
    assert!(h.query_by_label("✖").is_some(), "the invalid icon shows");
    assert!(
        h.query_by_label_contains("First used").is_some(),
        "the first use shows"
    );
}

#[test]
fn a_passport_reader_typing_another_persons_zone_turns_the_verdict_invalid() {
    let mut h = harness();
    wedge(&mut h, &token(|_| {}));
    wait_for_part(&mut h, "Passport not checked yet");
    // A passport reader types the two lines, each followed by Enter.
    wedge(&mut h, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
    wedge(&mut h, "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
    wait_for(&mut h, "The passport does not match the visa");
    assert!(h.query_by_label("INVALID").is_some());
    assert!(
        h.query_by_label("In the passport").is_some(),
        "the differing fields are listed"
    );
}

#[test]
fn an_image_opened_from_the_file_screen_is_read_and_judged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scan.png");
    std::fs::write(&path, png(&a4_page(&token(|_| {}), 150.0, 0.85, 0.0))).expect("write");
    let mut h = harness();
    h.get_by_label("Open image…").click();
    h.run();
    let field = h.get_by_label("Path");
    field.focus();
    h.run();
    h.get_by_label("Path")
        .type_text(path.to_str().expect("utf-8 path"));
    h.run();
    h.get_by_label("Open").click();
    wait_for(&mut h, "VALID");
    assert!(h.query_by_label("Genuine e-visa").is_some());
}

#[test]
fn an_unreadable_picture_is_amber_and_says_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.jpg");
    std::fs::write(&path, b"\xFF\xD8\xFF\xE0 this is not really a JPEG").expect("write");
    let mut h = harness();
    h.state_mut().open_path(&path);
    wait_for(&mut h, "CANNOT VERIFY");
    assert!(h.query_by_label("⚠").is_some(), "the warning icon shows");
    assert!(h.query_by_label_contains("What to do").is_some());
}

#[test]
fn the_language_switch_changes_the_interface_and_the_settings_show_the_kiosk() {
    let mut h = harness();
    h.get_by_label("РУС").click();
    h.run();
    h.get_by_label("Настройки").click();
    h.run();
    assert!(h.query_by_label("NQZ-TEST").is_some());
    assert!(h.query_by_label("Ключ киоска").is_some());
    assert!(h.query_by_label("574b4c36131c3f54").is_some());
    assert!(h.query_by_label("Журнал (SQLite)").is_some());
    h.get_by_label("ҚАЗ").click();
    h.run();
    assert!(h.query_by_label("Сенім кілттері").is_some());
}

fn harness_with(scanner_dir: Option<std::path::PathBuf>) -> Harness<'static, KioskApp> {
    let settings = Settings {
        kiosk_id: "NQZ-TEST".to_owned(),
        port: Port::Nqz,
        trust_dir: "keys".into(),
        ledger_path: ":memory:".into(),
        scanner_dir,
        language: Language::En,
        config_file: None,
        scan_budget: Duration::from_secs(120),
        camera: None,
        kiosk_kid: Some("574b4c36131c3f54".to_owned()),
    };
    let trust = TrustStore::from_keys([issuer().public_key()]);
    let ledger = Ledger::open_in_memory("NQZ-TEST").expect("ledger");
    let kiosk = Kiosk::new(Port::Nqz, trust, ledger).with_pipeline(Pipeline {
        budget: Duration::from_secs(120),
        attempt_budget: Duration::from_secs(60),
        ..Pipeline::default()
    });
    let app = KioskApp::new(settings, Ok(kiosk), during, || {});
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut KioskApp| app.ui(ui), app)
}

#[test]
fn a_scan_saved_into_the_scanner_folder_is_picked_up_and_judged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_with(Some(dir.path().to_owned()));
    h.step();
    std::fs::write(
        dir.path().join("scan-0001.png"),
        png(&a4_page(&token(|_| {}), 150.0, 0.85, 0.0)),
    )
    .expect("write");
    wait_for(&mut h, "VALID");
    assert!(h.query_by_label("KZ2600017").is_some());
}

#[test]
fn at_exit_the_days_stayed_are_shown_and_the_exit_is_recorded() {
    let mut h = harness_with(None);
    let code = token(|_| {});
    wedge(&mut h, &code);
    wait_for(&mut h, "VALID");
    h.get_by_label("Record entry").click();
    wait_for_part(&mut h, "Entry recorded");
    h.key_press(egui::Key::F4);
    h.run();
    h.get_by_label("Exit").click();
    h.run();
    wedge(&mut h, &code);
    wait_for_part(&mut h, "Days stayed: 1 / 30");
    h.get_by_label("Record exit").click();
    wait_for_part(&mut h, "Exit recorded");
}

#[test]
fn a_dropped_picture_is_read_like_an_opened_one() {
    #[derive(Debug)]
    struct Dropped(std::path::PathBuf);
    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &std::path::Path {
            &self.0
        }
        fn bytes(&self) -> Result<Vec<u8>, String> {
            std::fs::read(&self.0).map_err(|e| e.to_string())
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dropped.png");
    std::fs::write(&path, png(&a4_page(&token(|_| {}), 150.0, 0.85, 90.0))).expect("write");
    let mut h = harness_with(None);
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path)));
    wait_for(&mut h, "VALID");
}

#[test]
fn an_endless_line_from_a_stuck_scanner_stops_growing_at_the_cap_and_is_then_refused() {
    let mut h = harness_with(None);
    for _ in 0..40 {
        h.event(egui::Event::Text("A".repeat(1000)));
        h.step();
    }
    // The status line counts what the wedge device has typed: 40 000 characters arrived, the
    // buffer kept only the cap's worth.
    let counter = format!("[{MAX_WEDGE_BYTES} …]");
    assert!(
        h.query_by_label(&counter).is_some(),
        "the status line shows {counter}"
    );
    h.key_press(egui::Key::Enter);
    wait_for(&mut h, "INVALID");
    assert!(
        h.query_by_label("This is not a Kazakhstan e-visa code, or the code is damaged")
            .is_some()
    );
    assert!(
        h.query_by_label_contains(" …]").is_none(),
        "Enter emptied the buffer"
    );
}

#[test]
fn a_kiosk_without_trust_data_says_cannot_verify_and_where_to_look() {
    let settings = Settings {
        kiosk_id: "NQZ-TEST".to_owned(),
        port: Port::Nqz,
        trust_dir: "/nonexistent".into(),
        ledger_path: ":memory:".into(),
        scanner_dir: None,
        language: Language::En,
        config_file: None,
        scan_budget: Duration::from_secs(4),
        camera: None,
        kiosk_kid: None,
    };
    let app = KioskApp::new(
        settings,
        Err("no trust directory".to_owned()),
        during,
        || {},
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut KioskApp| app.ui(ui), app);
    wedge(&mut h, &token(|_| {}));
    wait_for(&mut h, "CANNOT VERIFY");
    assert!(h.query_by_label_contains("the trust directory").is_some());
}

#[test]
fn a_camera_that_cannot_be_used_is_named_on_the_status_line() {
    let settings = Settings {
        kiosk_id: "NQZ-TEST".to_owned(),
        port: Port::Nqz,
        trust_dir: "keys".into(),
        ledger_path: ":memory:".into(),
        scanner_dir: None,
        language: Language::En,
        config_file: None,
        scan_budget: Duration::from_secs(4),
        camera: Some("/nonexistent/video9".into()),
        kiosk_kid: None,
    };
    let trust = TrustStore::from_keys([issuer().public_key()]);
    let kiosk = Kiosk::new(
        Port::Nqz,
        trust,
        Ledger::open_in_memory("NQZ-TEST").expect("ledger"),
    );
    let app = KioskApp::new(settings, Ok(kiosk), during, || {});
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut KioskApp| app.ui(ui), app);
    wait_for_part(&mut h, "Camera /nonexistent/video9");
}

#[test]
fn a_trust_bundle_imported_from_the_settings_screen_is_installed_and_a_tampered_one_refused() {
    let dir = crate::bundle::trust_dir();
    let good = dir.path().join("bundle-2.kztrust");
    std::fs::write(
        &good,
        crate::bundle::bundle(2, datetime!(2026-12-04 00:00 UTC)),
    )
    .expect("write");
    let mut tampered = crate::bundle::bundle(3, datetime!(2026-12-04 00:00 UTC));
    let middle = tampered.len() / 2;
    tampered[middle] ^= 1;
    let bad = dir.path().join("bundle-3.kztrust");
    std::fs::write(&bad, tampered).expect("write");

    let settings = Settings {
        kiosk_id: "NQZ-TEST".to_owned(),
        port: Port::Nqz,
        trust_dir: dir.path().to_owned(),
        ledger_path: dir.path().join("ledger.db"),
        scanner_dir: None,
        language: Language::En,
        config_file: None,
        scan_budget: Duration::from_secs(120),
        camera: None,
        kiosk_kid: None,
    };
    let kiosk = verifier_kiosk::app::open_kiosk(&settings);
    assert!(kiosk.is_err(), "no bundle yet: the kiosk is not ready");
    let app = KioskApp::new(settings, kiosk, during, || {});
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut KioskApp| app.ui(ui), app);
    h.get_by_label("Settings").click();
    h.run();
    let import = |h: &mut Harness<'static, KioskApp>, file: &std::path::Path| {
        h.get_by_label("Trust bundle file").focus();
        h.run();
        h.get_by_label("Trust bundle file")
            .type_text(file.to_str().expect("utf-8"));
        h.run();
        h.get_by_label("Import trust bundle").click();
        h.run();
    };
    import(&mut h, &bad);
    wait_for_part(&mut h, "Bundle refused, the previous one is kept");
    h.get_by_label("Trust bundle file").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    import(&mut h, &good);
    wait_for_part(&mut h, "Trust bundle installed: #2");
    // The worker now runs over the bundle: a genuine visa scanned next is judged, not refused as
    // "kiosk not ready".
    h.get_by_label("Back").click();
    h.run();
    wedge(&mut h, &token(|d| d.visa_number = "KZ2600018".to_owned()));
    wait_for(&mut h, "VALID");
}

#[test]
fn the_verdict_screen_labels_the_visa_with_the_printouts_words() {
    let mut h = harness();
    h.get_by_label("РУС").click();
    h.run();
    wedge(&mut h, &token(|_| {}));
    wait_for(&mut h, "ДЕЙСТВИТЕЛЬНА");
    for words in [
        "Категория визы",
        "Деловая",
        "Количество въездов",
        "Однократная",
        "Действительна с",
        "Действительна до",
        "Срок пребывания",
        "30 дней",
        "Пункты въезда-выезда",
        "Номер паспорта",
    ] {
        assert!(h.query_by_label(words).is_some(), "{words:?} is not shown");
    }
    h.get_by_label("ҚАЗ").click();
    h.run();
    for words in ["Виза санаты", "Бастап жарамды", "30 күн"] {
        assert!(h.query_by_label(words).is_some(), "{words:?} is not shown");
    }
}

#[test]
fn the_settings_opened_over_a_verdict_go_back_to_that_verdict_and_after_the_next_traveller_to_the_scan_screen()
 {
    let mut h = harness();
    wedge(&mut h, &token(|_| {}));
    wait_for(&mut h, "VALID");
    h.key_press(egui::Key::F10);
    h.run();
    assert!(h.query_by_label("Trust bundle file").is_some());
    h.get_by_label("Back").click();
    h.run();
    assert!(h.query_by_label("VALID").is_some());
    assert!(h.query_by_label("ERIKSSON ANNA MARIA").is_some());
    h.key_press(egui::Key::F4);
    h.run();
    h.key_press(egui::Key::F10);
    h.run();
    h.key_press(egui::Key::F10);
    h.run();
    assert!(matches!(h.state().screen(), Screen::Scan));
}

#[test]
fn a_passport_zone_with_a_wrong_check_digit_is_explained_in_kazakh() {
    let mut h = harness();
    h.get_by_label("ҚАЗ").click();
    h.run();
    wedge(&mut h, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
    wedge(&mut h, "L898902C36UTO7408122F1204159ZE184226B<<<<<11");
    assert!(
        h.query_by_label("MRZ: бақылау саны сәйкес емес; паспортты қайта оқыңыз")
            .is_some()
    );
}
