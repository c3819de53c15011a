//! The XML samples of the Evo Voice seed pages, built from the matching JSON samples with the
//! types generated with `Xml: true`, and read back; then every JSON payload through XML and
//! back, and the reading rules (order, unknown elements, nil) on generated types.

use serde::de::DeserializeOwned;
use ssdto::xml::{self, XmlValue};
use ssdto_generated::evovoice_xml::*;
use ssdto_tests::{evovoice_payload as payload, normalize_xml as normalize};

fn from_json<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&payload(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Builds the sample's value from its JSON sample, writes it as XML and compares with the XML
/// sample; then reads the XML sample and compares with the value.
fn check_sample<T: XmlValue + DeserializeOwned + PartialEq + std::fmt::Debug>(
    json: &str,
    xml_file: &str,
) {
    let value: T = from_json(json);
    let sample = payload(xml_file);
    let written = xml::to_string(&value).unwrap_or_else(|e| panic!("{xml_file}: {e}"));
    assert_eq!(written, normalize(&sample), "{xml_file}: written differs");
    let read: T = xml::from_str(&sample).unwrap_or_else(|e| panic!("{xml_file}: {e}"));
    assert_eq!(read, value, "{xml_file}: read differs");
}

#[test]
fn normalize_only_drops_whitespace_between_tags() {
    assert_eq!(
        normalize("<a>\n  <b> x </b> <c />\n</a>\n"),
        "<a><b> x </b><c /></a>"
    );
}

#[test]
fn page_001_get_active_sessions_response() {
    check_sample::<GetActiveSessionsResponse>(
        "GetActiveSessions.response.json",
        "GetActiveSessions.response.xml",
    );
}

#[test]
fn page_002_get_session_response() {
    check_sample::<SessionInfo>("GetSession.response.json", "GetSession.response.xml");
}

#[test]
fn page_004_new_session_request() {
    check_sample::<NewSession>("NewSession.request.json", "NewSession.request.xml");
}

#[test]
fn page_004_new_session_response() {
    check_sample::<SessionInfo>("NewSession.response.json", "NewSession.response.xml");
}

/// A JSON payload read into `T`, through XML and back, is the same value.
fn through_xml<T: XmlValue + DeserializeOwned + PartialEq + std::fmt::Debug>(json: &str) -> String {
    let value: T = from_json(json);
    let text = xml::to_string(&value).unwrap_or_else(|e| panic!("{json}: {e}"));
    let back: T = xml::from_str(&text).unwrap_or_else(|e| panic!("{json}: {e}\n{text}"));
    assert_eq!(back, value, "{json}");
    text
}

#[test]
fn every_json_payload_survives_xml() {
    through_xml::<ListResponse<SessionInfo>>("ListSessions.response.json");
    through_xml::<ListResponse<SessionInfo>>("ListSessions.response.unknown-fields.json");
    through_xml::<GetActiveSessionsResponse>("GetActiveSessions.response.json");
    through_xml::<SessionInfo>("GetSession.response.json");
    through_xml::<SessionInfo>("GetSession.response.pascal-case.json");
    through_xml::<NewSession>("NewSession.request.json");
    through_xml::<SessionInfo>("NewSession.response.json");
}

#[test]
fn unknown_enum_values_survive_xml() {
    let text = through_xml::<ListResponse<SessionInfo>>("ListSessions.response.unknown-enum.json");
    // Items are in the Sessions namespace, which the list declares as `d2p1`.
    assert!(
        text.contains("<d2p1:CallState>Transferring</d2p1:CallState>"),
        "{text}"
    );
}

#[test]
fn nulls_are_nil_and_read_back_as_none() {
    let text = through_xml::<SessionInfo>("GetSession.response.nulls.json");
    assert!(
        text.contains(r#"<CreatedBy i:nil="true" xmlns="http://schemas.datacontract.org/2004/07/Voice.Api" />"#),
        "{text}"
    );
    assert!(
        text.contains(r#"<CustomerBreadcrumb i:nil="true" />"#),
        "{text}"
    );
    assert!(
        text.contains(r#"<ApplicationData i:nil="true" />"#),
        "{text}"
    );
}

#[test]
fn generic_response_is_named_as_datacontractserializer_names_it() {
    let text = through_xml::<ListResponse<SessionInfo>>("ListSessions.response.json");
    let root = ListResponse::<SessionInfo>::contract();
    // `ListResponse<SessionInfo>`: the argument's namespace is no XML Schema one, so .NET
    // appends the digest of " 1 http://schemas.datacontract.org/2004/07/Voice.Api.Sessions".
    assert_eq!(root.name, "ListResponseOfSessionInfoBWxtuWQa");
    assert!(
        text.starts_with(concat!(
            r#"<ListResponseOfSessionInfoBWxtuWQa xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
            r#"xmlns="http://schemas.datacontract.org/2004/07/Voice.Api"><HasMorePages>false</HasMorePages>"#,
            r#"<Items xmlns:d2p1="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions">"#,
            // Items are in the Sessions namespace (`d2p1`); their inherited `EntityInfo` members
            // are in Voice.Api, the default namespace here, so they need no declaration.
            r#"<d2p1:SessionInfo><CreatedBy>String</CreatedBy>"#
        )),
        "{text}"
    );
}

#[test]
fn reading_takes_any_order_namespace_and_skips_unknown_elements() {
    let text = r#"<?xml version="1.0" encoding="utf-8"?>
        <!-- written by hand -->
        <s:SessionInfo xmlns:s="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions"
                       xmlns:x="urn:other">
          <s:WasMissed>true</s:WasMissed>
          <s:Recording><s:Url>https://x</s:Url><s:Parts><s:Part/></s:Parts></s:Recording>
          <x:Id>s1</x:Id>
          <s:Members>
            <s:SessionMemberInfo><s:Muted> 1 </s:Muted><s:Role>Agent</s:Role></s:SessionMemberInfo>
            <s:SessionMemberInfo i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>
          </s:Members>
          <s:DisplayName><![CDATA[<Front & desk>]]></s:DisplayName>
          <s:Outcome>a &amp; b &#x41;&#66;</s:Outcome>
          <s:Unknown/>
          <s:CallState>Ringing</s:CallState>
        </s:SessionInfo>"#;
    let session: SessionInfo = xml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(session.id.as_deref(), Some("s1"));
    assert!(session.was_missed);
    assert_eq!(session.call_state, SessionCallState::Ringing);
    assert_eq!(session.display_name.as_deref(), Some("<Front & desk>"));
    assert_eq!(session.outcome.as_deref(), Some("a & b AB"));
    let members = session.members.unwrap_or_default();
    assert_eq!(members.len(), 2);
    assert!(members[0].muted);
    assert_eq!(members[0].role, SessionMemberRoles::Agent);
    assert_eq!(members[1], SessionMemberInfo::default());
}

#[test]
fn bad_values_name_their_element() {
    let text = r#"<SessionInfo xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions"><Members><SessionMemberInfo><Muted>maybe</Muted></SessionMemberInfo></Members></SessionInfo>"#;
    let err = xml::from_str::<SessionInfo>(text).unwrap_err();
    assert!(
        matches!(&err, xml::Error::Value { path, expected: "boolean", value, .. }
            if path == "SessionInfo/Members/SessionMemberInfo/Muted" && value == "maybe"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "invalid boolean `maybe` in <SessionInfo/Members/SessionMemberInfo/Muted> at byte 128"
    );
}

#[test]
fn strings_keep_every_character_xml_can_carry() {
    let session = SessionInfo {
        display_name: Some(" a\r\nb\t<c> & 'd' \"e\" é \u{1F600} ".into()),
        outcome: Some(String::new()),
        ..SessionInfo::default()
    };
    let text = xml::to_string(&session).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("<Outcome />"), "{text}");
    assert_eq!(xml::from_str::<SessionInfo>(&text).ok(), Some(session));

    let bad = SessionInfo {
        display_name: Some("bell\u{7}".into()),
        ..SessionInfo::default()
    };
    assert!(matches!(xml::to_string(&bad), Err(xml::Error::Write(_))));
}

mod rules {
    //! `contracts/testdata/xml_rules.json`: each rule of DataContractSerializer's naming and
    //! ordering on a generated type, in one document written out by hand.

    use std::collections::HashMap;

    use ssdto::xml::{self, XmlValue};
    use ssdto_generated::xml_rules::*;

    fn order() -> Order {
        Order {
            tags: Some(vec!["a".into()]),
            owner: Some(Person {
                name: Some("Bo".into()),
            }),
            modified_by: Some("ann".into()),
            zeta: Some("z".into()),
            alpha: Some("a".into()),
            beta: Some("b".into()),
            count: 0,
            note: None,
            access: Access::READ | Access::WRITE,
            priority: Priority::High,
            lines: Some(HashMap::from([("x".into(), Person { name: None })])),
        }
    }

    const EXPECTED: &str = concat!(
        // `[DataContract(Name, Namespace)]` names the root.
        r#"<PurchaseOrder xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="urn:acme:orders">"#,
        // Base class members first, in the base's namespace, ordered by name.
        r#"<ModifiedBy xmlns="http://schemas.datacontract.org/2004/07/Acme.Common">ann</ModifiedBy>"#,
        // A member holding a class of another namespace declares it with a generated prefix.
        r#"<Owner xmlns:d2p1="http://schemas.datacontract.org/2004/07/Acme.People" "#,
        r#"xmlns="http://schemas.datacontract.org/2004/07/Acme.Common"><d2p1:Name>Bo</d2p1:Name></Owner>"#,
        r#"<Tags xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays" "#,
        r#"xmlns="http://schemas.datacontract.org/2004/07/Acme.Common"><d2p1:string>a</d2p1:string></Tags>"#,
        // Then the type's own members without an order, by ordinal name ...
        // (a `[Flags]` value of two members: their names)
        "<Access>Read Write</Access>",
        r#"<Lines xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays">"#,
        "<d2p1:KeyValueOfstringPersonJx53ihyR><d2p1:Key>x</d2p1:Key>",
        r#"<d2p1:Value xmlns:d4p1="http://schemas.datacontract.org/2004/07/Acme.People">"#,
        r#"<d4p1:Name i:nil="true" /></d2p1:Value></d2p1:KeyValueOfstringPersonJx53ihyR></Lines>"#,
        // (an integer enum by name, as .NET writes every enum)
        "<Priority>High</Priority>",
        "<Zeta>z</Zeta>",
        // ... then by `[DataMember(Order)]`, under `[DataMember(Name)]`; `Count` (0) and `Note`
        // (null) are `EmitDefaultValue = false` and left out.
        "<B>b</B><Alpha>a</Alpha>",
        "</PurchaseOrder>",
    );

    #[test]
    fn names_namespaces_and_order() {
        let text = xml::to_string(&order()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text, EXPECTED);
        assert_eq!(xml::from_str::<Order>(&text).ok(), Some(order()));
    }

    #[test]
    fn non_default_values_of_emit_default_value_false_members_are_written() {
        let order = Order {
            count: 2,
            note: Some("n".into()),
            ..order()
        };
        let text = xml::to_string(&order).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            text.ends_with(
                "<B>b</B><Alpha>a</Alpha><Count>2</Count><Note>n</Note></PurchaseOrder>"
            ),
            "{text}"
        );
        assert_eq!(xml::from_str::<Order>(&text).ok(), Some(order));
    }

    #[test]
    fn generic_names_from_templates_and_defaults() {
        // `[DataContract(Name = "EnvelopeOf{0}{#}")]`: the argument's contract name, then the
        // digest of " 1 urn:acme:orders".
        assert_eq!(
            Envelope::<Order>::contract().name,
            "EnvelopeOfPurchaseOrdereSfATgvc"
        );
        // No `[DataContract]`: `{Name}Of{arguments}`, no digest for XML Schema types.
        assert_eq!(Page::<String>::contract().name, "PageOfstring");
        let envelope = Envelope {
            body: Some(order()),
        };
        let text = xml::to_string(&envelope).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            text.starts_with(concat!(
                r#"<EnvelopeOfPurchaseOrdereSfATgvc xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
                r#"xmlns="http://schemas.datacontract.org/2004/07/Acme.Common">"#,
                r#"<Body xmlns:d2p1="urn:acme:orders"><ModifiedBy>ann</ModifiedBy>"#,
            )),
            "{text}"
        );
        assert_eq!(xml::from_str::<Envelope<Order>>(&text).ok(), Some(envelope));
    }
}

/// The README's XML example, kept honest.
#[test]
fn readme_example() -> Result<(), xml::Error> {
    let request = NewSession {
        display_name: Some("Front desk".into()),
        ..Default::default()
    };
    let body = ssdto::xml::to_string(&request)?;
    assert!(body.starts_with(concat!(
        r#"<NewSession xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
        r#"xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions">"#,
        r#"<CallState i:nil="true" /><Channel>Voice</Channel>"#,
    )));

    let reply =
        br#"<SessionInfo xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions">
    <Id xmlns="http://schemas.datacontract.org/2004/07/Voice.Api">s1</Id></SessionInfo>"#;
    let session: SessionInfo = ssdto::xml::from_slice(reply)?;
    assert_eq!(session.id.as_deref(), Some("s1"));
    Ok(())
}
