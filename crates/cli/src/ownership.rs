//! `interdict ownership ENTITY_ID [--date D] [--json]`: an entity's standing under each
//! regime's ownership rule and the paths from its blocked owners, as `app::ownership`
//! answers it (the same JSON as `GET /v1/entities/{id}/ownership`).

use anyhow::Result;
use interdict_app::ownership::{OwnershipJson, PathStepJson, RegimeJson};
use interdict_store::Store;

use crate::output::{outln, printable};

/// Prints the entity's ownership report.
pub(crate) async fn run(store: &Store, id: &str, date: Option<&str>, json: bool) -> Result<()> {
    let date = date
        .map(|d| interdict_app::ownership::parse_date("--date", d))
        .transpose()?;
    let report = interdict_app::ownership::report(store, id, date).await?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        for line in describe(&report) {
            outln!("{line}")?;
        }
    }
    Ok(())
}

/// The report in lines: a header, one line per regime, then each path step by step.
fn describe(report: &OwnershipJson) -> Vec<String> {
    let mut lines = vec![format!(
        "{}{}  on {}",
        printable(&report.entity_id),
        report
            .name
            .as_deref()
            .map(|n| format!("  {}", printable(n)))
            .unwrap_or_default(),
        report.date
    )];
    for (regime, verdict) in [
        ("OFAC", &report.regimes.ofac),
        ("EU", &report.regimes.eu),
        ("UK", &report.regimes.uk),
    ] {
        lines.push(format!("  {regime:<5} {}", verdict_text(verdict)));
    }
    if report.paths.is_empty() {
        lines.push("  no blocked owner".into());
    }
    for (n, path) in report.paths.iter().enumerate() {
        lines.push(format!(
            "  path {}: {} ({})",
            n + 1,
            path.share.map(percent).unwrap_or_else(|| "control".into()),
            path.regimes.join(", ")
        ));
        for step in &path.steps {
            lines.push(format!("    {}", step_text(step)));
        }
    }
    if report.paths_truncated {
        lines.push("  (more paths left out)".into());
    }
    lines
}

fn verdict_text(verdict: &RegimeJson) -> String {
    let status = match (verdict.blocked, verdict.listed, verdict.certain) {
        (true, true, _) => "listed",
        (true, false, true) => "BLOCKED by ownership",
        (true, false, false) => "BLOCKED by ownership (at the upper bounds of ranges)",
        (false, ..) => "not blocked",
    };
    let share = if verdict.share == verdict.share_low {
        percent(verdict.share)
    } else {
        format!("{}-{}", percent(verdict.share_low), percent(verdict.share))
    };
    let control = match verdict.control {
        Some(true) => ", controlled by a blocked party",
        _ => "",
    };
    format!("{status}; blocked owners hold {share}{control}")
}

fn step_text(step: &PathStepJson) -> String {
    let party = |id: &str, name: &Option<String>| match name {
        Some(name) => format!("{} ({})", printable(id), printable(name)),
        None => printable(id).into_owned(),
    };
    let stake = match (step.percentage, step.percentage_low) {
        (Some(high), Some(low)) if low < high => format!("{}-{}", percent(low), percent(high)),
        (Some(high), _) => percent(high),
        (None, _) => "controls".into(),
    };
    let link = match step.link.basis.as_str() {
        "listed" => format!(
            "listed {}",
            printable(step.link.listed_id.as_deref().unwrap_or(""))
        ),
        "resolved" => format!(
            "resolved to {} (score {:.2})",
            printable(step.link.listed_id.as_deref().unwrap_or("")),
            step.link.score.unwrap_or_default()
        ),
        _ => "blocked by ownership".into(),
    };
    format!(
        "{} -> {}  {stake}  [{link}]",
        party(&step.owner, &step.owner_name),
        party(&step.asset, &step.asset_name)
    )
}

/// A fraction as a percentage without trailing zeros.
fn percent(fraction: f64) -> String {
    let text = format!("{:.4}", fraction * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_print_without_trailing_zeros() {
        assert_eq!(percent(0.6), "60%");
        assert_eq!(percent(0.25), "25%");
        assert_eq!(percent(1.0 / 3.0), "33.3333%");
        assert_eq!(percent(0.0), "0%");
    }
}
