//! Every rule on every axis, each with a minimal OLD/NEW pair; and the generated-code reader
//! against the resolved model.

use serde_json::{json, Value};

use super::{diff_contracts, diff_generated, Change, Rule};
use crate::options::Options;

/// One operation `Get` (`GET /items`, answering `GetResponse`) with the given request and
/// response properties and extra types; `op` overrides operation keys.
fn api(request: Value, response: Value, types: Value, op: Value) -> String {
    let mut operation = json!({
        "request": {"name": "Get", "properties": request},
        "response": {"name": "GetResponse", "properties": response},
        "method": "GET",
        "actions": ["GET"],
        "routes": [{"path": "/items", "verbs": "GET"}],
    });
    if let (Some(o), Some(extra)) = (operation.as_object_mut(), op.as_object()) {
        for (k, v) in extra {
            o.insert(k.clone(), v.clone());
        }
    }
    json!({"types": types, "operations": [operation]}).to_string()
}

fn prop(name: &str, ty: &str) -> Value {
    json!({"name": name, "type": ty})
}

fn required(name: &str, ty: &str) -> Value {
    json!({"name": name, "type": ty, "isRequired": true})
}

fn value(name: &str, ty: &str) -> Value {
    json!({"name": name, "type": ty, "isValueType": true})
}

fn nullable(name: &str, ty: &str) -> Value {
    json!({"name": name, "type": "Nullable`1", "genericArgs": [ty], "isValueType": true})
}

fn wire_named(name: &str, ty: &str, wire: &str) -> Value {
    json!({"name": name, "type": ty, "dataMember": {"name": wire}})
}

fn string_enum(name: &str, members: &[&str]) -> Value {
    json!({"name": name, "isEnum": true, "enumNames": members})
}

fn int_enum(name: &str, members: &[(&str, i64)]) -> Value {
    let names: Vec<&str> = members.iter().map(|m| m.0).collect();
    let values: Vec<String> = members.iter().map(|m| m.1.to_string()).collect();
    json!({"name": name, "isEnum": true, "isEnumInt": true, "enumNames": names, "enumValues": values})
}

/// A field of a request (`req`) or response (`res`) in an otherwise unchanged contract.
fn in_request(old: Value, new: Value) -> (String, String) {
    (
        api(json!([old]), json!([]), json!([]), json!({})),
        api(json!([new]), json!([]), json!([]), json!({})),
    )
}

fn in_response(old: Value, new: Value) -> (String, String) {
    (
        api(json!([]), json!([old]), json!([]), json!({})),
        api(json!([]), json!([new]), json!([]), json!({})),
    )
}

fn fields(old: &[Value], new: &[Value], response: bool) -> (String, String) {
    let side = |props: &[Value]| {
        if response {
            api(json!([]), json!(props), json!([]), json!({}))
        } else {
            api(json!(props), json!([]), json!([]), json!({}))
        }
    };
    (side(old), side(new))
}

/// An enum `E` in a request field (`Get.e`) or a response field.
fn enum_in(response: bool, old: Value, new: Value) -> (String, String) {
    let side = |e: Value| {
        let f = json!([prop("E", "E")]);
        if response {
            api(json!([]), f, json!([e]), json!({}))
        } else {
            api(f, json!([]), json!([e]), json!({}))
        }
    };
    (side(old), side(new))
}

fn ops(old: Value, new: Value) -> (String, String) {
    (
        api(json!([]), json!([]), json!([]), old),
        api(json!([]), json!([]), json!([]), new),
    )
}

struct Case {
    name: &'static str,
    rule: Rule,
    pair: (String, String),
    /// Breaks OLD clients, NEW clients, source.
    breaks: (bool, bool, bool),
}

fn case(
    name: &'static str,
    rule: Rule,
    pair: (String, String),
    breaks: (bool, bool, bool),
) -> Case {
    Case {
        name,
        rule,
        pair,
        breaks,
    }
}

