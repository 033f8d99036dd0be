use clap::Parser;
use roundtable::cli::{Cli, Failure, run};
use std::io::ErrorKind;

fn main() {
    let cli = Cli::parse();
    let code = match run(
        cli,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    ) {
        Ok(code) => code,
        // The reader went away (`| head`): nothing more to say.
        Err(Failure::Output(e)) if e.kind() == ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("roundtable: {e}");
            2
        }
    };
    std::process::exit(code);
}
