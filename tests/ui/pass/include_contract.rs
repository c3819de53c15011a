//! `include_contract!` with default options and with every option.
use ssdto::{Method, Request};

mod evovoice {
    ssdto::include_contract!("contracts/evovoice/sessions.json");
}

mod evovoice_get {
    ssdto::include_contract!(
        "contracts/evovoice/sessions.json",
        include = ["GetSession.*"],
        global_namespace = "api",
        descriptions = false,
        map_type = BTreeMap,
        derive = [Eq, std::hash::Hash],
    );
}

mod without_log {
    ssdto::include_contract!(
        "contracts/evovoice/sessions.json",
        include = ["GetSession.*"],
        exclude = ["SessionLogInfo"],
    );

    /// An excluded type is referred to by name, for the user to provide. (Generated code
    /// imports nothing: it names `::serde::Serialize` in full.)
    #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
    pub struct SessionLogInfo {
        pub text: String,
    }
}

mod evovoice_xml {
    ssdto::include_contract!(
        "contracts/evovoice/sessions.json",
        include = ["NewSession.*"],
        xml = true,
    );
}

/// A type the contract names without defining it is a `serde_json::Value` alias.
mod undefined {
    ssdto::include_contract!("contracts/ui/unknown_type.json");
}

fn hash_of<T: std::hash::Hash + Eq>(_: &T) {}

fn main() {
    let request = evovoice_xml::NewSession {
        member_email_addresses: Some(vec!["a@b.c".into()]),
        ..Default::default()
    };
    let text = ssdto::xml::to_string(&request).unwrap();
    assert!(text.starts_with(r#"<NewSession xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions">"#));
    assert!(text.contains("<d2p1:string>a@b.c</d2p1:string>"));
    assert_eq!(ssdto::xml::from_str::<evovoice_xml::NewSession>(&text).unwrap(), request);

    assert_eq!(evovoice::NewSession::METHOD, Method::Post);
    assert_eq!(evovoice::ListSessions::ROUTES[0].path, "/sessions");

    use evovoice_get::api::{GetSession, SessionInfo, SessionMemberInfo};
    assert_eq!(GetSession::ROUTES[0].path, "/sessions/{sessionId}");
    let member = SessionMemberInfo {
        application_data: Some(std::collections::BTreeMap::new()),
        ..Default::default()
    };
    hash_of(&member);
    let info: SessionInfo = serde_json::from_str(r#"{"Id":"s1"}"#).unwrap();
    assert_eq!(info.id.as_deref(), Some("s1"));

    let widget: undefined::Widget = serde_json::from_str(r#"{"part":{"any":[1]}}"#).unwrap();
    let part: &undefined::Nowhere = widget.part.as_ref().unwrap();
    assert_eq!(part["any"][0], 1);

    let info: without_log::SessionInfo =
        serde_json::from_str(r#"{"log":[{"text":"held"}]}"#).unwrap();
    assert_eq!(info.log.unwrap()[0].text, "held");
}
