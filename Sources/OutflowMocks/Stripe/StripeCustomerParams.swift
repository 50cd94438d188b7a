import OutflowCore

/// The parameters of `POST /v1/customers` and `POST /v1/customers/{id}`, applied to a customer
/// the way Stripe does: an empty value unsets a field (`email=`, `metadata[plan]=`), `metadata`
/// and `address` merge key by key, and an unknown parameter is refused by name.
enum StripeCustomerParams {
    static let addressKeys = ["city", "country", "line1", "line2", "postal_code", "state"]
    static let metadataLimit = 50

    static func apply(_ params: JSONObject, to customer: inout StripeCustomer) throws(StripeError) {
        for (name, value) in params.members {
            switch name {
            case "expand":
                continue
            case "email":
                let email = try text(value, name)
                if !email.isEmpty, !HubSpotStore.isValidEmail(email) { throw .invalidEmail(email) }
                customer.object["email"] = email.isEmpty ? .null : .string(email)
            case "name", "phone", "description", "invoice_prefix":
                let text = try text(value, name)
                customer.object[name] = text.isEmpty ? .null : .string(text)
            case "balance":
                let text = try text(value, name)
                guard let number = Int(text) else { throw .invalid("Invalid integer: \(text)", param: name, code: "parameter_invalid_integer") }
                customer.object["balance"] = .number(String(number))
            case "tax_exempt":
                let text = try text(value, name)
                guard ["none", "exempt", "reverse"].contains(text) else {
                    throw .invalid("Invalid tax_exempt: must be one of none, exempt, or reverse", param: name, code: "parameter_invalid_string")
                }
                customer.object["tax_exempt"] = .string(text)
            case "metadata":
                customer.object["metadata"] = .object(try metadata(value, merging: customer.object["metadata"]?.objectValue ?? JSONObject()))
            case "address":
                customer.object["address"] = try address(value, merging: customer.object["address"]?.objectValue, param: "address")
            case "shipping":
                customer.object["shipping"] = try shipping(value)
            case "preferred_locales":
                if value == "" {
                    customer.object["preferred_locales"] = []
                } else {
                    guard let items = StripeForm.array(value) else { throw .invalid("Invalid array", param: name, code: "parameter_invalid_array") }
                    customer.object["preferred_locales"] = .array(items)
                }
            default:
                throw .unknownParameter(name)
            }
        }
    }

    private static func text(_ value: JSONValue, _ name: String) throws(StripeError) -> String {
        guard let text = value.stringValue else { throw .invalid("Invalid string: \(name) must be a string, not a hash", param: name) }
        return text
    }

    private static func metadata(_ value: JSONValue, merging current: JSONObject) throws(StripeError) -> JSONObject {
        if value == "" { return JSONObject() }
        guard let changes = value.objectValue else { throw .invalid("Invalid hash", param: "metadata", code: "parameter_invalid_hash") }
        var merged = current
        for (key, change) in changes.members {
            guard let text = change.stringValue else { throw .invalid("Invalid string: metadata[\(key)]", param: "metadata[\(key)]") }
            guard key.count <= 40 else { throw .invalid("Invalid metadata: keys can be at most 40 characters", param: "metadata[\(key)]") }
            guard text.count <= 500 else { throw .invalid("Invalid metadata: values can be at most 500 characters", param: "metadata[\(key)]") }
            merged[key] = text.isEmpty ? JSONValue?.none : .string(text)
        }
        guard merged.count <= metadataLimit else {
            throw .invalid("Invalid metadata: metadata can have up to \(metadataLimit) keys", param: "metadata", code: "parameter_invalid_hash")
        }
        return merged
    }

    private static func address(_ value: JSONValue, merging current: JSONObject?, param: String) throws(StripeError) -> JSONValue {
        if value == "" { return .null }
        guard let changes = value.objectValue else { throw .invalid("Invalid hash", param: param, code: "parameter_invalid_hash") }
        var merged = current ?? JSONObject(addressKeys.map { (key: $0, value: JSONValue.null) })
        for (key, change) in changes.members {
            guard addressKeys.contains(key) else { throw .unknownParameter("\(param)[\(key)]") }
            let text = try text(change, "\(param)[\(key)]")
            merged[key] = text.isEmpty ? .null : .string(text)
        }
        return .object(merged)
    }

    private static func shipping(_ value: JSONValue) throws(StripeError) -> JSONValue {
        if value == "" { return .null }
        guard let given = value.objectValue else { throw .invalid("Invalid hash", param: "shipping", code: "parameter_invalid_hash") }
        var shipping = jsonObject(["address": .null, "name": .null, "phone": .null])
        for (key, change) in given.members {
            switch key {
            case "name", "phone": shipping[key] = .string(try text(change, "shipping[\(key)]"))
            case "address": shipping["address"] = try address(change, merging: nil, param: "shipping[address]")
            default: throw .unknownParameter("shipping[\(key)]")
            }
        }
        guard shipping["name"] != .null else {
            throw .invalid("Missing required param: shipping[name].", param: "shipping[name]", code: "parameter_missing")
        }
        return .object(shipping)
    }
}
