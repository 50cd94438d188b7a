import OutflowCore

/// The JavaScript side of a batch: a driver that reads the batch's arguments from columns, calls
/// `transform` for each, and writes the results back as columns, so one batch costs one entry
/// into JavaScriptCore and a dozen C API calls whatever its size.
///
/// Both directions use the same stream: a tag per value (``Tag``), a double per value that needs
/// one (a number, a string's length, a container's count) and one joined string for the text.
/// Arguments: ``JavaScriptColumnWriter`` writes them; strings are sliced from the joined UTF-16
/// text by their lengths. Results: per row, a ``Row`` tag, then what it announces. The driver's
/// text for a pipeline is generated for its inPaths and outPaths (``Spec``): the `user` object is
/// built by a literal holding exactly the inPaths' keys, and an object returned with only
/// top-level outPaths holding scalars is written as one tag per outPath in outPath order (row kind
/// ``Row/leaves``), with no key names. Other results are written as a whole value
/// (``Row/value``), and the few values the stream has no form for (a Date, a function, a Symbol,
/// an instance of a class, deeper than 32 levels) are left in JavaScript and read through the C
/// API (``Row/slow``). Strings of results go back as one string joined from every piece, read by
/// Swift as UTF-16, so lone surrogates become U+FFFD exactly as through the C API.
enum JavaScriptDriver {
    /// What one value of the stream is.
    enum Tag {
        /// A top-level argument key the profile lacks, or an outPath the result lacks.
        static let absent: UInt8 = 0
        static let null: UInt8 = 1
        static let `false`: UInt8 = 2
        static let `true`: UInt8 = 3
        /// A double: the next number.
        static let number: UInt8 = 4
        /// A string: its UTF-16 length is the next number, its text the next piece of the text.
        static let string: UInt8 = 5
        /// A BigInt: its decimal digits as a string (length, then text).
        static let bigInt: UInt8 = 6
        /// An array: its count, then each element.
        static let array: UInt8 = 7
        /// An object: its member count, then each key and value. Arguments tag their keys as
        /// strings; results write a key as length and text only.
        static let object: UInt8 = 8
    }

    /// What one row of the results is.
    enum Row {
        /// One value per outPath, in outPath order (``Tag/absent`` for those left out).
        static let leaves: UInt8 = 20
        /// The returned value, whole.
        static let value: UInt8 = 21
        /// The returned value has no stream form: read it through the C API (`entry(row)`).
        static let slow: UInt8 = 22
        /// transform threw: the message as a string.
        static let error: UInt8 = 23
        /// The call ran over its limit and was terminated.
        static let timedOut: UInt8 = 24
    }

    /// What a driver is generated for.
    struct Spec: Hashable {
        /// The top-level keys of the argument in ``FunctionInput/entries`` order; nil: each
        /// argument is written whole, as an object value.
        var inputKeys: [String]?
        /// Per outPath (``FunctionOutput`` order), its name when it is a top-level key, nil when
        /// nested; nil as a whole: results are always written whole (``Row/value``).
        var outputLeaves: [String?]?
    }

