//! Integration tests: golayout against ground truth produced by Go's own
//! readers (`fixtures/truth/*/oracle.json`, `go version -m`, `go tool nm`).

mod check;
mod cli;
mod common;
mod corpus;
mod diff;
mod dwarf;
mod errors;
mod funcs;
mod info;
mod report;
mod robust;
mod scan;
mod schema;
mod vars;
