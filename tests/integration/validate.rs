//! `dudsim validate`: the historical campaigns reproduce their published
//! estimates, and the files say so with their sources.

use dudsim::validation;

use crate::common::{collect, dudsim, stdout, temp_dir};

#[test]
fn every_campaign_covers_its_published_estimate() {
    let file = validation::campaigns();
    let stats = collect(&file, 0..4000);
    for v in validation::compare(&stats) {
        assert!(
            v.covered,
            "{}: published {} outside the simulated {}-{}",
            v.published.campaign, v.published.unexploded, v.p05, v.p95
        );
    }
}

#[test]
fn validate_writes_its_table_and_csv() {
    let tmp = temp_dir();
    let out = dudsim(["validate", "--replicates", "2000", "--out"])
        .arg(tmp.path().join("v"))
        .ok();
    let table = stdout(&out);
    for campaign in [
        "Laos",
        "Cambodia",
        "Gulf War",
        "Kosovo",
        "Afghanistan",
        "Lebanon",
    ] {
        assert!(table.contains(campaign), "{campaign}");
    }
    let csv = std::fs::read_to_string(tmp.path().join("v/validate.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("campaign,submunitions,published_estimate,p05,p50,p95,covered,source")
    );
    assert_eq!(lines.clone().count(), 6);
    assert!(lines.all(|l| l.contains(",true,") && l.contains("[S")));
}
