//! One contract (`contracts/testdata/wire_types.json`) with every .NET date, time span and Guid
//! shape, generated with each `DateType`/`GuidType` option.

/// `DateType: String`, `GuidType: String` (the default).
#[rustfmt::skip]
pub mod as_string;
/// `DateType: ssdto`, `GuidType: ssdto`: the runtime's std-only wire types.
#[rustfmt::skip]
pub mod as_ssdto;
/// `DateType: chrono`, `GuidType: uuid`.
#[rustfmt::skip]
pub mod as_chrono;
