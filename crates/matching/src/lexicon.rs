//! Word lists the normaliser consults: legal forms, honorifics, particles, generic words and
//! common given names. Entries are written in the lower-case ASCII form that
//! [`crate::normalize`] produces *before* transliteration-variant folding, so they can be
//! compared with raw tokens.

/// Legal-form phrases (as token sequences) and the canonical code they stand for. Longer
/// phrases are tried first, so "open joint stock company" wins over "joint stock company".
pub(crate) static LEGAL_FORM_PHRASES: &[(&[&str], &str)] = &[
    // Russian, transliterated from Cyrillic by any_ascii (and common hand spellings).
    (&["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"], "llc"),
    (&["obshchestvo", "s", "ogranichennoi", "otvetstvennostiu"], "llc"),
    (&["obshchestvo", "s", "ogranichennoy", "otvetstvennost", "yu"], "llc"),
    (&["tovarystvo", "z", "obmezhenoyu", "vidpovidalnistyu"], "llc"),
    (&["tovarystvo", "z", "obmezhenoiu", "vidpovidalnistiu"], "llc"),
    (&["otkrytoe", "aktsionernoe", "obshchestvo"], "jsc"),
    (&["zakrytoe", "aktsionernoe", "obshchestvo"], "jsc"),
    (&["publichnoe", "aktsionernoe", "obshchestvo"], "jsc"),
    (&["aktsionernoe", "obshchestvo"], "jsc"),
    (&["avtonomnaya", "nekommercheskaya", "organizatsiya"], "ano"),
    (&["autonomous", "non", "profit", "organization"], "ano"),
    (&["autonomous", "nonprofit", "organization"], "ano"),
    // English.
    (&["open", "joint", "stock", "company"], "jsc"),
    (&["closed", "joint", "stock", "company"], "jsc"),
    (&["public", "joint", "stock", "company"], "jsc"),
    (&["joint", "stock", "company"], "jsc"),
    (&["joint", "stock", "co"], "jsc"),
    (&["limited", "liability", "company"], "llc"),
    (&["limited", "liability", "partnership"], "llp"),
    (&["limited", "partnership"], "lp"),
    (&["public", "limited", "company"], "plc"),
    (&["private", "limited", "company"], "ltd"),
    (&["proprietary", "limited"], "pty"),
    // German, Romanian, Polish, others.
    (&["gesellschaft", "mit", "beschrankter", "haftung"], "gmbh"),
    (&["societatea", "cu", "raspundere", "limitata"], "srl"),
    (&["societa", "a", "responsabilita", "limitata"], "srl"),
    (&["sociedad", "de", "responsabilidad", "limitada"], "srl"),
    (&["sociedad", "anonima"], "sa"),
    (&["societe", "anonyme"], "sa"),
    (&["societa", "per", "azioni"], "spa"),
    (&["sp", "z", "o", "o"], "spzoo"),
    (&["sp", "zoo"], "spzoo"),
    (&["spolka", "z", "ograniczona", "odpowiedzialnoscia"], "spzoo"),
    (&["besloten", "vennootschap"], "bv"),
    (&["naamloze", "vennootschap"], "nv"),
    (&["aktiebolag"], "ab"),
    (&["aktieselskab"], "as"),
    (&["aksjeselskap"], "as"),
];

/// Single-token legal forms and their canonical code. `short` ones are also ordinary
/// words or initials, so they count as legal forms only at the start or end of a name.
pub(crate) static LEGAL_FORM_WORDS: &[(&str, &str, bool)] = &[
    // (token, code, short/ambiguous)
    ("ooo", "llc", false),
    ("llc", "llc", false),
    ("tov", "llc", false),
    ("jsc", "jsc", false),
    ("ojsc", "jsc", false),
    ("cjsc", "jsc", false),
    ("pjsc", "jsc", false),
    ("oao", "jsc", false),
    ("zao", "jsc", false),
    ("pao", "jsc", false),
    ("ao", "jsc", true),
    ("pat", "jsc", true),
    ("ano", "ano", false),
    ("gmbh", "gmbh", false),
    ("aktiengesellschaft", "ag", false),
    ("ag", "ag", true),
    ("ltd", "ltd", false),
    ("limited", "ltd", false),
    ("inc", "inc", false),
    ("incorporated", "inc", false),
    ("corp", "corp", false),
    ("corporation", "corp", false),
    ("co", "co", true),
    ("company", "co", false),
    ("plc", "plc", false),
    ("llp", "llp", false),
    ("lp", "lp", true),
    ("sa", "sa", true),
    ("sas", "sa", true),
    ("sarl", "srl", false),
    ("srl", "srl", false),
    ("spa", "spa", true),
    ("spzoo", "spzoo", false),
    ("pty", "pty", false),
    ("bv", "bv", true),
    ("bvba", "bv", false),
    ("nv", "nv", true),
    ("ab", "ab", true),
    ("as", "as", true),
    ("oy", "oy", true),
    ("kg", "kg", true),
    ("se", "se", true),
    ("pt", "pt", true),
    ("tbk", "tbk", false),
    ("fze", "fze", false),
    ("fzco", "fze", false),
    ("fzc", "fze", false),
    ("fzllc", "fze", false),
    ("na", "na", true),
    ("kft", "kft", false),
    ("doo", "doo", false),
    ("sdn", "sdn", true),
    ("bhd", "bhd", false),
];

