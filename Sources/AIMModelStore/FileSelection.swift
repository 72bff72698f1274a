import Foundation

/// Which repository files a launch needs.
///
/// By default: everything, except duplicate weights (`*.bin`, `*.pt`, `*.pth`,
/// `*.gguf`, `*.h5`, `*.msgpack`, `*.ot`, `*.onnx`) when `*.safetensors` exist,
/// so that config, tokenizer, generation files and the safetensors with their
/// index arrive and multi-gigabyte copies do not. `include` and `exclude` are
/// shell globs (`*.json`, `original/*`); exclude wins.
public struct FileSelection: Equatable, Sendable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    static let duplicateWeightSuffixes = [".bin", ".pt", ".pth", ".gguf", ".h5", ".msgpack", ".ot", ".onnx"]

    public func select(_ paths: [String]) -> [String] {
        let hasSafetensors = paths.contains { $0.hasSuffix(".safetensors") }
        return paths.filter { path in
            if exclude.contains(where: { Self.matches(path, $0) }) { return false }
            if !include.isEmpty { return include.contains { Self.matches(path, $0) } }
            return !(hasSafetensors && Self.duplicateWeightSuffixes.contains { path.hasSuffix($0) })
        }
    }

    static func matches(_ path: String, _ pattern: String) -> Bool {
        fnmatch(pattern, path, 0) == 0
    }
}
