// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Tally",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tally", targets: ["tally"]),
        .library(name: "TallyCore", targets: ["TallyCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        .target(
            name: "TallyCore",
            dependencies: ["LMDB", .product(name: "Crypto", package: "swift-crypto")],
            // The projector's tables are class properties; dynamic exclusivity checks on
            // them cost about 6% of a replay. Static checks still apply.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .executableTarget(name: "tally", dependencies: [
            "TallyCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tally-bench", dependencies: ["TallyCore", "LMDB"]),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "CLMDB"]),
        .testTarget(name: "TallyCoreTests", dependencies: ["TallyCore", "LMDB", .product(name: "Crypto", package: "swift-crypto")], exclude: ["Fuzz/corpus.ndjson"]),  // read by path
        .testTarget(name: "TallyCLITests", dependencies: [
            "tally",
            "TallyCore",
            "LMDB",
        ]),
    ]
)

// Shared settings, applied in one place.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
}
