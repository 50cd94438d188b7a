// swift-tools-version: 6.1
// libFuzzer targets of Outflow's input parsers, kept in their own package so that CI (`swift build
// --build-tests` of the product) never builds them. Each executable is one fuzz target; build and
// run them with `scripts/fuzz` from the repository root, which passes the flags they need:
//   swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import PackageDescription

/// One executable per fuzz target, each depending on the shared harness.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", "CLibFuzzer"] + products.map { .product(name: $0, package: "Outflow") }
    )
}

let package = Package(
    name: "OutflowFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Outflow", path: "..")
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver, which each target's entry point calls (see FuzzDriver).
        .target(name: "CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CLibFuzzer", .product(name: "OutflowCore", package: "Outflow")]
        ),
        fuzzTarget("FuzzCSV", ["OutflowCore", "OutflowSources"]),
        fuzzTarget("FuzzJSON", ["OutflowCore", "OutflowSources"]),
        fuzzTarget("FuzzNDJSON", ["OutflowCore", "OutflowSources"]),
        fuzzTarget("FuzzMapping", ["OutflowCore", "OutflowSources"]),
        fuzzTarget("FuzzWorkspace", ["OutflowCore", "OutflowWorkspace"]),
    ]
)
