//! [`Propagation`]: the graph with its blocked seeds and the verdicts of every regime, kept up
//! to date as seeds come and go.

use std::sync::Arc;

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use crate::graph::{Edge, OwnershipGraph};
use crate::propagate::{Bound, Run};
use crate::report::{
    BlockedEntity, OwnershipPath, OwnershipReport, PathStep, RegimeVerdict, RegimeVerdicts,
    StatusChange, StepLink,
};
use crate::{Error, Regime};
use interdict_model::{RelationKind, Share};

/// At most this many paths are listed per entity (the largest stakes first).
pub const MAX_PATHS: usize = 25;
/// Paths longer than this many steps are not followed.
pub const MAX_PATH_LENGTH: usize = 12;
/// Edges looked at while collecting one entity's paths, so that a dense graph answers fast.
const PATH_BUDGET: usize = 50_000;
/// Graphs of this many entities or more are propagated on a thread per regime and bound.
const PARALLEL_FROM: usize = 100_000;

/// A party blocked in its own right under one regime: the start of the propagation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seed {
    /// Its id in the graph: a listed entity's id, or a registry party's.
    pub entity_id: String,
    /// The regime whose list names it (the caller maps lists to regimes).
    pub regime: Regime,
    /// How it is tied to the listed party.
    pub link: SeedLink,
}

impl Seed {
    /// A listed entity, blocked under `regime` by its listing.
    pub fn listed(entity_id: &str, regime: Regime) -> Seed {
        Seed {
            entity_id: entity_id.to_owned(),
            regime,
            link: SeedLink::Listed {
                listed_id: entity_id.to_owned(),
            },
        }
    }

    /// A registry party the matcher resolved to the listed entity `listed_id`.
    pub fn resolved(entity_id: &str, listed_id: &str, score: f64, regime: Regime) -> Seed {
        Seed {
            entity_id: entity_id.to_owned(),
            regime,
            link: SeedLink::Resolved {
                listed_id: listed_id.to_owned(),
                score,
            },
        }
    }

    /// The listed entity behind the seed.
    pub fn listed_id(&self) -> &str {
        match &self.link {
            SeedLink::Listed { listed_id } | SeedLink::Resolved { listed_id, .. } => listed_id,
        }
    }

    /// What makes seeds the same: the same entity tied to the same listed one, the same way,
    /// under the same regime, whatever the score.
    fn key(&self) -> (&str, Regime, &str, bool) {
        (
            &self.entity_id,
            self.regime,
            self.listed_id(),
            matches!(self.link, SeedLink::Resolved { .. }),
        )
    }

    fn check(&self) -> Result<(), Error> {
        if self.entity_id.trim().is_empty() || self.listed_id().trim().is_empty() {
            return Err(Error::EmptySeed {
                entity_id: self.entity_id.clone(),
                listed_id: self.listed_id().to_owned(),
            });
        }
        if let SeedLink::Resolved { score, .. } = self.link
            && !(0.0..=1.0).contains(&score)
        {
            return Err(Error::InvalidScore {
                entity_id: self.entity_id.clone(),
                score,
            });
        }
        Ok(())
    }
}

/// How a seed is tied to a listed party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum SeedLink {
    /// It is the listed entity, or the data names it by the listed entity's id.
    Listed {
        /// The listed entity.
        listed_id: String,
    },
    /// The matcher resolved it to the listed entity above a strict threshold, with agreeing
    /// date of birth or identifier; shown as "resolved" with the score wherever it is used.
    Resolved {
        /// The listed entity.
        listed_id: String,
        /// The resolution's score, 0–1.
        score: f64,
    },
}

/// The graph, its seeds, and every regime's verdicts at both bounds of the stakes.
#[derive(Debug, Clone)]
pub struct Propagation {
    /// Shared by the copies a caller updates (a copy costs the verdicts, not the graph).
    graph: Arc<OwnershipGraph>,
    seeds: Vec<Seed>,
    /// Per regime, the groups each seed node is blocked for.
    seed_groups: [HashMap<u32, Vec<u32>>; 3],
    /// The seeds (indices into `seeds`) of each node.
    seeds_of: HashMap<u32, Vec<usize>>,
    /// Designated persons (listed ids) numbered as groups for the UK rule; kept across
    /// updates so that numbers never change meaning.
    persons: HashMap<String, u32>,
    /// Per regime, the runs on the lower and upper bounds.
    runs: [[Run; 2]; 3],
}

