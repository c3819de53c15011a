//! Name comparison as ServiceStack does it (the rule lives in `ssdto-protocol`).

pub(crate) use ssdto_protocol::eq_ignore_case;
