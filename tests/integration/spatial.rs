//! The spatial model against closed forms: conservation of duds,
//! per-cell contamination probabilities and the area of partial cells.
//! (Footprint shares and the CEP as median miss are unit tests of the
//! engine's geometry.)

use dudsim::thread_pool;

use crate::common::{Z, collect, dudsim, outcomes, scenario, temp_dir, utf8};

#[test]
fn every_dud_is_in_a_cell_or_outside() {
    // Targets at the edge so that many duds fall outside; lot variation and
    // self-destruct exercise every per-carrier branch.
    let f = scenario(
        "[simulation]\nseed = 5\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.1, 0.4] }\n\
         lot_concentration = 20\nself_destruct = 0.3\nfootprint_radius_m = 150\n\
         [[scenario]]\nname = \"edge\"\n\
         strikes = [ { munition = \"X\", carriers = { poisson = 30 }, target = [0, 0, 1000, 200], cep_m = 100 } ]\n\
         [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 37\n",
    );
    let outs = outcomes(&f, 0, 3000);
    let mut outside = 0;
    for (r, o) in outs.iter().enumerate() {
        let s = o.spatial.as_ref().expect("spatial outcome");
        assert_eq!(s.in_area() + s.outside, o.unexploded, "replicate {r}");
        outside += s.outside;
    }
    assert!(outside > 0, "the test should put duds outside");
}

/// Share of a disk of radius `r` centred at `(cx, cy)` inside the square
/// cell `[x0, x0+a] × [y0, y0+a]`, by the midpoint rule on a fine lattice.
fn disk_share_in_cell(cx: f64, cy: f64, r: f64, x0: f64, y0: f64, a: f64) -> f64 {
    let k = 1000;
    let h = a / k as f64;
    let mut inside = 0u64;
    for i in 0..k {
        for j in 0..k {
            let x = x0 + (i as f64 + 0.5) * h - cx;
            let y = y0 + (j as f64 + 0.5) * h - cy;
            if x * x + y * y <= r * r {
                inside += 1;
            }
        }
    }
    inside as f64 * h * h / (std::f64::consts::PI * r * r)
}

#[test]
fn a_cell_is_contaminated_with_the_closed_form_probability() {
    // One carrier, fixed burst point (CEP 0, point target): each of the n
    // submunitions is, independently, a dud landing in the cell with
    // probability p·a, so P(cell has at least one) = 1 − (1 − p·a)^n and
    // E[UXO in cell] = n·p·a.
    let (n, p, radius, cell) = (72.0, 0.3, 100.0, 50.0);
    let f = scenario(
        "[simulation]\nseed = 8\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = 0.3\nfootprint_radius_m = 100\n\
         [[scenario]]\nname = \"one carrier\"\n\
         strikes = [ { munition = \"X\", carriers = 1, target = [500, 500, 500, 500], cep_m = 0 } ]\n\
         [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 50\n",
    );
    let replicates = 20_000u64;
    let stats = thread_pool(Some(2))
        .unwrap()
        .install(|| collect(&f, 0..replicates));
    let grid = stats.scenarios[0].grid.as_ref().unwrap();
    let (p_hit, mean) = (grid.p_contaminated(), grid.mean_uxo());
    let columns = 20;
    // Cells fully inside, partly inside and outside the disk.
    for (column, row) in [
        (10, 10),
        (9, 9),
        (11, 10),
        (12, 10),
        (11, 11),
        (12, 12),
        (13, 10),
        (14, 14),
    ] {
        let a = disk_share_in_cell(
            500.0,
            500.0,
            radius,
            column as f64 * cell,
            row as f64 * cell,
            cell,
        );
        let expected = 1.0 - (1.0 - p * a).powf(n);
        let cell_index = row * columns + column;
        let se = (expected * (1.0 - expected) / replicates as f64).sqrt();
        if expected == 0.0 {
            assert_eq!(
                p_hit[cell_index], 0.0,
                "cell ({column}, {row}) outside the disk"
            );
            continue;
        }
        assert!(
            (p_hit[cell_index] - expected).abs() <= Z * se,
            "cell ({column}, {row}): P = {} vs {expected} (a = {a})",
            p_hit[cell_index]
        );
        let var = n * p * a * (1.0 - p * a);
        assert!(
            (mean[cell_index] - n * p * a).abs() <= Z * (var / replicates as f64).sqrt(),
            "cell ({column}, {row}): mean {} vs {}",
            mean[cell_index],
            n * p * a
        );
    }
}

