import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The lock that lets one run per pipeline go at a time: who holds it and when it last said so.
public struct RunLock: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "runLock"

    public var pipeline: Int64
    public var run: Int64
    public var pid: Int32
    public var host: String
    public var heartbeatAt: Date
}

/// The process that starts a run: its pid and host, recorded in the lock.
public struct RunOwner: Hashable, Sendable {
    public var pid: Int32
    public var host: String

    public init(pid: Int32, host: String) {
        self.pid = pid
        self.host = host
    }

    /// This process.
    public static func current() -> RunOwner {
        RunOwner(pid: getpid(), host: ProcessInfo.processInfo.hostName)
    }

    /// True when a process with `pid` exists on this host (a process of another user counts).
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
