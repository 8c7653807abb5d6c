//! The `dudsim` command: parses the command line and calls the library.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
