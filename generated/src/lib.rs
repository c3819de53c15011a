//! Generated DTOs for the contracts in `contracts/`.