fn cases() -> Vec<Case> {
    use Rule::*;
    let other_op = |extra: Value| {
        let mut contract: Value =
            serde_json::from_str(&api(json!([]), json!([]), json!([]), json!({}))).unwrap();
        contract["operations"]
            .as_array_mut()
            .unwrap()
            .push(json!({"request": {"name": "Other"}, "returnsVoid": true, "method": "POST"}));
        if let Some(extra) = extra.as_object() {
            for (k, v) in extra {
                contract["operations"][1][k] = v.clone();
            }
        }
        contract.to_string()
    };
    let base = api(json!([]), json!([]), json!([]), json!({}));
    let with_types = |types: Value| api(json!([]), json!([prop("I", "Item")]), types, json!({}));
    let item = |props: Value| json!({"name": "Item", "properties": props});
    vec![
        // Operations.
        case(
            "operation removed",
            OperationRemoved,
            (other_op(json!({})), base.clone()),
            (true, false, true),
        ),
        case(
            "operation added",
            OperationAdded,
            (base.clone(), other_op(json!({}))),
            (false, false, false),
        ),
        case(
            "verb changed, service implements one verb",
            MethodChanged,
            ops(
                json!({"method": "POST", "actions": ["POST"], "routes": []}),
                json!({"method": "GET", "actions": ["GET"], "routes": []}),
            ),
            (true, true, false),
        ),
        case(
            "verb changed, service implements any verb",
            MethodChanged,
            ops(
                json!({"method": "POST", "actions": ["ANY"], "routes": []}),
                json!({"method": "GET", "actions": ["ANY"], "routes": []}),
            ),
            (false, false, false),
        ),
        case(
            "route removed",
            RouteRemoved,
            ops(
                json!({"routes": [{"path": "/items", "verbs": "GET"}, {"path": "/all", "verbs": "GET"}]}),
                json!({"routes": [{"path": "/items", "verbs": "GET"}]}),
            ),
            (true, false, false),
        ),
        case(
            "route added",
            RouteAdded,
            ops(
                json!({"routes": [{"path": "/items", "verbs": "GET"}]}),
                json!({"routes": [{"path": "/items", "verbs": "GET"}, {"path": "/all", "verbs": "GET"}]}),
            ),
            (false, true, false),
        ),
        case(
            "route no longer serves the verb",
            RouteVerbsChanged,
            ops(
                json!({"routes": [{"path": "/items", "verbs": "GET"}]}),
                json!({"routes": [{"path": "/items", "verbs": "POST"}]}),
            ),
            (true, false, false),
        ),
        case(
            "route serves one more verb",
            RouteVerbsChanged,
            ops(
                json!({"routes": [{"path": "/items", "verbs": "GET"}]}),
                json!({"routes": [{"path": "/Items", "verbs": "GET,POST"}]}),
            ),
            (false, false, false),
        ),
        case(
            "response type changed",
            ResponseChanged,
            (
                base.clone(),
                api(
                    json!([]),
                    json!([]),
                    json!([]),
                    json!({"response": {"name": "Other", "properties": [required("X", "String")]}}),
                ),
            ),
            (true, true, true),
        ),
        case(
            "response became void",
            ResponseChanged,
            (
                base.clone(),
                api(
                    json!([]),
                    json!([]),
                    json!([]),
                    json!({"returnsVoid": true}),
                ),
            ),
            (true, false, true),
        ),
        case(
            "auth added",
            AuthAdded,
            ops(json!({}), json!({"requiresAuth": true})),
            (true, false, false),
        ),
        case(
            "role added",
            AuthAdded,
            ops(
                json!({"requiresAuth": true}),
                json!({"requiresAuth": true, "requiredRoles": ["Admin"]}),
            ),
            (true, false, false),
        ),
        case(
            "auth removed",
            AuthRemoved,
            ops(json!({"requiredPermissions": ["p"]}), json!({})),
            (false, true, false),
        ),
        case(
            "one of fewer roles",
            AuthAdded,
            ops(
                json!({"requiresAnyRole": ["A", "B"]}),
                json!({"requiresAnyRole": ["A"]}),
            ),
            (true, false, false),
        ),
        case(
            "one of more permissions",
            AuthRemoved,
            ops(
                json!({"requiresAnyPermission": ["p"]}),
                json!({"requiresAnyPermission": ["p", "q"]}),
            ),
            (false, true, false),
        ),
        // Types.
        case(
            "type removed",
            TypeRemoved,
            (
                with_types(json!([item(json!([])), {"name": "Unused"}])),
                with_types(json!([item(json!([]))])),
            ),
            (false, false, true),
        ),
        case(
            "type added",
            TypeAdded,
            (
                with_types(json!([item(json!([]))])),
                with_types(json!([item(json!([])), {"name": "Unused"}])),
            ),
            (false, false, false),
        ),
        case(
            "type renamed",
            TypeRenamed,
            (
                with_types(json!([item(json!([prop("N", "String")]))])),
                api(
                    json!([]),
                    json!([prop("I", "Thing")]),
                    json!([{"name": "Thing", "properties": [prop("N", "String")]}]),
                    json!({}),
                ),
            ),
            (false, false, true),
        ),
        case(
            "struct became an enum",
            KindChanged,
            (
                with_types(json!([item(json!([]))])),
                with_types(json!([string_enum("Item", &["A"])])),
            ),
            (true, true, true),
        ),
        case(
            "type parameters changed",
            GenericsChanged,
            (
                api(
                    json!([]),
                    json!([{"name": "P", "type": "Page`1", "genericArgs": ["String"]}]),
                    json!([{"name": "Page`1", "genericArgs": ["T"], "properties": [prop("A", "T")]}]),
                    json!({}),
                ),
                api(
                    json!([]),
                    json!([{"name": "P", "type": "Page`2", "genericArgs": ["String", "String"]}]),
                    json!([{"name": "Page`2", "genericArgs": ["T", "U"], "properties": [prop("A", "T"), prop("B", "U")]}]),
                    json!({}),
                ),
            ),
            (false, false, true),
        ),
        // Fields: request (client -> ServiceStack) and response (ServiceStack -> client).
        case(
            "request field removed",
            FieldRemoved,
            fields(&[prop("A", "String")], &[], false),
            (true, false, true),
        ),
        case(
            "response field removed",
            FieldRemoved,
            fields(&[prop("A", "String")], &[], true),
            (true, false, true),
        ),
        case(
            "required request field removed",
            FieldRemoved,
            fields(&[required("A", "String")], &[], false),
            (true, true, true),
        ),
        case(
            "optional request field added",
            FieldAdded,
            fields(&[], &[prop("A", "String")], false),
            (false, false, true),
        ),
        case(
            "optional response field added",
            FieldAdded,
            fields(&[], &[prop("A", "String")], true),
            (false, false, false),
        ),
        case(
            "required request field added",
            FieldAdded,
            fields(&[], &[required("A", "String")], false),
            (true, true, true),
        ),
        case(
            "value-type response field added",
            FieldAdded,
            fields(&[], &[value("A", "Int32")], true),
            (false, true, false),
        ),
        case(
            "request field renamed on the wire",
            FieldRenamedOnWire,
            in_request(
                wire_named("A", "String", "a"),
                wire_named("A", "String", "b"),
            ),
            (true, false, false),
        ),
        case(
            "response field renamed on the wire",
            FieldRenamedOnWire,
            in_response(
                wire_named("A", "String", "a"),
                wire_named("A", "String", "b"),
            ),
            (true, false, false),
        ),
        case(
            "response field's wire name changed case",
            FieldWireCase,
            in_response(prop("Id", "String"), wire_named("Id", "String", "ID")),
            (false, false, false),
        ),
        case(
            "request field's wire name changed case",
            FieldWireCase,
            in_request(prop("Id", "String"), wire_named("Id", "String", "ID")),
            (false, false, false),
        ),
        case(
            "field renamed in Rust only",
            FieldRenamedInRust,
            in_request(
                wire_named("Id", "String", "id"),
                wire_named("Identifier", "String", "id"),
            ),
            (false, false, true),
        ),
        case(
            "request field became required",
            FieldOptionality,
            in_request(prop("A", "String"), required("A", "String")),
            (true, false, true),
        ),
        case(
            "request field became optional",
            FieldOptionality,
            in_request(required("A", "String"), prop("A", "String")),
            (false, true, true),
        ),
        case(
            "response field became optional",
            FieldOptionality,
            in_response(value("A", "Int32"), nullable("A", "Int32")),
            (true, false, true),
        ),
        case(
            "response field became required",
            FieldOptionality,
            in_response(prop("A", "String"), required("A", "String")),
            (false, true, true),
        ),
        case(
            "nullable request field became isRequired",
            FieldRequired,
            in_request(
                nullable("A", "Int32"),
                json!({"name": "A", "type": "Nullable`1", "genericArgs": ["Int32"], "isValueType": true, "isRequired": true}),
            ),
            (true, false, false),
        ),
        case(
            "request int widened",
            FieldTypeChanged,
            in_request(value("A", "Int32"), value("A", "Int64")),
            (false, true, true),
        ),
        case(
            "response int widened",
            FieldTypeChanged,
            in_response(value("A", "Int32"), value("A", "Int64")),
            (true, false, true),
        ),
        case(
            "request string became a Guid",
            FieldTypeChanged,
            in_request(prop("A", "String"), value("A", "Guid")),
            (true, false, false),
        ),
        case(
            "request string became an enum",
            FieldTypeChanged,
            (
                api(
                    json!([prop("A", "String")]),
                    json!([]),
                    json!([string_enum("E", &["X"])]),
                    json!({}),
                ),
                api(
                    json!([prop("A", "E")]),
                    json!([]),
                    json!([string_enum("E", &["X"])]),
                    json!({}),
                ),
            ),
            (true, false, true),
        ),
        case(
            "response string became an enum",
            FieldTypeChanged,
            (
                api(
                    json!([]),
                    json!([prop("A", "String")]),
                    json!([string_enum("E", &["X"])]),
                    json!({}),
                ),
                api(
                    json!([]),
                    json!([prop("A", "E")]),
                    json!([string_enum("E", &["X"])]),
                    json!({}),
                ),
            ),
            (false, false, true),
        ),
        // Enums.
        case(
            "request enum value removed",
            EnumValueRemoved,
            enum_in(
                false,
                string_enum("E", &["A", "B"]),
                string_enum("E", &["A"]),
            ),
            (true, false, true),
        ),
        case(
            "response enum value removed",
            EnumValueRemoved,
            enum_in(
                true,
                string_enum("E", &["A", "B"]),
                string_enum("E", &["A"]),
            ),
            (false, false, true),
        ),
        case(
            "request enum value added",
            EnumValueAdded,
            enum_in(
                false,
                string_enum("E", &["A"]),
                string_enum("E", &["A", "B"]),
            ),
            (false, false, false),
        ),
        case(
            "response enum value added",
            EnumValueAdded,
            enum_in(
                true,
                string_enum("E", &["A"]),
                string_enum("E", &["A", "B"]),
            ),
            (false, false, true),
        ),
        case(
            "enum member renamed in Rust",
            EnumValueRenamedInRust,
            enum_in(
                true,
                json!({"name": "E", "isEnum": true, "enumNames": ["A"], "enumMemberValues": ["a"]}),
                json!({"name": "E", "isEnum": true, "enumNames": ["Alpha"], "enumMemberValues": ["a"]}),
            ),
            (false, false, true),
        ),
        case(
            "integer enum member renumbered",
            EnumValueNumberChanged,
            enum_in(true, int_enum("E", &[("A", 1)]), int_enum("E", &[("A", 2)])),
            (true, true, false),
        ),
        case(
            "response enum became integers",
            EnumRepresentationChanged,
            enum_in(true, string_enum("E", &["A"]), int_enum("E", &[("A", 0)])),
            (true, false, true),
        ),
        case(
            "request enum became integers",
            EnumRepresentationChanged,
            enum_in(false, string_enum("E", &["A"]), int_enum("E", &[("A", 0)])),
            (false, false, true),
        ),
    ]
}

