//! The README's recipes for big runs, checked as written: the GNU parallel
//! recipe is run verbatim (with a small scenario file as `big.toml`) and
//! its merge must reproduce one machine's files byte for byte; the Slurm
//! script must pass `bash -n`, and the Kubernetes Job must parse as YAML
//! and cut the run into as many shards as it runs completions.

use std::path::Path;
use std::process::Command;

use crate::common::{dudsim, files, stderr, stdout, temp_dir};

const README: &str = include_str!("../../README.md");

/// The fenced code blocks of the README's section on big runs, with their
/// language.
fn recipes() -> Vec<(String, String)> {
    let section = README
        .split("\n## Big runs")
        .nth(1)
        .expect("the README has a section on big runs");
    let section = section.split("\n## ").next().unwrap();
    let mut blocks = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(language) = line.strip_prefix("```") {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            blocks.push((language.to_string(), body.join("\n") + "\n"));
        }
    }
    blocks
}

#[test]
fn the_gnu_parallel_recipe_reproduces_one_machine_byte_for_byte() {
    let parallel = Command::new("parallel").arg("--version").output();
    assert!(
        parallel.is_ok_and(|o| o.status.success()),
        "GNU parallel is needed for this test (Debian package `parallel`, installed by .ci/run)"
    );
    let recipe = recipes()
        .into_iter()
        .find(|(language, body)| language == "sh" && body.contains("parallel "))
        .expect("a GNU parallel recipe")
        .1;
    assert!(
        recipe.contains("dudsim merge shard-* --out results"),
        "{recipe}"
    );

    let tmp = temp_dir();
    let t = tmp.path();
    // Small enough that the recipe's replicates take a second or two.
    std::fs::write(
        t.join("big.toml"),
        "title = \"a small big run\"\n[simulation]\nsteps = 0\n\n[[scenario]]\nname = \"a\"\n\
         strikes = [{ munition = \"9M55K\", carriers = 2 }]\n",
    )
    .unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_dudsim")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = Command::new("bash")
        .args(["-e", "-c", &recipe])
        .current_dir(t)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{recipe}{}{}",
        stdout(&out),
        stderr(&out)
    );

    // The same run on one machine, as the recipe's shards describe it.
    let shard = recipe.lines().find(|l| l.contains("--shard")).unwrap();
    let replicates = shard
        .split_whitespace()
        .skip_while(|w| *w != "--replicates")
        .nth(1)
        .expect("the recipe gives --replicates");
    dudsim([
        "run",
        "big.toml",
        "--replicates",
        replicates,
        "--out",
        "single",
        "--quiet",
    ])
    .current_dir(t)
    .ok();
    let (merged, single) = (files(&t.join("results")), files(&t.join("single")));
    assert_eq!(
        merged.iter().map(|f| &f.0).collect::<Vec<_>>(),
        single.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(merged.iter().any(|(name, _)| name == "summary.json"));
    for ((name, a), (_, b)) in merged.iter().zip(&single) {
        assert!(
            a == b,
            "{name} differs between the merged shards and one machine's run"
        );
    }
}

#[test]
fn the_slurm_and_merge_scripts_are_valid_bash() {
    let scripts: Vec<String> = recipes()
        .into_iter()
        .filter(|(language, _)| language == "sh")
        .map(|(_, body)| body)
        .collect();
    assert!(
        scripts.iter().any(|s| s.contains("#SBATCH")),
        "a Slurm script"
    );
    for script in &scripts {
        let out = Command::new("bash")
            .args(["-n", "-c", script])
            .output()
            .unwrap();
        assert!(out.status.success(), "{script}{}", stderr(&out));
    }
    let slurm = scripts.iter().find(|s| s.contains("#SBATCH")).unwrap();
    assert!(slurm.starts_with("#!/bin/bash\n"), "{slurm}");
    // The array's size is the shards' count.
    assert!(slurm.contains("#SBATCH --array=1-64") && slurm.contains("$SLURM_ARRAY_TASK_ID/64"));
}

#[test]
fn the_kubernetes_job_parses_and_runs_one_completion_per_shard() {
    use yaml_rust2::YamlLoader;
    let (_, job) = recipes()
        .into_iter()
        .find(|(language, _)| language == "yaml")
        .expect("a Kubernetes Job");
    let docs = YamlLoader::load_from_str(&job).unwrap_or_else(|e| panic!("{e}:\n{job}"));
    assert_eq!(docs.len(), 1);
    let job = &docs[0];
    assert_eq!(job["apiVersion"].as_str(), Some("batch/v1"));
    assert_eq!(job["kind"].as_str(), Some("Job"));
    let spec = &job["spec"];
    assert_eq!(spec["completionMode"].as_str(), Some("Indexed"));
    let completions = spec["completions"].as_i64().unwrap();
    let container = &spec["template"]["spec"]["containers"][0];
    let command = container["args"][0].as_str().unwrap();
    assert!(
        command.contains(&format!(
            "--shard $((JOB_COMPLETION_INDEX + 1))/{completions} "
        )),
        "{command}"
    );
    assert_eq!(
        spec["template"]["spec"]["restartPolicy"].as_str(),
        Some("Never")
    );
    // The container's shell command is valid too.
    let out = Command::new("sh")
        .args(["-n", "-c", command])
        .output()
        .unwrap();
    assert!(out.status.success(), "{command}{}", stderr(&out));
}