impl Propagation {
    /// Propagates `seeds` through `graph` to the least fixed point of every regime. Seeds of
    /// entities that hold nothing on the date are kept, so that the seed set stays the
    /// caller's, but change nothing.
    pub fn compute(
        graph: OwnershipGraph,
        seeds: impl IntoIterator<Item = Seed>,
    ) -> Result<Propagation, Error> {
        let seeds: Vec<Seed> = seeds.into_iter().collect();
        for seed in &seeds {
            seed.check()?;
        }
        let nodes = graph.node_count();
        let runs = Regime::ALL.map(|regime| {
            [Bound::Low, Bound::High]
                .map(|bound| Run::new(regime.rule_on(graph.date()), bound, nodes))
        });
        let mut propagation = Propagation {
            graph: Arc::new(graph),
            seeds,
            seed_groups: Default::default(),
            seeds_of: HashMap::new(),
            persons: HashMap::new(),
            runs,
        };
        propagation.index_seeds();
        let all: Vec<u32> = (0..u32::try_from(nodes).unwrap_or(u32::MAX)).collect();
        let in_region = vec![true; nodes];
        let Propagation {
            graph,
            seed_groups,
            runs,
            ..
        } = &mut propagation;
        let jobs = runs
            .iter_mut()
            .zip(seed_groups.iter())
            .flat_map(|(runs, seeds)| runs.iter_mut().map(move |run| (run, seeds)));
        if nodes < PARALLEL_FROM {
            for (run, seeds) in jobs {
                run.recompute(graph, &all, &in_region, seeds);
            }
        } else {
            // The six runs are independent: one thread each, the cores share them.
            let (graph, all, in_region) = (&*graph, &all, &in_region);
            std::thread::scope(|scope| {
                for (run, seeds) in jobs {
                    scope.spawn(move || run.recompute(graph, all, in_region, seeds));
                }
            });
        }
        Ok(propagation)
    }

    /// The graph.
    pub fn graph(&self) -> &OwnershipGraph {
        &self.graph
    }

    /// The seeds.
    pub fn seeds(&self) -> &[Seed] {
        &self.seeds
    }

