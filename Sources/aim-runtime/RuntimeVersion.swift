/// What `aim-runtime --version` prints: the release number and the git commit of the build
/// (`+dirty` when the tree had uncommitted changes; `unknown` when built outside a git checkout).
enum RuntimeVersion {
    static let number = "0.1.0"
    static let description = "aim-runtime \(number) (commit \(BuildInfo.commit))"
}