fn flags(c: &Change) -> (bool, bool, bool) {
    (
        c.impact.old_clients.is_some(),
        c.impact.new_clients.is_some(),
        c.impact.source.is_some(),
    )
}

#[test]
fn generated_code_reads_a_wire_name_in_any_case_unless_it_predates_the_fields_call() {
    let (old, new) = in_response(prop("Id", "String"), wire_named("Id", "String", "ID"));
    let code = |json: &str| crate::generate(json, &Options::default()).unwrap().code;
    let (old_code, new_code) = (code(&old), code(&new));
    let case_change = |old_code: &str| {
        let diff = diff_generated(old_code, &new_code).unwrap();
        let found: Vec<_> = diff
            .changes
            .iter()
            .filter(|c| c.rule == Rule::FieldWireCase)
            .collect();
        assert_eq!(found.len(), 1, "{:#?}", diff.changes);
        flags(found[0])
    };
    assert_eq!(case_change(&old_code), (false, false, false));
    // Output from before the calls read through serde's derive, which matches names exactly:
    // its clients miss the member a NEW server writes as `ID`.
    let start = old_code
        .find("::ssdto::deserialize_fields! {\n    GetResponse {")
        .unwrap();
    let end = start + old_code[start..].find("\n}\n").unwrap() + 3;
    let before = old_code[..start].to_owned() + &old_code[end..];
    assert_eq!(case_change(&before), (true, false, false));
}

