//! The layout of the printout: where each part of the page goes, with the field labels and value
//! names of `shared::labels` in Kazakh, Russian and English, and the page's own headings and notes.

use shared::labels::{self, DAY, Field, Language, Words};
use shared::{Category, Entries, Port, Sex, Visa, VisaMrz};
use time::Date;

use super::canvas::{Canvas, Fonts, Marks, PAGE_WIDTH, Rgb8};
use super::font::{Face, FontError};
use super::qr::{QUIET_ZONE, Qr};

const INK: Rgb8 = Rgb8(17, 24, 39);
const LABEL: Rgb8 = Rgb8(75, 85, 99);
const BLUE: Rgb8 = Rgb8(0, 92, 138);
const SKY: Rgb8 = Rgb8(0, 175, 202);
const GOLD: Rgb8 = Rgb8(222, 168, 0);
const RULE: Rgb8 = Rgb8(203, 213, 225);
const TINT: Rgb8 = Rgb8(238, 246, 250);
const WHITE: Rgb8 = Rgb8(255, 255, 255);

const LEFT: f32 = 15.0;
const RIGHT: f32 = PAGE_WIDTH - 15.0;
const CENTRE: f32 = PAGE_WIDTH / 2.0;

/// Top of the data table and of the QR code.
const TABLE_TOP: f32 = 52.0;
const ROW_HEIGHT: f32 = 9.2;
const LABEL_WIDTH: f32 = 45.0;
const VALUE_X: f32 = LEFT + LABEL_WIDTH + 2.5;
/// The right edge of the table when the QR code leaves room for it; the QR code's quiet zone
/// starts at the table's right edge at the earliest.
const TABLE_RIGHT_MAX: f32 = 116.5;
/// The table is narrowed down to this for a large QR code (values keep 39 mm), so that long
/// tokens (names in two scripts make version 16 to 19) keep the larger module.
const TABLE_RIGHT_MIN: f32 = VALUE_X + 39.0;
/// The QR code's dark modules may reach 5 mm into the right margin.
const QR_RIGHT_LIMIT: f32 = RIGHT + 5.0;

