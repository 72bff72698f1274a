/// Decodes KFD's packed `gfx_target_version` into the `gfxNNN` name ROCm uses.
///
/// The number is major·10000 + minor·100 + stepping, and the name prints the
/// stepping in hex: 90402 → gfx942, 90010 → gfx90a, 90500 → gfx950, 110000 → gfx1100.
public enum GFXTarget {
    /// nil for a version no GPU has: zero, negative, or too large to be major·10000 + minor·100 + stepping.
    public static func name<Version: BinaryInteger>(fromVersion rawVersion: Version) -> String? {
        guard let version = Int(exactly: rawVersion), version > 0, version < 1_000_000 else { return nil }
        let major = version / 10000
        let minor = (version / 100) % 100
        let stepping = version % 100
        guard major > 0, minor < 10, stepping < 16 else { return nil }
        return "gfx\(major)\(minor)\(String(stepping, radix: 16))"
    }

    /// Normalises a tool's spelling: rocm-smi prints gfx90a as `gfx9010` (9, 0, 10 in decimal).
    public static func normalize(_ text: String) -> String {
        var name = text.lowercased()
        if !name.hasPrefix("gfx") { name = "gfx" + name }
        let digits = name.dropFirst(3)
        if digits.count == 4, digits.hasPrefix("9"), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let version = Int("9" + digits.dropFirst(1).prefix(1) + "0" + digits.suffix(2))
        {
            return self.name(fromVersion: version) ?? name
        }
        return name
    }
}
