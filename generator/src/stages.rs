//! The pipeline's stages one at a time, for the stage benchmarks (`benches/generate.rs`) only:
//! not part of the API, and may change in any release.

use crate::{parse, resolve, Error, Options};

/// A parsed contract, opaque.
#[derive(Debug)]
pub struct Parsed(parse::MetadataTypes);

/// Stage 1: the contract JSON parsed.
pub fn parse(contract_json: &str) -> Result<Parsed, Error> {
    parse::parse_contract(contract_json).map(Parsed)
}

/// Stage 2: the parsed contract resolved; the number of items, so the work is not optimised
/// away.
pub fn resolve(parsed: &Parsed, options: &Options) -> Result<usize, Error> {
    resolve::resolve(&parsed.0, options).map(|space| space.items.len())
}
