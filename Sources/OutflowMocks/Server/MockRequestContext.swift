import Hummingbird
import NIOCore

/// The request context of every mock: Hummingbird's core storage plus the connection, which a
/// mock needs to close without answering (the `drop` and `drop-after-apply` faults).
struct MockRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// A 100-contact batch is about 20 KB; loads through `/__mock/load` can be far larger.
    var maxUploadSize: Int { 64 << 20 }
}
