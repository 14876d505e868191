//! `interdict monitor run`: the application layer's monitoring run, printed.

use anyhow::Result;
use interdict_app::contract::MonitorReport;
use interdict_store::Store;

use crate::args::MonitorCommand;
use crate::output::outln;

pub(crate) async fn run(store: &Store, command: MonitorCommand) -> Result<()> {
    match command {
        MonitorCommand::Run { full, json } => {
            let report = interdict_app::monitoring::run(store, full, "monitor").await?;
            for id in &report.saturated {
                eprintln!(
                    "warning: a name of {id} matched the most customers delta mode looks at; \
                     run `interdict monitor run --full` to screen them all"
                );
            }
            print_report(&report, json)
        }
    }
}

fn print_report(report: &MonitorReport, json: bool) -> Result<()> {
    if json {
        outln!("{}", serde_json::to_string(report)?)?;
    } else {
        outln!(
            "{} run: {} customers and {} entities screened; {} alerts raised ({} again), \
             {} refreshed, {} closed; {} suppressed by decisions; {:.2} s",
            report.mode,
            report.screened_customers,
            report.screened_entities,
            report.alerts_created,
            report.alerts_reraised,
            report.alerts_refreshed,
            report.alerts_closed,
            report.suppressed,
            report.seconds
        )?;
    }
    Ok(())
}
