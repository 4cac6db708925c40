//! The words beside a native-script name that the printout cannot show (`domain::script`): they
//! name the scripts it can.

catalogue! {
    /// Native-script names and the scripts the printout supports.
    Script {
        /// A native name in a script the printout cannot show.
        Unsupported => [
            "Бұл жазуды электрондық визада басып шығару мүмкін емес. Атын латын, кирилл, грек, армян, грузин, қытай, жапон (хирагана, катакана) немесе корей (хангыль) әріптерімен жазыңыз, не бос қалдырыңыз",
            "Эту письменность нельзя напечатать на электронной визе. Напишите имя латиницей, кириллицей, греческими, армянскими, грузинскими, китайскими, японскими (хирагана, катакана) или корейскими (хангыль) буквами или оставьте поле пустым",
            "This script cannot be printed on the e-visa. Write the name in Latin, Cyrillic, Greek, Armenian, Georgian, Chinese, Japanese (hiragana, katakana) or Korean (hangul) letters, or leave the field empty",
        ],
    }
}
