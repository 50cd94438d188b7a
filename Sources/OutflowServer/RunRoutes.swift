import Hummingbird
import OutflowCore

/// (Being built.)
enum RunRoutes {
    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {}
}
