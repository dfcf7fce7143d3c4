import Foundation

/// Takes a person out of a stored JSON payload (a payment provider's event, an outgoing event),
/// keeping its shape, ids and amounts: what an erasure leaves of an event that named them.
///
/// - Objects holding a person's details, as Stripe names them (`customer_details`,
///   `shipping_details`, `shipping`, `billing_details`, `customer_address`, `customer_shipping`, and
///   a legacy charge's card `source`;
///   https://docs.stripe.com/api/checkout/sessions/object), become null;
/// - single fields of that kind (`customer_email`, `receipt_email`, `customer_name`,
///   `customer_phone`, and `name`, `phone`, `address` of a Stripe `customer` object) become null;
/// - the address, wherever it appears in a string (any case), becomes `reference`.
public enum PersonalDataScrub {
    static let personalObjects: Set<String> = [
        "customer_details", "shipping_details", "shipping", "billing_details", "customer_address", "customer_shipping", "source",
    ]
    static let personalFields: Set<String> = ["customer_email", "receipt_email", "customer_name", "customer_phone"]
    static let customerFields: Set<String> = ["name", "phone", "address", "shipping"]

    /// The payload without the person; a payload that is not JSON has the address replaced as text.
    public static func scrub(_ payload: Data, email: String, reference: String) -> Data {
        guard let object = try? JSONSerialization.jsonObject(with: payload, options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(
                withJSONObject: scrub(object, email: email.lowercased(), reference: reference), options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return Data(replacing(email.lowercased(), with: reference, in: String(decoding: payload, as: UTF8.self)).utf8) }
        return data
    }

    static func scrub(_ value: Any, email: String, reference: String) -> Any {
        switch value {
        case let object as [String: Any]:
            let isCustomer = object["object"] as? String == "customer"
            var result: [String: Any] = [:]
            for (key, field) in object {
                if personalObjects.contains(key) || personalFields.contains(key) || (isCustomer && customerFields.contains(key)) {
                    result[key] = field is NSNull ? field : NSNull()
                } else {
                    result[key] = scrub(field, email: email, reference: reference)
                }
            }
            return result
        case let array as [Any]:
            return array.map { scrub($0, email: email, reference: reference) }
        case let text as String:
            return replacing(email, with: reference, in: text)
        default:
            return value
        }
    }

    /// The person's names a payload holds (`name` of the objects above and of a Stripe `customer`,
    /// `customer_name`): an erasure also takes them out of free text (audit reasons, delivery notes).
    public static func names(in payload: Data) -> Set<String> {
        guard let object = try? JSONSerialization.jsonObject(with: payload, options: [.fragmentsAllowed]) else { return [] }
        var names: Set<String> = []
        collectNames(object, personal: false, into: &names)
        return names.filter { $0.count >= 3 }
    }

    private static func collectNames(_ value: Any, personal: Bool, into names: inout Set<String>) {
        if let object = value as? [String: Any] {
            let personal = personal || object["object"] as? String == "customer"
            for (key, field) in object {
                if let text = field as? String, (personal && key == "name") || key == "customer_name" {
                    names.insert(text.trimmingCharacters(in: .whitespaces))
                } else {
                    collectNames(field, personal: personal || personalObjects.contains(key), into: &names)
                }
            }
        } else if let array = value as? [Any] {
            for element in array { collectNames(element, personal: personal, into: &names) }
        }
    }

    /// Whether `text` names the address `email` (given in lower case), in any case, as a whole
    /// address: `jo@example.com` is not in `bobjo@example.com` nor in `jo@example.com.au`.
    public static func mentions(_ text: String, _ email: String) -> Bool {
        !occurrences(of: email, in: text, boundary: isAddressBoundary).isEmpty
    }

    /// `text` with every whole occurrence of `email` (given in lower case), in any case, replaced.
    public static func replacing(_ email: String, with reference: String, in text: String) -> String {
        replace(occurrences(of: email, in: text, boundary: isAddressBoundary), in: text, with: reference)
    }

    /// `text` with every occurrence of `name` (in lower case) as whole words replaced: "Ann" is
    /// replaced in "Ann Lee" but not in "planned".
    public static func replacing(name: String, with reference: String, in text: String) -> String {
        replace(occurrences(of: name, in: text, boundary: isWordBoundary), in: text, with: reference)
    }

    private static func occurrences(
        of needle: String, in text: String, boundary: (Character?, Substring) -> Bool
    ) -> [Range<String.Index>] {
        guard !needle.isEmpty, text.lowercased().contains(needle) else { return [] }
        var found: [Range<String.Index>] = []
        var start = text.startIndex
        while let range = text.range(of: needle, options: [.caseInsensitive], range: start..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            if boundary(before, text[range.upperBound...]) { found.append(range) }
            start = range.upperBound
        }
        return found
    }

    private static func replace(_ ranges: [Range<String.Index>], in text: String, with reference: String) -> String {
        guard !ranges.isEmpty else { return text }
        var result = ""
        var last = text.startIndex
        for range in ranges {
            result += text[last..<range.lowerBound] + reference
            last = range.upperBound
        }
        return result + text[last...]
    }

    /// Characters that make a match part of a longer address: those of real addresses' local parts
    /// and domains. RFC 5322 allows more (`'`, `=`, `/`…), but those are far more often the text
    /// around an address (`email=jo@x.com`, `'jo@x.com'`, a path) than inside one.
    private static let localCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")

    private static func isAddressBoundary(_ before: Character?, _ after: Substring) -> Bool {
        if let before, localCharacters.contains(before) || (before.isLetter && !before.isASCII) { return false }
        guard let next = after.first else { return true }
        if next.isLetter || next.isNumber || next == "-" || next == "_" { return false }
        // `jo@example.com.au`: a dot that goes on into a label; a full stop ending a sentence is fine.
        if next == ".", let following = after.dropFirst().first, following.isLetter || following.isNumber { return false }
        return true
    }

    private static func isWordBoundary(_ before: Character?, _ after: Substring) -> Bool {
        !(before?.isLetter == true || before?.isNumber == true) && !(after.first?.isLetter == true || after.first?.isNumber == true)
    }
}
