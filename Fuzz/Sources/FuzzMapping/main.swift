import FuzzSupport
import OutflowCore
import OutflowSources

// Fuzz target: one mapping expression (`transformation.mapping` values), parsed and type-checked
// against the demo workspace's profile schema for each kind of output property, and, when it
// compiles, evaluated on three profiles for a create and an update.

/// The profiles the expressions run on, read once from FuzzSchemas.profilesCSV.
let batch: ProfileBatch = {
    let url = ScratchFile.save(Array(FuzzSchemas.profilesCSV.utf8), name: "mapping-profiles.csv")
    var batch = ProfileBatch(schema: FuzzSchemas.profiles)
    do {
        var reader = try CSVReader(url: url, displayPath: "mapping-profiles.csv", schema: FuzzSchemas.profiles)
        guard try reader.next(into: &batch), batch.count == 3, (0 ..< 3).allSatisfy({ batch.errors[$0] == nil }) else {
            fatalError("the mapping target's profiles do not read: \(batch.errors)")
        }
    } catch {
        fatalError("the mapping target's profiles do not read: \(error)")
    }
    return batch
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let expression = String(decoding: FuzzDriver.bytes(data, size), as: UTF8.self)
    for property in FuzzSchemas.outputs.properties {
        let entry = Transformation.MappingEntry(path: property.name, expression: expression)
        guard
            let mapping = try? CompiledMapping(
                [entry], inSchema: FuzzSchemas.profiles, outSchema: FuzzSchemas.outputs, matchingOut: nil)
        else { continue }
        for row in 0 ..< batch.count {
            for action in [MappingAction.create, .update] {
                let fromBatch = mapping.evaluate(batch, row: row, action: action)
                let fromProfile = mapping.evaluate(batch.profile(row), action: action)
                // The engine evaluates batch rows and previews evaluate profiles: both must agree.
                if "\(fromBatch)" != "\(fromProfile)" {
                    fatalError("\(expression) as \(property.name), row \(row): batch gave \(fromBatch), profile gave \(fromProfile)")
                }
            }
        }
    }
    return 0
}

@_cdecl("FuzzMapping_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Built before the first input: a global made during one would read as that input's leak.
    _ = batch
    _ = FuzzSchemas.outputs
    return FuzzDriver.run(argc, argv) { data, size in fuzz(data!, size) }
}