    /// The driver's source: a function of `(transform, describe, progress)` returning
    /// `[run, entry]`, where `run(tags, numbers, text, count, start)` runs calls `start..<count`
    /// and returns `[tags, numbers, text, tagCount, numberCount]` of the results, and
    /// `entry(row)` is a result left in JavaScript.
    static func source(_ spec: Spec) -> String {
        """
        (function (transform, describe, progress) {
            "use strict";
            const plain = Object.prototype, getPrototypeOf = Object.getPrototypeOf, isArray = Array.isArray;
            const defineProperty = Object.defineProperty, toBigInt = BigInt, toText = String;
            const define = (object, key, value) => defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
            const message = (error) => {
                try { return toText(describe(error)); } catch (e) {}
                try { return toText(error); } catch (e) { return "JavaScript error"; }
            };

            let inTags = null, inNumbers = null, inText = "", it = 0, inn = 0, ip = 0;
            const slice = (length) => { const s = inText.slice(ip, ip + length); ip += length; return s; };
            const read = (tag) => {
                switch (tag) {
                case \(Tag.null): return null;
                case \(Tag.false): return false;
                case \(Tag.true): return true;
                case \(Tag.number): return inNumbers[inn++];
                case \(Tag.string): return slice(inNumbers[inn++]);
                case \(Tag.bigInt): return toBigInt(slice(inNumbers[inn++]));
                case \(Tag.array): {
                    const count = inNumbers[inn++], array = [];
                    for (let k = 0; k < count; k++) array.push(read(inTags[it++]));
                    return array;
                }
                case \(Tag.object): {
                    const count = inNumbers[inn++], object = {};
                    for (let k = 0; k < count; k++) {
                        const key = read(inTags[it++]), value = read(inTags[it++]);
                        if (key === "__proto__") define(object, key, value); else object[key] = value;
                    }
                    return object;
                }
                default: return undefined;
                }
            };
            const readUser = \(readUser(spec.inputKeys));

            let outTags = new Uint8Array(8192), outNumbers = new Float64Array(8192), parts = [], ot = 0, on = 0, pn = 0;
            const tag = (x) => {
                if (ot === outTags.length) { const grown = new Uint8Array(ot * 2); grown.set(outTags); outTags = grown; }
                outTags[ot++] = x;
            };
            const num = (x) => {
                if (on === outNumbers.length) { const grown = new Float64Array(on * 2); grown.set(outNumbers); outNumbers = grown; }
                outNumbers[on++] = x;
            };
            const text = (s) => { num(s.length); parts[pn++] = s; };
            const scalar = (v) => {
                switch (typeof v) {
                case "string": tag(\(Tag.string)); text(v); return true;
                case "number": tag(\(Tag.number)); num(v); return true;
                case "boolean": tag(v ? \(Tag.true) : \(Tag.false)); return true;
                case "bigint": tag(\(Tag.bigInt)); text(toText(v)); return true;
                case "object": if (v === null) { tag(\(Tag.null)); return true; } return false;
                default: return false;
                }
            };
            // false: the value has no stream form (the row is rolled back and read through the C API).
            const encode = (v, depth) => {
                switch (typeof v) {
                case "undefined": tag(\(Tag.null)); return true;
                case "object": {
                    if (v === null) { tag(\(Tag.null)); return true; }
                    if (depth > 32) return false;
                    if (isArray(v)) {
                        const count = v.length;
                        tag(\(Tag.array)); num(count);
                        for (let k = 0; k < count; k++) if (!encode(v[k], depth + 1)) return false;
                        return true;
                    }
                    const proto = getPrototypeOf(v);
                    if (proto !== plain && proto !== null) return false;
                    tag(\(Tag.object));
                    const at = on;
                    num(0);
                    let count = 0;
                    for (const key in v) {
                        const item = v[key];
                        if (item === undefined) continue;
                        text(key);
                        if (!encode(item, depth + 1)) return false;
                        count++;
                    }
                    outNumbers[at] = count;
                    return true;
                }
                default: return scalar(v);
                }
            };
            const leaves = \(leaves(spec.outputLeaves));

            let users = [], slow = [];
            const result = (r, i) => {
                const mt = ot, mn = on, mp = pn;
                if (leaves !== null && leaves(r)) return;
                ot = mt; on = mn; pn = mp;
                tag(\(Row.value));
                if (encode(r, 0)) return;
                ot = mt; on = mn; pn = mp;
                tag(\(Row.slow));
                slow[i] = r;
            };
            const run = (tags, numbers, argumentText, count, start) => {
                if (start === 0) {
                    inTags = tags; inNumbers = numbers; inText = argumentText; it = 0; inn = 0; ip = 0;
                    users = [];
                    for (let i = 0; i < count; i++) users.push(readUser());
                    inText = "";
                    ot = 0; on = 0; pn = 0; parts = []; slow = [];
                } else {
                    tag(\(Row.timedOut));
                }
                const global = globalThis;
                for (let i = start; i < count; i++) {
                    progress[0] = i;
                    let r;
                    try {
                        r = transform.call(global, users[i]);
                    } catch (error) {
                        progress[0] = -1;
                        tag(\(Row.error)); text(message(error));
                        continue;
                    }
                    progress[0] = -1;
                    result(r, i);
                }
                users = [];
                parts.length = pn;
                return [outTags, outNumbers, parts.join(""), ot, on];
            };
            const entry = (i) => slow[i];
            return [run, entry];
        })
        """
    }

    /// A JavaScript string literal of `text` (JSON's string syntax is JavaScript's).
    private static func literal(_ text: String) -> String {
        JSONWriter.string(.string(text))
    }

    /// `() => user`: reads one argument; an object literal of the inPaths' keys when the profile
    /// has them all, built key by key otherwise (absent keys stay absent, not undefined).
    private static func readUser(_ keys: [String]?) -> String {
        guard let keys else { return "() => read(inTags[it++])" }
        var body = "() => {\n        let tag, all = true;\n"
        for index in keys.indices {
            body += """
                        tag = inTags[it++];
                        const v\(index) = tag === \(Tag.number) ? inNumbers[inn++] : tag === \(Tag.string) ? slice(inNumbers[inn++]) : read(tag);
                        if (tag === \(Tag.absent)) all = false;

                """
        }
        let members = keys.enumerated().map { index, key in
            (key == "__proto__" ? "[\(literal(key))]" : literal(key)) + ": v\(index)"
        }
        body += "        if (all) return { \(members.joined(separator: ", ")) };\n"
        body += "        const user = {};\n"
        for (index, key) in keys.enumerated() {
            body += "        if (v\(index) !== undefined) define(user, \(literal(key)), v\(index));\n"
        }
        body += "        return user;\n    }"
        return body
    }

    /// `(r) => Bool`: writes `r` as one tag per outPath when it is a plain object whose only
    /// keys are top-level outPaths holding scalars; false (rolled back by the caller) otherwise.
    private static func leaves(_ names: [String?]?) -> String {
        guard let names else { return "null" }
        var body = """
            (r) => {
                    if (typeof r !== "object" || r === null || getPrototypeOf(r) !== plain) return false;
                    let keys = 0, defined = 0, v;
                    for (const key in r) keys++;
                    tag(\(Row.leaves));

            """
        for name in names {
            guard let name else {
                body += "        tag(\(Tag.absent));\n"
                continue
            }
            body += """
                        v = r[\(literal(name))];
                        if (v === undefined) tag(\(Tag.absent)); else if (scalar(v)) defined++; else return false;

                """
        }
        body += "        return keys === defined;\n    }"
        return body
    }
}
