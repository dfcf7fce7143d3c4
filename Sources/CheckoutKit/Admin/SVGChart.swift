/// Charts drawn on the server as inline SVG: no chart library and no request to anyone else. Each
/// chart has a `<title>` and a text alternative; the numbers are also in the table beside it.
enum SVGChart {
    /// A series of bars, one per value, with the largest value as the scale. `second`, when given,
    /// is drawn inside each bar (e.g. paid orders within orders). Labels: first and last are printed.
    static func bars(_ values: [Int64], second: [Int64]? = nil, labels: [String], title: String, format: (Int64) -> String) -> String {
        let (width, height, top, bottom, left) = (640.0, 180.0, 14.0, 22.0, 4.0)
        let maximum = max(1, values.max() ?? 0, second?.max() ?? 0)
        let plot = height - top - bottom
        let slot = values.isEmpty ? 0 : (width - left * 2) / Double(values.count)
        let barWidth = max(1, slot * 0.8)
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(escape(title))" \
            xmlns="http://www.w3.org/2000/svg"><title>\(escape(title))</title>
            """
        svg += line(x1: left, y1: height - bottom, x2: width - left, y2: height - bottom, className: "axis")
        for (index, value) in values.enumerated() {
            let x = left + Double(index) * slot + (slot - barWidth) / 2
            let h = plot * Double(value) / Double(maximum)
            svg += rect(x: x, y: height - bottom - h, width: barWidth, height: h, className: "bar", tip: "\(labels[safe: index] ?? ""): \(format(value))")
            if let second, index < second.count {
                let inner = plot * Double(second[index]) / Double(maximum)
                svg += rect(x: x + barWidth * 0.2, y: height - bottom - inner, width: barWidth * 0.6, height: inner, className: "bar second",
                            tip: "\(labels[safe: index] ?? ""): \(format(second[index]))")
            }
        }
        svg += text(format(maximum), x: left, y: top - 3, anchor: "start")
        if let first = labels.first { svg += text(first, x: left, y: height - 6, anchor: "start") }
        if labels.count > 1, let last = labels.last { svg += text(last, x: width - left, y: height - 6, anchor: "end") }
        return svg + "</svg>"
    }

    /// Horizontal bars, one per labelled value, longest first as given (a funnel, a top ten).
    static func rows(_ values: [(label: String, value: Int64)], title: String, format: (Int64) -> String) -> String {
        let (width, rowHeight, labelWidth) = (640.0, 24.0, 220.0)
        let height = max(rowHeight, rowHeight * Double(values.count))
        let maximum = max(1, values.map(\.value).max() ?? 0)
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(escape(title))" \
            xmlns="http://www.w3.org/2000/svg"><title>\(escape(title))</title>
            """
        for (index, item) in values.enumerated() {
            let y = Double(index) * rowHeight
            let length = (width - labelWidth - 90) * Double(item.value) / Double(maximum)
            svg += text(String(item.label.prefix(32)), x: 0, y: y + 16, anchor: "start")
            svg += rect(x: labelWidth, y: y + 4, width: length, height: rowHeight - 8, className: "bar", tip: "\(item.label): \(format(item.value))")
            svg += text(format(item.value), x: labelWidth + length + 6, y: y + 16, anchor: "start")
        }
        return svg + "</svg>"
    }

    private static func rect(x: Double, y: Double, width: Double, height: Double, className: String, tip: String) -> String {
        "<rect class=\"\(className)\" x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\"><title>\(escape(tip))</title></rect>"
    }

    private static func line(x1: Double, y1: Double, x2: Double, y2: Double, className: String) -> String {
        "<line class=\"\(className)\" x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\"/>"
    }

    private static func text(_ value: String, x: Double, y: Double, anchor: String) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\">\(escape(value))</text>"
    }

    /// A coordinate with at most one decimal, so the markup stays small.
    private static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
