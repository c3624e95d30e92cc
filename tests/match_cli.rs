//! `xiaoqi match gen` and `xiaoqi match solve` as a user runs them: files in, JSON out,
//! one-line errors with exit status 2 for bad instances.

use serde_json::Value;
use std::process::{Command, Output};

fn xiaoqi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiaoqi")).args(args).output().expect("run xiaoqi")
}

#[test]
fn gen_then_solve_with_check_gives_a_complete_stable_answer() {
    let dir = tempfile::tempdir().unwrap();
    let instance = dir.path().join("instance.json");
    let out = dir.path().join("out.json");
    let generated = xiaoqi(&[
        "match",
        "gen",
        "--graduates",
        "300",
        "--postings",
        "30",
        "--choices",
        "5",
        "--seed",
        "7",
        "--output",
        instance.to_str().unwrap(),
    ]);
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    for proposing in ["graduates", "postings"] {
        let solve = xiaoqi(&[
            "match",
            "solve",
            "--input",
            instance.to_str().unwrap(),
            "--proposing",
            proposing,
            "--check",
            "--output",
            out.to_str().unwrap(),
        ]);
        assert!(solve.status.success(), "{}", String::from_utf8_lossy(&solve.stderr));
        let answer: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        let matched = answer["assignment"].as_object().unwrap().len();
        let unmatched = answer["unmatched"].as_array().unwrap().len();
        assert_eq!(matched + unmatched, 300, "every graduate is either matched or listed unmatched");
    }
}

#[test]
fn the_design_example_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let instance = dir.path().join("instance.json");
    std::fs::write(
        &instance,
        r#"{"graduates": {"g1": ["p2", "p1"], "g2": ["p1"]},
            "postings":  {"p1": ["g1", "g2"], "p2": ["g1"]},
            "capacities": {"p1": 1, "p2": 1}}"#,
    )
    .unwrap();
    let solve = xiaoqi(&["match", "solve", "--input", instance.to_str().unwrap()]);
    assert!(solve.status.success());
    let answer: Value = serde_json::from_slice(&solve.stdout).unwrap();
    assert_eq!(answer, serde_json::json!({"assignment": {"g1": "p2", "g2": "p1"}, "unmatched": []}));
}

#[test]
fn bad_instances_exit_2_with_one_line_naming_the_culprit() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (r#"{"graduates": {"g1": ["p9"]}, "postings": {"p1": []}, "capacities": {"p1": 1}}"#, "p9"),
        (r#"{"graduates": {"g1": ["p1", "p1"]}, "postings": {"p1": []}, "capacities": {"p1": 1}}"#, "p1"),
        (r#"{"graduates": {"g1": []}, "postings": {"p1": []}, "capacities": {"p1": -1}}"#, "-1"),
        (r#"{"graduates": {"g1": [}"#, "line 1"),
    ];
    for (i, (text, culprit)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.json"));
        std::fs::write(&path, text).unwrap();
        let solve = xiaoqi(&["match", "solve", "--input", path.to_str().unwrap()]);
        assert_eq!(solve.status.code(), Some(2), "{text}");
        let stderr = String::from_utf8_lossy(&solve.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(culprit), "{culprit} not named in: {stderr}");
        assert!(solve.stdout.is_empty());
    }
    let missing = xiaoqi(&["match", "solve", "--input", dir.path().join("nope.json").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
}
