import Foundation

/// What exporting the demo's pipeline 101 must leave in the HubSpot mock, worked out from the
/// fixtures rather than from another run: the fixture contacts plus every demo email that is not
/// null and not shared (in case only) with another profile, lower-cased.
enum DemoExpectation {
    static func hubSpotEmails() throws -> Set<String> {
        let profilesData = try Data(contentsOf: URL(fileURLWithPath: CLIProcess.fixture("profiles/customers.json")))
        let profiles = try JSONSerialization.jsonObject(with: profilesData) as? [[String: Any]] ?? []
        var counts: [String: Int] = [:]
        for profile in profiles {
            if let email = profile["email"] as? String { counts[email.lowercased(), default: 0] += 1 }
        }
        let usersData = try Data(contentsOf: URL(fileURLWithPath: CLIProcess.fixture("apps/hubspot-users.json")))
        let users = (try JSONSerialization.jsonObject(with: usersData) as? [String: Any])?["users"] as? [[String: Any]] ?? []
        let initial = users.compactMap { (($0["properties"] as? [String: Any])?["email"] as? String)?.lowercased() }
        return Set(counts.filter { $0.value == 1 }.keys).union(initial)
    }
}
