fn main() -> std::process::ExitCode {
    sheaf::cli::run()
}
