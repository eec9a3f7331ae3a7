//! Integration tests: golayout against ground truth produced by Go's own
//! readers (`fixtures/truth/*/oracle.json`, `go version -m`, `go tool nm`).

mod common;
mod corpus;
mod dwarf;
mod errors;
mod info;
mod vars;
