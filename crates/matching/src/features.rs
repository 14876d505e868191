//! Score adjustments beyond the name: legal forms, weak aliases, date of birth, country,
//! gender and decisive identifiers. Each returns the effect it has on the score and the words
//! to explain it, or `None` when it has nothing to say (one side does not state it).

use interdict_model::{CountryCode, DateOfBirth, Entity, Gender, Identifier, PartialDate};

use crate::explain::{Feature, FeatureEffect, round};
use crate::normalize::{NormalizedName, TokenKind};

/// Legal forms on both sides that share nothing ("LLC" vs "JSC").
const LEGAL_FORM_CONFLICT: f32 = -0.04;
/// A match on a weak alias (nickname, short form) counts this much less.
const WEAK_ALIAS: f32 = -0.08;
/// Same full date of birth: a coincidence of about one in ten thousand for people of an age.
const DOB_EXACT: f32 = 0.1;
/// Same year (and month, where both give one).
const DOB_YEAR: f32 = 0.03;
/// Year ranges overlap (circa, ranges).
const DOB_OVERLAP: f32 = 0.02;
/// Same year but a different month or day.
const DOB_DAY_CONFLICT: f32 = -0.06;
/// Years one apart: often a data-entry or calendar difference.
const DOB_NEAR: f32 = -0.06;
/// Years further apart: base penalty plus a step per year, capped.
const DOB_FAR_BASE: f32 = -0.12;
const DOB_FAR_PER_YEAR: f32 = -0.02;
const DOB_FAR_MAX: f32 = -0.3;
/// A shared country or nationality.
const COUNTRY_MATCH: f32 = 0.02;
/// No country in common.
const COUNTRY_CONFLICT: f32 = -0.05;
/// Different stated genders.
const GENDER_CONFLICT: f32 = -0.12;
/// The score an exact decisive identifier match guarantees.
pub(crate) const IDENTIFIER_SCORE: f32 = 0.99;

pub(crate) fn effect(
    feature: Feature,
    value: String,
    amount: f32,
    detail: String,
) -> FeatureEffect {
    FeatureEffect {
        feature,
        value,
        effect: round(amount),
        detail,
    }
}

/// Legal forms of two kinds of body ("JSC" vs "Ltd", "ANO" vs "LLC"): a company and its
/// namesake of another kind are two legal persons (a subsidiary, a foundation), while one
/// kind has several spellings across languages (OOO, LLC, Ltd, GmbH).
const LEGAL_FAMILY_CONFLICT: f32 = -0.32;

/// The kinds of body legal forms name. Translations of a form stay within its kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LegalFamily {
    /// Private companies with limited liability (LLC, OOO, Ltd, GmbH, SRL, BV, Sdn Bhd).
    Limited,
    /// Joint-stock and public companies (JSC, AO, AG, PLC, SA, SpA, NV).
    Stock,
    /// Partnerships (LP, LLP, KG).
    Partnership,
    /// Non-commercial organisations (ANO).
    NonProfit,
}

/// The kind of body a legal-form code names; `None` for words any kind uses ("Co",
/// "Corp", "Inc") and for forms whose kind differs by country (Norwegian AS is private,
/// Danish A/S public).
fn legal_family(code: &str) -> Option<LegalFamily> {
    match code {
        "llc" | "ltd" | "gmbh" | "srl" | "spzoo" | "pty" | "bv" | "oy" | "fze" | "kft" | "doo"
        | "sdn" | "bhd" => Some(LegalFamily::Limited),
        "jsc" | "ag" | "plc" | "sa" | "spa" | "nv" | "ab" | "se" | "tbk" => {
            Some(LegalFamily::Stock)
        }
        "llp" | "lp" | "kg" => Some(LegalFamily::Partnership),
        "ano" => Some(LegalFamily::NonProfit),
        _ => None,
    }
}

/// Legal forms of two organisation names: agreement adds nothing (a shared "LLC" says
/// nothing about which company), another spelling of the same kind of body costs a little,
/// forms of different kinds cost much more ([`LEGAL_FAMILY_CONFLICT`]).
pub(crate) fn legal_form(query: &[&str], listed: &[&str]) -> Option<FeatureEffect> {
    if query.is_empty() || listed.is_empty() {
        return None;
    }
    let value = format!("{} vs {}", query.join("+"), listed.join("+"));
    if query.iter().any(|form| listed.contains(form)) {
        return Some(effect(
            Feature::LegalForm,
            value,
            0.0,
            "legal forms agree (no weight)".into(),
        ));
    }
    let compatible = query.iter().any(|a| {
        listed
            .iter()
            .any(|b| match (legal_family(a), legal_family(b)) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            })
    });
    Some(if compatible {
        effect(
            Feature::LegalForm,
            value,
            LEGAL_FORM_CONFLICT,
            "legal forms differ".into(),
        )
    } else {
        effect(
            Feature::LegalForm,
            value,
            LEGAL_FAMILY_CONFLICT,
            "legal forms of different kinds of body (a namesake, not the same legal person)".into(),
        )
    })
}

