//! Ownership on the UI's pages: an entity's verdict per regime (OFAC, EU, UK: blocked,
//! share, control) and the paths from its blocked owners, each step linked to its party's
//! page and saying how the owner is tied to a listed party ("resolved, score 0.93" when the
//! matcher took a registry party for a listed one); the ownership basis of a screening hit;
//! and the relations a list version added, removed and changed. Everything shown comes from
//! the application layer (`interdict_app::ownership`, `interdict_app::lists`), the JSON the
//! API answers.

use interdict_app::contract::{RelationChangeJson, RelationDiffJson, RelationJson};
#[cfg(test)]
use interdict_app::ownership::StepLinkJson;
use interdict_app::ownership::{
    OwnershipHitJson, OwnershipJson, OwnershipPathJson, PathStepJson, RegimeJson, RegimesJson,
};
use maud::{Markup, html};

/// A fraction 0–1 as a percentage without needless decimals: `60 %`, `33.33 %`.
pub(crate) fn share(fraction: f64) -> String {
    let text = format!("{:.2}", fraction * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} %")
}

/// A stake with its range when the bounds differ: `60 %`, `25–50 %`.
fn stake(high: f64, low: Option<f64>) -> String {
    match low {
        Some(low) if (high - low).abs() > 1e-9 => {
            format!("{}–{}", share(low).trim_end_matches(" %"), share(high))
        }
        _ => share(high),
    }
}

/// How a regime's verdict reads: listed, blocked by ownership or control, or not blocked.
fn verdict_text(verdict: &RegimeJson) -> String {
    if verdict.listed {
        "blocked: listed".to_owned()
    } else if !verdict.blocked {
        "not blocked".to_owned()
    } else {
        let why = if verdict.control == Some(true) && verdict.share < 0.5 {
            "blocked: controlled by blocked parties"
        } else {
            "blocked: owned by blocked parties"
        };
        if verdict.certain {
            why.to_owned()
        } else {
            format!("{why} (at the ranges' upper bounds only)")
        }
    }
}

/// The verdict per regime as a table: blocked, the share blocked parties hold, control.
pub(crate) fn regimes_table(regimes: &RegimesJson) -> Markup {
    html! {
        table.regimes {
            thead { tr {
                th scope="col" { "Regime" } th scope="col" { "Verdict" }
                th scope="col" { "Share held by blocked parties" } th scope="col" { "Control" }
            } }
            tbody {
                @for (key, label, verdict) in [("ofac", "OFAC", &regimes.ofac), ("eu", "EU", &regimes.eu), ("uk", "UK", &regimes.uk)] {
                    tr data-regime=(key) {
                        th scope="row" { (label) }
                        td.verdict { @if verdict.blocked { strong { (verdict_text(verdict)) } } @else { (verdict_text(verdict)) } }
                        td.num { (stake(verdict.share, Some(verdict.share_low))) }
                        td { @match verdict.control {
                            Some(true) => strong { "yes" },
                            Some(false) => "no",
                            None => "— (no control test)",
                        } }
                    }
                }
            }
        }
    }
}

/// A party on a path: its name linked to its page, and its id.
fn party(id: &str, name: Option<&str>) -> Markup {
    html! {
        a href={ "/ui/entities/" (id) } { (name.unwrap_or(id)) }
        @if name.is_some() { " " code { (id) } }
    }
}

/// How a step's owner is tied to a listed party.
fn link_text(step: &PathStepJson) -> Markup {
    let link = &step.link;
    html! {
        @match link.basis.as_str() {
            "listed" => {
                "listed"
                @if let Some(listed) = link.listed_id.as_deref().filter(|l| *l != step.owner) {
                    " as " a href={ "/ui/entities/" (listed) } { code { (listed) } }
                }
            },
            "resolved" => {
                "resolved, score " (format!("{:.2}", link.score.unwrap_or_default()))
                @if let Some(listed) = &link.listed_id {
                    " to " a href={ "/ui/entities/" (listed) } { code { (listed) } }
                }
            },
            _ => "blocked through its owners",
        }
    }
}

