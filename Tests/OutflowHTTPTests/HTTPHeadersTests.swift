import OutflowHTTP
import Testing

/// Equality of header lists: the client compares each request's fields with those its reused handle
/// was last given, to skip rebuilding the list, so a wrong "equal" would send another request's fields.
@Suite("HTTPHeaders equality")
struct HTTPHeadersTests {
    @Test("lists built apart are equal when their fields are, field by field and in order")
    func equalByFields() {
        // Built from separate strings, so no buffer is shared; long enough that no value is stored inline.
        let token = String(repeating: "t", count: 40)
        var a = HTTPHeaders()
        a["Authorization"] = "Bearer " + token
        a["Content-Type"] = "application/json"
        var b = HTTPHeaders()
        b["Authorization"] = "Bearer " + String(token)
        b["Content-Type"] = "application/json"
        #expect(a == b)
        let copy = a
        #expect(copy == a)
    }

    @Test("a different value, name, order or count makes them unequal")
    func unequal() {
        let base: HTTPHeaders = ["Authorization": "Bearer one", "Content-Type": "application/json"]
        let differences: [HTTPHeaders] = [
            ["Authorization": "Bearer two", "Content-Type": "application/json"],
            ["Authorization": "Bearer one", "Content-Kind": "application/json"],
            ["Content-Type": "application/json", "Authorization": "Bearer one"],
            ["Authorization": "Bearer one"],
            ["Authorization": "Bearer one", "Content-Type": "application/json", "Expect": ""],
            [:],
        ]
        for other in differences {
            #expect(base != other, "\(other) compared equal to \(base)")
            #expect(other != base)
        }
    }
}
