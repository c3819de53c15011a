//! Macros for ssdto (see the `ssdto` crate).
