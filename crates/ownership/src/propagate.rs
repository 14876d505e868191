//! Propagation of blocked status through the graph, per regime and per bound of the stakes,
//! to the least fixed point; and its incremental recomputation after the seeds change.
//!
//! Each blocked party is expanded once per *group* it is blocked for: under an aggregating
//! rule (OFAC, EU) there is one group, all blocked owners together; under the UK rule a group
//! is one designated person, so that only that person's holdings (direct, or through entities
//! blocked through that person) add up. Each expansion adds the party's stake in each asset to
//! the asset's share for that group and blocks the asset for the group once the rule is met;
//! blocked assets are expanded in turn. Shares only grow and every (party, group) is expanded
//! at most once, so the work is linear in the edges times the groups per party (one, except
//! for UK parties held by several designated persons), and cycles end: an entity in a cycle
//! is blocked only by what blocked parties hold, never by its own stake coming back round.

use hashbrown::HashMap;

use crate::graph::{Edge, OwnershipGraph};
use crate::regime::RegimeRule;

/// Which end of each stake a run adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// The lower ends: what is certain.
    Low,
    /// The upper ends: the conservative verdict.
    High,
}

/// What blocked parties of one group hold of one entity.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GroupState {
    /// The group: 0 under an aggregating rule, else the designated person's number.
    pub(crate) group: u32,
    /// Sum of the group's (non-joint) stakes, in parts per million.
    pub(crate) share: u32,
    /// Whether a party blocked for the group controls the entity.
    pub(crate) controlled: bool,
    /// Whether the group holds stakes in the entity jointly, so the joint pool counts too.
    pub(crate) joint: bool,
    /// Whether the entity is blocked for the group (and has been expanded for it).
    pub(crate) blocked: bool,
}

/// One regime's propagation on one bound.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    rule: RegimeRule,
    bound: Bound,
    /// Per node, the groups whose blocked parties hold or control it; none for most nodes.
    groups: Groups,
    /// Per node, the stakes held jointly by blocked parties (rules that do not aggregate).
    joint_pool: Vec<u32>,
    /// Per node, whether it is blocked for some group.
    blocked: Vec<bool>,
    /// Per node, whether it has been expanded for some group (its joint stakes are counted
    /// at its first expansion only).
    expanded: Vec<bool>,
    /// Written instead of a node out of range, which the graph never gives.
    scratch: GroupState,
    /// While an update runs: the nodes whose blocked status changed, with the old status.
    journal: Option<HashMap<u32, bool>>,
}

impl Run {
    pub(crate) fn new(rule: RegimeRule, bound: Bound, nodes: usize) -> Run {
        Run {
            rule,
            bound,
            groups: Groups::new(nodes),
            joint_pool: if rule.aggregates_owners {
                Vec::new()
            } else {
                vec![0; nodes]
            },
            blocked: vec![false; nodes],
            expanded: vec![false; nodes],
            scratch: GroupState {
                group: 0,
                share: 0,
                controlled: false,
                joint: false,
                blocked: false,
            },
            journal: None,
        }
    }

    pub(crate) fn rule(&self) -> RegimeRule {
        self.rule
    }

    pub(crate) fn is_blocked(&self, node: u32) -> bool {
        self.blocked.get(node as usize).copied().unwrap_or(false)
    }

    /// The largest share any one group holds (all blocked owners under an aggregating rule),
    /// in parts per million, capped at the whole.
    pub(crate) fn share(&self, node: u32) -> u32 {
        let pool = self.joint_pool.get(node as usize).copied().unwrap_or(0);
        self.groups
            .of(node)
            .map(|g| g.share.saturating_add(if g.joint { pool } else { 0 }))
            .max()
            .unwrap_or(0)
            .min(1_000_000)
    }

    /// Whether a blocked party controls the node.
    pub(crate) fn controlled(&self, node: u32) -> bool {
        self.groups.of(node).any(|g| g.controlled)
    }

