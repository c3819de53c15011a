//! Query strings: parsing any text and splitting any value as a JSV list never panics; pairs
//! and lists written by the encoder read back exactly.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use ssdto::query::{encode_pairs, parse_query, split_list, to_query_string};

#[derive(Debug, Arbitrary)]
struct Input {
    raw: String,
    text: String,
    list: Vec<String>,
    nested: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct Request<'a> {
    text: &'a str,
    list: &'a [String],
    nested: &'a [Vec<String>],
}

fuzz_target!(|input: Input| {
    // Whatever arrives: pairs decode, each value splits or fails cleanly, and re-encoding the
    // decoded pairs reads back the same pairs.
    let pairs = parse_query(&input.raw);
    for (_, value) in &pairs {
        if let Ok(items) = split_list(value) {
            for item in items {
                let _ = split_list(&item);
            }
        }
    }
    let again = encode_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    assert_eq!(parse_query(&again), pairs, "{again:?}");

    // Whatever the client sends, the server reads back.
    let request = Request {
        text: &input.text,
        list: &input.list,
        nested: &input.nested,
    };
    let query = to_query_string(&request, &[]).unwrap_or_else(|e| panic!("{e}"));
    let decoded = parse_query(&query);
    assert_eq!(decoded.len(), 3, "{query:?}");
    assert_eq!(decoded[0].1, input.text, "{query:?}");
    assert_eq!(
        split_list(&decoded[1].1).as_ref(),
        Ok(&input.list),
        "{query:?}"
    );
    if !input.nested.is_empty() {
        let outer = split_list(&decoded[2].1).unwrap_or_else(|e| panic!("{query:?}: {e}"));
        let inner: Vec<Vec<String>> = outer
            .iter()
            .map(|e| split_list(e).unwrap_or_else(|err| panic!("{query:?}: {err}")))
            .collect();
        assert_eq!(inner, input.nested, "{query:?}");
    }
});
