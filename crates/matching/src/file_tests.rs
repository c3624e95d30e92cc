//! The instance file: reading, writing, and the one-line errors that name what is wrong.

use super::{InstanceBuilder, InstanceFileError, NamedInstance, Proposing, random_instance, solve};

const DESIGN_EXAMPLE: &str = r#"{"graduates": {"g1": ["p2", "p1"], "g2": ["p1"]},
 "postings":  {"p1": ["g1", "g2"], "p2": ["g1"]},
 "capacities": {"p1": 1, "p2": 1}}"#;

fn read(text: &str) -> Result<NamedInstance, InstanceFileError> {
    NamedInstance::from_json(text.as_bytes())
}

fn error(text: &str) -> String {
    read(text).expect_err("the instance should be refused").to_string()
}

#[test]
fn design_example_gives_the_documented_output() {
    let named = read(DESIGN_EXAMPLE).unwrap();
    let assignment = solve(named.instance(), Proposing::Graduates);
    assert_eq!(
        named.assignment_json(&assignment),
        "{\"assignment\": {\"g1\": \"p2\", \"g2\": \"p1\"}, \"unmatched\": []}\n"
    );
}

#[test]
fn output_lists_unmatched_graduates_in_input_order() {
    let named = read(
        r#"{"graduates": {"b": ["x"], "a": ["x"], "c": []}, "postings": {"x": ["a", "b"]}, "capacities": {"x": 1}}"#,
    )
    .unwrap();
    let assignment = solve(named.instance(), Proposing::Graduates);
    assert_eq!(named.assignment_json(&assignment), "{\"assignment\": {\"a\": \"x\"}, \"unmatched\": [\"b\", \"c\"]}\n");
}

#[test]
fn writer_and_reader_round_trip() {
    let generated = random_instance(300, 40, 8, 5);
    assert_eq!(read(&generated.to_json()).unwrap(), generated);

    let mut builder = InstanceBuilder::default();
    builder.graduate("quote\"back\\slash\ttab\u{1}", ["岗位-1", ""]).unwrap();
    builder.graduate("a-graduate-with-a-long-id", [""]).unwrap();
    builder.posting("", 2, ["a-graduate-with-a-long-id", "quote\"back\\slash\ttab\u{1}"]).unwrap();
    builder.posting("岗位-1", 0, [] as [&str; 0]).unwrap();
    let odd = builder.build().unwrap();
    assert_eq!(odd.posting_ids(), ["", "岗位-1"]);
    assert_eq!(read(&odd.to_json()).unwrap(), odd);

    let empty = read(r#"{"graduates": {}, "postings": {}, "capacities": {}}"#).unwrap();
    assert_eq!(read(&empty.to_json()).unwrap(), empty);
}

#[test]
fn integer_ids_in_lists_stand_for_their_digits_and_unknown_keys_are_ignored() {
    let named = read(
        r#"{"round_id": 3, "seed": 7, "lottery": [{"a": [1, 2]}], "graduates": {"45": [7, "8"]},
            "postings": {"7": [45], "8": ["45"]}, "capacities": {"7": 0, "8": 1}, "weights": null}"#,
    )
    .unwrap();
    assert_eq!(
        (named.graduate_ids(), named.posting_ids()),
        (&["45".to_string()][..], &["7".to_string(), "8".to_string()][..])
    );
    assert_eq!(named.instance().graduate_list(0), [0, 1]);
    assert_eq!(solve(named.instance(), Proposing::Graduates).posting_of, vec![Some(1)]);
}

#[test]
fn postings_are_numbered_by_first_key_and_a_capacity_alone_means_an_empty_list() {
    let named = read(
        r#"{"capacities": {"p3": 1, "p2": 2, "p1": 1}, "graduates": {"g1": ["p1", "p2"]}, "postings": {"p1": ["g1"], "p2": ["g1"]}}"#,
    )
    .unwrap();
    assert_eq!(named.posting_ids(), ["p3", "p2", "p1"]);
    let instance = named.instance();
    assert_eq!((instance.capacity(0), instance.capacity(1)), (1, 2));
    assert_eq!(instance.posting_list(0), [] as [u32; 0]);
    assert_eq!(instance.posting_list(2), [0]);
    assert_eq!(instance.graduate_list(0), [2, 1]);
    assert_eq!(solve(instance, Proposing::Graduates).posting_of, vec![Some(2)]);
}

