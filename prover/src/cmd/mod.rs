//! One module per command group.

pub mod attribute;
pub mod audit;
pub mod bench;
pub mod dataset;
pub mod demo;
pub mod fingerprint;
pub mod halo2;
pub mod proof;