#[test]
fn every_rule_on_every_axis() {
    let mut failures = Vec::new();
    let cases = cases();
    for c in &cases {
        let diff = match diff_contracts(&c.pair.0, &c.pair.1, &Options::default()) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{}: {e}", c.name));
                continue;
            }
        };
        let found: Vec<&Change> = diff.changes.iter().filter(|ch| ch.rule == c.rule).collect();
        match found.as_slice() {
            [one] if flags(one) == c.breaks => {}
            _ => failures.push(format!(
                "{}: expected one {} breaking (OLD clients, NEW clients, source) = {:?}, got {:#?}",
                c.name, c.rule, c.breaks, diff.changes
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for rule in Rule::ALL {
        assert!(
            cases.iter().any(|c| c.rule == *rule),
            "no case for rule {rule}"
        );
    }
}

#[test]
fn unchanged_contracts_have_no_changes() {
    let contract = crate::EVOVOICE_SESSIONS;
    let diff = diff_contracts(contract, contract, &Options::default()).unwrap();
    assert!(diff.changes.is_empty(), "{:#?}", diff.changes);
    assert_eq!(diff.summary(), "no changes");
}

#[test]
fn breaking_changes_explain_themselves_and_safe_ones_do_not_pretend() {
    for c in cases() {
        let diff = diff_contracts(&c.pair.0, &c.pair.1, &Options::default()).unwrap();
        for ch in &diff.changes {
            for reason in [
                &ch.impact.old_clients,
                &ch.impact.new_clients,
                &ch.impact.source,
            ]
            .into_iter()
            .flatten()
            {
                assert!(!reason.is_empty(), "{}: empty reason in {ch:?}", c.name);
            }
            if !ch.impact.is_safe() {
                assert!(ch.note.is_none(), "{}: a note on a break: {ch:?}", c.name);
            }
        }
    }
}

#[test]
fn changes_carry_contract_paths() {
    let (old, new) = fields(
        &[prop("A", "String")],
        &[prop("A", "String"), prop("B", "String")],
        true,
    );
    let diff = diff_contracts(&old, &new, &Options::default()).unwrap();
    assert_eq!(diff.changes.len(), 1, "{:#?}", diff.changes);
    assert_eq!(
        diff.changes[0]
            .path
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("NEW operations[0].response.properties[1]")
    );
    assert_eq!(
        diff.changes[0].subject,
        super::Subject::Type("GetResponse".into())
    );
}

#[test]
fn fail_on_picks_the_parties() {
    use super::FailOn;
    // A response field widened: breaks OLD clients and source, not NEW clients.
    let (old, new) = in_response(value("A", "Int32"), value("A", "Int64"));
    let diff = diff_contracts(&old, &new, &Options::default()).unwrap();
    assert!(diff.breaks(FailOn::default()));
    assert!(diff.breaks("source".parse().unwrap()));
    assert!(!diff.breaks("reverse".parse().unwrap()));
    assert!(diff.breaks("any".parse().unwrap()));
    assert!(diff.breaks("reverse,source".parse().unwrap()));
    assert!("wire,sideways".parse::<FailOn>().is_err());
    // Additions break nobody by default.
    let (old, new) = fields(&[], &[prop("A", "String")], true);
    let diff = diff_contracts(&old, &new, &Options::default()).unwrap();
    assert!(!diff.breaks("any".parse().unwrap()));
    assert_eq!(diff.summary(), "1 change: 1 safe");
}

#[test]
fn renames_are_not_reported_again_where_the_type_is_used() {
    let page = |param: &str, item: &str| {
        api(
            json!([]),
            json!([{"name": "P", "type": "Page`1", "genericArgs": [item]}]),
            json!([
                {"name": "Page`1", "genericArgs": [param],
                 "properties": [prop("Items", &format!("List<{param}>"))]},
                {"name": item, "properties": [prop("N", "String")]},
            ]),
            json!({}),
        )
    };
    // A type parameter renamed: nothing changes for anyone.
    let diff = diff_contracts(
        &page("T", "Item"),
        &page("TItem", "Item"),
        &Options::default(),
    )
    .unwrap();
    assert!(diff.changes.is_empty(), "{:#?}", diff.changes);
    // A type renamed: one change, not one more for every field that uses it.
    let diff =
        diff_contracts(&page("T", "Item"), &page("T", "Thing"), &Options::default()).unwrap();
    let rules: Vec<Rule> = diff.changes.iter().map(|c| c.rule).collect();
    assert_eq!(rules, [Rule::TypeRenamed], "{:#?}", diff.changes);
    assert_eq!(diff.changes[0].detail, "`Item` -> `Thing`");
}