/// A label or note in the three languages: Kazakh, Russian, English.
type Label = [&'static str; 3];

/// One line of a value cell.
struct Line {
    face: Face,
    size: f32,
    colour: Rgb8,
    text: String,
}

/// The state's heading, in Kazakh, Russian and English.
const HEADING: Label = [
    "Қазақстан Республикасы",
    "Республика Казахстан",
    "Republic of Kazakhstan",
];
/// The banner under the heading.
const BANNER: &str = "ЭЛЕКТРОНДЫҚ ВИЗА / ЭЛЕКТРОННАЯ ВИЗА / ELECTRONIC VISA";
/// The caption under the QR code.
const SCAN: Label = [
    "Тексеру үшін сканерлеңіз",
    "Отсканируйте для проверки",
    "Scan to verify",
];
/// What the QR code holds, in lines as printed.
const QR_NOTE: [&str; 6] = [
    "QR-кодта виза деректері электрондық",
    "цифрлық қолтаңбамен қол қойылған.",
    "QR-код содержит данные визы, подписанные",
    "электронной цифровой подписью.",
    "The QR code holds the visa data signed",
    "with the issuer's digital signature.",
];
/// The box under the QR code: label (three languages) and the portal's name (three languages).
const ISSUED_THROUGH: [Label; 2] = [
    ["Берілген жері", "Место выдачи", "Issued through"],
    [
        "Қазақстан Республикасының визалық-көші-қон порталы",
        "Визово-миграционный портал Республики Казахстан",
        "Visa and Migration Portal of the Republic of Kazakhstan",
    ],
];
/// The heading of the notes.
const NOTES_HEADING: &str = "Ескертпелер / Примечания / Notes";
/// The instruction's notes, in the three languages.
const NOTES: [Label; 3] = [
    [
        "Электрондық виза басып шығарылып, Қазақстан Республикасына кіру кезінде паспорттық бақылауда көрсетілуі тиіс.",
        "Электронная виза должна быть распечатана и предъявлена на паспортном контроле при въезде в Республику Казахстан.",
        "The e-visa must be printed and presented at passport control on entry to the Republic of Kazakhstan.",
    ],
    [
        "Электрондық виза Қазақстан Республикасына тек Астана (Нұр-Сұлтан) және Алматы халықаралық әуежайлары арқылы кіруге және шығуға құқық береді.",
        "Электронная виза даёт право въезда в Республику Казахстан и выезда из неё только через международные аэропорты Астаны (Нур-Султана) и Алматы.",
        "The e-visa gives the right of entry/exit only through the international airports of Astana (Nur-Sultan) and Almaty.",
    ],
    [
        "Электрондық визаның басып шығарылған нұсқасы Қазақстан Республикасында болудың барлық кезеңінде паспортпен бірге сақталуы тиіс.",
        "Распечатку электронной визы необходимо хранить вместе с паспортом в течение всего срока пребывания в Республике Казахстан.",
        "Keep the printout of the e-visa with the passport during the entire stay in the Republic of Kazakhstan.",
    ],
];
/// The line under the machine-readable zone.
const FOOTER: &str = "Қазақстан Республикасының электрондық визасы · Электронная виза Республики Казахстан · Electronic visa of the Republic of Kazakhstan";
/// What the data of any visa is written with: digits, MRZ letters and the separators of dates,
/// numbers and lists.
const DATA_CHARACTERS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ .,-/<«»—№";

/// The texts every printout sets, by face: the fonts' shared parts hold their glyphs (a text
/// missing here is still printed, from the document's own part of the font).
pub(crate) fn fixed_texts() -> Vec<(Face, String)> {
    let mut texts: Vec<(Face, String)> = Vec::new();
    let trilingual_label = |texts: &mut Vec<(Face, String)>, label: Label| {
        texts.push((Face::Regular, label[0].to_owned()));
        texts.push((Face::Regular, label[1].to_owned()));
        texts.push((Face::Bold, label[2].to_owned()));
    };
    for field in Field::ALL {
        trilingual_label(&mut texts, field.label().all());
    }
    for note in NOTES.into_iter().chain(ISSUED_THROUGH) {
        trilingual_label(&mut texts, note);
    }
    for text in HEADING
        .into_iter()
        .chain(SCAN)
        .chain([BANNER, NOTES_HEADING])
    {
        texts.push((Face::Bold, text.to_owned()));
    }
    for text in QR_NOTE.into_iter().chain([FOOTER]) {
        texts.push((Face::Regular, text.to_owned()));
    }
    for category in Category::ALL {
        texts.push((Face::Bold, trilingual(labels::category(category))));
    }
    for entries in [Entries::Single, Entries::Double] {
        texts.push((Face::Bold, trilingual(labels::entries(entries))));
    }
    for sex in [Sex::Female, Sex::Male, Sex::Unspecified] {
        texts.push((Face::Regular, trilingual(labels::sex(sex))));
    }
    for p in Port::ALL {
        texts.push((Face::Bold, port(p)));
    }
    texts.push((Face::Bold, stay(1)));
    texts.push((Face::Bold, stay(2)));
    texts.push((Face::Bold, stay(5)));
    texts.push((Face::Bold, DATA_CHARACTERS.to_owned()));
    texts.push((Face::Ocr, DATA_CHARACTERS.to_owned()));
    texts
}

/// Draws the whole page.
pub(crate) fn draw(visa: &Visa, code: &mut Qr, inviter: Option<&str>) -> Result<Marks, FontError> {
    let mut canvas = Canvas::new();
    canvas.fixed(heading);
    code.fit_to(QR_RIGHT_LIMIT - TABLE_RIGHT_MIN);
    let quiet = QUIET_ZONE as f32 * code.module_mm();
    let table_right = (QR_RIGHT_LIMIT - (code.size_mm() - quiet)).min(TABLE_RIGHT_MAX);
    let bottom = table(&mut canvas, visa, inviter, table_right);
    let qr_bottom = qr_block(&mut canvas, code, table_right);
    let mut notes_bottom = 0.0;
    canvas.fixed(|c| notes_bottom = notes(c, bottom.max(qr_bottom) + 6.0));
    mrz(&mut canvas, visa, notes_bottom);
    canvas.into_marks()
}

fn heading(c: &mut Canvas) {
    c.hrule(SKY, 1.6, LEFT, RIGHT, 12.0);
    for (i, text) in HEADING.into_iter().enumerate() {
        // i < 3, so the conversion is exact.
        c.text_centred(Face::Bold, 13.0, BLUE, CENTRE, 20.5 + 6.0 * i as f32, text);
    }
    c.fill_rect(BLUE, LEFT, 36.5, RIGHT - LEFT, 9.0);
    c.text_centred(Face::Bold, 12.0, WHITE, CENTRE, 42.6, BANNER);
    c.hrule(GOLD, 0.8, LEFT, RIGHT, 46.3);
}

/// The data table on the left; returns its bottom edge.
fn table(c: &mut Canvas, visa: &Visa, inviter: Option<&str>, table_right: f32) -> f32 {
    let fonts = c.fonts();
    let width = table_right - VALUE_X;
    let bold = |text: String| main_line(fonts, text, width);
    let mut rows: Vec<(Field, Vec<Line>)> = vec![
        (
            Field::VisaNumber,
            vec![Line {
                face: Face::Bold,
                size: 12.0,
                colour: BLUE,
                text: visa.number().as_str().to_owned(),
            }],
        ),
        (
            Field::Category,
            vec![bold(trilingual(labels::category(visa.category())))],
        ),
        (
            Field::Entries,
            vec![bold(trilingual(labels::entries(visa.entries())))],
        ),
        (Field::ValidFrom, vec![bold(date(visa.valid_from()))]),
        (Field::ValidUntil, vec![bold(date(visa.valid_until()))]),
        (Field::DurationOfStay, vec![bold(stay(visa.stay_days()))]),
        (
            Field::Ports,
            visa.ports()
                .iter()
                .map(|p| Line {
                    face: Face::Bold,
                    size: 9.0,
                    colour: INK,
                    text: port(p),
                })
                .collect(),
        ),
        (
            Field::Surname,
            name_lines(
                fonts,
                visa.surname().as_str(),
                visa.surname_native().map(|n| n.as_str()),
                width,
            ),
        ),
        (
            Field::GivenNames,
            name_lines(
                fonts,
                visa.given_names().map_or("", |n| n.as_str()),
                visa.given_names_native().map(|n| n.as_str()),
                width,
            ),
        ),
        (
            Field::PassportNumber,
            vec![bold(visa.passport_number().as_str().to_owned())],
        ),
        (
            Field::Citizenship,
            vec![bold(visa.citizenship().as_str().to_owned())],
        ),
        (Field::DateOfBirth, vec![bold(date(visa.date_of_birth()))]),
        (Field::Sex, sex_lines(visa.sex())),
        (
            Field::InvitationNumber,
            vec![bold(visa.invitation_number().as_str().to_owned())],
        ),
        (Field::InvitingParty, inviter_lines(fonts, inviter, width)),
        (
            Field::DateOfIssue,
            vec![bold(date(shared::kazakhstan_date(visa.issued_at())))],
        ),
    ];
    let mut top = TABLE_TOP;
    c.hrule(RULE, 0.25, LEFT, table_right, top);
    for (field, lines) in rows.drain(..) {
        top += row(c, top, field.label().all(), &lines);
        c.hrule(RULE, 0.25, LEFT, table_right, top);
    }
    top
}

/// One row of the table; returns its height: [`ROW_HEIGHT`], or more when the value's lines
/// need it (a long name in two scripts).
fn row(c: &mut Canvas, top: f32, label: Label, lines: &[Line]) -> f32 {
    // Lines are stacked with a leading of 1.2 times their size, and the block is centred in the
    // row on the height of its capitals.
    let pt = 25.4 / 72.0;
    let heights: Vec<f32> = lines.iter().map(|l| l.size * pt * 1.2).collect();
    let caps = lines.last().map_or(0.0, |l| l.size * pt * 0.73);
    let block: f32 = heights.iter().skip(1).sum::<f32>() + caps;
    let height = ROW_HEIGHT.max(block + 3.0);
    c.fixed(|c| {
        c.fill_rect(TINT, LEFT, top + 0.15, LABEL_WIDTH, height - 0.3);
        for (i, text) in label.iter().enumerate() {
            let face = if i == 2 { Face::Bold } else { Face::Regular };
            // i < 3, so the conversion is exact.
            let y = top + 2.85 + 2.35 * i as f32;
            let size = c.fonts().fit(face, 6.0, 4.5, LABEL_WIDTH - 3.0, text);
            c.text(face, size, LABEL, LEFT + 1.5, y, text);
        }
    });
    let mut baseline =
        top + (height - block) / 2.0 + lines.first().map_or(0.0, |l| l.size * pt * 0.73);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            baseline += heights[i];
        }
        c.text(
            line.face,
            line.size,
            line.colour,
            VALUE_X,
            baseline,
            &line.text,
        );
    }
    height
}