    /// Removes the seeds equal to one of `removed` (same entity, regime, listed id and kind
    /// of link) and adds `added` (a seed already there has its score updated), then brings
    /// the affected regimes to their new fixed point touching only what can change: a removal
    /// recomputes what is reachable from the removed seeds through blocked entities, an
    /// addition propagates from the new seed. Returns every entity whose status changed
    /// (blocked, certain, or listed: a delisted entity may stay blocked through its owners),
    /// in id and regime order.
    pub fn update_seeds(
        &mut self,
        added: impl IntoIterator<Item = Seed>,
        removed: &[Seed],
    ) -> Result<Vec<StatusChange>, Error> {
        let added: Vec<Seed> = added.into_iter().collect();
        for seed in &added {
            seed.check()?;
        }
        let mut removed_nodes: [Vec<u32>; 3] = Default::default();
        let mut added_nodes: [Vec<u32>; 3] = Default::default();
        let graph = &self.graph;
        let removed: hashbrown::HashSet<_> = removed.iter().map(Seed::key).collect();
        self.seeds.retain(|seed| {
            let gone = removed.contains(&seed.key());
            if gone && let Some(node) = graph.node(&seed.entity_id) {
                removed_nodes[seed.regime.index()].push(node);
            }
            !gone
        });
        let mut existing: HashMap<(String, Regime, String, bool), usize> = self
            .seeds
            .iter()
            .enumerate()
            .map(|(i, seed)| {
                let (entity, regime, listed, resolved) = seed.key();
                ((entity.to_owned(), regime, listed.to_owned(), resolved), i)
            })
            .collect();
        for seed in added {
            let (entity, regime, listed, resolved) = seed.key();
            let key = (entity.to_owned(), regime, listed.to_owned(), resolved);
            match existing.get(&key).and_then(|&i| self.seeds.get_mut(i)) {
                // Only the score moves: the link shown changes, the propagation does not.
                Some(same) => *same = seed,
                None => {
                    if let Some(node) = self.graph.node(&seed.entity_id) {
                        added_nodes[seed.regime.index()].push(node);
                    }
                    existing.insert(key, self.seeds.len());
                    self.seeds.push(seed);
                }
            }
        }
        // Whether the changed seed nodes were listed, from the seed maps not yet rebuilt.
        let mut listed_before: HashMap<(u32, Regime), bool> = HashMap::new();
        for regime in Regime::ALL {
            for &node in removed_nodes[regime.index()]
                .iter()
                .chain(&added_nodes[regime.index()])
            {
                listed_before.insert((node, regime), self.is_seed(node, regime));
            }
        }
        self.index_seeds();

        let mut changes = Vec::new();
        let mut in_region = Vec::new();
        for regime in Regime::ALL {
            let (removals, additions) =
                (&removed_nodes[regime.index()], &added_nodes[regime.index()]);
            if removals.is_empty() && additions.is_empty() {
                continue;
            }
            let seeds = &self.seed_groups[regime.index()];
            let mut journals = Vec::new();
            for run in &mut self.runs[regime.index()] {
                run.start_journal();
                if !removals.is_empty() {
                    let region = run.removal_region(&self.graph, removals);
                    if in_region.is_empty() {
                        in_region = vec![false; self.graph.node_count()];
                    }
                    for &node in &region {
                        if let Some(flag) = in_region.get_mut(node as usize) {
                            *flag = true;
                        }
                    }
                    run.recompute(&self.graph, &region, &in_region, seeds);
                    for &node in &region {
                        if let Some(flag) = in_region.get_mut(node as usize) {
                            *flag = false;
                        }
                    }
                }
                for &node in additions {
                    if let Some(groups) = seeds.get(&node) {
                        run.add_seed(&self.graph, node, groups);
                    }
                }
                journals.push(run.take_journal());
            }
            let [low, high] = [&journals[0], &journals[1]];
            let mut touched: Vec<u32> = low
                .keys()
                .chain(high.keys())
                .chain(removals)
                .chain(additions)
                .copied()
                .collect();
            touched.sort_unstable();
            touched.dedup();
            for node in touched {
                let verdict = self.verdict_of(node, regime);
                let was_blocked = high.get(&node).copied().unwrap_or(verdict.blocked);
                let was_certain = low.get(&node).copied().unwrap_or(verdict.certain);
                let was_listed = listed_before
                    .get(&(node, regime))
                    .copied()
                    .unwrap_or(verdict.listed);
                if (verdict.blocked, verdict.certain, verdict.listed)
                    != (was_blocked, was_certain, was_listed)
                {
                    changes.push(StatusChange {
                        entity_id: self.graph.id(node).to_owned(),
                        regime,
                        was_blocked,
                        blocked: verdict.blocked,
                        certain: verdict.certain,
                        was_listed,
                        listed: verdict.listed,
                    });
                }
            }
        }
        changes.sort_by(|a, b| (&a.entity_id, a.regime).cmp(&(&b.entity_id, b.regime)));
        Ok(changes)
    }

    /// What changed from `earlier` to this propagation for every entity of either graph:
    /// for a new version of the ownership data, or a new screening date (relations that
    /// ended or began), where the graph is rebuilt rather than updated. An entity absent from
    /// one side counts there as neither blocked nor listed. In id and regime order.
    pub fn changes_since(&self, earlier: &Propagation) -> Vec<StatusChange> {
        let status = |p: &Propagation, id: &str, regime: Regime| {
            p.verdict(id, regime)
                .map_or((false, false, false), |v| (v.blocked, v.certain, v.listed))
        };
        let mut all: Vec<String> = self.entity_ids().map(str::to_owned).collect();
        all.extend(
            earlier
                .entity_ids()
                .filter(|id| !self.graph.contains(id))
                .map(str::to_owned),
        );
        all.sort_unstable();
        let mut changes = Vec::new();
        for id in all {
            for regime in Regime::ALL {
                let before = status(earlier, &id, regime);
                let (was_blocked, _, was_listed) = before;
                let now = status(self, &id, regime);
                if before != now {
                    changes.push(StatusChange {
                        entity_id: id.clone(),
                        regime,
                        was_blocked,
                        blocked: now.0,
                        certain: now.1,
                        was_listed,
                        listed: now.2,
                    });
                }
            }
        }
        changes
    }

