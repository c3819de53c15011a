//! `ssdto::wire::TimeSpan::parse` on any text: never panics or overflows, and whatever it
//! accepts prints to an XSD duration that reads back the same and converts to chrono and back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ssdto::wire::TimeSpan;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(span) = TimeSpan::parse(text) else {
        return;
    };
    let xsd = span.to_string();
    assert_eq!(
        TimeSpan::parse(&xsd),
        Ok(span),
        "{text:?} printed as {xsd:?}"
    );
    assert_eq!(TimeSpan::from_nanos(span.as_nanos()), Ok(span));
    let delta = chrono::TimeDelta::try_from(span)
        .unwrap_or_else(|e| panic!("{text:?} has no chrono form: {e}"));
    assert_eq!(TimeSpan::try_from(delta), Ok(span));
});