fn main_line(fonts: Fonts, text: String, width: f32) -> Line {
    Line {
        face: Face::Bold,
        size: fonts.fit(Face::Bold, 10.5, 5.0, width, &text),
        colour: INK,
        text,
    }
}

/// The MRZ form of a name in bold, and under it the native form: on one line from 8.5 down to
/// 6.5 points, else wrapped at 6.5 points (between characters where a name has no spaces, as
/// Chinese and Japanese names do not). A native name the fonts cannot show (one accepted before
/// Step 1 checked the script) is left out rather than printed as empty boxes.
fn name_lines(fonts: Fonts, latin: &str, native: Option<&str>, width: f32) -> Vec<Line> {
    let mut lines = wrapped(fonts, Face::Bold, latin, 10.5, 7.5, INK, width);
    if let Some(native) = native.filter(|n| fonts.covers(Face::Regular, n)) {
        let size = fonts.fit(Face::Regular, 8.5, 6.5, width, native);
        let native_lines = if fonts.width(Face::Regular, size, native) <= width {
            vec![native.to_owned()]
        } else {
            fonts.wrap_anywhere(Face::Regular, size, width, native)
        };
        lines.extend(native_lines.into_iter().map(|text| Line {
            face: Face::Regular,
            size,
            colour: LABEL,
            text,
        }));
    }
    lines
}