/// Titles and honorifics that say nothing about who a person is. Dropped from person names.
pub(crate) static HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "sheikh", "shaikh", "shaykh", "sheik", "cheikh", "haji", "hajji", "hadji", "alhaji", "alhaj",
    "hajj", "mullah", "mulla", "molla", "mollah", "maulvi", "mawlawi", "maulavi", "maulana",
    "mawlana", "mufti", "general", "gen", "colonel", "col", "major", "maj", "captain", "capt",
    "lieutenant", "lt", "admiral", "brigadier", "marshal", "president", "presidente",
    "prasident", "praesident", "monsieur", "mme", "mlle", "madame", "herr", "frau", "senor",
    "senora", "hon", "honorable", "honourable", "rev", "reverend", "his", "her", "excellency",
    "eng", "engineer", "ing",
    // As transliterated from Arabic script: ملا, شيخ, حاج.
    "mla", "shih", "haj",
];

/// Particles and connectives that join name parts but identify nothing: Arabic articles and
/// filiation words, Romance and Germanic nobiliary particles, English connectives.
pub(crate) static PARTICLES: &[&str] = &[
    "al", "el", "ul", "ur", "ud", "ad", "ed", "as", "ash", "at", "az", "ar", "an", "bin", "ibn",
    "bint", "binti", "bn", "ben", "de", "da", "di", "del", "della", "dos", "das", "do", "du", "van",
    "von", "der", "den", "la", "le", "y", "the", "of", "and", "for", "in", "on", "und", "et",
    "ould", "uld",
];

/// Particles that are also common given names, so they are only particles when they do not
/// open the name ("Ben Ali" vs "Noureddine Ben Ali").
pub(crate) static PARTICLES_NOT_FIRST: &[&str] = &["ben", "da", "del", "la", "le", "y", "an", "as"];

/// Words common to many organisation names: they say little about which organisation is
/// meant, so they weigh less. Compared after folding (see [`crate::translit::fold`]).
pub(crate) static GENERIC_ORG_WORDS: &[&str] = &[
    "group", "holding", "holdings", "international", "trading", "trade", "industries", "industry",
    "industrial", "enterprises", "enterprise", "services", "service", "solutions", "systems",
    "technologies", "technology", "global", "general", "national", "bank", "banco", "banca",
    "partners", "capital", "investment", "investments", "management", "consulting",
    "development", "resources", "energy", "petroleum", "shipping", "logistics", "marine",
    "maritime", "import", "export", "manufacturing", "construction", "engineering", "commercial",
    "business", "products", "organization", "organisation", "association", "foundation", "fund",
    "trust", "institute", "ministry", "government", "authority", "agency", "council",
    "committee", "network", "media", "center", "centre", "tsentr", "finance", "financial",
    "insurance", "securities", "ventures", "equipment", "electronics", "factory", "zavod", "plant",
    "firm", "office", "bureau", "mining", "oil", "gas", "chemical", "pharmaceutical", "medical",
    "health", "airlines", "airline", "aviation", "transport", "cargo", "navigation", "line",
    "lines", "tankers", "tanker", "ship", "ships", "brothers", "sons", "army", "brigade", "front",
    "movement", "party", "forces", "battalion", "regiment", "division", "republic", "state",
    "people", "peoples", "islamic", "revolutionary", "guard", "guards", "corps",
];

/// Given names and name elements shared by very many people, which identify less than a rare
/// surname. Compared after folding, so one spelling stands for its variants.
pub(crate) static COMMON_PERSON_TOKENS: &[&str] = &[
    "mohammed", "muhammad", "mohamed", "mohammad", "mahamat", "mohd", "ahmed", "ahmad", "ali",
    "abd", "hassan", "hasan", "hussein", "husain", "hossein", "abdullah", "ibrahim", "umar",
    "omar", "abu", "mahmoud", "mustafa", "yusuf", "yousef", "salih", "saleh", "khalid", "hamid",
    "rahman", "karim", "aziz", "din", "allah", "khan", "shah", "gul", "jan", "sayed", "said", "sayyid",
    "mir", "nur", "noor", "john", "james", "robert", "michael", "mikhail", "david", "maria",
    "jose", "juan", "ivan", "sergei", "aleksandr", "alexander", "aleksei", "andrei", "vladimir",
    "dmitri", "nikolai", "kim", "li", "lee", "wang", "zhang", "chen", "liu", "pak", "park", "ri",
    "choe", "choi", "jong", "chol", "song", "il",
];

/// Ordinal spellings that lists and customers write both ways ("1st" / "first").
pub(crate) static ORDINALS: &[(&str, &str)] = &[
    ("1st", "first"),
    ("2nd", "second"),
    ("3rd", "third"),
    ("4th", "fourth"),
    ("5th", "fifth"),
    ("intl", "international"),
];

/// Arabic given-name compounds written joined or apart: `Abdul Aziz`, `Abdulaziz`,
/// `Abd al-Aziz` all become `abd` + `aziz`.
pub(crate) static ABD_PREFIXES: &[&str] = &[
    "abdul", "abdel", "abdal", "abdol", "abdoul", "abdur", "abdar", "abder", "abdus", "abdas",
    "abdil", "abdu", "abd",
];

/// Joined spellings of `Abdullah`, split as `abd` + `allah` rather than by the `abd` rule.
pub(crate) static ABDULLAH_FORMS: &[&str] = &[
    "abdullah", "abdallah", "abdulla", "abdalla", "abdellah", "abdulah", "abdollah", "abdelah",
];

/// `...uddin` endings (Saifuddin, Noureddine): the part before them is a name, the ending is
/// the particle-plus-`din` that `Saif al-Din` writes apart.
pub(crate) static DIN_SUFFIXES: &[&str] =
    &["ouddine", "uddine", "uddin", "uddeen", "eddine", "eddin", "iddin", "addin", "aldin", "uldin"];