#[test]
fn partial_cells_count_only_their_part_inside_the_area() {
    // 120 m x 130 m in 50 m cells: columns 50, 50 and 20 m wide, rows 50,
    // 50 and 30 m high. Half of 72 submunitions are duds, all landing
    // within 1 m of the aim point (CEP 0), so every replicate contaminates
    // exactly the cells aimed at: one 20 m x 50 m edge cell (1,000 m²) in
    // the first scenario; a whole cell and the 20 m x 30 m corner (2,500 +
    // 600 m²) in the second.
    let dir = temp_dir();
    std::fs::write(
        dir.path().join("edge.toml"),
        "[simulation]\nreplicates = 50\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = 0.5\nfootprint_radius_m = 1\n\
         [[scenario]]\nname = \"edge\"\n\
         strikes = [ { munition = \"X\", carriers = 1, target = [115, 25, 115, 25], cep_m = 0 } ]\n\
         [scenario.area]\nwidth_m = 120\nheight_m = 130\ncell_m = 50\n\
         [[scenario]]\nname = \"corner\"\n\
         strikes = [ { munition = \"X\", carriers = 1, target = [115, 115, 115, 115], cep_m = 0 },\n\
                     { munition = \"X\", carriers = 1, target = [25, 25, 25, 25], cep_m = 0 } ]\n\
         [scenario.area]\nwidth_m = 120\nheight_m = 130\ncell_m = 50\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    dudsim([
        "run",
        utf8(&dir.path().join("edge.toml")),
        "--quiet",
        "--no-charts",
        "--out",
        utf8(&out),
    ])
    .ok();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for (scenario, expected) in summary["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .zip([1000.0, 3100.0])
    {
        let area = &scenario["contaminated_area_m2"];
        for figure in ["mean", "min", "max", "p05", "p50", "p95"] {
            assert_eq!(
                area[figure].as_f64(),
                Some(expected),
                "{}: contaminated area {figure}",
                scenario["name"]
            );
        }
    }
    // Cell centres are those of the cells' parts inside the area.
    let density = std::fs::read_to_string(out.join("density.csv")).unwrap();
    let mut xs = std::collections::BTreeSet::new();
    let mut ys = std::collections::BTreeSet::new();
    for line in density.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        xs.insert(fields[0].to_string());
        ys.insert(fields[1].to_string());
    }
    assert_eq!(xs, ["110", "25", "75"].map(String::from).into());
    assert_eq!(ys, ["115", "25", "75"].map(String::from).into());
}

#[test]
fn a_replicate_may_contaminate_every_cell() {
    // One 100 m cell under a 10 m footprint: every dud lands in the only
    // cell. Then 100 9M55K rockets (200 m footprints) over 1 km² in 100 m
    // cells, which reach all 100 cells. Filling the last cell once
    // overflowed the buffer of touched cells.
    let one_cell = scenario(
        "[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = 0.5\nfootprint_radius_m = 10\n\
         [[scenario]]\nname = \"one cell\"\n\
         strikes = [ { munition = \"X\", carriers = 10, target = [50, 50, 50, 50], cep_m = 0 } ]\n\
         [scenario.area]\nwidth_m = 100\nheight_m = 100\ncell_m = 100\n",
    );
    let barrage = scenario(
        "[simulation]\nsteps = 0\n\
         [[scenario]]\nname = \"barrage\"\n\
         strikes = [ { munition = \"9M55K\", carriers = 100, target = [0, 0, 1000, 1000], cep_m = 100 } ]\n\
         [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 100\n",
    );
    for (file, cells) in [(&one_cell, 1), (&barrage, 100)] {
        let outs = outcomes(file, 0, 50);
        let full = outs
            .iter()
            .filter(|o| o.spatial.as_ref().unwrap().touched().len() == cells)
            .count();
        assert!(full > 0, "no replicate filled all {cells} cells");
        for o in &outs {
            let s = o.spatial.as_ref().unwrap();
            assert_eq!(s.in_area() + s.outside, o.unexploded);
            assert!(s.touched().len() <= cells);
        }
        let stats = thread_pool(Some(2))
            .unwrap()
            .install(|| collect(file, 0..50));
        let grid = stats.scenarios[0].grid.as_ref().unwrap();
        let uxo: u64 = grid.uxo.iter().sum();
        let total: u64 = outs.iter().map(|o| o.unexploded).sum();
        assert_eq!(
            uxo,
            total
                - outs
                    .iter()
                    .map(|o| o.spatial.as_ref().unwrap().outside)
                    .sum::<u64>()
        );
    }
}
