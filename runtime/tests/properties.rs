//! Property tests over the runtime's public API: what a client writes (route, query string,
//! wire values), a server reads back unchanged, and no input makes a parser panic.

use proptest::collection::vec;
use proptest::prelude::*;
use serde::Serialize;

use ssdto::query::{parse_query, split_list, to_query_string};
use ssdto::route::{select, RouteTemplate};
use ssdto::wire::{DateTime, Guid, TimeSpan};
use ssdto::{Method, Route};

/// Text that stresses paths and queries: any Unicode, weighted towards the characters that
/// could change a URL's shape.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC*",
        vec(
            prop_oneof![
                Just("/".to_owned()),
                Just("..".to_owned()),
                Just(".".to_owned()),
                Just("%".to_owned()),
                Just("%2F".to_owned()),
                Just("?".to_owned()),
                Just("#".to_owned()),
                Just("&".to_owned()),
                Just("=".to_owned()),
                Just("+".to_owned()),
                Just(",".to_owned()),
                Just("\"".to_owned()),
                Just("[".to_owned()),
                Just("]".to_owned()),
                Just(" ".to_owned()),
                "\\PC{1,3}",
            ],
            0..8
        )
        .prop_map(|parts| parts.concat()),
    ]
}

fn dot_segment(s: &str) -> bool {
    s == "." || s == ".."
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct GetFile {
    account_id: String,
    path: String,
    version: Option<i32>,
    note: Option<String>,
    tags: Vec<String>,
}

const FILE_ROUTES: &[Route] = &[Route {
    path: "/accounts/{AccountId}/files/{Path*}",
    verbs: &[Method::Get],
}];

proptest! {
    /// A request sent on a declared route: the server recovers every path variable from the
    /// path and every other field from the query string, whatever the values hold.
    #[test]
    fn route_and_query_give_back_the_request(
        account_id in hostile_text(),
        path in hostile_text(),
        version in any::<Option<i32>>(),
        note in proptest::option::of(hostile_text()),
        tags in vec(hostile_text(), 0..4),
    ) {
        let req = GetFile { account_id, path, version, note, tags };
        let chosen = select(&req, FILE_ROUTES, Method::Get).unwrap();
        let unfillable = req.account_id.is_empty()
            || dot_segment(&req.account_id)
            || req.path.is_empty()
            || req.path.split('/').any(|s| s.is_empty() || dot_segment(s));
        let Some(chosen) = chosen else {
            prop_assert!(unfillable, "route refused {:?}", req);
            return Ok(());
        };
        prop_assert!(!unfillable, "route accepted {:?}", req);
        let consumed: Vec<&str> = chosen.filled.consumed.iter().map(String::as_str).collect();
        let query = to_query_string(&req, &consumed).unwrap();
        let url = format!("{}?{}", chosen.filled.path, query);

        // The path keeps its shape: two literals, one variable, the wildcard's segments.
        prop_assert!(!chosen.filled.path.contains(['?', '#', '&']));
        prop_assert_eq!(
            chosen.filled.path.matches('/').count(),
            4 + req.path.matches('/').count()
        );

        let template = RouteTemplate::parse(FILE_ROUTES[0].path).unwrap();
        let values = template.matches(&url).unwrap();
        prop_assert_eq!(&values[0].1, &req.account_id);
        prop_assert_eq!(&values[1].1, &req.path);

        let pairs = parse_query(&query);
        let get = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        prop_assert_eq!(get("accountId"), None);
        prop_assert_eq!(get("path"), None);
        prop_assert_eq!(get("version").map(|v| v.parse::<i32>().unwrap()), req.version);
        prop_assert_eq!(get("note"), req.note.clone());
        prop_assert_eq!(split_list(&get("tags").unwrap()).unwrap(), req.tags.clone());
    }

    /// Any template of literals, variables and a trailing wildcard: filling it and matching
    /// the result gives back each value, or filling fails for values no path can carry.
    #[test]
    fn any_template_fills_then_matches(
        shape in vec((any::<bool>(), "[^/{}?#]{1,6}".prop_filter("dot segment", |s| !dot_segment(s))), 0..5),
        wildcard in any::<bool>(),
        values in vec(hostile_text(), 6),
    ) {
        let mut template = String::new();
        let mut fields = Vec::new();
        for (i, (is_var, literal)) in shape.iter().enumerate() {
            if *is_var {
                template.push_str(&format!("/{{V{i}}}"));
                fields.push((format!("v{i}"), values[i].clone()));
            } else {
                template.push('/');
                template.push_str(literal);
            }
        }
        if wildcard {
            template.push_str("/{Rest*}");
            fields.push(("rest".to_owned(), values[5].clone()));
        }
        if template.is_empty() {
            template.push('/');
        }
        let parsed = RouteTemplate::parse(&template).unwrap();
        prop_assert_eq!(parsed.to_string(), template.clone());
        let bad = |name: &str, value: &str| {
            value.is_empty()
                || if name == "rest" {
                    value.split('/').any(|s| s.is_empty() || dot_segment(s))
                } else {
                    dot_segment(value)
                }
        };
        let expect_err = fields.iter().any(|(n, v)| bad(n, v));
        match parsed.fill(&fields) {
            Err(_) => prop_assert!(expect_err, "{} refused {:?}", template, fields),
            Ok(filled) => {
                prop_assert!(!expect_err, "{} accepted {:?}", template, fields);
                let matched = parsed.matches(&filled.path).unwrap();
                let got: Vec<&str> = matched.iter().map(|(_, v)| v.as_str()).collect();
                let want: Vec<&str> = fields.iter().map(|(_, v)| v.as_str()).collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Search {
    text: String,
    count: i32,
    big: i64,
    small: u8,
    ratio: f64,
    flag: bool,
    maybe_text: Option<String>,
    maybe_count: Option<i64>,
    maybe_flag: Option<bool>,
    names: Vec<String>,
    maybe_names: Option<Vec<String>>,
}

proptest! {
    /// What `to_query_string` writes, `parse_query` and `split_list` read back: every field,
    /// by name, with its value intact, and `None` fields absent.
    #[test]
    fn query_encode_then_decode(
        text in hostile_text(),
        count in any::<i32>(),
        big in any::<i64>(),
        small in any::<u8>(),
        ratio in any::<f64>(),
        flag in any::<bool>(),
        maybe_text in proptest::option::of(hostile_text()),
        maybe_count in any::<Option<i64>>(),
        maybe_flag in any::<Option<bool>>(),
        names in vec(hostile_text(), 0..5),
        maybe_names in proptest::option::of(vec(hostile_text(), 0..3)),
    ) {
        let req = Search {
            text, count, big, small, ratio, flag, maybe_text, maybe_count, maybe_flag, names,
            maybe_names,
        };
        let query = to_query_string(&req, &[]).unwrap();
        // Nothing in a value can start a new pair or end the query.
        prop_assert!(!query.contains(['#', ' ', '?']));
        let pairs = parse_query(&query);
        let get = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let expected_pairs = 7
            + usize::from(req.maybe_text.is_some())
            + usize::from(req.maybe_count.is_some())
            + usize::from(req.maybe_flag.is_some())
            + usize::from(req.maybe_names.is_some());
        prop_assert_eq!(pairs.len(), expected_pairs);
        prop_assert_eq!(get("text"), Some(req.text.clone()));
        prop_assert_eq!(get("count").unwrap().parse::<i32>().unwrap(), req.count);
        prop_assert_eq!(get("big").unwrap().parse::<i64>().unwrap(), req.big);
        prop_assert_eq!(get("small").unwrap().parse::<u8>().unwrap(), req.small);
        let ratio = get("ratio").unwrap();
        let back = ratio.parse::<f64>().unwrap();
        if req.ratio.is_nan() {
            prop_assert_eq!(ratio, "NaN");
        } else {
            prop_assert_eq!(back.to_bits(), req.ratio.to_bits(), "{}", ratio);
        }
        prop_assert_eq!(get("flag").unwrap().parse::<bool>().unwrap(), req.flag);
        prop_assert_eq!(get("maybeText"), req.maybe_text.clone());
        prop_assert_eq!(get("maybeCount").map(|v| v.parse::<i64>().unwrap()), req.maybe_count);
        prop_assert_eq!(get("maybeFlag").map(|v| v.parse::<bool>().unwrap()), req.maybe_flag);
        prop_assert_eq!(split_list(&get("names").unwrap()).unwrap(), req.names.clone());
        prop_assert_eq!(
            get("maybeNames").map(|v| split_list(&v).unwrap()),
            req.maybe_names.clone()
        );
    }
}

/// Unix seconds of 0001-01-01T00:00:00 and 9999-12-31T23:59:59, .NET's range.
const MIN_SECS: i64 = -62_135_596_800;
const MAX_SECS: i64 = 253_402_300_799;
const TIMESPAN_MAX_NANOS: i128 = i64::MAX as i128 * 100;

fn any_datetime() -> impl Strategy<Value = DateTime> {
    (
        MIN_SECS..=MAX_SECS,
        prop_oneof![
            Just(0u32),
            0..1_000_000_000u32,
            (0..10_000_000u32).prop_map(|t| t * 100)
        ],
        proptest::option::of(-(23 * 60 + 59)..=(23 * 60 + 59i16)),
    )
        .prop_filter_map(
            "wall clock outside years 1..=9999",
            |(secs, nanos, offset)| {
                // Choose the wall-clock time, then derive the instant, so both ends are reached.
                let utc = secs - i64::from(offset.unwrap_or(0)) * 60;
                DateTime::from_unix(utc, nanos, offset).ok()
            },
        )
}

/// Text close to the wire forms, so that mutations reach deep into the parsers.
fn near_wire_text() -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            "[0-9]{1,20}",
            Just("/Date(".to_owned()),
            Just("\\/Date(".to_owned()),
            Just(")/".to_owned()),
            Just(")\\/".to_owned()),
            "[-+:.,TZPDHMSYWtz {}/]",
            "[0-9a-fA-F]{1,12}",
            "\\PC",
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn datetime_iso_round_trips(d in any_datetime()) {
        let text = d.to_string();
        prop_assert_eq!(DateTime::parse(&text), Ok(d), "{}", text);
        let json = serde_json::to_string(&d).unwrap();
        prop_assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap(), d);
    }

    #[test]
    fn datetime_wcf_round_trips_to_the_millisecond(d in any_datetime()) {
        let text = d.to_wcf_json();
        let back = DateTime::parse(&text).unwrap();
        prop_assert_eq!(back.unix_millis(), d.unix_millis(), "{}", text);
        prop_assert_eq!(back.offset_minutes(), d.offset_minutes(), "{}", text);
        prop_assert_eq!(back.subsec_nanos(), d.subsec_nanos() / 1_000_000 * 1_000_000);
    }

    #[test]
    fn guid_round_trips_in_every_spelling(bytes in any::<[u8; 16]>(), upper in any::<bool>(), braces in any::<bool>(), dashes in any::<bool>()) {
        let g = Guid::from_bytes(bytes);
        let mut text = g.to_string();
        prop_assert_eq!(text.len(), 36);
        if !dashes {
            text = text.replace('-', "");
        }
        if upper {
            text = text.to_uppercase();
        }
        if braces {
            text = format!("{{{text}}}");
        }
        prop_assert_eq!(Guid::parse(&text), Ok(g), "{}", text);
    }

    #[test]
    fn timespan_round_trips(nanos in prop_oneof![
        -TIMESPAN_MAX_NANOS - 100..=TIMESPAN_MAX_NANOS,
        (-1_000_000i128..1_000_000).prop_map(|s| s * 1_000_000_000),
        -1_000_000_000i128..1_000_000_000,
    ]) {
        let t = TimeSpan::from_nanos(nanos).unwrap();
        prop_assert_eq!(t.as_nanos(), nanos);
        let text = t.to_string();
        prop_assert_eq!(TimeSpan::parse(&text), Ok(t), "{}", text);
    }

    #[test]
    fn parsers_never_panic(text in prop_oneof!["\\PC*", ".*", near_wire_text()]) {
        // Errors are fine; panics and overflows are not. A success must print back to
        // something that parses to the same value.
        if let Ok(d) = DateTime::parse(&text) {
            prop_assert_eq!(DateTime::parse(&d.to_string()), Ok(d));
        }
        if let Ok(g) = Guid::parse(&text) {
            prop_assert_eq!(Guid::parse(&g.to_string()), Ok(g));
        }
        if let Ok(t) = TimeSpan::parse(&text) {
            prop_assert_eq!(TimeSpan::parse(&t.to_string()), Ok(t));
        }
        let _ = RouteTemplate::parse(&text).map(|t| t.matches(&text));
        for (_, value) in parse_query(&text) {
            let _ = split_list(&value);
        }
    }
}
