//! The `DateType` / `GuidType` options end to end: one payload with every wire form ServiceStack
//! writes, read by the output of each option and written back in the canonical forms.

use serde_json::{json, Value};
use ssdto_generated::wire_types::{as_chrono, as_ssdto, as_string};

/// A classic-serializer payload (PascalCase, `/Date(..)/`, Guids without dashes) mixed with
/// System.Text.Json forms (ISO 8601, dashed Guids), as different servers and versions send them.
fn payload() -> Value {
    json!({
        "Id": "0F8FAD5BD9CB469FA16570867728950E",
        "ownerId": "{0f8fad5b-d9cb-469f-a165-70867728950f}",
        "start": "/Date(1609459200000+0100)/",
        "End": "2021-01-01T02:30:00.1234567Z",
        "booked": "2020-12-24T09:00:00-05:00",
        "length": "PT1H30M",
        "reminder": "-PT0.5S",
        "history": ["/Date(0)/", "2021-06-01"],
        "attendees": {"0f8fad5b-d9cb-469f-a165-70867728950e": "/Date(1609459200000)/"}
    })
}

#[test]
fn string_keeps_every_form_verbatim() {
    let a: as_string::Appointment = serde_json::from_value(payload()).expect("read");
    assert_eq!(a.id, "0F8FAD5BD9CB469FA16570867728950E");
    assert_eq!(a.start, "/Date(1609459200000+0100)/");
    assert_eq!(a.length, "PT1H30M");
    assert_eq!(
        a.history.as_deref(),
        Some(&["/Date(0)/".to_owned(), "2021-06-01".to_owned()][..])
    );
}

#[test]
fn ssdto_types_parse_every_form_and_write_canonical_ones() {
    let a: as_ssdto::Appointment = serde_json::from_value(payload()).expect("read");
    assert_eq!(a.id.to_string(), "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_eq!(a.start.unix_millis(), 1_609_459_200_000);
    assert_eq!(a.length.as_nanos(), 90 * 60 * 1_000_000_000);
    assert_eq!(a.reminder.map(|r| r.as_nanos()), Some(-500_000_000));
    let history = a.history.as_ref().expect("history");
    assert_eq!(history[0].unix_millis(), 0);
    assert_eq!(history[1].unix_millis(), 1_622_505_600_000);
    let out = serde_json::to_value(&a).expect("write");
    assert_eq!(out["id"], "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_eq!(out["start"], "2021-01-01T01:00:00+01:00");
    assert_eq!(out["length"], "PT1H30M");
    assert_eq!(out["reminder"], "-PT0.5S");
    // Written forms read back to the same values.
    let again: as_ssdto::Appointment = serde_json::from_value(out).expect("read back");
    assert_eq!(again, a);
}

#[test]
fn chrono_and_uuid_fields_go_through_the_runtime_with_modules() {
    let a: as_chrono::Appointment = serde_json::from_value(payload()).expect("read");
    assert_eq!(
        a.id,
        uuid::Uuid::parse_str("0f8fad5b-d9cb-469f-a165-70867728950e").expect("uuid")
    );
    assert_eq!(a.start.timestamp_millis(), 1_609_459_200_000);
    assert_eq!(a.start.offset().local_minus_utc(), 3600);
    assert_eq!(
        a.end.map(|e| e.timestamp_nanos_opt()),
        Some(Some(1_609_468_200_123_456_700))
    );
    assert_eq!(a.length, chrono::TimeDelta::minutes(90));
    assert_eq!(a.reminder, Some(chrono::TimeDelta::milliseconds(-500)));
    // Inside collections, where no with-module reaches, the runtime's own types.
    let attendees = a.attendees.as_ref().expect("attendees");
    assert_eq!(attendees.len(), 1);
    let out = serde_json::to_value(&a).expect("write");
    assert_eq!(out["id"], "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_eq!(out["length"], "PT1H30M");
    let again: as_chrono::Appointment = serde_json::from_value(out).expect("read back");
    assert_eq!(again, a);
}

#[test]
fn a_malformed_date_fails_with_the_field_named() {
    let mut bad = payload();
    bad["start"] = json!("/Date(nope)/");
    let err = serde_json::from_value::<as_ssdto::Appointment>(bad.clone()).expect_err("bad date");
    assert!(err.to_string().contains("date"), "{err}");
    let err = serde_json::from_value::<as_chrono::Appointment>(bad).expect_err("bad date");
    assert!(err.to_string().contains("date"), "{err}");
}