/// One step: owner → asset, the stake (or control) and how the owner is blocked.
fn step_markup(step: &PathStepJson) -> Markup {
    html! {
        li.step {
            (party(&step.owner, step.owner_name.as_deref()))
            " → "
            (party(&step.asset, step.asset_name.as_deref()))
            " · "
            span.stake {
                @match step.percentage {
                    Some(high) => (stake(high, step.percentage_low)),
                    None => (step.kind),
                }
            }
            @if let Some(role) = &step.role { " (" (role) ")" }
            " · " span.link { (link_text(step)) }
        }
    }
}

/// The paths from blocked owners, each with what it adds and its steps in order.
pub(crate) fn paths_markup(paths: &[OwnershipPathJson], truncated: bool) -> Markup {
    html! {
        @if paths.is_empty() {
            p { "No path from a blocked owner." }
        } @else {
            ol.paths {
                @for path in paths {
                    li.path {
                        @match path.share {
                            Some(high) => { "Adds " (stake(high, path.share_low)) }
                            None => "Control",
                        }
                        " (" (path.regimes.iter().map(|r| r.to_uppercase()).collect::<Vec<_>>().join(", ")) "):"
                        ol.steps { @for step in &path.steps { (step_markup(step)) } }
                    }
                }
            }
            @if truncated { p.hint { "Some longer or smaller paths are left out." } }
        }
    }
}

/// An entity's ownership section: the verdicts and the paths, on the screening date.
pub(crate) fn section(report: &OwnershipJson) -> Markup {
    html! {
        section #ownership aria-labelledby="ownership-title" {
            h2 #ownership-title { "Ownership and control" }
            p.meta { "As of " (report.date) ", from the active ownership data." }
            (regimes_table(&report.regimes))
            h3 { "Paths from blocked owners" }
            (paths_markup(&report.paths, report.paths_truncated))
        }
    }
}

/// A screening hit's ownership basis: the regimes, the share and a link to the entity's page.
pub(crate) fn hit_summary(entity_id: &str, hit: &OwnershipHitJson) -> Markup {
    html! {
        span.basis { "Basis: " strong { (hit.basis) } }
        " · blocked under "
        (hit.regimes.iter().map(|r| r.to_uppercase()).collect::<Vec<_>>().join(", "))
        " · share " (share(hit.share))
        " · " a href={ "/ui/entities/" (entity_id) "#ownership" } { "Ownership paths" }
    }
}

/// A relation's terms on one line: `60 % · from 2019-04-01 · to 2023-01-31`.
fn terms(relation: &RelationJson) -> String {
    let mut parts = vec![match (&relation.percentage, relation.kind.as_str()) {
        (Some(percentage), _) => percentage.replace('%', " %"),
        (None, kind) => kind.to_owned(),
    }];
    if let Some(role) = &relation.role {
        parts.push(role.clone());
    }
    if let Some(start) = &relation.start {
        parts.push(format!("from {start}"));
    }
    if let Some(end) = &relation.end {
        parts.push(format!("to {end}"));
    }
    parts.join(" · ")
}

fn relation_rows(relations: &[RelationJson]) -> Markup {
    html! {
        @for r in relations {
            tr {
                td { (party(&r.owner, r.owner_name.as_deref())) }
                td { (party(&r.asset, r.asset_name.as_deref())) }
                td { (terms(r)) }
            }
        }
    }
}

/// A changed term's old and new value.
fn term_of(relation: &RelationJson, field: &str) -> String {
    let value = match field {
        "percentage" => relation.percentage.as_ref().map(|p| p.replace('%', " %")),
        _ => relation.term(field),
    };
    value.unwrap_or_else(|| "—".to_owned())
}

fn change_rows(changes: &[RelationChangeJson]) -> Markup {
    html! {
        @for c in changes {
            tr {
                td { (party(&c.new.owner, c.new.owner_name.as_deref())) }
                td { (party(&c.new.asset, c.new.asset_name.as_deref())) }
                td {
                    ul.terms { @for field in &c.fields {
                        li { (field) ": " (term_of(&c.old, field)) " → " strong { (term_of(&c.new, field)) } }
                    } }
                }
            }
        }
    }
}

