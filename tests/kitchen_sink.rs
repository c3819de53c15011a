//! Wire behaviour of generated code for `contracts/testdata/kitchen_sink.json`, a contract
//! that exercises every mapping rule: keywords, case collisions, generics, inheritance,
//! recursion, int and string enums with unknown values, base64 bytes, untyped JSON.

use serde_json::{json, Value};
use ssdto::{Method, Request};
use ssdto_generated::kitchen_sink::*;

fn round_trip<T>(input: Value) -> (T, Value)
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let typed: T = serde_json::from_value(input).expect("deserialize");
    let back = serde_json::to_value(&typed).expect("serialize");
    (typed, back)
}

#[test]
fn case_collisions_and_keywords_keep_their_wire_names() {
    let input = json!({
        "id": "a", "ID": "b", "type": "t", "self": "s", "match": "m", "1st": "f",
        "größe": "g", "urlPath": "/u", "aliasedName": "al"
    });
    let (c, back): (Collide, _) = round_trip(input.clone());
    assert_eq!(c.id.as_deref(), Some("a"));
    assert_eq!(c.id_2.as_deref(), Some("b"));
    assert_eq!(c.r#type.as_deref(), Some("t"));
    assert_eq!(c.self_.as_deref(), Some("s"));
    assert_eq!(c.r#match.as_deref(), Some("m"));
    assert_eq!(c._1st.as_deref(), Some("f"));
    assert_eq!(c.größe.as_deref(), Some("g"));
    assert_eq!(c.url_path.as_deref(), Some("/u"));
    assert_eq!(c.original_name.as_deref(), Some("al"));
    assert_eq!(back, input);
}

#[test]
fn pascal_case_input_is_accepted_and_written_back_camel_case() {
    let (c, back): (Collide, _) = round_trip(json!({"URLPath": "/p", "Self": "s", "Größe": "g"}));
    assert_eq!(c.url_path.as_deref(), Some("/p"));
    assert_eq!(back, json!({"urlPath": "/p", "self": "s", "größe": "g"}));
}

#[test]
fn int_enums_travel_as_numbers_and_keep_unknown_values() {
    assert_eq!(serde_json::to_value(Priority::High).unwrap(), json!(10));
    assert_eq!(
        serde_json::from_value::<Priority>(json!(5)).unwrap(),
        Priority::Normal
    );
    assert_eq!(
        serde_json::from_value::<Priority>(json!("high")).unwrap(),
        Priority::High
    );
    assert_eq!(
        serde_json::from_value::<Priority>(json!("10")).unwrap(),
        Priority::High
    );
    let unknown = serde_json::from_value::<Priority>(json!(7)).unwrap();
    assert_eq!(unknown, Priority::Unknown(7));
    assert_eq!(serde_json::to_value(unknown).unwrap(), json!(7));
    assert!(serde_json::from_value::<Priority>(json!("Urgent")).is_err());
    assert_eq!(Priority::default(), Priority::Low);
}

#[test]
fn string_enums_use_enum_member_values_and_keep_unknown_values() {
    assert_eq!(serde_json::to_value(Color::Red).unwrap(), json!("red"));
    assert_eq!(serde_json::to_value(Color::Blue).unwrap(), json!("Blue"));
    // A member literally named Unknown keeps its name; the catch-all moves aside.
    assert_eq!(
        serde_json::from_value::<Color>(json!("Unknown")).unwrap(),
        Color::Unknown
    );
    assert_eq!(
        serde_json::from_value::<Color>(json!("GREEN")).unwrap(),
        Color::Green
    );
    let teal = serde_json::from_value::<Color>(json!("teal")).unwrap();
    assert_eq!(teal, Color::Unknown2("teal".into()));
    assert_eq!(serde_json::to_value(&teal).unwrap(), json!("teal"));
    assert_eq!(Color::default(), Color::Red);
}

#[test]
fn everything_round_trips_with_inherited_fields_first() {
    let input = json!({
        "id": "e1", "version": 3, "text": "t", "flag": true, "letter": "x", "small": 255,
        "signed": -8, "short": -300, "int": 42, "long": 9007199254740993i64, "uShort": 65535,
        "uInt": 4294967295u32, "uLong": 18446744073709551615u64, "float": 1.5, "double": 2.25,
        "money": 10.5, "when": "/Date(1700000000000)/", "whenOffset": "2023-11-14T22:13:20+01:00",
        "duration": "PT1H30M", "key": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "blob": "AP8H", "anything": {"free": ["form", 1]}, "maybeInt": 7,
        "nested": {"a": [1, 2]}, "ints": [1, 2, 3],
        "pocos": [{"name": "n", "next": {"name": "m"}}], "grid": [[1], [2, 3]],
        "point": "X=1,Y=2", "priority": 10, "color": "green", "shadow": {"value": "v"}
    });
    let (e, back): (Everything, _) = round_trip(input.clone());
    assert_eq!(
        e.blob.as_deref().map(|b| b.as_slice()),
        Some(&[0u8, 255, 7][..])
    );
    assert_eq!(e.priority, Priority::High);
    assert_eq!(
        e.shadow,
        // The contract's own `Option` keeps its name; the prelude's is spelled in full.
        Some(ssdto_generated::kitchen_sink::Option {
            value: Some("v".into())
        })
    );
    let next = e
        .pocos
        .as_ref()
        .and_then(|p| p[0].next.as_ref())
        .expect("boxed next");
    assert_eq!(next.name, "m");
    assert_eq!(back, input);
    let keys: Vec<&String> = back.as_object().unwrap().keys().collect();
    assert!(keys.contains(&&"id".to_owned()));
}

#[test]
fn missing_fields_take_defaults_and_none_is_skipped() {
    let (e, back): (Everything, _) = round_trip(json!({}));
    assert_eq!(e, Everything::default());
    assert!(back.get("text").is_none(), "None is not written");
    assert_eq!(
        back["int"],
        json!(0),
        "required value types are always written"
    );
}

#[test]
fn generic_response_and_inherited_request() {
    let page: Page<Node> = serde_json::from_value(json!({
        "items": [{"name": "a"}], "lookup": {"k": [{"name": "b"}]}, "total": 1
    }))
    .unwrap();
    assert_eq!(page.items.unwrap()[0].name, "a");
    let find = FindNodes {
        skip: Some(10),
        take: None,
        name_contains: Some("x".into()),
    };
    assert_eq!(
        serde_json::to_value(&find).unwrap(),
        json!({"skip": 10, "nameContains": "x"})
    );
    fn response_of<R: Request>() -> &'static str {
        std::any::type_name::<R::Response>()
    }
    assert!(response_of::<FindNodes>().ends_with("Page<ssdto_generated::kitchen_sink::Node>"));
}

#[test]
fn request_metadata_matches_the_contract() {
    assert_eq!(GetEverything::METHOD, Method::Get);
    assert_eq!(GetEverything::ROUTES.len(), 2);
    assert!(
        GetEverything::ROUTES[1].verbs.is_empty(),
        "ANY means every verb"
    );
    const { assert!(DeleteThing::RETURNS_VOID) };
    assert_eq!(DeleteThing::METHOD, Method::Delete);
    assert_eq!(
        LegacyPut::METHOD,
        Method::Put,
        "older contracts: verb from IPut"
    );
    assert_eq!(Untyped::METHOD, Method::Post);
    const { assert!(!Untyped::RETURNS_VOID) };
}
