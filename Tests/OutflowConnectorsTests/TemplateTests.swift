import Foundation
@testable import OutflowConnectors
@testable import OutflowCore
import Testing

/// Connector templates: the mapping language inside JSON strings, with md5, sha256 and base64.
@Suite("Connector templates")
struct TemplateTests {
    static let scope: TemplateScope = {
        var scope = TemplateScope(settings: ["listId": "L1", "size": 3])
        scope.user = ["email": "Ada@Example.org", "age": 36, "merge_fields": ["FNAME": "Ada"]]
        scope.index = .number("2")
        scope.id = "abc"
        return scope
    }()

    @Test(
        arguments: [
            ("{{ sha256('') }}", JSONValue.string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")),
            ("{{ sha256('abc') }}", .string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")),
            ("{{ md5('') }}", .string("d41d8cd98f00b204e9800998ecf8427e")),
            ("{{ md5('The quick brown fox jumps over the lazy dog') }}", .string("9e107d9d372bb6826bd81d3542a419d6")),
            ("{{ base64('outflow:key-us1') }}", .string("b3V0ZmxvdzprZXktdXMx")),
            ("{{ user.age }}", .number("36")),
            ("{{ user.merge_fields }}", ["FNAME": "Ada"]),
            ("{{ index }}", .number("2")),
            ("item-{{ index }}", .string("item-2")),
            ("/lists/{{ settings.listId }}/members/{{ id }}", .string("/lists/L1/members/abc")),
            ("{{ upper(user.merge_fields.FNAME) }}!", .string("ADA!")),
            ("{{ coalesce(user.status, 'subscribed') }}", .string("subscribed")),
            (#"email:'{{ escape("o'brien\\x@y.org", "'") }}'"#, .string(#"email:'o\'brien\\x@y.org'"#)),
        ] as [(String, JSONValue)]
    )
    func stringTemplates(source: String, expected: JSONValue) throws {
        let template = try Template.compile(.string(source), path: "t")
        #expect(try template.evaluate(Self.scope) == expected)
    }

    @Test func subscriberHashIsMd5OfTheLowerCasedEmail() throws {
        let hash = try Template.compile("{{ md5(lower(user.email)) }}", path: "t").evaluate(Self.scope)
        let direct = try Template.compile("{{ md5('ada@example.org') }}", path: "t").evaluate(Self.scope)
        #expect(hash == direct)
        #expect(hash?.stringLength == 32)
    }

    @Test func aMemberThatReadsAMissingValueIsLeftOut() throws {
        let template = try Template.compile(["status": "{{ user.status }}", "email": "{{ user.email }}", "fixed": 1], path: "item")
        #expect(try template.evaluate(Self.scope) == ["email": "Ada@Example.org", "fixed": 1])
    }

    @Test(arguments: [
        ("{{ md5(user.email", "without a closing"),
        ("{{ nosuch(user.email) }}", "unknown function"),
        ("{{ profile.email }}", "not a name in scope"),
        ("{{ md5(user.email, 2) }}", "takes 1 argument"),
    ])
    func brokenTemplatesAreReportedAtTheirPath(source: String, message: String) {
        do {
            _ = try Template.compile(["item": ["x": .string(source)]], path: "create")
            Issue.record("expected an error for \(source)")
        } catch {
            #expect(error.diagnostics.first?.path == "create.item.x")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func templateFunctionsStayOutOfPipelineMappings() throws {
        #expect(throws: ValidationError.self) {
            _ = try CompiledMapping(
                [Transformation.MappingEntry(path: "h", expression: "md5(email)")],
                inSchema: ObjectType(properties: [Property(name: "email", type: .string(StringType()))]),
                outSchema: ObjectType(properties: [Property(name: "h", type: .string(StringType()))]),
                matchingOut: nil
            )
        }
    }
}

extension JSONValue {
    var stringLength: Int? { if case .string(let s) = self { s.count } else { nil } }
}

/// `mayRead` decides whether a write computes the item's delivery id: a miss would send a template
/// without its `id`, so every way of naming `id` must count and members named `id` must not.
@Suite struct TemplateReadsTests {
    @Test(arguments: [
        ("{{ id }}", true), ("outflow-{{ id }}", true), ("{{ lower(id) }}", true), ("{{id}}", true), ("{{ coalesce(user.x, id) }}", true),
        ("{{ user.id }}", false), ("{{ user.email }}", false), ("{{ user.identity }}", false), ("{{ user.user_id }}", false), ("id", false),
        ("{{ index }}", false),
    ])
    func aTemplateMayReadIDOnlyWhenAnExpressionNamesIt(_ text: String, _ reads: Bool) throws {
        let json: JSONValue = ["key": .string(text)]
        let template = try Template.compile(json, path: "t")
        #expect(template.mayRead("id") == reads)
    }
}

/// Plain paths (`user.email`) are read without the evaluator; what they give must be what the
/// evaluator gives, including missing values, JSON null, numbers kept as written, and paths that
/// cross a non-object (left to the evaluator).
@Suite struct TemplateDirectPathTests {
    static let scope: TemplateScope = {
        var scope = TemplateScope(settings: ["listId": "L1"])
        scope.user = ["email": "Ada@Example.org", "age": 36, "score": .number("1.50"), "gone": .null, "merge_fields": ["FNAME": "Ada"]]
        scope.index = .number("2")
        return scope
    }()

    @Test(arguments: [
        "user", "user.email", "user.age", "user.score", "user.gone", "user.missing", "user.merge_fields", "user.merge_fields.FNAME",
        "user.merge_fields.missing", "user.email.x?", "user.gone.x?", "index", "settings.listId", "value", "id", "record.x",
    ])
    func aLonePathIsWhatTheEvaluatorReads(_ source: String) throws {
        let expression = try TemplateExpression(source, names: TemplateScope.names)
        let evaluated = try expression.evaluate(Self.scope.values(for: expression.names))?.json
        let template = try Template.compile(.string("{{ \(source) }}"), path: "t")
        #expect(try template.evaluate(Self.scope) == evaluated)
    }

    @Test(arguments: [
        ("item-{{ index }}", JSONValue?.some(.string("item-2"))), ("{{ user.email }}/{{ user.score }}", .string("Ada@Example.org/1.50")),
        ("x{{ user.gone }}", .string("xnull")), ("x{{ user.missing }}", nil), ("{{ settings.listId }}-{{ value }}", nil),
        ("{{ user.merge_fields }}", .object(["FNAME": "Ada"])),
    ])
    func pathsInsideTextReadAsBefore(_ source: String, _ expected: JSONValue?) throws {
        #expect(try Template.compile(.string(source), path: "t").evaluate(Self.scope) == expected)
    }

    @Test func aPathThroughANonObjectIsStillTheEvaluatorsError() throws {
        #expect(throws: TemplateError.self) { try Template.compile(.string("{{ user.email.x }}"), path: "t").evaluate(Self.scope) }
    }

    @Test(arguments: [("user.email", true), ("user", true), ("index", true), ("lower(user.email)", false), ("true", false), ("null", false),
                      ("user.1x", false), ("user.a b", false), ("user?.x", false), ("unknown.x", false)])
    func onlyPlainPathsOfScopeNamesAreDirect(_ source: String, _ direct: Bool) {
        #expect((TemplateExpression.directPath(source, names: TemplateScope.names) != nil) == direct)
    }
}
