import Hummingbird
import OutflowCore

/// (Being built.)
enum WorkspaceRoutes {
    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {}
}
