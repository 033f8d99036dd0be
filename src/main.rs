use clap::Parser;
use roundtable::cli::{Cli, Failure, run};
use roundtable::safe::SafeWriter;
use std::io::ErrorKind;

fn main() {
    let cli = Cli::parse();
    // Whatever a session or a file holds, nothing printed acts on the terminal.
    let code = match run(
        cli,
        &mut SafeWriter::new(std::io::stdout().lock()),
        &mut SafeWriter::new(std::io::stderr().lock()),
    ) {
        Ok(code) => code,
        // The reader went away (`| head`): nothing more to say.
        Err(Failure::Output(e)) if e.kind() == ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("roundtable: {}", roundtable::safe::line(&e.to_string()));
            2
        }
    };
    std::process::exit(code);
}
