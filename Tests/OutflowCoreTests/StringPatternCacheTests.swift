import Testing

@testable import OutflowCore

@Suite("String pattern cache")
struct StringPatternCacheTests {
    @Test("the process-wide cache stays bounded and still answers right past its bound")
    func bounded() {
        for n in 0..<(StringPattern.cacheLimit + 200) {
            let pattern = StringPattern.compiled("^cache-bound-\(n)-[0-9]+$")
            #expect(pattern.wholeMatches("cache-bound-\(n)-42"))
            #expect(!pattern.wholeMatches("cache-bound-\(n)-x"))
            #expect(StringPattern.cachedCount <= StringPattern.cacheLimit)
        }
        // A pattern compiled before the cache started over is compiled again, the same.
        #expect(StringPattern.compiled("^cache-bound-0-[0-9]+$").wholeMatches("cache-bound-0-7"))
    }
}
