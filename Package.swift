// swift-tools-version:6.0
import PackageDescription

// Every Swift target sees only the members of modules it imports itself (SE-0444), so each file's
// imports say what it uses and the dependencies below can be checked against them.
let strictImports: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

// The targets follow the launcher's pipeline:
// configuration → gpu → profiles → selection → model store → engine command → supervisor → reports → commands → CLI.
// Stages take settings of their own; only AIMCommands reads the configuration and maps it to them.
let package = Package(
    name: "aim-runtime",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "aim-runtime", targets: ["aim-runtime"])
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
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "AIMCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictImports
        ),
        .target(
            name: "AIMConfiguration",
            dependencies: [
                "AIMCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictImports
        ),
        // The ROCm SMI function types for RocmSMILibraryReader's dlsym, from rocm_smi.h where it is installed.
        .target(name: "CRocmSMI"),
        // Short-lived tools (rocm-smi, amd-smi, the vLLM probe) with a time limit and output caps.
        .target(
            name: "AIMProcess",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                // FilePath, which swift-subprocess takes from the System framework on Apple platforms.
                .product(name: "SystemPackage", package: "swift-system", condition: .when(platforms: [.linux])),
            ],
            swiftSettings: strictImports
        ),
        .target(
            name: "AIMGPU",
            dependencies: [
                "AIMCore", "AIMProcess", "CRocmSMI", .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictImports
        ),
        // The host checks of `doctor` and serve's preflight, over an injected world (a root for /proc, /sys
        // and /dev, the environment, the GPU report, processes).
        .target(
            name: "AIMHost",
            dependencies: ["AIMCore", "AIMGPU", "AIMProcess"],
            swiftSettings: strictImports
        ),
        .target(
            name: "AIMProfiles",
            dependencies: [
                "AIMCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictImports
        ),
        .target(
            name: "AIMSelection",
            dependencies: [
                "AIMCore", "AIMGPU", "AIMProfiles", "AIMMemory", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictImports
        ),
        .target(
            name: "AIMModelStore",
            dependencies: [
                "AIMCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictImports
        ),
        // What a model needs in GPU memory, from its config.json: pure arithmetic, no I/O.
        .target(
            name: "AIMMemory",
            dependencies: ["AIMCore", .product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strictImports),
        .target(
            name: "AIMEngine",
            dependencies: [
                "AIMCore", "AIMGPU", "AIMProcess", "AIMProfiles", "AIMSelection", "AIMModelStore", "AIMMemory",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictImports
        ),
        // What Swift cannot call itself (prctl, close_range, malloc_trim, a signal handler); nothing here forks.
        .target(name: "CProcessControl"),
        .target(
            name: "AIMSupervisor",
            dependencies: [
                "AIMCore", "AIMProcess", "CProcessControl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictImports
        ),
        // A group of nodes: the route to the leader, and the aim-runtimes of one group joining and watching each other.
        .target(
            name: "AIMGroup",
            dependencies: [
                "AIMCore", "AIMEngine",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictImports
        ),
        .target(
            name: "AIMReports",
            dependencies: [
                "AIMCore", "AIMGPU", "AIMProfiles", "AIMSelection", "AIMEngine", "AIMModelStore", "AIMMemory",
                "AIMHost",
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictImports
        ),
        // The commands themselves, run against an injected context; the only target that sees RuntimeConfiguration
        // and every stage, and maps the one to the others' settings.
        .target(
            name: "AIMCommands",
            dependencies: [
                "AIMCore", "AIMConfiguration", "AIMGPU", "AIMProfiles", "AIMSelection", "AIMModelStore", "AIMEngine",
                "AIMMemory", "AIMSupervisor", "AIMHost", "AIMProcess", "AIMGroup",
                "AIMReports",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictImports
        ),
        // Declares the arguments and hands the parsed command to AIMCommands.
        .executableTarget(
            name: "aim-runtime",
            dependencies: [
                "AIMCommands", "AIMConfiguration", "AIMCore", "AIMModelStore", "AIMReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictImports,
            plugins: ["BuildInfoPlugin"]
        ),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // The fuzz entry points: a normal library, so that `swift test` replays saved inputs through them.
        .target(
            name: "AIMFuzzTargets",
            dependencies: [
                "AIMCore", "AIMConfiguration", "AIMGPU", "AIMProfiles", "AIMModelStore", "AIMMemory", "AIMGroup",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strictImports
        ),
        // The tests, in three targets that `swift test` runs together: unit (in-process, no processes or
        // servers), integration (the built binary, real servers, vLLM) and lint (docs, manifests, scripts, format).
        .target(
            name: "AIMTestSupport",
            dependencies: ["AIMConfiguration", "AIMGPU", "AIMModelStore", "AIMCommands"],
            path: "Tests/AIMTestSupport",
            swiftSettings: strictImports
        ),
        .testTarget(
            name: "AIMUnitTests",
            dependencies: [
                "AIMTestSupport", "AIMCore", "AIMConfiguration", "AIMGPU", "AIMProfiles", "AIMSelection",
                "AIMModelStore",
                "AIMEngine", "AIMMemory", "AIMSupervisor", "AIMReports", "AIMCommands", "AIMFuzzTargets", "CRocmSMI",
                "AIMHost", "AIMGroup",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictImports
        ),
        .testTarget(
            name: "AIMIntegrationTests",
            dependencies: [
                "AIMTestSupport", "AIMCore", "AIMConfiguration", "AIMGPU", "AIMModelStore", "AIMSupervisor",
                "AIMProcess",
                // Not imported: these tests run the built binary, which this makes SwiftPM build first.
                "aim-runtime",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictImports
        ),
        .testTarget(
            name: "AIMLintTests",
            dependencies: [
                "AIMTestSupport", "AIMCore", "AIMConfiguration", "aim-runtime",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictImports
        ),
    ]
)

// libFuzzer's driver, only when asked for (scripts/fuzz.sh sets AIM_FUZZ=1 and builds it with
// -sanitize=fuzzer in .build-fuzz): a plain `swift build` or `swift test` never links it.
if Context.environment["AIM_FUZZ"] == "1" {
    package.products.append(.executable(name: "aim-fuzz", targets: ["aim-fuzz"]))
    package.targets.append(.target(name: "CFuzzerDriver"))
    package.targets.append(
        .executableTarget(
            name: "aim-fuzz", dependencies: ["AIMFuzzTargets", "CFuzzerDriver"], swiftSettings: strictImports))
}
