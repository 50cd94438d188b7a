@testable import OutflowConnectors
import OutflowCore
import Testing

/// Which answers a write reads trimmed (`ResultSpec.trim`): only those whose records are read by
/// paths alone; the mapping itself is exercised against each mock by the connector suites.
@Suite("Write answers read trimmed")
struct ResultSpecTrimTests {
    @Test func hubSpotBatchAnswersKeepTheIdTheFlagAndTheCorrelation() throws {
        let hubspot = try #require(try ConnectorRegistry.embedded().connector(named: "hubspot"))
        #expect(hubspot.upsert?.results.trim == JSONTrim(records: "results", keep: ["id", "new", "objectWriteTraceId"]))
        #expect(hubspot.create?.results.trim == JSONTrim(records: "results", keep: ["id", "objectWriteTraceId"]))
    }

    /// A spec whose records a template reads (Mailchimp matches records by a key template), or
    /// whose answer is the record itself (a single-user write), is parsed whole.
    @Test func recordsReadByTemplateOrWholeAnswersAreNotTrimmed() throws {
        let registry = try ConnectorRegistry.embedded()
        for connector in registry.sorted {
            for spec in [connector.create, connector.update, connector.upsert].compactMap({ $0 }) {
                let rules = spec.results
                guard let trim = rules.trim else { continue }
                #expect(rules.recordKey == nil, "\(connector.name)")
                #expect(rules.status == nil, "\(connector.name)")
                #expect(!trim.keep.isEmpty, "\(connector.name)")
                #expect(rules.records.count == 1 && rules.records[0].path.text == trim.records, "\(connector.name)")
                #expect(rules.errors?.text != trim.records, "\(connector.name)")
            }
        }
        var single = ResultSpec()
        single.records = [ResultSpec.Records(path: ResponsePath(""), action: .operation)]
        #expect(single.trim == nil)
        var keyed = ResultSpec()
        keyed.records = [ResultSpec.Records(path: ResponsePath("new_members"), action: .created)]
        keyed.recordKey = try Template.compile(.string("{{ record.email_address }}"), path: "recordKey")
        #expect(keyed.trim == nil)
        keyed.recordKey = nil
        #expect(keyed.trim == JSONTrim(records: "new_members", keep: ["id"]))
    }
}