#[test]
fn unknown_ids_are_named_with_their_position() {
    let text = r#"{"graduates": {"g1": [], "g2": [], "g3": ["p1", "p2", "p9"]}, "postings": {"p1": [], "p2": []}, "capacities": {"p1": 1, "p2": 1}}"#;
    assert_eq!(error(text), r#"unknown posting id "p9" in graduates["g3"][2]"#);
    let text = r#"{"postings": {"p1": ["g1", "g7"]}, "graduates": {"g1": []}, "capacities": {"p1": 1}}"#;
    assert_eq!(error(text), r#"unknown graduate id "g7" in postings["p1"][1]"#);
}

#[test]
fn duplicates_are_named_with_both_positions() {
    let text = r#"{"graduates": {"g3": ["p1", "p2", "p3", "p4", "p1"]}, "postings": {}, "capacities": {"p1": 1}}"#;
    assert_eq!(error(text), r#"duplicate "p1" in graduates["g3"] at positions 0 and 4"#);
    let text = r#"{"graduates": {"g1": []}, "postings": {"p1": ["g1", 7, "g1"]}, "capacities": {"p1": 1}}"#;
    assert_eq!(error(text), r#"duplicate "g1" in postings["p1"] at positions 0 and 2"#);
    let text = r#"{"graduates": {"g1": [], "g1": []}, "postings": {}, "capacities": {}}"#;
    assert_eq!(error(text), r#"duplicate key "g1" in "graduates""#);
    let text = r#"{"graduates": {}, "postings": {"p1": [], "p1": []}, "capacities": {"p1": 1}}"#;
    assert_eq!(error(text), r#"duplicate key "p1" in "postings""#);
    let text = r#"{"graduates": {}, "postings": {}, "capacities": {"p1": 1, "p1": 2}}"#;
    assert_eq!(error(text), r#"duplicate key "p1" in "capacities""#);
    let text = r#"{"graduates": {}, "postings": {}, "capacities": {}, "graduates": {}}"#;
    assert_eq!(error(text), r#"duplicate key "graduates" in the instance"#);
}

#[test]
fn capacities_must_be_non_negative_integers() {
    for (value, shown) in [
        ("-1", "-1"),
        ("1.5", "1.5"),
        ("2.0", "2.0"),
        ("\"3\"", "\"3\""),
        ("null", "null"),
        ("[1]", "a list"),
        ("4294967296", "4294967296"),
    ] {
        let text = format!(r#"{{"graduates": {{}}, "postings": {{}}, "capacities": {{"p1": 1, "p2": {value}}}}}"#);
        assert_eq!(error(&text), format!(r#"capacity of "p2" must be a non-negative integer, got {shown}"#));
    }
    let text = r#"{"graduates": {}, "postings": {"p1": [], "p2": []}, "capacities": {"p1": 1}}"#;
    assert_eq!(error(text), r#"posting "p2" has a list in "postings" but no capacity in "capacities""#);
}

#[test]
fn ids_in_lists_must_be_strings_or_non_negative_integers() {
    for (value, shown) in [("-3", "-3"), ("1.5", "1.5"), ("null", "null"), ("true", "true"), ("{}", "an object")] {
        let text =
            format!(r#"{{"graduates": {{"g1": ["p1", {value}]}}, "postings": {{}}, "capacities": {{"p1": 1}}}}"#);
        assert_eq!(
            error(&text),
            format!(r#"graduates["g1"][1] must be an id (a string or a non-negative integer), got {shown}"#)
        );
    }
}

#[test]
fn structural_problems_name_the_section() {
    assert_eq!(error(r#"{"postings": {}, "capacities": {}}"#), r#"missing "graduates""#);
    assert_eq!(error(r#"{"graduates": {}, "capacities": {}}"#), r#"missing "postings""#);
    assert_eq!(error(r#"{"graduates": {}, "postings": {}}"#), r#"missing "capacities""#);
    let wrong = error(r#"{"graduates": [], "postings": {}, "capacities": {}}"#);
    assert!(wrong.contains(r#"expected "graduates" to be an object"#) && wrong.contains("line 1 column 14"), "{wrong}");
    let wrong = error(r#"{"graduates": {"g1": "p1"}, "postings": {}, "capacities": {}}"#);
    assert!(wrong.contains(r#"expected graduates["g1"] to be a list of posting ids"#), "{wrong}");
    let wrong = error("[1, 2]");
    assert!(wrong.contains("expected an instance"), "{wrong}");
}

#[test]
fn malformed_json_gives_line_and_column() {
    assert_eq!(error("{\"graduates\": {\n  \"g1\": [\"p1\",]"), "malformed JSON at line 2 column 15: trailing comma");
    let trailing = error(r#"{"graduates": {}, "postings": {}, "capacities": {}} x"#);
    assert_eq!(trailing, "malformed JSON at line 1 column 53: trailing characters");
    assert!(error("").starts_with("malformed JSON at line 1 column 0"));
    let not_utf8 = NamedInstance::from_json(b"{\"graduates\": {\n\"g\xff\": []}}").unwrap_err();
    assert_eq!(not_utf8, InstanceFileError::Malformed { line: 2, column: 3, detail: "not UTF-8".to_string() });
}

#[test]
fn builder_and_named_instance_check_ids() {
    let mut builder = InstanceBuilder::default();
    builder.graduate("7", ["45"]).unwrap();
    assert_eq!(builder.build().unwrap_err().to_string(), r#"unknown posting id "45" in graduates["7"][0]"#);
    let mut builder = InstanceBuilder::default();
    assert_eq!(
        builder.graduate("7", ["45", "46", "45"]).unwrap_err().to_string(),
        r#"duplicate "45" in graduates["7"] at positions 0 and 2"#
    );
    let named = random_instance(3, 2, 1, 1);
    let (instance, graduates, postings) = named.into_parts();
    let error =
        NamedInstance::new(vec!["a".into(), "b".into(), "a".into()], postings.clone(), instance.clone()).unwrap_err();
    assert_eq!(error.to_string(), r#"duplicate key "a" in graduate ids"#);
    let error = NamedInstance::new(graduates, vec![], instance).unwrap_err();
    assert_eq!(error.to_string(), "0 ids for 2 postings");
}
