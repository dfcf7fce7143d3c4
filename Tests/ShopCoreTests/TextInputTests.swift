import ShopCore
import Testing

@Suite struct TextInputTests {
    @Test(arguments: [
        ("a\nb\n", "a\nb\n"), ("a\r\nb\r\n", "a\nb\n"), ("a\rb\r", "a\nb\n"), ("\u{FEFF}a\r\nb", "a\nb"), ("a\r\r\nb", "a\n\nb"),
        ("\u{FEFF}", ""), ("a\u{FEFF}b", "a\u{FEFF}b"), ("", ""), ("\r", "\n"),
    ])
    func lineEndingsAndTheByteOrderMarkReadAsLF(raw: String, expected: String) {
        #expect(TextInput.normalized(Array(raw.utf8)) == expected)
        #expect(TextInput.normalized(raw) == expected)
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        #expect(TextInput.normalized([0x61, 0xFF, 0x0A]) == nil)
        #expect(TextInput.normalized([0xEF, 0xBB, 0xBF, 0xC3]) == nil)
    }
}
