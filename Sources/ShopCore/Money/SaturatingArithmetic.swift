/// Integer arithmetic that stops at the ends of the type instead of trapping: for amounts and
/// times that come from outside, where an absurd value must give an absurd (and then refused)
/// result, never a crash.
extension FixedWidthInteger {
    /// `self + other`, or the end of the range it ran past.
    public func addingSaturated(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other < 0 ? .min : .max
    }

    /// `self - other`, or the end of the range it ran past.
    public func subtractingSaturated(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self × other`, or the end of the range it ran past.
    public func multipliedSaturated(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) != (other < 0) ? .min : .max
    }
}
