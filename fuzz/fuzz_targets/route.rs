//! Route templates: parsing any text never panics; a parsed template prints to one that parses
//! the same; filling it with any values gives a path that matches back to exactly those
//! values; matching any path never panics, and what it matches fills back to the same path
//! values.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use ssdto::route::RouteTemplate;

#[derive(Debug, Arbitrary)]
struct Input {
    template: String,
    values: Vec<String>,
    path: String,
}

fuzz_target!(|input: Input| {
    let Ok(template) = RouteTemplate::parse(&input.template) else {
        return;
    };
    let printed = template.to_string();
    assert_eq!(
        RouteTemplate::parse(&printed).as_ref(),
        Ok(&template),
        "{printed:?}"
    );

    let fields: Vec<(String, String)> = template
        .variables()
        .zip(input.values.iter().chain(std::iter::repeat(&String::new())))
        .map(|(name, value)| (name.to_owned(), value.clone()))
        .collect();
    if let Ok(filled) = template.fill(&fields) {
        assert!(!filled.path.contains(['?', '#']), "{:?}", filled.path);
        let matched = template
            .matches(&filled.path)
            .unwrap_or_else(|| panic!("{printed} filled as {:?} does not match", filled.path));
        assert_eq!(matched, fields, "{printed} filled as {:?}", filled.path);
    }

    if let Some(matched) = template.matches(&input.path) {
        if let Ok(filled) = template.fill(&matched) {
            assert_eq!(template.matches(&filled.path).as_ref(), Some(&matched));
        }
    }
});
