//! `ssdto::wire::DateTime::parse` on any text: never panics, and whatever it accepts prints
//! (ISO 8601 and `/Date(..)/`) to text that reads back the same, and converts to chrono and back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ssdto::wire::DateTime;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(date) = DateTime::parse(text) else {
        return;
    };
    let iso = date.to_string();
    assert_eq!(
        DateTime::parse(&iso),
        Ok(date),
        "{text:?} printed as {iso:?}"
    );

    let wcf = date.to_wcf_json();
    let back = DateTime::parse(&wcf).unwrap_or_else(|e| panic!("{wcf:?}: {e}"));
    assert_eq!(back.unix_millis(), date.unix_millis(), "{wcf:?}");
    assert_eq!(back.offset_minutes(), date.offset_minutes(), "{wcf:?}");

    let converted: chrono::DateTime<chrono::FixedOffset> = date
        .try_into()
        .unwrap_or_else(|e| panic!("{text:?} has no chrono form: {e}"));
    assert_eq!(
        DateTime::try_from(converted).map(|d| d.unix_seconds()),
        Ok(date.unix_seconds())
    );
});
