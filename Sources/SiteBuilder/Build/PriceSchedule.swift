import Foundation
import ShopCore
import SiteCore

/// When the built pages stop showing the right prices: the next scheduled sale start or end after
/// the build. A static site cannot change by itself, so `sitegen build` prints it and writes it to
/// `<output>.next-change.json` beside the output folder (not deployed), for CI to schedule the
/// rebuild:
///
/// ```json
/// {"built_at":"2026-12-01T10:00:00+01:00","event":"starts","next_change":"2026-12-24T00:00:00+01:00","sku":"KB-NOAH","unix":1798066800}
/// ```
/// With nothing scheduled, `next_change` and `unix` are null. A later one-shot build whose inputs did
/// not change still rebuilds once the moment has passed.
public struct PriceSchedule: Sendable, Equatable {
    /// Seconds since 1970.
    public let instant: Int
    /// ISO 8601 with the shop's offset.
    public let iso8601: String
    public let sku: String
    /// `starts` or `ends`.
    public let event: String

    init(_ change: PriceChange, time: ShopTime) {
        instant = change.instant
        iso8601 = time.iso8601(change.instant)
        sku = change.sku
        event = change.event
    }

    init(instant: Int, iso8601: String, sku: String, event: String) {
        self.instant = instant
        self.iso8601 = iso8601
        self.sku = sku
        self.event = event
    }

    /// The line the build prints.
    public var sentence: String {
        "prices change at \(iso8601) (the sale of \(sku) \(event)): build again then"
    }

    /// `<output>.next-change.json`: `public` → `public.next-change.json`.
    public static func path(outFolder: String) -> String {
        (outFolder as NSString).standardizingPath + ".next-change.json"
    }

    static func write(_ schedule: PriceSchedule?, outFolder: String, builtAt time: ShopTime) throws(BuildError) {
        var object: [String: Any] = ["built_at": time.iso8601(time.instant), "next_change": NSNull(), "unix": NSNull()]
        if let schedule {
            object["next_change"] = schedule.iso8601
            object["unix"] = schedule.instant
            object["sku"] = schedule.sku
            object["event"] = schedule.event
        }
        let path = path(outFolder: outFolder)
        do {
            var data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            data.append(10)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw BuildError(file: path, message: "cannot write the next price change: \(error.localizedDescription)")
        }
    }

    /// The schedule the last build wrote; nil when there is none or nothing was scheduled.
    static func read(outFolder: String) -> PriceSchedule? {
        guard let data = FileManager.default.contents(atPath: path(outFolder: outFolder)),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let instant = object["unix"] as? Int, let iso = object["next_change"] as? String
        else { return nil }
        return PriceSchedule(instant: instant, iso8601: iso, sku: object["sku"] as? String ?? "", event: object["event"] as? String ?? "")
    }
}
