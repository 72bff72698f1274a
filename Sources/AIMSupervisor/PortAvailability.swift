import AIMCore
import Foundation

/// Checks, before the engine starts, that it will be able to listen on its port.
///
/// Otherwise the health probes reach whatever already answers there, and `serve` would
/// report someone else's server as its engine.
public enum PortAvailability {
    /// Binds the port as a server does (`SO_REUSEADDR`, on 0.0.0.0 and on ::), and lets go.
    /// Throws a configuration error naming the port, the variable that set it and, where /proc shows it, its holder.
    public static func ensureFree(port: Int, variable: String = "AIM_PORT", proc: String = "/proc") throws {
        guard let (problem, inUse) = check(port: port, variable: variable, proc: proc) else { return }
        let fix =
            inUse
            ? "; stop that process or set \(variable) to a free port"
            : "; set \(variable) to a port the engine may use"
        throw AIMError.configuration(problem + fix)
    }

    /// Why the port could not be listened on (naming the holder where /proc shows it), or nil when it can.
    public static func problem(port: Int, variable: String = "AIM_PORT", proc: String = "/proc") -> String? {
        check(port: port, variable: variable, proc: proc)?.problem
    }

    private static func check(port: Int, variable: String, proc: String) -> (problem: String, inUse: Bool)? {
        guard let (family, code) = bindFailure(port: port) else { return nil }
        guard code == EADDRINUSE else {
            return (
                "port \(port) (\(variable)) cannot be bound on \(family): \(String(cString: strerror(code)))", false
            )
        }
        let holders = PortHolders.find(port: port, proc: proc)
        let by = holders.isEmpty ? "" : " by " + holders.map { "pid \($0.pid) (\($0.name))" }.joined(separator: ", ")
        return ("port \(port) (\(variable)) is already in use\(by)", true)
    }

    /// The first address family whose wildcard bind fails, with the errno. A family this
    /// host lacks (no IPv6) is skipped.
    static func bindFailure(port: Int) -> (String, Int32)? {
        guard let number = UInt16(exactly: port) else { return ("0.0.0.0", EINVAL) }
        var inet = sockaddr_in()
        inet.sin_family = sa_family_t(AF_INET)
        inet.sin_port = number.bigEndian
        inet.sin_addr.s_addr = 0  // INADDR_ANY
        if let code = tryBind(family: AF_INET, address: inet) { return ("0.0.0.0", code) }
        var inet6 = sockaddr_in6()
        inet6.sin6_family = sa_family_t(AF_INET6)
        inet6.sin6_port = number.bigEndian
        inet6.sin6_addr = in6addr_any
        if let code = tryBind(family: AF_INET6, address: inet6), code != EADDRNOTAVAIL, code != EAFNOSUPPORT {
            return ("::", code)
        }
        return nil
    }

    private static func tryBind<Address>(family: Int32, address: Address) -> Int32? {
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return family == AF_INET6 ? nil : errno }
        defer { close(descriptor) }
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = address
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
        return result == 0 ? nil : errno
    }
}
