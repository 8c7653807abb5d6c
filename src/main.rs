//! The `dudsim` command; everything it does lives in the library.

fn main() {
    std::process::exit(dudsim::cli::main());
}