/// The inviting party, on up to two lines, or three once the text is small; a dash when not
/// known. About 150 characters fit.
fn inviter_lines(fonts: Fonts, inviter: Option<&str>, width: f32) -> Vec<Line> {
    let text: String = inviter
        .map(|t| {
            t.chars()
                .map(|ch| {
                    if fonts.covers(Face::Bold, &ch.to_string()) {
                        ch
                    } else {
                        '?'
                    }
                })
                .collect()
        })
        .filter(|t: &String| !t.trim().is_empty())
        .unwrap_or_else(|| "—".to_owned());
    let mut size: f32 = 9.0;
    loop {
        let lines = fonts.wrap(Face::Bold, size, width, &text);
        let max_lines = if size > 7.0 { 2 } else { 3 };
        let fits = lines.len() <= max_lines
            && lines
                .iter()
                .all(|l| fonts.width(Face::Bold, size, l) <= width);
        if fits || size <= 5.0 {
            return lines
                .into_iter()
                .map(|text| Line {
                    face: Face::Bold,
                    size,
                    colour: INK,
                    text,
                })
                .collect();
        }
        size -= 0.25;
    }
}

/// Text on one line if it fits at `min` or more, otherwise wrapped onto lines at `min`; a line
/// that still does not fit (one long word) is shrunk further, down to 5 points.
fn wrapped(
    fonts: Fonts,
    face: Face,
    text: &str,
    size: f32,
    min: f32,
    colour: Rgb8,
    width: f32,
) -> Vec<Line> {
    let fitted = fonts.fit(face, size, min, width, text);
    let (lines, size) = if fonts.width(face, fitted, text) <= width {
        (vec![text.to_owned()], fitted)
    } else {
        (fonts.wrap(face, min, width, text), min)
    };
    lines
        .into_iter()
        .map(|text| Line {
            face,
            size: fonts.fit(face, size, 5.0, width, &text),
            colour,
            text,
        })
        .collect()
}

fn sex_lines(sex: Sex) -> Vec<Line> {
    vec![
        Line {
            face: Face::Bold,
            size: 10.5,
            colour: INK,
            text: sex.as_str().to_owned(),
        },
        Line {
            face: Face::Regular,
            size: 7.0,
            colour: LABEL,
            text: trilingual(labels::sex(sex)),
        },
    ]
}

/// The QR code, its caption and the issuing box in the right column; returns the bottom edge.
fn qr_block(c: &mut Canvas, code: &Qr, table_right: f32) -> f32 {
    let quiet = QUIET_ZONE as f32 * code.module_mm();
    let size = code.size_mm();
    // The dark modules end at the right margin, or further right (by at most 5 mm) rather than
    // reach into the table; the quiet zone may run into the margin.
    let x = (RIGHT + quiet - size).max(table_right);
    let y = TABLE_TOP - quiet;
    code.draw(c, x, y);
    let centre = x + size / 2.0;
    let mut line_y = y + size + 2.0;
    let mut bottom = 0.0;
    c.fixed(|c| {
        for text in SCAN {
            c.text_centred(Face::Bold, 7.5, BLUE, centre, line_y, text);
            line_y += 3.2;
        }
        line_y += 1.5;
        for text in QR_NOTE {
            c.text_centred(Face::Regular, 6.3, LABEL, centre, line_y, text);
            line_y += 2.7;
        }
        bottom = issued_through(c, x + quiet, x + size - quiet, line_y + 3.0);
    });
    bottom
}

