//! `ssdto::wire::Guid::parse` on any text: never panics, and whatever it accepts prints to text
//! that reads back the same, in each spelling, and converts to `uuid::Uuid` and back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ssdto::wire::Guid;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(guid) = Guid::parse(text) else {
        return;
    };
    let dashed = guid.to_string();
    assert_eq!(
        Guid::parse(&dashed),
        Ok(guid),
        "{text:?} printed as {dashed:?}"
    );
    let simple = dashed.replace('-', "").to_uppercase();
    assert_eq!(Guid::parse(&simple), Ok(guid));
    assert_eq!(Guid::parse(&format!("{{{dashed}}}")), Ok(guid));
    let uuid = uuid::Uuid::from(guid);
    assert_eq!(uuid.to_string(), dashed);
    assert_eq!(Guid::from(uuid), guid);
});
