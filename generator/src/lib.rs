//! ssdto-gen
