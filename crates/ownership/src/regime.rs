//! The sanctions regimes and their ownership rules, as data.

use std::fmt;

use interdict_model::Share;
use serde::{Deserialize, Serialize};

/// A sanctions regime whose ownership rule the graph applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// US OFAC: the 50 percent rule.
    Ofac,
    /// European Union: ownership and control.
    Eu,
    /// United Kingdom (OFSI): ownership and control.
    Uk,
}

impl Regime {
    /// Every regime, in report order.
    pub const ALL: [Regime; 3] = [Regime::Ofac, Regime::Eu, Regime::Uk];

    /// `ofac`, `eu` or `uk`.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Ofac => "ofac",
            Regime::Eu => "eu",
            Regime::Uk => "uk",
        }
    }

    /// The regime's ownership rule.
    ///
    /// - OFAC (FAQs 398–401): owned 50% or more, directly or indirectly, in the aggregate, by
    ///   one or more blocked persons. An entity blocked this way is itself a blocked person, so
    ///   its stakes count in full (FAQ 401), never multiplied along the chain. Control alone
    ///   does not block.
    /// - EU (Council's Best Practices, "ownership and control"): more than 50% of the
    ///   proprietary rights, the holdings of listed persons aggregated, or control.
    /// - UK (OFSI, "owned or controlled directly or indirectly"): more than 50% held by one
    ///   designated person, directly or through entities that person owns or controls; the
    ///   holdings of different designated persons add up only when held jointly (the joint
    ///   flag of a relation), or control.
    pub fn rule(self) -> RegimeRule {
        let half = Share::from_ppm(500_000).unwrap_or(Share::WHOLE);
        match self {
            Regime::Ofac => RegimeRule {
                threshold: half,
                strictly_above: false,
                aggregates_owners: true,
                counts_control: false,
            },
            Regime::Eu => RegimeRule {
                threshold: half,
                strictly_above: true,
                aggregates_owners: true,
                counts_control: true,
            },
            Regime::Uk => RegimeRule {
                threshold: half,
                strictly_above: true,
                aggregates_owners: false,
                counts_control: true,
            },
        }
    }

    /// The regimes whose designations a list carries, by its list id (interdict's defaults
    /// and OpenSanctions dataset names): the OFAC SDN list is OFAC's; the EU's Financial
    /// Sanctions Files the EU's; the OFSI consolidated list and the UK Sanctions List the
    /// UK's; the UN Security Council list both the EU's and the UK's, which give effect to
    /// UN designations by law (the US lists them on the SDN list itself). Any other list
    /// (the US Consolidated Screening List mixes export-control lists with the SDN) has none:
    /// the caller decides.
    pub fn for_list(list_id: &str) -> Vec<Regime> {
        match list_id.trim().to_ascii_lowercase().as_str() {
            "ofac-sdn" | "us_ofac_sdn" => vec![Regime::Ofac],
            "eu-fsf" | "eu_fsf" => vec![Regime::Eu],
            "uk-ofsi" | "uk-sanctions-list" | "gb_hmt_sanctions" | "gb_fcdo_sanctions" => {
                vec![Regime::Uk]
            }
            "un-sc" | "un_sc_sanctions" => vec![Regime::Eu, Regime::Uk],
            _ => Vec::new(),
        }
    }

    /// The position of the regime in [`Regime::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Regime::Ofac => 0,
            Regime::Eu => 1,
            Regime::Uk => 2,
        }
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Regime {
    type Err = crate::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        Regime::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| crate::Error::UnknownRegime {
                name: text.to_owned(),
            })
    }
}

/// When a regime treats an entity as blocked through its owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegimeRule {
    /// The share of blocked owners that blocks.
    pub threshold: Share,
    /// `true`: the share must exceed the threshold (> 50%); `false`: reach it (≥ 50%).
    pub strictly_above: bool,
    /// Whether the stakes of different blocked owners add up. When not, they add up per
    /// designated person (its own stakes and those of the entities blocked through it), and
    /// across persons only for stakes held jointly.
    pub aggregates_owners: bool,
    /// Whether control by a blocked party blocks, whatever the share.
    pub counts_control: bool,
}

impl RegimeRule {
    /// Whether `share` meets the threshold.
    pub fn meets(self, share: Share) -> bool {
        if self.strictly_above {
            share > self.threshold
        } else {
            share >= self.threshold
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_at_or_above_half() {
        let half = Share::from_ppm(500_000).unwrap_or(Share::ZERO);
        let above = Share::from_ppm(500_001).unwrap_or(Share::ZERO);
        assert!(Regime::Ofac.rule().meets(half));
        assert!(!Regime::Eu.rule().meets(half) && Regime::Eu.rule().meets(above));
        assert!(!Regime::Uk.rule().meets(half) && Regime::Uk.rule().meets(above));
    }

    #[test]
    fn lists_map_to_regimes() {
        assert_eq!(Regime::for_list("ofac-sdn"), [Regime::Ofac]);
        assert_eq!(Regime::for_list("eu_fsf"), [Regime::Eu]);
        assert_eq!(Regime::for_list("uk-ofsi"), [Regime::Uk]);
        assert_eq!(Regime::for_list("un-sc"), [Regime::Eu, Regime::Uk]);
        assert!(Regime::for_list("us-csl").is_empty());
        assert_eq!("UK".parse::<Regime>(), Ok(Regime::Uk));
        assert!("us".parse::<Regime>().is_err());
    }
}
