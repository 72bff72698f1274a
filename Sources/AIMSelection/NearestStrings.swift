/// Finds the candidates closest to a mistyped string, by edit distance.
enum NearestStrings {
    static func closest(to target: String, among candidates: [String], limit: Int) -> [String] {
        let targetCharacters = Array(target)
        return
            candidates
            .map { (candidate: $0, distance: distance(targetCharacters, Array($0))) }
            .sorted { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }
            .prefix(limit)
            .map(\.candidate)
    }

    /// Levenshtein distance with one row of memory.
    static func distance(_ source: [Character], _ target: [Character]) -> Int {
        if source.isEmpty { return target.count }
        var previous = Array(0...target.count)
        for (row, sourceCharacter) in source.enumerated() {
            var current = [row + 1] + Array(repeating: 0, count: target.count)
            for (column, targetCharacter) in target.enumerated() {
                let substitution = previous[column] + (sourceCharacter == targetCharacter ? 0 : 1)
                current[column + 1] = min(previous[column + 1] + 1, current[column] + 1, substitution)
            }
            previous = current
        }
        return previous[target.count]
    }
}
