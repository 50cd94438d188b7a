import Hummingbird
import OutflowCore

/// (Being built.)
enum PipelineRoutes {
    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {}
}
