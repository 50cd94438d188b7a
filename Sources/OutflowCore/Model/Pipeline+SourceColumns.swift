/// Which top-level properties of the warehouse a pipeline reads, so a source can skip the rest.
///
/// The pipeline contract makes inSchema "the schema of the input matching property, the properties
/// used in the filter, and the input properties within the transformation": mappings are
/// type-checked against it and functions receive only it. The filter's properties, the matching
/// property, the profile's key (it names the profile in errors and state) and, when a run has a
/// time window, the `updatedAt` property are added in case inSchema leaves one out. A cell of any
/// other column is not part of what the pipeline exports, so `run` and `preview` neither decode it
/// nor let it fail a profile; on a wide table that is most of the decoding work.
///
/// ```swift
/// let only = pipeline.sourceColumns(in: workspace.warehouse.profiles, window: false)
/// var reader = try ProfileReaders.open(source, url: url, displayPath: source.path, only: only)
/// ```
extension Pipeline {
    public func sourceColumns(in source: ProfileSource, window: Bool) -> Set<String> {
        var names = Set(inSchema.properties.map(\.name))
        for condition in filter?.conditions ?? [] { names.insert(Self.topLevel(condition.property)) }
        names.insert(Self.topLevel(matching.in))
        if let key = source.key { names.insert(Self.topLevel(key)) }
        if window, let updatedAt = source.updatedAt { names.insert(Self.topLevel(updatedAt)) }
        return names
    }

    /// The top-level property of a path (`address` of `address.city`).
    public static func topLevel(_ path: String) -> String {
        String(path.prefix { $0 != "." })
    }
}
