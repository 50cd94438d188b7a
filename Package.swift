// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Outflow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "outflow", targets: ["outflow"]),
        .library(name: "OutflowCore", targets: ["OutflowCore"]),
        .library(name: "OutflowSources", targets: ["OutflowSources"]),
        .library(name: "OutflowWorkspace", targets: ["OutflowWorkspace"]),
        .library(name: "OutflowFunctions", targets: ["OutflowFunctions"]),
        .library(name: "OutflowHTTP", targets: ["OutflowHTTP"]),
        .library(name: "OutflowStore", targets: ["OutflowStore"]),
        .library(name: "OutflowMocks", targets: ["OutflowMocks"]),
        .library(name: "OutflowConnectors", targets: ["OutflowConnectors"]),
        .library(name: "OutflowEngine", targets: ["OutflowEngine"]),
        .library(name: "OutflowRuntime", targets: ["OutflowRuntime"]),
        .library(name: "OutflowServer", targets: ["OutflowServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Already in Hummingbird's graph; named here because the mocks use their types directly
        // (closing a connection without an answer, custom header names, a quiet logger, graceful stop).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    ],
    targets: [
        .target(name: "OutflowCore"),
        .target(
            name: "OutflowWorkspace",
            dependencies: ["OutflowCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "OutflowSources", dependencies: ["OutflowCore"]),
        .systemLibrary(
            name: "CPython",
            pkgConfig: "python3-embed",
            providers: [.apt(["libpython3-dev"])]
        ),
        .systemLibrary(
            name: "CJavaScriptCore",
            pkgConfig: "javascriptcoregtk-4.1",
            providers: [.apt(["libjavascriptcoregtk-4.1-dev"])]
        ),
        .target(name: "OutflowFunctions", dependencies: ["OutflowCore", "CPython", "CJavaScriptCore"]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "OutflowHTTP", dependencies: ["CCurl"]),
        .target(name: "OutflowConnectors", dependencies: ["OutflowCore", "OutflowHTTP"]),
        .target(
            name: "OutflowStore",
            dependencies: ["OutflowCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .target(
            name: "OutflowEngine",
            dependencies: ["OutflowCore", "OutflowSources", "OutflowFunctions", "OutflowHTTP", "OutflowConnectors", "OutflowStore"]
        ),
        .target(
            name: "OutflowMocks",
            dependencies: [
                "OutflowCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What a run needs to reach its connection, shared by `outflow run` and `outflow serve`:
        // one connector client per connection, and the bundled mocks of `"mock"` connections.
        .target(
            name: "OutflowRuntime",
            dependencies: ["OutflowCore", "OutflowWorkspace", "OutflowConnectors", "OutflowHTTP", "OutflowStore", "OutflowEngine", "OutflowMocks"]
        ),
        .target(
            name: "OutflowServer",
            dependencies: [
                "OutflowCore", "OutflowWorkspace", "OutflowConnectors", "OutflowHTTP", "OutflowStore", "OutflowEngine", "OutflowRuntime",
                "OutflowFunctions", "OutflowSources",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "outflow",
            dependencies: [
                "OutflowCore",
                "OutflowSources",
                "OutflowWorkspace",
                "OutflowFunctions",
                "OutflowMocks",
                "OutflowStore",
                "OutflowHTTP",
                "OutflowConnectors",
                "OutflowEngine",
                "OutflowRuntime",
                "OutflowServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "OutflowCoreTests", dependencies: ["OutflowCore"]),
        .testTarget(name: "OutflowSourcesTests", dependencies: ["OutflowSources", "OutflowCore"]),
        .testTarget(name: "OutflowWorkspaceTests", dependencies: ["OutflowWorkspace", "OutflowCore"]),
        .testTarget(name: "OutflowFunctionsTests", dependencies: ["OutflowFunctions", "OutflowCore"]),
        // The docs/errors.md table reader both OutflowCLITests and OutflowServerTests hold the product to
        // (test targets cannot import each other); never part of a product.
        .target(name: "OutflowTestSupport", path: "Tests/OutflowTestSupport"),
        .testTarget(name: "OutflowCLITests", dependencies: ["outflow", "OutflowStore", "OutflowMocks", "OutflowTestSupport"]),
        .testTarget(name: "OutflowHTTPTests", dependencies: ["OutflowHTTP"]),
        .testTarget(name: "OutflowStoreTests", dependencies: ["OutflowStore"]),
        .testTarget(
            name: "OutflowEngineTests",
            dependencies: ["OutflowEngine", "OutflowConnectors", "OutflowStore", "OutflowCore", "OutflowWorkspace", "OutflowMocks", "OutflowHTTP"]
        ),
        .testTarget(name: "OutflowConnectorsTests", dependencies: ["OutflowConnectors", "OutflowMocks", "OutflowHTTP", "OutflowCore"]),
        .testTarget(
            name: "OutflowServerTests",
            dependencies: [
                "OutflowServer", "OutflowRuntime", "OutflowStore", "OutflowCore", "OutflowMocks", "OutflowHTTP", "OutflowEngine", "OutflowTestSupport",
            ]
        ),
        .testTarget(name: "OutflowMocksTests", dependencies: ["OutflowMocks", "OutflowHTTP", "OutflowCore", "outflow"]),
    ]
)
