// swift-tools-version:6.0
import PackageDescription

// The targets follow the launcher's pipeline:
// configuration → gpu → profiles → selection → model store → engine command → supervisor → reports → CLI.
let package = Package(
    name: "aim-runtime",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "aim-runtime", targets: ["aim-runtime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.60.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.0.0"),
    ],
    targets: [
        .target(
            name: "AIMCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "AIMConfiguration",
            dependencies: [
                "AIMCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(name: "AIMGPU", dependencies: ["AIMCore"]),
        .target(
            name: "AIMProfiles",
            dependencies: [
                "AIMCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(name: "AIMSelection", dependencies: ["AIMCore", "AIMConfiguration", "AIMGPU", "AIMProfiles"]),
        .target(
            name: "AIMModelStore",
            dependencies: [
                "AIMCore", "AIMConfiguration",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CSpawn"),
        // What Swift cannot call itself (prctl, close_range, malloc_trim, a signal handler); nothing here forks.
        .target(name: "CProcessControl"),
        .target(
            name: "AIMSupervisor",
            dependencies: [
                "AIMCore", "AIMConfiguration", "AIMEngine", "CSpawn", "CProcessControl",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "AIMEngine", dependencies: ["AIMCore", "AIMConfiguration", "AIMProfiles", "AIMSelection", "AIMModelStore"]),
        .target(
            name: "AIMReports",
            dependencies: [
                "AIMCore", "AIMConfiguration", "AIMGPU", "AIMProfiles", "AIMSelection", "AIMModelStore", "AIMEngine",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "aim-runtime",
            dependencies: [
                "AIMCore", "AIMConfiguration", "AIMGPU", "AIMProfiles", "AIMSelection", "AIMModelStore", "AIMEngine", "AIMSupervisor", "AIMReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["BuildInfoPlugin"]
        ),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // The fuzz entry points: a normal library, so that `swift test` replays saved inputs through them.
        .target(
            name: "AIMFuzzTargets",
            dependencies: ["AIMCore", "AIMConfiguration", "AIMGPU", "AIMProfiles", "AIMModelStore"]
        ),
        .testTarget(
            name: "AIMRuntimeTests",
            dependencies: [
                "AIMCore", "AIMConfiguration", "AIMGPU", "AIMProfiles", "AIMSelection", "AIMModelStore", "AIMEngine", "AIMSupervisor", "AIMReports",
                "AIMFuzzTargets", "aim-runtime",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)

// libFuzzer's driver, only when asked for (scripts/fuzz.sh sets AIM_FUZZ=1 and builds it with
// -sanitize=fuzzer in .build-fuzz): a plain `swift build` or `swift test` never links it.
if Context.environment["AIM_FUZZ"] == "1" {
    package.products.append(.executable(name: "aim-fuzz", targets: ["aim-fuzz"]))
    package.targets.append(.target(name: "CFuzzerDriver"))
    package.targets.append(.executableTarget(name: "aim-fuzz", dependencies: ["AIMFuzzTargets", "CFuzzerDriver"]))
}