/// A listed name of one word met by a query of several: the one word is all the evidence,
/// and a name is far likelier to contain a word than to be it.
const ONE_WORD_NAME: f32 = -0.12;

/// The cost of a one-word listed name met by a longer query (initials and numbers aside).
pub(crate) fn one_word_name(
    query: &NormalizedName,
    listed: &NormalizedName,
) -> Option<FeatureEffect> {
    // Written words: a compound split in two by a lexicon rule ("Shamsuddin" → shams din)
    // is one.
    let words = |name: &NormalizedName| {
        let tokens = name
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .count();
        let compounds = name.tokens.iter().filter(|t| t.compound.is_some()).count();
        tokens.saturating_sub(compounds)
    };
    let (query_words, listed_words) = (words(query), words(listed));
    let listed_all_words = listed.tokens.iter().all(|t| t.kind == TokenKind::Word);
    (listed_words == 1 && listed_all_words && query_words >= 2).then(|| {
        effect(
            Feature::OneWordName,
            format!("1 vs {query_words} words"),
            ONE_WORD_NAME,
            "the listed name is one word; the query has more".into(),
        )
    })
}

/// Words of the query that mixed look-alike letters of two scripts: no effect on the score
/// (they were folded and compared as one script), but an analyst should know.
pub(crate) fn mixed_script(words: &[Box<str>]) -> Option<FeatureEffect> {
    (!words.is_empty()).then(|| {
        effect(
            Feature::MixedScript,
            words.join(" "),
            0.0,
            "look-alike letters of another script inside a word, read as the word's own \
             script: a possible evasion"
                .into(),
        )
    })
}

/// A match on a weak alias counts less.
pub(crate) fn weak_alias() -> FeatureEffect {
    effect(
        Feature::WeakAlias,
        "weak".into(),
        WEAK_ALIAS,
        "matched a weak alias (nickname or short form)".into(),
    )
}

