// swift-tools-version: 6.1
// Benchmarks of Outflow, kept in their own package so that CI (and `swift build` of the product)
// never builds them. Run from the repository root:
//   swift package --package-path Benchmarks benchmark
import PackageDescription

let package = Package(
    name: "OutflowBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Outflow", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SourceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "OutflowCore", package: "Outflow"),
                .product(name: "OutflowSources", package: "Outflow"),
                .product(name: "OutflowFunctions", package: "Outflow"),
            ],
            path: "Benchmarks/SourceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The client side of the client-vs-raw-libcurl comparison (Benchmarks/http/run-http-bench.sh):
        // a whole-process measurement against nginx, so a plain executable rather than an ordo benchmark.
        // It lives under http/: the benchmark plugin runs every executable target whose folder sits in
        // a folder named "Benchmarks" (this package's root is one), and HTTPBench is not an ordo benchmark.
        .executableTarget(
            name: "HTTPBench",
            dependencies: [.product(name: "OutflowHTTP", package: "Outflow"), "RawMulti"],
            path: "http/HTTPBench"
        ),
        // The raw libcurl multi baseline, in C, linked into HTTPBench so both run in one process.
        .target(
            name: "RawMulti",
            path: "http/RawMulti",
            linkerSettings: [.linkedLibrary("curl")]
        ),
    ]
)
