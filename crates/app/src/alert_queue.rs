//! The review queue: alerts filtered by status, list and score, sorted and paged, with the
//! count of alerts in each status, as a reviewer's screen shows them. The counts are taken
//! over the whole queue, not the filtered page, so the reviewer sees what waits elsewhere.

use std::str::FromStr;

use interdict_store::{AlertFilter, AlertStatus, Decision, Store};

use crate::Error;
use crate::contract::AlertJson;

/// Which alerts of the queue to show, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueStatus {
    /// Alerts in this status.
    Status(AlertStatus),
    /// Alerts with a decision waiting for a second person.
    Pending,
}

impl QueueStatus {
    /// The name used in links and forms: a status name, or `pending`.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueStatus::Status(status) => status.as_str(),
            QueueStatus::Pending => "pending",
        }
    }

    /// Every choice, in the order a queue shows them: what waits first.
    pub const ALL: [QueueStatus; 6] = [
        QueueStatus::Status(AlertStatus::Open),
        QueueStatus::Pending,
        QueueStatus::Status(AlertStatus::Escalated),
        QueueStatus::Status(AlertStatus::TrueMatch),
        QueueStatus::Status(AlertStatus::FalsePositive),
        QueueStatus::Status(AlertStatus::Closed),
    ];
}

impl FromStr for QueueStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().eq_ignore_ascii_case("pending") {
            Ok(QueueStatus::Pending)
        } else {
            s.parse().map(QueueStatus::Status)
        }
    }
}

/// How the queue is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueOrder {
    /// Highest score first (ties: oldest first), the default: likeliest hits first.
    #[default]
    Score,
    /// Most recently changed first.
    Newest,
    /// Oldest first: what has waited longest.
    Oldest,
}

impl QueueOrder {
    /// The name used in links and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueOrder::Score => "score",
            QueueOrder::Newest => "newest",
            QueueOrder::Oldest => "oldest",
        }
    }
}

impl FromStr for QueueOrder {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "" | "score" => Ok(QueueOrder::Score),
            "newest" => Ok(QueueOrder::Newest),
            "oldest" => Ok(QueueOrder::Oldest),
            other => Err(format!("unknown order {other:?} (score, newest or oldest)")),
        }
    }
}

/// What part of the queue to show.
#[derive(Debug, Clone, Default)]
pub struct QueueRequest {
    /// Only alerts in this status; `None`: every status.
    pub status: Option<QueueStatus>,
    /// Only alerts on this list.
    pub list: Option<String>,
    /// Only alerts scoring at least this much, in [0, 1].
    pub min_score: Option<f64>,
    /// The order.
    pub order: QueueOrder,
    /// The page, from 1.
    pub page: usize,
    /// Alerts a page (at least 1; at most [`MAX_PAGE_SIZE`]).
    pub page_size: usize,
}

/// The most alerts one page shows.
pub const MAX_PAGE_SIZE: usize = 500;

/// One page of the queue.
#[derive(Debug, Clone)]
pub struct AlertQueue {
    /// The alerts of the page, in order.
    pub alerts: Vec<AlertJson>,
    /// Alerts matching the filter, over every page.
    pub matching: usize,
    /// The page shown, from 1.
    pub page: usize,
    /// Pages in all (at least 1).
    pub pages: usize,
    /// Alerts in each status of [`QueueStatus::ALL`], in that order, over the whole queue.
    pub counts: Vec<(QueueStatus, usize)>,
    /// The lists that alerts are on, sorted: the choices of the list filter.
    pub lists: Vec<String>,
}

