import OutflowCore

/// A Stripe request body or query: `application/x-www-form-urlencoded` pairs whose bracketed names
/// nest, `metadata[plan]=pro&address[city]=Rome&preferred_locales[]=en`, read into JSON.
///
/// Every value is a string, as on the wire; the store converts what must be numbers. Stripe takes
/// an empty value as "unset this", which is why `""` is kept rather than dropped.
///
/// ```swift
/// try StripeForm.parse("email=a%40b.c&metadata[plan]=pro")
/// // {"email": "a@b.c", "metadata": {"plan": "pro"}}
/// ```
enum StripeForm {
    static func parse(_ text: String) throws(StripeError) -> JSONObject {
        var root = JSONObject()
        for (key, value) in FormEncoding.pairs(text) {
            let path = try segments(key)
            root = set(root, path[...], .string(value), key: key)
        }
        return root
    }

    /// `a[b][]` -> ["a", "b", ""].
    static func segments(_ key: String) throws(StripeError) -> [String] {
        guard let open = key.firstIndex(of: "[") else { return [key] }
        var result = [String(key[..<open])]
        var rest = key[open...]
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                throw .invalid("Invalid parameter name: \(key)", param: key, code: "parameter_unknown")
            }
            result.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        guard !result[0].isEmpty else { throw .unknownParameter(key) }
        return result
    }

    /// `object` with `value` stored at `path`; `[]` and numeric segments append to arrays, which
    /// are kept as objects keyed by position until the end (so `a[0]` and `a[1]` may come in any order).
    private static func set(_ object: JSONObject, _ path: ArraySlice<String>, _ value: JSONValue, key: String) -> JSONObject {
        var copy = object
        guard let first = path.first else { return copy }
        var name = first
        if name.isEmpty { name = String(copy.count) }  // `[]`: the next position
        if path.count == 1 {
            copy[name] = value
        } else {
            let inner = copy[name]?.objectValue ?? JSONObject()
            copy[name] = .object(set(inner, path.dropFirst(), value, key: key))
        }
        return copy
    }

    /// An object whose keys are all positions (`0`, `1`, ...), as `[]` or `[N]` produce, as an array.
    static func array(_ value: JSONValue?) -> [JSONValue]? {
        guard case .object(let object)? = value else { return nil }
        let indexed = object.members.compactMap { member in Int(member.key).map { ($0, member.value) } }
        guard indexed.count == object.count else { return nil }
        return indexed.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
