import OutflowCore

extension ResultSpec {
    /// What of a successful answer `mapAnswer` reads, when paths alone say it: one list of records
    /// in a top-level member, read by the first member of `id`, `correlation` (by correlation) and a
    /// `flag` action's path. Nil (the whole answer is parsed) when a template reads records
    /// (`recordKey`), records carry their own status, the records are the answer itself or lie
    /// deeper, or the errors share their list.
    var trim: JSONTrim? {
        guard recordKey == nil, status == nil, records.count == 1, let member = records[0].path.topMember else { return nil }
        if let errors, errors.topMember == nil || errors.topMember == member { return nil }
        var read = [id]
        if by == .correlation { read.append(correlation) }
        if case .flag(let path) = records[0].action { read.append(path) }
        var keep: Set<String> = []
        for path in read {
            guard let first = path.firstStep else { return nil }
            keep.insert(first)
        }
        return JSONTrim(records: member, keep: keep)
    }
}