    /// Every entity of the graph, in no particular order.
    pub fn entity_ids(&self) -> impl Iterator<Item = &str> {
        let count = u32::try_from(self.graph.node_count()).unwrap_or(u32::MAX);
        (0..count).map(|node| self.graph.id(node))
    }

    /// The entity's verdict under `regime`, `None` when it is not in the graph.
    pub fn verdict(&self, entity_id: &str, regime: Regime) -> Option<RegimeVerdict> {
        self.graph
            .node(entity_id)
            .map(|node| self.verdict_of(node, regime))
    }

    /// Every entity blocked under some regime without being listed under it, in id order.
    pub fn blocked_unlisted(&self) -> Vec<BlockedEntity> {
        let mut out = Vec::new();
        for node in 0..u32::try_from(self.graph.node_count()).unwrap_or(u32::MAX) {
            let mut regimes = Vec::new();
            let mut certain = Vec::new();
            for regime in Regime::ALL {
                let runs = &self.runs[regime.index()];
                if !runs[1].is_blocked(node) || self.is_seed(node, regime) {
                    continue;
                }
                regimes.push(regime);
                if runs[0].is_blocked(node) {
                    certain.push(regime);
                }
            }
            if !regimes.is_empty() {
                out.push(BlockedEntity {
                    entity_id: self.graph.id(node).to_owned(),
                    regimes,
                    certain,
                });
            }
        }
        out.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));
        out
    }

    /// The entity's verdicts and the paths that explain them; `None` when it holds nothing
    /// and nothing holds it on the date.
    pub fn report(&self, entity_id: &str) -> Option<OwnershipReport> {
        let node = self.graph.node(entity_id)?;
        let (paths, paths_truncated) = self.paths(node);
        Some(OwnershipReport {
            entity_id: entity_id.to_owned(),
            date: self.graph.date(),
            regimes: RegimeVerdicts {
                ofac: self.verdict_of(node, Regime::Ofac),
                eu: self.verdict_of(node, Regime::Eu),
                uk: self.verdict_of(node, Regime::Uk),
            },
            paths,
            paths_truncated,
        })
    }

    fn verdict_of(&self, node: u32, regime: Regime) -> RegimeVerdict {
        let [low, high] = &self.runs[regime.index()];
        let share = |run: &Run| Share::from_ppm(run.share(node)).unwrap_or(Share::WHOLE);
        RegimeVerdict {
            blocked: high.is_blocked(node),
            certain: low.is_blocked(node),
            listed: self.is_seed(node, regime),
            share: share(high),
            share_low: share(low),
            control: high.rule().counts_control.then(|| high.controlled(node)),
        }
    }

    fn is_seed(&self, node: u32, regime: Regime) -> bool {
        self.seed_groups[regime.index()].contains_key(&node)
    }

    /// Rebuilds the seed maps from `seeds`.
    fn index_seeds(&mut self) {
        self.seed_groups = Default::default();
        self.seeds_of.clear();
        for (i, seed) in self.seeds.iter().enumerate() {
            let Some(node) = self.graph.node(&seed.entity_id) else {
                continue;
            };
            let group = if self.runs[seed.regime.index()][1].rule().aggregates_owners {
                0
            } else {
                let next = u32::try_from(self.persons.len()).unwrap_or(u32::MAX);
                *self
                    .persons
                    .entry(seed.listed_id().to_owned())
                    .or_insert(next)
            };
            let groups = self.seed_groups[seed.regime.index()]
                .entry(node)
                .or_default();
            if !groups.contains(&group) {
                groups.push(group);
            }
            self.seeds_of.entry(node).or_default().push(i);
        }
    }

    /// The regimes (bit per [`Regime::index`]) under which `node` is a seed.
    fn seed_mask(&self, node: u32) -> u8 {
        Regime::ALL
            .into_iter()
            .filter(|r| self.is_seed(node, *r))
            .fold(0, |mask, r| mask | 1 << r.index())
    }

    /// The paths from seeds to `node` (at most [`MAX_PATHS`], largest stakes first), and
    /// whether some were left out.
    fn paths(&self, node: u32) -> (Vec<OwnershipPath>, bool) {
        let mut walk = Walk {
            trail: Vec::new(),
            on_trail: vec![node],
            found: Vec::new(),
            truncated: false,
            budget: PATH_BUDGET,
        };
        self.walk(node, 0b111, &mut walk);
        let mut found = walk.found;
        found.sort_by(|a, b| {
            b.share
                .cmp(&a.share)
                .then(a.steps.len().cmp(&b.steps.len()))
                .then_with(|| {
                    let owners = |p: &OwnershipPath| {
                        p.steps.iter().map(|s| s.owner.clone()).collect::<Vec<_>>()
                    };
                    owners(a).cmp(&owners(b))
                })
        });
        let truncated = walk.truncated || found.len() > MAX_PATHS;
        found.truncate(MAX_PATHS);
        (found, truncated)
    }

    /// Depth-first from `asset` up its blocked owners, in the regimes of `mask`, the largest
    /// stakes first, so that a search cut short keeps the paths that weigh most.
    fn walk(&self, asset: u32, mask: u8, walk: &mut Walk) {
        let mut owners: Vec<Edge> = self.graph.owners(asset).to_vec();
        owners.sort_by_key(|edge| std::cmp::Reverse((edge.high, edge.low)));
        for edge in owners {
            if walk.budget == 0 || walk.found.len() > MAX_PATHS {
                walk.truncated = true;
                return;
            }
            walk.budget -= 1;
            let owner = edge.node;
            if walk.on_trail.contains(&owner) {
                continue;
            }
            let counts = Regime::ALL
                .into_iter()
                .filter(|r| mask & (1 << r.index()) != 0)
                .filter(|r| self.runs[r.index()][1].is_blocked(owner))
                .filter(|r| !edge.is_control() || self.runs[r.index()][1].rule().counts_control)
                .fold(0u8, |m, r| m | 1 << r.index());
            if counts == 0 {
                continue;
            }
            walk.trail.push((asset, edge));
            let seeded = counts & self.seed_mask(owner);
            if seeded != 0 {
                walk.found.push(self.path(&walk.trail, seeded));
            }
            let further = counts & !seeded;
            if further != 0 {
                if walk.trail.len() < MAX_PATH_LENGTH {
                    walk.on_trail.push(owner);
                    self.walk(owner, further, walk);
                    walk.on_trail.pop();
                } else {
                    walk.truncated = true;
                }
            }
            walk.trail.pop();
        }
    }

    /// The path of `trail` (from the entity up to a seed), for the regimes of `mask`.
    fn path(&self, trail: &[(u32, Edge)], mask: u8) -> OwnershipPath {
        let regimes: Vec<Regime> = Regime::ALL
            .into_iter()
            .filter(|r| mask & (1 << r.index()) != 0)
            .collect();
        let steps: Vec<PathStep> = trail
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &(asset, edge))| {
                let stake = edge.stake();
                PathStep {
                    owner: self.graph.id(edge.node).to_owned(),
                    asset: self.graph.id(asset).to_owned(),
                    kind: if edge.is_control() {
                        RelationKind::Control
                    } else {
                        RelationKind::Ownership
                    },
                    percentage: stake.map(|s| s.high),
                    percentage_low: stake.map(|s| s.low),
                    role: self.graph.role(edge).map(str::to_owned),
                    link: if i == 0 {
                        self.seed_link(edge.node, &regimes)
                    } else {
                        StepLink::Ownership
                    },
                }
            })
            .collect();
        let last = trail.first().and_then(|(_, edge)| edge.stake());
        OwnershipPath {
            share: last.map(|s| s.high),
            share_low: last.map(|s| s.low),
            regimes,
            steps,
        }
    }

    /// The strongest tie of a seed node to a listed party in one of `regimes`: a listing
    /// before a resolution, a higher score before a lower one.
    fn seed_link(&self, node: u32, regimes: &[Regime]) -> StepLink {
        let rank = |seed: &Seed| match seed.link {
            SeedLink::Listed { .. } => 2.0,
            SeedLink::Resolved { score, .. } => score,
        };
        self.seeds_of
            .get(&node)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.seeds.get(i))
            .filter(|seed| regimes.contains(&seed.regime))
            .max_by(|a, b| rank(a).total_cmp(&rank(b)))
            .map_or(StepLink::Ownership, |seed| StepLink::from(&seed.link))
    }
}

/// The state of one path search.
struct Walk {
    /// (asset, in-edge from its owner), from the entity up.
    trail: Vec<(u32, Edge)>,
    on_trail: Vec<u32>,
    found: Vec<OwnershipPath>,
    truncated: bool,
    budget: usize,
}