/// A box under the QR code naming the portal the visa was issued through; returns its bottom.
fn issued_through(c: &mut Canvas, left: f32, right: f32, top: f32) -> f32 {
    let width = right - left;
    let [label, portal] = ISSUED_THROUGH;
    let lines: [(Face, f32, Rgb8, &str); 6] = [
        (Face::Regular, 6.0, LABEL, label[0]),
        (Face::Regular, 6.0, LABEL, label[1]),
        (Face::Bold, 6.0, LABEL, label[2]),
        (Face::Bold, 7.2, INK, portal[0]),
        (Face::Bold, 7.2, INK, portal[1]),
        (Face::Bold, 7.2, INK, portal[2]),
    ];
    let mut y = top + 4.0;
    let mut drawn = Vec::new();
    for (i, (face, size, colour, text)) in lines.into_iter().enumerate() {
        if i == 3 {
            y += 1.2;
        }
        for line in c.fonts().wrap(face, size, width - 5.0, text) {
            drawn.push((face, size, colour, y, line));
            y += if size > 6.5 { 3.1 } else { 2.45 };
        }
    }
    c.fill_rect(TINT, left, top, width, y - top + 0.8);
    c.hrule(SKY, 0.6, left, right, top);
    for (face, size, colour, y, line) in drawn {
        c.text(face, size, colour, left + 2.5, y, &line);
    }
    y + 0.8
}

/// The instruction's notes, in the three languages; returns the bottom edge.
fn notes(c: &mut Canvas, top: f32) -> f32 {
    c.text(Face::Bold, 8.0, BLUE, LEFT, top + 3.0, NOTES_HEADING);
    c.hrule(GOLD, 0.5, LEFT, RIGHT, top + 4.6);
    let mut y = top + 8.3;
    let indent = LEFT + 5.0;
    for (n, note) in NOTES.iter().enumerate() {
        c.text(Face::Bold, 7.0, BLUE, LEFT + 1.0, y, &format!("{}.", n + 1));
        for (i, text) in note.iter().enumerate() {
            let face = if i == 2 { Face::Bold } else { Face::Regular };
            for line in c.fonts().wrap(face, 6.8, RIGHT - indent, text) {
                c.text(face, 6.8, INK, indent, y, &line);
                y += 2.8;
            }
        }
        y += 1.2;
    }
    y
}

/// The MRV-A zone at the foot of the page, on white, in OCR-B at ten characters per inch.
fn mrz(c: &mut Canvas, visa: &Visa, top: f32) {
    let zone = VisaMrz::of(visa);
    // OCR-B's advance is 0.723 em, so 10 points gives a pitch of 2.55 mm (10 per inch).
    let size = 10.0;
    let width = c.fonts().width(Face::Ocr, size, &zone.line1);
    let x = CENTRE - width / 2.0;
    let zone_top = top.max(250.0);
    c.hrule(RULE, 0.25, LEFT, RIGHT, zone_top);
    c.text(
        Face::Ocr,
        size,
        Rgb8(0, 0, 0),
        x,
        zone_top + 10.0,
        &zone.line1,
    );
    c.text(
        Face::Ocr,
        size,
        Rgb8(0, 0, 0),
        x,
        zone_top + 16.0,
        &zone.line2,
    );
    c.hrule(RULE, 0.25, LEFT, RIGHT, zone_top + 21.0);
    c.fixed(|c| c.text_centred(Face::Regular, 6.0, LABEL, CENTRE, zone_top + 25.0, FOOTER));
}

/// Words as the printout writes a value: Kazakh, Russian and English, split by slashes.
fn trilingual(words: Words) -> String {
    words.all().join(" / ")
}

/// The permitted stay: the number once, then the word for "days" in each language, each in the
/// form that number takes ("1 күн / день / day", "22 күн / дня / days").
fn stay(days: u16) -> String {
    let n = u64::from(days);
    let [kk, ru, en] = Language::ALL.map(|lang| DAY.form(lang, n));
    format!("{n} {kk} / {ru} / {en}")
}

/// An airport as the printout names it: the English city name and the IATA code, since the
/// officer and the airline read the code.
fn port(port: Port) -> String {
    format!("{} {}", labels::port(port).en, port.code())
}

/// A date as Kazakhstan writes it, `DD.MM.YYYY`.
fn date(date: Date) -> String {
    format!(
        "{:02}.{:02}.{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stay_reads_in_the_grammar_of_each_language() {
        assert_eq!(stay(1), "1 күн / день / day");
        assert_eq!(stay(22), "22 күн / дня / days");
        assert_eq!(stay(14), "14 күн / дней / days");
        assert_eq!(stay(30), "30 күн / дней / days");
    }

    #[test]
    fn values_are_written_in_the_three_languages_and_ports_by_city_and_code() {
        assert_eq!(
            trilingual(labels::category(shared::Category::Treatment)),
            "Емделу / Лечение / Medical treatment"
        );
        assert_eq!(port(Port::Nqz), "Astana (Nur-Sultan) NQZ");
        assert_eq!(port(Port::Ala), "Almaty ALA");
    }
}
