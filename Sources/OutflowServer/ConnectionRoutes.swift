import Hummingbird
import OutflowCore

/// (Being built.)
enum ConnectionRoutes {
    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {}
}
