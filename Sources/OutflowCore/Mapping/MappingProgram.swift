/// The type-checked expressions of a mapping lowered once into flat arrays of plain instructions,
/// so that evaluating a profile copies no indirect enum, array or string per node.
///
/// An instruction refers to its operands by index: into ``ops`` (sub-expressions), ``operands``
/// (the argument lists of concatenations, `coalesce`, `and`, `or`), ``constants`` and, for what is
/// rare in pipelines (paths into members, `eq`, `substring`, `map`, ...), ``nodes``: checked trees
/// that ``Evaluator`` walks as before. Lowering keeps the semantics of ``Evaluator`` exactly; the
/// instructions only choose a faster way to get the same value (text straight from the batch's
/// arena, one string per result).
///
/// ```swift
/// var program = MappingProgram()
/// let root = program.lower(node)              // at compile time, once per output property
/// program.value(root, row, &text)             // per profile
/// ```
struct MappingProgram: Sendable {
    /// One instruction; every payload is a plain integer, so copying one costs nothing.
    enum Op: Sendable {
        /// `constants[index]`.
        case constant(Int32)
        /// A top-level property read without members: the slot of the row.
        case slot(Int32)
        /// Parts written side by side: `operands[first ..< first + count]`.
        case concatenation(first: Int32, count: Int32)
        /// lower, upper, initcap, trim, ltrim, rtrim of the instruction `argument`.
        case stringFunction(MappingFunction, argument: Int32)
        case coalesce(first: Int32, count: Int32)
        /// `if`; `otherwise` is -1 without an else branch.
        case choice(condition: Int32, then: Int32, otherwise: Int32)
        /// and, or over `operands[first ..< first + count]`.
        case logical(MappingFunction, first: Int32, count: Int32)
        case not(Int32)
        case toJSON(Int32)
        /// `nodes[index]`, evaluated by ``Evaluator``.
        case tree(Int32)
    }

    private(set) var ops: [Op] = []
    private(set) var operands: [Int32] = []
    private(set) var constants: [Value] = []
    private(set) var nodes: [Node] = []

    /// Appends the instructions of `node` and returns the index of its root.
    mutating func lower(_ node: Node) -> Int32 {
        switch node {
        case .constant(let value):
            constants.append(value)
            return append(.constant(Int32(constants.count - 1)))
        case .path(let plan) where plan.steps.isEmpty:
            return append(.slot(Int32(plan.slot)))
        case .concatenation(let parts):
            let (first, count) = lowerList(parts)
            return append(.concatenation(first: first, count: count))
        case .call(let function, let arguments, _) where function.isStringFunction:
            return append(.stringFunction(function, argument: lower(arguments[0])))
        case .call(.coalesce, let arguments, _):
            let (first, count) = lowerList(arguments)
            return append(.coalesce(first: first, count: count))
        case .call(.if, let arguments, _):
            let condition = lower(arguments[0])
            let then = lower(arguments[1])
            let otherwise = arguments.count > 2 ? lower(arguments[2]) : -1
            return append(.choice(condition: condition, then: then, otherwise: otherwise))
        case .call(let function, let arguments, _) where function == .and || function == .or:
            let (first, count) = lowerList(arguments)
            return append(.logical(function, first: first, count: count))
        case .call(.not, let arguments, _):
            return append(.not(lower(arguments[0])))
        case .toJSON(let inner):
            return append(.toJSON(lower(inner)))
        default:
            nodes.append(node)
            return append(.tree(Int32(nodes.count - 1)))
        }
    }

    private mutating func append(_ op: Op) -> Int32 {
        ops.append(op)
        return Int32(ops.count - 1)
    }

    /// Lowers each node, then stores their roots side by side in ``operands``.
    private mutating func lowerList(_ list: [Node]) -> (first: Int32, count: Int32) {
        let roots = list.map { lower($0) }
        let first = Int32(operands.count)
        operands.append(contentsOf: roots)
        return (first, Int32(roots.count))
    }
}
