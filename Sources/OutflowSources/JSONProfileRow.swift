import OutflowCore

/// Puts one parsed JSON profile into a batch row, for the JSON array and NDJSON readers.
///
/// The object decodes by the batch's schema with ``JSONDecoding/decodeObject(_:_:)``: a member the
/// schema does not declare, or a value that does not fit its type, fails the row (stage `input`);
/// the members that do decode are still stored, so that the error names the profile by its key.
///
/// ```swift
/// JSONProfileRow.fill(row, of: &batch, from: json, line: 12)
/// ```
enum JSONProfileRow {
    static func fill(_ row: Int, of batch: inout ProfileBatch, from json: JSONValue, line: Int) {
        guard case .object(let object) = json else {
            batch.fail(row, "line \(line): expected a JSON object for a profile, found \(json.typeName)")
            return
        }
        let decoded: ValueObject
        do {
            decoded = try JSONDecoding.decodeObject(object, batch.schema)
        } catch {
            // Best effort: the members that decode still name the profile (its key) in the error.
            for (slot, property) in batch.schema.properties.enumerated() {
                guard let member = object[property.name] else { continue }
                if let value = try? JSONDecoding.decode(member, as: property.type, nullable: property.nullable) {
                    batch[row, slot] = value
                }
            }
            batch.fail(row, "line \(line): \(error.message)")
            return
        }
        // Members come in schema order, so one forward walk finds each slot.
        let properties = batch.schema.properties
        var slot = 0
        for member in decoded.members {
            while slot < properties.count, properties[slot].name != member.key { slot += 1 }
            guard slot < properties.count else { break }
            batch[row, slot] = member.value
            slot += 1
        }
    }
}
