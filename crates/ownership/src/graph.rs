//! The ownership graph at one screening date: the relations that hold on it, as compact edges
//! indexed both ways (what an entity owns, who owns it).

use hashbrown::HashMap;
use interdict_model::{PartialDate, Relation, RelationKind, Share, Stake};

/// An edge as the propagation reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    /// The other end: the asset on an out-edge, the owner on an in-edge.
    pub(crate) node: u32,
    /// The stake's lower bound in parts per million (0 for control).
    pub(crate) low: u32,
    /// The stake's upper bound in parts per million (0 for control).
    pub(crate) high: u32,
    /// [`CONTROL`] and [`JOINT`].
    pub(crate) flags: u8,
    /// The role's index in the graph's role table, or [`NO_ROLE`].
    pub(crate) role: u32,
}

pub(crate) const CONTROL: u8 = 1;
pub(crate) const JOINT: u8 = 2;
pub(crate) const NO_ROLE: u32 = u32::MAX;

impl Edge {
    pub(crate) fn is_control(self) -> bool {
        self.flags & CONTROL != 0
    }

    pub(crate) fn is_joint(self) -> bool {
        self.flags & JOINT != 0
    }

    /// The stake, `None` for control.
    pub(crate) fn stake(self) -> Option<Stake> {
        if self.is_control() {
            return None;
        }
        let low = Share::from_ppm(self.low)?;
        let high = Share::from_ppm(self.high)?;
        Stake::range(low, high)
    }
}

/// One edge while building: both ends.
#[derive(Debug, Clone, Copy)]
struct PendingEdge {
    owner: u32,
    asset: u32,
    edge: Edge,
}

/// Collects the relations that hold on a date into an [`OwnershipGraph`].
#[derive(Debug)]
pub struct GraphBuilder {
    date: PartialDate,
    ids: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
    roles: Vec<String>,
    role_index: HashMap<String, u32>,
    edges: Vec<PendingEdge>,
    skipped: usize,
}

impl GraphBuilder {
    /// An empty graph for screening on `date`.
    pub fn new(date: PartialDate) -> GraphBuilder {
        GraphBuilder {
            date,
            ids: Vec::new(),
            index: HashMap::new(),
            roles: Vec::new(),
            role_index: HashMap::new(),
            edges: Vec::new(),
            skipped: 0,
        }
    }

    /// Adds `relation` if it holds on the graph's date (ended and future relations are left
    /// out, and counted); returns whether it was added. A relation of an entity with itself
    /// (treasury shares) is left out too: it says nothing about who else holds the entity.
    pub fn add_relation(&mut self, relation: &Relation) -> bool {
        if !relation.active_on(self.date) || relation.owner == relation.asset {
            self.skipped += 1;
            return false;
        }
        let role = match &relation.role {
            Some(role) => self.role(role),
            None => NO_ROLE,
        };
        self.push(
            &relation.owner,
            &relation.asset,
            relation.kind,
            relation.stake,
            relation.joint,
            role,
        );
        true
    }

    /// Adds an edge that holds on the graph's date, without a [`Relation`] around it (for
    /// generated graphs). An ownership without a stake is 0–100%.
    pub fn add_edge(
        &mut self,
        owner: &str,
        asset: &str,
        kind: RelationKind,
        stake: Option<Stake>,
        joint: bool,
    ) {
        if owner == asset {
            self.skipped += 1;
            return;
        }
        self.push(owner, asset, kind, stake, joint, NO_ROLE);
    }

    fn push(
        &mut self,
        owner: &str,
        asset: &str,
        kind: RelationKind,
        stake: Option<Stake>,
        joint: bool,
        role: u32,
    ) {
        let owner = self.node(owner);
        let asset = self.node(asset);
        let (low, high, mut flags) = match kind {
            RelationKind::Ownership => {
                let stake = stake.unwrap_or_else(Stake::unknown);
                (stake.low.ppm(), stake.high.ppm(), 0)
            }
            RelationKind::Control => (0, 0, CONTROL),
        };
        if joint {
            flags |= JOINT;
        }
        self.edges.push(PendingEdge {
            owner,
            asset,
            edge: Edge {
                node: asset,
                low,
                high,
                flags,
                role,
            },
        });
    }

    /// The node of `id`, added when new. A graph has fewer than 2³² nodes.
    fn node(&mut self, id: &str) -> u32 {
        if let Some(&node) = self.index.get(id) {
            return node;
        }
        let node = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        let id: Box<str> = id.into();
        self.ids.push(id.clone());
        self.index.insert(id, node);
        node
    }

    fn role(&mut self, role: &str) -> u32 {
        if let Some(&index) = self.role_index.get(role) {
            return index;
        }
        let index = u32::try_from(self.roles.len()).unwrap_or(NO_ROLE);
        self.roles.push(role.to_owned());
        self.role_index.insert(role.to_owned(), index);
        index
    }

