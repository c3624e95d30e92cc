use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = xiaoqi::cli::Cli::parse();
    match xiaoqi::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xiaoqi: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
