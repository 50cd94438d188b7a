import Testing

@testable import OutflowEngine

@Suite("Selection index (duplicate matching values)")
struct SelectionIndexTests {
    @Test("keys held by two or more selected profiles are shared; the others are not")
    func sharedKeys() {
        var keys = (0..<5000).map { "user\($0)@example.com" }
        keys += ["user7@example.com", "user4999@example.com", "user7@example.com"]
        var index = SelectionIndex()
        for key in keys { index.count(key) }
        index.finishCounting()
        #expect(index.selected == 5003)
        #expect(index.needsConfirmation)
        for key in keys { index.confirm(key) }
        #expect(index.isShared("user7@example.com"))
        #expect(index.isShared("user4999@example.com"))
        #expect(!index.isShared("user8@example.com"))
        #expect(!index.isShared("nobody@example.com"))
        let shared = Set(keys.filter(index.isShared))
        #expect(shared == ["user7@example.com", "user4999@example.com"])
    }

    @Test("a selection without repeats needs no second pass and shares nothing")
    func noRepeats() {
        var index = SelectionIndex()
        for n in 0..<1000 { index.count("k\(n)") }
        index.finishCounting()
        #expect(index.selected == 1000)
        #expect(!index.needsConfirmation)
        #expect(!index.isShared("k1"))
    }
}