    /// Recomputes the nodes of `region`, which must hold every asset of a region node that
    /// is blocked before or after (all nodes, or a [`Run::removal_region`]): everything
    /// outside keeps its state and feeds the region through its stakes. `seeds` gives the
    /// groups each seed node is blocked for.
    pub(crate) fn recompute(
        &mut self,
        graph: &OwnershipGraph,
        region: &[u32],
        in_region: &[bool],
        seeds: &HashMap<u32, Vec<u32>>,
    ) {
        for &node in region {
            let n = node as usize;
            self.groups.clear(node);
            if let Some(pool) = self.joint_pool.get_mut(n) {
                *pool = 0;
            }
            self.set_blocked(node, false);
            if let Some(flag) = self.expanded.get_mut(n) {
                *flag = false;
            }
        }
        let mut queue: Vec<(u32, u32)> = Vec::new();
        let outside = |node: u32| !in_region.get(node as usize).copied().unwrap_or(false);
        for &asset in region {
            for &edge in graph.owners(asset) {
                let owner = edge.node;
                if !outside(owner) || !self.is_blocked(owner) {
                    continue;
                }
                let owner_groups: Vec<u32> = self
                    .groups
                    .of(owner)
                    .filter(|g| g.blocked)
                    .map(|g| g.group)
                    .collect();
                for (i, group) in owner_groups.into_iter().enumerate() {
                    let as_asset_edge = Edge {
                        node: asset,
                        ..edge
                    };
                    self.contribute(as_asset_edge, group, i == 0, &mut queue);
                }
            }
        }
        for &node in region {
            for &group in seeds.get(&node).into_iter().flatten() {
                self.block(node, group, &mut queue);
            }
        }
        self.drain(graph, queue);
    }

    /// Blocks `node` for each of `groups` (a new seed) and propagates what follows. Blocking
    /// only adds, so from a fixed point this reaches the fixed point with the new seed,
    /// touching only what it newly blocks.
    pub(crate) fn add_seed(&mut self, graph: &OwnershipGraph, node: u32, groups: &[u32]) {
        let mut queue = Vec::new();
        for &group in groups {
            self.block(node, group, &mut queue);
        }
        self.drain(graph, queue);
    }

    /// What removing the seeds at `nodes` may change: the nodes reachable from them through
    /// blocked nodes, and the assets of those. Whatever lies outside neither received
    /// anything from inside nor can (only blocked nodes pass stakes on, and after a removal
    /// nothing inside is blocked that was not before), so recomputing this region alone is
    /// exact.
    pub(crate) fn removal_region(&self, graph: &OwnershipGraph, nodes: &[u32]) -> Vec<u32> {
        let mut seen: hashbrown::HashSet<u32> = nodes.iter().copied().collect();
        let mut stack: Vec<u32> = seen.iter().copied().collect();
        while let Some(node) = stack.pop() {
            if !self.is_blocked(node) {
                continue;
            }
            for edge in graph.assets(node) {
                if seen.insert(edge.node) {
                    stack.push(edge.node);
                }
            }
        }
        let mut region: Vec<u32> = seen.into_iter().collect();
        region.sort_unstable();
        region
    }

    /// Starts recording the nodes whose blocked status changes, with what it was.
    pub(crate) fn start_journal(&mut self) {
        self.journal = Some(HashMap::new());
    }

    /// The nodes whose blocked status changed since [`Run::start_journal`], with what it
    /// was before (some may have changed back).
    pub(crate) fn take_journal(&mut self) -> HashMap<u32, bool> {
        self.journal.take().unwrap_or_default()
    }

    fn set_blocked(&mut self, node: u32, blocked: bool) {
        if let Some(flag) = self.blocked.get_mut(node as usize) {
            if let Some(journal) = &mut self.journal {
                journal.entry(node).or_insert(*flag);
            }
            *flag = blocked;
        }
    }

    /// Expands the queued (party, group) pairs until nothing more is blocked.
    fn drain(&mut self, graph: &OwnershipGraph, mut queue: Vec<(u32, u32)>) {
        while let Some((owner, group)) = queue.pop() {
            let first = match self.expanded.get_mut(owner as usize) {
                Some(flag) => !std::mem::replace(flag, true),
                None => continue,
            };
            for &edge in graph.assets(owner) {
                self.contribute(edge, group, first, &mut queue);
            }
        }
    }

