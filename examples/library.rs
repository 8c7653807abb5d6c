//! dudsim as a library: a scenario from text, run on every core, its
//! statistics read back. `cargo run --release --example library`.

use dudsim::{Engine, RunSettings, RunStats, RunSummary, ScenarioFile, thread_pool};

const SCENARIO: &str = r#"
title = "36 M26 rockets at a 10% dud rate: even lots against uneven lots"
[simulation]
replicates = 20000
steps = 60

[[munition]]
id = "M26 even lots"
base = "M26"
dud_rate = 0.1

[[munition]]
id = "M26 uneven lots"
base = "M26"
dud_rate = 0.1
lot_concentration = 30

[[scenario]]
name = "M26, even lots"
strikes = [ { munition = "M26 even lots", carriers = 36 } ]
[scenario.aftermath]
clearance_start = 6
clearance_rate = 0.02
encounter_rate = { uniform = [0.0001, 0.0005] }

[[scenario]]
name = "M26, uneven lots"
strikes = [ { munition = "M26 uneven lots", carriers = 36 } ]
[scenario.aftermath]
clearance_start = 6
clearance_rate = 0.02
encounter_rate = { uniform = [0.0001, 0.0005] }
"#;

fn main() -> Result<(), dudsim::Error> {
    let file = ScenarioFile::parse("library example", SCENARIO)?;
    let settings = RunSettings::from_file(&file);
    let engine = Engine::new(&file, &settings);
    let replicates = settings.replicates();
    let stats = thread_pool(None)?.install(|| RunStats::collect(&engine, 0..replicates, &|_| {}));
    let summary = RunSummary::new(&file, &settings, &stats);
    println!("{} ({replicates} replicates)", summary.title);
    for s in &summary.scenarios {
        let horizon = s.timeline.last().expect("the scenarios have an aftermath");
        println!(
            "  {:<18} UXO {:>7.0} (90%: {:.0} to {:.0}); after {} months {:.0} live, {:.1} casualties",
            s.name,
            s.unexploded.mean,
            s.unexploded.p05,
            s.unexploded.p95,
            horizon.step,
            horizon.live.mean,
            horizon.casualties.mean
        );
    }
    Ok(())
}
