import ArgumentParser
import Foundation
import SiteBuilder

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Create, import, dump, load and check the catalog.",
        subcommands: [Init.self, Import.self, Dump.self, Load.self, Check.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the catalog database (and, with --text, catalog text).")
        @OptionGroup var options: SiteOptions
        @Flag(help: "Also start a catalog text file that the repository keeps.")
        var text = false

        func run() throws {
            do { print(try CatalogCommands(siteFolder: options.site).initialize(text: text)) } catch { throw fail(error) }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", abstract: "Import products from a CSV file.")
        @OptionGroup var options: SiteOptions
        @Option(help: "csv (this project's columns) or woocommerce (WooCommerce's product export).")
        var format: String = "csv"
        @Argument(help: "The CSV file.")
        var file: String

        func run() throws {
            guard let format = CatalogCommands.Format(rawValue: format) else {
                throw fail(ValidationError("--format: '\(format)' is not a format; use csv or woocommerce"))
            }
            do { print(try CatalogCommands(siteFolder: options.site).importCSV(file, format: format)) } catch { throw fail(error) }
        }
    }

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dump", abstract: "Print the catalog as canonical, diff-friendly text.")
        @OptionGroup var options: SiteOptions
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        func run() throws {
            do {
                let text = try CatalogCommands(siteFolder: options.site).dump()
                if let output {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output))
                } else {
                    print(text, terminator: "")
                }
            } catch { throw fail(error) }
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "load", abstract: "Replace the catalog with catalog text (as written by dump).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The catalog text file.")
        var file: String

        func run() throws {
            do { print(try CatalogCommands(siteFolder: options.site).load(file)) } catch { throw fail(error) }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Check prices, currencies, references and files.")
        @OptionGroup var options: SiteOptions

        func run() throws {
            do { print(try CatalogCommands(siteFolder: options.site).check()) } catch { throw fail(error) }
        }
    }
}
