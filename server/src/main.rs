fn main() -> std::process::ExitCode {
    holdspace_server::cli::run()
}