    /// Adds what a party blocked for `group` holds through `edge` (whose `node` is the
    /// asset); `first` is whether this is the party's first group, when its joint stakes
    /// count.
    fn contribute(&mut self, edge: Edge, group: u32, first: bool, queue: &mut Vec<(u32, u32)>) {
        let asset = edge.node;
        if edge.is_control() {
            if !self.rule.counts_control {
                return;
            }
            self.group_mut(asset, group).controlled = true;
            self.check(asset, group, queue);
            return;
        }
        let stake = match self.bound {
            Bound::Low => edge.low,
            Bound::High => edge.high,
        };
        if edge.is_joint() && !self.rule.aggregates_owners {
            if first && let Some(pool) = self.joint_pool.get_mut(asset as usize) {
                *pool = pool.saturating_add(stake);
            }
            self.group_mut(asset, group).joint = true;
            // The pool grew: every group in it may now reach the threshold.
            let joint_groups: Vec<u32> = self
                .groups
                .of(asset)
                .filter(|g| g.joint)
                .map(|g| g.group)
                .collect();
            for joint_group in joint_groups {
                self.check(asset, joint_group, queue);
            }
            return;
        }
        let state = self.group_mut(asset, group);
        state.share = state.share.saturating_add(stake);
        self.check(asset, group, queue);
    }

    /// Blocks `node` for `group` if the group's holding meets the rule or it controls it.
    fn check(&mut self, node: u32, group: u32, queue: &mut Vec<(u32, u32)>) {
        let pool = self.joint_pool.get(node as usize).copied().unwrap_or(0);
        let rule = self.rule;
        let state = self.group_mut(node, group);
        if state.blocked {
            return;
        }
        let share = state
            .share
            .saturating_add(if state.joint { pool } else { 0 })
            .min(1_000_000);
        let meets = interdict_model::Share::from_ppm(share).is_some_and(|s| rule.meets(s));
        if meets || state.controlled {
            self.block(node, group, queue);
        }
    }

    fn block(&mut self, node: u32, group: u32, queue: &mut Vec<(u32, u32)>) {
        let state = self.group_mut(node, group);
        if state.blocked {
            return;
        }
        state.blocked = true;
        self.set_blocked(node, true);
        queue.push((node, group));
    }

    /// The node's state for `group`, added when missing. Nodes come from the graph, so they
    /// are in range; a stray one gets a scratch state that nothing reads.
    fn group_mut(&mut self, node: u32, group: u32) -> &mut GroupState {
        let fresh = GroupState {
            group,
            share: 0,
            controlled: false,
            joint: false,
            blocked: false,
        };
        match self.groups.get_or_insert(node, fresh) {
            Some(state) => state,
            None => {
                self.scratch = fresh;
                &mut self.scratch
            }
        }
    }
}

/// The groups' states of every node, laid out so that a copy of the run is a few flat
/// copies: each node's first group in a dense array (most nodes have none or one), the
/// further ones (UK nodes held by several designated persons) in a map.
#[derive(Debug, Clone)]
struct Groups {
    /// Per node, its first group's state; [`NO_GROUP`] as the group when it has none.
    first: Vec<GroupState>,
    /// The groups after the first, of the nodes that have several.
    more: HashMap<u32, Vec<GroupState>>,
}

/// The group of a node's empty first slot.
const NO_GROUP: u32 = u32::MAX;

impl Groups {
    fn new(nodes: usize) -> Groups {
        let empty = GroupState {
            group: NO_GROUP,
            share: 0,
            controlled: false,
            joint: false,
            blocked: false,
        };
        Groups {
            first: vec![empty; nodes],
            more: HashMap::new(),
        }
    }

    /// The node's groups.
    fn of(&self, node: u32) -> impl Iterator<Item = &GroupState> {
        self.first
            .get(node as usize)
            .filter(|g| g.group != NO_GROUP)
            .into_iter()
            .chain(self.more.get(&node).into_iter().flatten())
    }

    /// Forgets the node's groups.
    fn clear(&mut self, node: u32) {
        if let Some(first) = self.first.get_mut(node as usize) {
            first.group = NO_GROUP;
            first.share = 0;
            first.controlled = false;
            first.joint = false;
            first.blocked = false;
        }
        self.more.remove(&node);
    }

    /// The node's state for `fresh.group`, `fresh` added when missing; `None` for a node out
    /// of range.
    fn get_or_insert(&mut self, node: u32, fresh: GroupState) -> Option<&mut GroupState> {
        let first = self.first.get_mut(node as usize)?;
        if first.group == fresh.group {
            return Some(first);
        }
        if first.group == NO_GROUP {
            *first = fresh;
            return Some(first);
        }
        let more = self.more.entry(node).or_default();
        match more.iter().position(|g| g.group == fresh.group) {
            Some(i) => more.get_mut(i),
            None => {
                more.push(fresh);
                more.last_mut()
            }
        }
    }
}
