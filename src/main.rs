use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than the system's: a rebuild of the search index allocates for every
/// document and token, and took a tenth less time with it, and the search load ran
/// faster; built without transparent huge pages (Cargo.toml), it keeps resident memory
/// near glibc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = xiaoqi::cli::Cli::parse();
    // The solver runs without a runtime, so that its timings are the solver's own.
    if let xiaoqi::cli::Command::Match { command } = &cli.command {
        return match xiaoqi::cli::run_match(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => exit(&failure.message, failure.status),
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return exit(&format!("starting the runtime: {error}"), 1),
    };
    match runtime.block_on(xiaoqi::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => exit(&format!("{error:#}"), 1),
    }
}

fn exit(message: &str, status: u8) -> ExitCode {
    eprintln!("xiaoqi: {message}");
    ExitCode::from(status)
}