/// The relations a version added, removed and changed, with their counts.
pub(crate) fn relation_changes(diff: &RelationDiffJson) -> Markup {
    let head = |what: &str| {
        html! { thead { tr { th scope="col" { "Owner" } th scope="col" { "Asset" } th scope="col" { (what) } } } }
    };
    html! {
        section #relations aria-labelledby="relations-title" {
            h2 #relations-title { "Ownership and control relations" }
            dl.diff-counts {
                dt { "Added" } dd #relations-added-count { (diff.counts.added) }
                dt { "Removed" } dd #relations-removed-count { (diff.counts.removed) }
                dt { "Changed" } dd #relations-changed-count { (diff.counts.changed) }
            }
            @if !diff.changed.is_empty() {
                h3 { "Changed" }
                table.relations-changed { (head("What changed")) tbody { (change_rows(&diff.changed)) } }
            }
            @if !diff.added.is_empty() {
                h3 { "Added" }
                table.relations-added { (head("Terms")) tbody { (relation_rows(&diff.added)) } }
            }
            @if !diff.removed.is_empty() {
                h3 { "Removed" }
                table.relations-removed { (head("Terms")) tbody { (relation_rows(&diff.removed)) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_percentages_and_ranges() {
        assert_eq!(share(0.6), "60 %");
        assert_eq!(share(1.0), "100 %");
        assert_eq!(share(1.0 / 3.0), "33.33 %");
        assert_eq!(stake(0.5, Some(0.25)), "25–50 %");
        assert_eq!(stake(0.45, Some(0.45)), "45 %");
        assert_eq!(stake(0.45, None), "45 %");
    }

    fn step(owner: &str, link: StepLinkJson) -> PathStepJson {
        PathStepJson {
            owner: owner.into(),
            owner_name: Some("Sergey Shargunov".into()),
            asset: "registry:volga-media".into(),
            asset_name: None,
            kind: "ownership".into(),
            percentage: Some(0.5),
            percentage_low: Some(0.25),
            role: None,
            link,
        }
    }

    #[test]
    fn a_step_links_both_parties_and_says_how_the_owner_is_blocked() {
        let resolved = step_markup(&step(
            "registry:p-shargunov",
            StepLinkJson {
                basis: "resolved".into(),
                listed_id: Some("ofac-sdn:35391".into()),
                score: Some(0.9312),
            },
        ))
        .into_string();
        assert!(resolved.contains("resolved, score 0.93"), "{resolved}");
        assert!(
            resolved.contains(r#"href="/ui/entities/ofac-sdn:35391""#),
            "{resolved}"
        );
        assert!(
            resolved.contains(r#"href="/ui/entities/registry:p-shargunov">Sergey Shargunov</a>"#),
            "{resolved}"
        );
        // A party without a name shows its id as the link.
        assert!(
            resolved
                .contains(r#"href="/ui/entities/registry:volga-media">registry:volga-media</a>"#),
            "{resolved}"
        );
        assert!(resolved.contains("25–50 %"), "{resolved}");
        let through = step_markup(&step(
            "registry:volga-media",
            StepLinkJson {
                basis: "ownership".into(),
                listed_id: None,
                score: None,
            },
        ))
        .into_string();
        assert!(through.contains("blocked through its owners"), "{through}");
        // A listed owner named by its own id is not repeated.
        let listed = step_markup(&step(
            "ofac-sdn:35391",
            StepLinkJson {
                basis: "listed".into(),
                listed_id: Some("ofac-sdn:35391".into()),
                score: None,
            },
        ))
        .into_string();
        assert!(
            listed.contains(r#"<span class="link">listed</span>"#),
            "{listed}"
        );
        assert!(!listed.contains(" as "), "{listed}");
    }

    #[test]
    fn a_verdict_says_why_and_whether_only_the_upper_bounds_block() {
        let mut verdict = RegimeJson {
            blocked: true,
            certain: false,
            listed: false,
            share: 0.5,
            share_low: 0.25,
            control: Some(false),
        };
        assert_eq!(
            verdict_text(&verdict),
            "blocked: owned by blocked parties (at the ranges' upper bounds only)"
        );
        verdict.share = 0.0;
        verdict.certain = true;
        verdict.control = Some(true);
        assert_eq!(
            verdict_text(&verdict),
            "blocked: controlled by blocked parties"
        );
        verdict.listed = true;
        assert_eq!(verdict_text(&verdict), "blocked: listed");
        verdict.listed = false;
        verdict.blocked = false;
        assert_eq!(verdict_text(&verdict), "not blocked");
    }
}
