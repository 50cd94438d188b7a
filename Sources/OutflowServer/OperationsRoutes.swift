import Hummingbird
import OutflowCore

/// (Being built.)
enum OperationsRoutes {
    static func add(to router: Router<ServerRequestContext>, services: ServerServices) {}
}
