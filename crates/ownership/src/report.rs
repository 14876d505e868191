//! What the graph says about an entity, as JSON: the verdict per regime and the paths from
//! blocked owners to it. The same shape serves `interdict ownership`, the HTTP API and hits
//! with basis `ownership`.

use interdict_model::{PartialDate, RelationKind, Share};
use serde::{Deserialize, Serialize};

use crate::Regime;
use crate::state::SeedLink;

/// An entity's standing in the graph on the screening date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnershipReport {
    /// The entity.
    pub entity_id: String,
    /// The screening date: relations that do not hold on it were left out.
    pub date: PartialDate,
    /// The verdict per regime.
    pub regimes: RegimeVerdicts,
    /// Paths from blocked owners (listed, or resolved to a listed party) to the entity, the
    /// largest stakes first.
    pub paths: Vec<OwnershipPath>,
    /// Whether paths were left out: more than [`crate::MAX_PATHS`], or longer than
    /// [`crate::MAX_PATH_LENGTH`] steps.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paths_truncated: bool,
}

impl OwnershipReport {
    /// The regimes under which the entity is blocked (conservatively) without being listed.
    pub fn blocked_by_ownership(&self) -> Vec<Regime> {
        Regime::ALL
            .into_iter()
            .filter(|r| {
                let verdict = self.regimes.get(*r);
                verdict.blocked && !verdict.listed
            })
            .collect()
    }
}

/// One verdict per regime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegimeVerdicts {
    /// US OFAC (50 percent rule; control does not count).
    pub ofac: RegimeVerdict,
    /// European Union.
    pub eu: RegimeVerdict,
    /// United Kingdom.
    pub uk: RegimeVerdict,
}

impl RegimeVerdicts {
    /// The verdict of `regime`.
    pub fn get(&self, regime: Regime) -> &RegimeVerdict {
        match regime {
            Regime::Ofac => &self.ofac,
            Regime::Eu => &self.eu,
            Regime::Uk => &self.uk,
        }
    }
}

/// Whether an entity is blocked under one regime, and by what share.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RegimeVerdict {
    /// Blocked: listed, or held or controlled by blocked parties as the rule says, reading
    /// each stake at its conservative (upper) bound.
    pub blocked: bool,
    /// Blocked even reading each stake at its lower bound (a stake of unknown size as 0).
    /// Equal to `blocked` where every stake on the way is exact.
    pub certain: bool,
    /// Blocked by a listing (or a resolution to a listed party) of its own.
    pub listed: bool,
    /// The share blocked parties hold, as a fraction, at the upper bounds: all of them under
    /// an aggregating rule, the largest one designated person (with joint holdings) under the
    /// UK's.
    pub share: Share,
    /// The same at the lower bounds.
    pub share_low: Share,
    /// Whether a blocked party controls it; absent where the regime has no control test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<bool>,
}

/// A chain of holdings from a blocked owner to the entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnershipPath {
    /// What the path adds to the entity's share: the stake of its last step, counted in full
    /// because every owner on the path is blocked (OFAC FAQ 401), at the upper bound; absent
    /// when the last step is control.
    pub share: Option<Share>,
    /// The same at the lower bound.
    pub share_low: Option<Share>,
    /// The regimes under which every owner on the path is blocked and every step counts.
    pub regimes: Vec<Regime>,
    /// From the blocked owner to the entity.
    pub steps: Vec<PathStep>,
}

/// One holding on a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathStep {
    /// The holder.
    pub owner: String,
    /// What it holds.
    pub asset: String,
    /// Ownership or control.
    pub kind: RelationKind,
    /// The stake at its upper bound, for ownership.
    pub percentage: Option<Share>,
    /// The stake at its lower bound, for ownership.
    pub percentage_low: Option<Share>,
    /// The role as the source words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Why the owner is blocked.
    pub link: StepLink,
}

/// Why an owner on a path is blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum StepLink {
    /// It is a listed entity (or the registry names a listed entity's id).
    Listed {
        /// The listed entity.
        listed_id: String,
    },
    /// The matcher resolved it to a listed entity.
    Resolved {
        /// The listed entity.
        listed_id: String,
        /// The resolution's score, 0–1.
        score: f64,
    },
    /// It is blocked through its own owners (shown on the path's earlier steps).
    Ownership,
}

impl From<&SeedLink> for StepLink {
    fn from(link: &SeedLink) -> StepLink {
        match link {
            SeedLink::Listed { listed_id } => StepLink::Listed {
                listed_id: listed_id.clone(),
            },
            SeedLink::Resolved { listed_id, score } => StepLink::Resolved {
                listed_id: listed_id.clone(),
                score: *score,
            },
        }
    }
}

/// An entity blocked without being listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedEntity {
    /// The entity.
    pub entity_id: String,
    /// The regimes that block it (conservatively).
    pub regimes: Vec<Regime>,
    /// Those that block it at the lower bounds too.
    pub certain: Vec<Regime>,
}

/// A change of an entity's status under one regime after the seeds changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The entity.
    pub entity_id: String,
    /// The regime.
    pub regime: Regime,
    /// Blocked (conservatively) before the change.
    pub was_blocked: bool,
    /// Blocked (conservatively) now.
    pub blocked: bool,
    /// Blocked at the lower bounds now.
    pub certain: bool,
    /// Listed (a seed of its own) before the change.
    pub was_listed: bool,
    /// Listed now.
    pub listed: bool,
}
