use clap::Parser;
use roundtable::cli::{Cli, run};

fn main() {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("roundtable: {e}");
            std::process::exit(2);
        }
    }
}