/// One page of the queue. A minimum score outside [0, 1] is a fault of `min_score`.
pub async fn queue(store: &Store, request: &QueueRequest) -> Result<AlertQueue, Error> {
    if let Some(score) = request.min_score
        && !(0.0..=1.0).contains(&score)
    {
        return Err(Error::invalid("min_score", "give a score from 0 to 1"));
    }
    let all = store.alerts(&AlertFilter::default()).await?;
    let counts = QueueStatus::ALL
        .into_iter()
        .map(|wanted| {
            let n = all.iter().filter(|a| in_status(a, wanted)).count();
            (wanted, n)
        })
        .collect();
    let mut lists: Vec<String> = all.iter().map(|a| a.list.clone()).collect();
    lists.sort();
    lists.dedup();
    let mut chosen: Vec<_> = all
        .iter()
        .filter(|a| request.status.is_none_or(|s| in_status(a, s)))
        .filter(|a| request.list.as_deref().is_none_or(|l| a.list == l))
        .filter(|a| request.min_score.is_none_or(|s| a.score >= s))
        .collect();
    match request.order {
        QueueOrder::Score => chosen.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.created_at.cmp(&b.created_at))
                .then(a.id.cmp(&b.id))
        }),
        QueueOrder::Newest => {
            chosen.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
        }
        QueueOrder::Oldest => {
            chosen.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        }
    }
    let page_size = request.page_size.clamp(1, MAX_PAGE_SIZE);
    let pages = chosen.len().div_ceil(page_size).max(1);
    let page = request.page.clamp(1, pages);
    let alerts = chosen
        .iter()
        .skip((page - 1) * page_size)
        .take(page_size)
        .map(|a| AlertJson::from(*a))
        .collect();
    Ok(AlertQueue {
        alerts,
        matching: chosen.len(),
        page,
        pages,
        counts,
        lists,
    })
}

/// A decision taken over many alerts at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkDecision {
    /// Propose "true match" on each (each still needs its approval).
    Propose(Decision),
    /// Escalate each.
    Escalate,
}

/// What a bulk decision did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    /// The alerts it was taken on.
    pub done: Vec<i64>,
    /// The alerts it was refused on, with why (already decided, a proposal pending, ...).
    pub refused: Vec<(i64, String)>,
}

/// Takes `decision` with `note` on each of `ids` as `actor`, alert by alert: a proposal
/// still needs another user's approval on each alert, exactly as one proposed alone. An
/// alert the store refuses (decided meanwhile, a proposal already pending) is reported and
/// the others go on; a failure of the store stops the run. At most [`MAX_PAGE_SIZE`] alerts,
/// the most one page of the queue shows.
pub async fn decide_all(
    store: &Store,
    ids: &[i64],
    decision: BulkDecision,
    actor: &str,
    note: &str,
) -> Result<BulkOutcome, Error> {
    if ids.is_empty() {
        return Err(Error::invalid("ids", "no alert is selected"));
    }
    if ids.len() > MAX_PAGE_SIZE {
        return Err(Error::invalid(
            "ids",
            format!("at most {MAX_PAGE_SIZE} alerts at once"),
        ));
    }
    if note.trim().is_empty() {
        return Err(Error::invalid("note", "a note is required"));
    }
    let mut outcome = BulkOutcome::default();
    for &id in ids {
        let result = crate::alerts::act(store, id, decision, actor, note).await;
        match result {
            Ok(_) => outcome.done.push(id),
            Err(error) if error.is_user_error() => outcome.refused.push((id, error.to_string())),
            Err(error) => return Err(error.into()),
        }
    }
    Ok(outcome)
}

fn in_status(alert: &interdict_store::Alert, wanted: QueueStatus) -> bool {
    match wanted {
        QueueStatus::Status(status) => alert.status == status,
        QueueStatus::Pending => alert.pending.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_orders_parse_from_their_names() {
        for status in QueueStatus::ALL {
            assert_eq!(status.as_str().parse::<QueueStatus>(), Ok(status));
        }
        assert!("nonsense".parse::<QueueStatus>().is_err());
        assert_eq!("".parse::<QueueOrder>(), Ok(QueueOrder::Score));
        assert_eq!("oldest".parse::<QueueOrder>(), Ok(QueueOrder::Oldest));
        assert!("random".parse::<QueueOrder>().is_err());
    }
}
