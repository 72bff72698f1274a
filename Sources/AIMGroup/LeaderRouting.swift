import AIMCore
import AIMEngine
import Foundation
import Logging

/// The live route to the leader: the kernel's own choice of source address for it (a UDP socket's
/// `connect`, which sends nothing), and the interface that holds that address.
public struct LeaderRouting: GroupRouting {
    /// How long to keep trying while the leader's name does not resolve yet (a new pod's DNS record).
    let patience: Duration
    /// False for a dry-run, which asks no DNS server: only a literal address gets a route.
    let resolveNames: Bool
    let clock: any Clock<Duration>
    let logger: Logger

    public init(
        patience: Duration, resolveNames: Bool = true, clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "aim_runtime.group")
    ) {
        self.patience = patience
        self.resolveNames = resolveNames
        self.clock = clock
        self.logger = logger
    }

    public func route(toLeader address: String) async throws -> GroupRoute {
        let waited = Stopwatch(clock)
        var reported = false
        while true {
            let outcome = await Self.lookUpOffThread(address, resolveNames: resolveNames)
            switch outcome {
            case .success(let route): return route
            case .failure(let problem):
                guard waited.elapsed() + .seconds(1) <= patience else {
                    throw AIMError(
                        patience > .zero ? .groupIncomplete : .configuration,
                        "no route to the group's leader \(OneLineText.quoted(address, limit: 253)): \(problem.reason); "
                            + "check AIM_LEADER_ADDRESS (or LeaderWorkerSet's LWS_LEADER_ADDRESS) and this node's network"
                    )
                }
                if !reported {
                    reported = true
                    logger.info("Waiting for the leader's address \(address) to resolve: \(problem.reason)")
                }
                guard (try? await clock.sleep(for: .seconds(1))) != nil else {
                    throw AIMError(
                        .groupIncomplete, "stopped while waiting for the leader's address \(address) to resolve")
                }
            }
        }
    }

    struct Problem: Error {
        let reason: String
    }

    /// getaddrinfo blocks, for as long as the resolver's own timeouts: on a thread of its own, given 10 s.
    static func lookUpOffThread(_ address: String, resolveNames: Bool) async -> Result<GroupRoute, Problem> {
        let result = OneShot<Result<GroupRoute, Problem>>()
        Thread.detachNewThread { result.set(lookUp(address, resolveNames: resolveNames)) }
        return await Race.first(
            { await result.value() ?? .failure(Problem(reason: "cancelled")) },
            {
                try? await Task.sleep(for: .seconds(10))
                return .failure(Problem(reason: "the name did not resolve within 10 s"))
            })
    }

    static func lookUp(_ address: String, resolveNames: Bool) -> Result<GroupRoute, Problem> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        if !resolveNames { hints.ai_flags = AI_NUMERICHOST }
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address, "9", &hints, &list)
        if !resolveNames, status == EAI_NONAME {
            return .failure(Problem(reason: "it is a name, which a dry-run does not resolve"))
        }
        guard status == 0, let first = list else {
            return .failure(Problem(reason: "the name does not resolve (\(String(cString: gai_strerror(status))))"))
        }
        defer { freeaddrinfo(list) }
        let family = first.pointee.ai_family
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return .failure(Problem(reason: "socket(): \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            return .failure(Problem(reason: "no route to it (\(String(cString: strerror(errno))))"))
        }
        var local = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0, let localAddress = numericHost(&local, length: length) else {
            return .failure(Problem(reason: "getsockname(): \(String(cString: strerror(errno)))"))
        }
        guard let interface = interface(holding: localAddress) else {
            return .failure(Problem(reason: "no interface holds the source address \(localAddress)"))
        }
        return .success(GroupRoute(interface: interface, localAddress: localAddress))
    }

    static func numericHost(_ address: UnsafeMutablePointer<sockaddr_storage>, length: socklen_t) -> String? {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = address.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
        }
        guard status == 0 else { return nil }
        // A link-local IPv6 address carries its zone (`%eth0`), which the engines do not want.
        let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(text.prefix { $0 != "%" })
    }

    /// The interface whose address is `address`.
    static func interface(holding address: String) -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return nil }
        defer { freeifaddrs(list) }
        var entry = list
        while let current = entry {
            defer { entry = current.pointee.ifa_next }
            guard let socketAddress = current.pointee.ifa_addr else { continue }
            let family = Int32(socketAddress.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var storage = sockaddr_storage()
            let size = family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size
            withUnsafeMutableBytes(of: &storage) {
                $0.copyMemory(from: UnsafeRawBufferPointer(start: socketAddress, count: size))
            }
            if numericHost(&storage, length: socklen_t(size)) == address {
                return String(cString: current.pointee.ifa_name)
            }
        }
        return nil
    }
}