/// Date of birth agreement or conflict; the best agreement over the listed dates counts.
pub(crate) fn date_of_birth(
    query: Option<&DateOfBirth>,
    listed: &[DateOfBirth],
) -> Option<FeatureEffect> {
    let query = query?;
    let (amount, listed_date, detail) = listed
        .iter()
        .map(|candidate| {
            let (amount, detail) = compare_dates(query, candidate);
            (amount, candidate, detail)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    Some(effect(
        Feature::DateOfBirth,
        format!("{query} vs {listed_date}"),
        amount,
        detail.into(),
    ))
}

fn compare_dates(query: &DateOfBirth, listed: &DateOfBirth) -> (f32, &'static str) {
    if let (DateOfBirth::Exact { date: a }, DateOfBirth::Exact { date: b }) = (query, listed)
        && a.year == b.year
    {
        return compare_same_year(a, b);
    }
    let (query_from, query_to) = query.year_range();
    let (listed_from, listed_to) = listed.year_range();
    if query_from <= listed_to && listed_from <= query_to {
        return (DOB_OVERLAP, "year ranges overlap");
    }
    let gap = if query_to < listed_from {
        listed_from - query_to
    } else {
        query_from - listed_to
    };
    if gap <= 1 {
        (DOB_NEAR, "years one apart")
    } else {
        let amount = (DOB_FAR_BASE + DOB_FAR_PER_YEAR * f32::from(gap.min(20))).max(DOB_FAR_MAX);
        (amount, "years of birth differ")
    }
}

fn compare_same_year(a: &PartialDate, b: &PartialDate) -> (f32, &'static str) {
    match ((a.month, a.day), (b.month, b.day)) {
        ((Some(am), Some(ad)), (Some(bm), Some(bd))) if am == bm && ad == bd => {
            (DOB_EXACT, "same date of birth")
        }
        ((Some(am), Some(ad)), (Some(bm), Some(bd))) if am == bd && ad == bm => {
            (DOB_YEAR, "same year, day and month swapped")
        }
        ((Some(am), _), (Some(bm), _)) if am != bm => {
            (DOB_DAY_CONFLICT, "same year, different month")
        }
        ((Some(_), Some(_)), (Some(_), Some(_))) => {
            (DOB_DAY_CONFLICT, "same year and month, different day")
        }
        _ => (DOB_YEAR, "same year of birth"),
    }
}

/// Country or nationality agreement or conflict.
pub(crate) fn country(query: &[CountryCode], entity: &Entity) -> Option<FeatureEffect> {
    if query.is_empty() || entity.countries.is_empty() {
        return None;
    }
    let listed = entity
        .countries
        .iter()
        .map(CountryCode::as_str)
        .collect::<Vec<_>>()
        .join("+");
    let wanted = query
        .iter()
        .map(CountryCode::as_str)
        .collect::<Vec<_>>()
        .join("+");
    let value = format!("{wanted} vs {listed}");
    if query.iter().any(|c| entity.countries.contains(c)) {
        Some(effect(
            Feature::Country,
            value,
            COUNTRY_MATCH,
            "a country in common".into(),
        ))
    } else {
        Some(effect(
            Feature::Country,
            value,
            COUNTRY_CONFLICT,
            "no country in common".into(),
        ))
    }
}

/// Gender conflict (agreement says too little to count).
pub(crate) fn gender(query: Option<Gender>, listed: Option<Gender>) -> Option<FeatureEffect> {
    let (query, listed) = (query?, listed?);
    (query != listed).then(|| {
        effect(
            Feature::Gender,
            format!("{query:?} vs {listed:?}").to_lowercase(),
            GENDER_CONFLICT,
            "different gender".into(),
        )
    })
}

/// The first decisive identifier the query and the entity share exactly, if any.
pub(crate) fn decisive_identifier<'a>(
    query: &'a [Identifier],
    entity: &'a Entity,
) -> Option<&'a Identifier> {
    query
        .iter()
        .filter(|id| id.kind.is_decisive())
        .find(|wanted| {
            let value = wanted.normalized_value();
            !value.is_empty()
                && entity
                    .identifiers
                    .iter()
                    .any(|listed| listed.kind == wanted.kind && listed.normalized_value() == value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dob(text: &str) -> DateOfBirth {
        DateOfBirth::parse(text).expect("date")
    }

    fn amount(query: &str, listed: &str) -> f64 {
        date_of_birth(Some(&dob(query)), &[dob(listed)]).map_or(0.0, |e| e.effect)
    }

    #[test]
    fn dates_of_birth_raise_or_lower() {
        assert!(amount("1963-11-22", "22 Nov 1963") > amount("1963", "22 Nov 1963"));
        assert!(amount("1963", "22 Nov 1963") > 0.0);
        assert!(amount("1962", "circa 1963") > 0.0);
        assert!(amount("1961", "1960 to 1965") > 0.0);
        assert!(amount("1963-05-01", "1963-11-22") < 0.0);
        assert!(amount("1964", "1963") < 0.0);
        assert!(amount("1990", "1963") < amount("1970", "1963"));
        assert!(amount("1990", "1963") >= f64::from(DOB_FAR_MAX));
        assert_eq!(date_of_birth(None, &[dob("1963")]), None);
        assert_eq!(date_of_birth(Some(&dob("1963")), &[]), None);
    }

    #[test]
    fn best_of_several_listed_dates_counts() {
        let listed = [dob("1950"), dob("1963-11-22")];
        let found = date_of_birth(Some(&dob("1963-11-22")), &listed).expect("effect");
        assert_eq!(found.effect, round(DOB_EXACT));
    }

    #[test]
    fn gender_conflict_lowers_agreement_is_silent() {
        assert!(gender(Some(Gender::Male), Some(Gender::Female)).is_some_and(|e| e.effect < 0.0));
        assert_eq!(gender(Some(Gender::Male), Some(Gender::Male)), None);
        assert_eq!(gender(None, Some(Gender::Male)), None);
    }

    #[test]
    fn legal_form_conflict_costs_agreement_adds_nothing() {
        assert!(legal_form(&["llc"], &["jsc"]).is_some_and(|e| e.effect < 0.0));
        assert!(legal_form(&["llc"], &["llc"]).is_some_and(|e| e.effect == 0.0));
        assert_eq!(legal_form(&[], &["llc"]), None);
    }
}
