import Foundation

/// The environment variable an option falls back to, read when the option is used: not made the
/// option's default, which `--help` prints (`checkout backup --help` showed `CHECKOUT_DATABASE_URL`,
/// password and all), and which ArgumentParser no longer takes for an optional option.
func environment(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name]
}
