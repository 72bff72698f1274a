/// Sums of sizes that came from outside (listings, headers, the file system), checked for overflow.
public enum ByteSum {
    /// The total, or nil when it does not fit in Int64 (a hostile listing, never a real model).
    public static func total<S: Sequence>(_ sizes: S) -> Int64? where S.Element == Int64 {
        var total: Int64 = 0
        for size in sizes {
            let (sum, overflow) = total.addingReportingOverflow(size)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// The total, saturating at Int64.max: for sums that are only shown or compared.
    public static func saturating<S: Sequence>(_ sizes: S) -> Int64 where S.Element == Int64 {
        total(sizes) ?? .max
    }
}
