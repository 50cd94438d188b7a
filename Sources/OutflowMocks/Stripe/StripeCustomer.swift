import Foundation
import OutflowCore

/// One Stripe customer, kept as the JSON object Stripe returns (`object: "customer"`), so loads,
/// answers and `/__mock/users` share one shape.
struct StripeCustomer: Sendable {
    var object: JSONObject

    var id: String { object["id"]?.stringValue ?? "" }
    var email: String? { object["email"]?.stringValue }
    var created: Int { object["created"]?.intValue ?? 0 }

    /// A new customer with Stripe's defaults for every field a create does not set.
    static func new(id: String, created: Int, invoicePrefix: String) -> StripeCustomer {
        StripeCustomer(object: jsonObject([
            "id": .string(id), "object": "customer", "address": .null, "balance": 0, "created": .number(String(created)),
            "currency": .null, "default_source": .null, "delinquent": false, "description": .null, "discount": .null,
            "email": .null, "invoice_prefix": .string(invoicePrefix),
            "invoice_settings": ["custom_fields": .null, "default_payment_method": .null, "footer": .null, "rendering_options": .null],
            "livemode": false, "metadata": .object(JSONObject()), "name": .null, "next_invoice_sequence": 1, "phone": .null,
            "preferred_locales": [], "shipping": .null, "tax_exempt": "none", "test_clock": .null,
        ]))
    }

    var json: JSONValue { .object(object) }

    /// Stripe's ids: a prefix and 14 base-62 characters.
    static func makeId(_ number: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var digits: [Character] = []
        var rest = number
        for _ in 0..<14 {
            digits.append(alphabet[rest % 62])
            rest /= 62
        }
        return "cus_" + String(digits.reversed())
    }
}
