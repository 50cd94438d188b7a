import OutflowCore

/// A JSON body written as `application/x-www-form-urlencoded` with the bracket syntax of Stripe
/// and Rails: nested objects become `metadata[plan]=pro`, arrays `preferred_locales[0]=en`, and
/// null an empty value (Stripe's "unset this field").
///
/// ```swift
/// FormBody.encode(["email": "a@b.c", "metadata": ["plan": "pro"]])   // "email=a%40b.c&metadata%5Bplan%5D=pro"
/// ```
enum FormBody {
    static func encode(_ json: JSONValue) -> String {
        var pairs: [String] = []
        guard case .object(let object) = json else { return "" }
        for member in object.members { append(member.value, name: member.key, to: &pairs) }
        return pairs.joined(separator: "&")
    }

    private static func append(_ value: JSONValue, name: String, to pairs: inout [String]) {
        switch value {
        case .object(let object):
            // An empty object unsets the whole field (Stripe: `metadata=` clears every key).
            if object.members.isEmpty { pairs.append(RequestSpec.encode(name) + "=") }
            for member in object.members { append(member.value, name: "\(name)[\(member.key)]", to: &pairs) }
        case .array(let items):
            if items.isEmpty { pairs.append(RequestSpec.encode(name) + "=") }
            for (index, item) in items.enumerated() { append(item, name: "\(name)[\(index)]", to: &pairs) }
        case .string(let text): pairs.append(RequestSpec.encode(name) + "=" + RequestSpec.encode(text))
        case .number(let text): pairs.append(RequestSpec.encode(name) + "=" + text)
        case .bool(let flag): pairs.append(RequestSpec.encode(name) + "=" + (flag ? "true" : "false"))
        case .null: pairs.append(RequestSpec.encode(name) + "=")
        }
    }
}