    /// The graph. Relations of the same kind between the same owner and asset that hold at
    /// once become one edge with the larger stake: sources repeat a holding (two datasets, two
    /// filings) far more often than they split one into share classes, and adding repeats
    /// would block on double counting.
    pub fn build(mut self) -> OwnershipGraph {
        self.edges
            .sort_unstable_by_key(|p| (p.owner, p.asset, p.edge.flags & CONTROL));
        let mut merged: Vec<PendingEdge> = Vec::with_capacity(self.edges.len());
        for pending in self.edges {
            match merged.last_mut() {
                Some(last)
                    if last.owner == pending.owner
                        && last.asset == pending.asset
                        && last.edge.is_control() == pending.edge.is_control() =>
                {
                    last.edge.low = last.edge.low.max(pending.edge.low);
                    last.edge.high = last.edge.high.max(pending.edge.high);
                    last.edge.flags |= pending.edge.flags;
                    if last.edge.role == NO_ROLE {
                        last.edge.role = pending.edge.role;
                    }
                }
                _ => merged.push(pending),
            }
        }
        let nodes = self.ids.len();
        let out = Adjacency::build(nodes, &merged, |p| p.owner, |p| p.edge);
        let into = Adjacency::build(
            nodes,
            &merged,
            |p| p.asset,
            |p| Edge {
                node: p.owner,
                ..p.edge
            },
        );
        OwnershipGraph {
            date: self.date,
            ids: self.ids,
            index: self.index,
            roles: self.roles,
            out,
            into,
            skipped: self.skipped,
        }
    }
}

/// Edges grouped by node (compressed sparse rows).
#[derive(Debug, Clone, Default)]
struct Adjacency {
    starts: Vec<usize>,
    edges: Vec<Edge>,
}

impl Adjacency {
    fn build(
        nodes: usize,
        pending: &[PendingEdge],
        key: impl Fn(&PendingEdge) -> u32,
        edge: impl Fn(&PendingEdge) -> Edge,
    ) -> Adjacency {
        let mut starts = vec![0usize; nodes + 1];
        for p in pending {
            starts[key(p) as usize + 1] += 1;
        }
        for i in 0..nodes {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let filler = Edge {
            node: 0,
            low: 0,
            high: 0,
            flags: 0,
            role: NO_ROLE,
        };
        let mut edges = vec![filler; pending.len()];
        for p in pending {
            let slot = &mut next[key(p) as usize];
            edges[*slot] = edge(p);
            *slot += 1;
        }
        Adjacency { starts, edges }
    }

    fn of(&self, node: u32) -> &[Edge] {
        let node = node as usize;
        match (self.starts.get(node), self.starts.get(node + 1)) {
            (Some(&start), Some(&end)) => self.edges.get(start..end).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// The relations that hold on one date, as a graph of entity ids.
#[derive(Debug, Clone)]
pub struct OwnershipGraph {
    date: PartialDate,
    ids: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
    roles: Vec<String>,
    out: Adjacency,
    into: Adjacency,
    skipped: usize,
}

impl OwnershipGraph {
    /// The graph of the `relations` that hold on `date`.
    pub fn from_relations<'a>(
        relations: impl IntoIterator<Item = &'a Relation>,
        date: PartialDate,
    ) -> OwnershipGraph {
        let mut builder = GraphBuilder::new(date);
        for relation in relations {
            builder.add_relation(relation);
        }
        builder.build()
    }

    /// The screening date.
    pub fn date(&self) -> PartialDate {
        self.date
    }

    /// Number of entities (owners and assets).
    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// Number of edges, after merging repeated relations.
    pub fn edge_count(&self) -> usize {
        self.out.edges.len()
    }

    /// Relations left out: not holding on the date, or of an entity with itself.
    pub fn skipped_relations(&self) -> usize {
        self.skipped
    }

    /// Whether `entity_id` owns, controls or is held by anything on the date.
    pub fn contains(&self, entity_id: &str) -> bool {
        self.index.contains_key(entity_id)
    }

    pub(crate) fn node(&self, entity_id: &str) -> Option<u32> {
        self.index.get(entity_id).copied()
    }

    pub(crate) fn id(&self, node: u32) -> &str {
        self.ids.get(node as usize).map_or("", |id| id)
    }

    pub(crate) fn role(&self, edge: Edge) -> Option<&str> {
        self.roles.get(edge.role as usize).map(String::as_str)
    }

    /// What `node` owns or controls.
    pub(crate) fn assets(&self, node: u32) -> &[Edge] {
        self.out.of(node)
    }

    /// Who owns or controls `node`.
    pub(crate) fn owners(&self, node: u32) -> &[Edge] {
        self.into.of(node)
    }
}
