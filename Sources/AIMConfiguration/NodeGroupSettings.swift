import AIMCore
import Foundation

/// The group settings: AIM_NODE_* where given, else what LeaderWorkerSet injects (LWS_*).
extension ConfigurationLoader {
    func readNodeGroup(_ input: ConfigurationInput, into configuration: inout RuntimeConfiguration) throws {
        typealias Defaults = ConfigurationDefaults
        let sizeRange = 1...NodeGroup.maxSize
        let count =
            try optionalNumber(input, .nodeCount, range: sizeRange, unit: "nodes")
            ?? optionalNumber(input, .lwsGroupSize, range: sizeRange, unit: "nodes") ?? 1
        let rankVariable: ConfigVariable = input.value(.nodeRank) != nil ? .nodeRank : .lwsWorkerIndex
        let rank = try optionalNumber(input, rankVariable, range: 0...(NodeGroup.maxSize - 1), unit: "") ?? 0
        guard rank < count else {
            let (text, origin) = input.value(rankVariable) ?? ("", rankVariable.name)
            throw invalid(
                origin, text,
                expected: count == 1
                    ? "0: this is a single node (set AIM_NODE_COUNT, or LeaderWorkerSet's LWS_GROUP_SIZE, for a group)"
                    : "a rank from 0 to \(count - 1), since the group has \(count) nodes")
        }
        configuration.nodeCount = count
        configuration.groupTimeoutSeconds = try parseNumber(
            input, .groupTimeout, default: Defaults.groupTimeoutSeconds, range: 10...86_400, unit: "seconds")
        configuration.groupIndex = try optionalNumber(input, .lwsGroupIndex, range: 0...1_000_000, unit: "")
        guard count > 1 else { return }
        guard let leader = try leaderAddress(input) else {
            throw AIMError.configuration(
                "the group has \(count) nodes but no leader address; set AIM_LEADER_ADDRESS to the DNS name or IP "
                    + "address of rank 0 (LeaderWorkerSet sets LWS_LEADER_ADDRESS)")
        }
        let masterPort = try parsePort(input, .masterPort, default: Defaults.masterPort)
        let groupPort = try parsePort(input, .groupPort, default: Defaults.groupPort)
        let group = NodeGroup(
            size: count, rank: rank, leaderAddress: leader, masterPort: masterPort, groupPort: groupPort)
        let ports = [("AIM_PORT", configuration.port)] + group.leaderPorts
        for (index, (name, port)) in ports.enumerated() {
            if let other = ports[..<index].first(where: { $0.1 == port }) {
                throw AIMError.configuration(
                    "\(name)=\(port) is also \(other.0): the leader listens on both; give each its own port")
            }
        }
        configuration.nodeGroup = group
    }

    private func optionalNumber(
        _ input: ConfigurationInput, _ variable: ConfigVariable, range: ClosedRange<Int>, unit: String
    ) throws -> Int? {
        guard input.value(variable) != nil else { return nil }
        return try parseNumber(input, variable, default: 0, range: range, unit: unit)
    }

    /// A DNS name, an IPv4 address or an IPv6 address: it reaches the engine's argv and its rendezvous URL.
    private func leaderAddress(_ input: ConfigurationInput) throws -> String? {
        guard let (text, origin) = input.value(.leaderAddress) ?? input.value(.lwsLeaderAddress) else { return nil }
        let address = text.trimmingCharacters(in: .whitespaces)
        let allowed = address.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "." || scalar == "-" || scalar == ":")
        }
        guard !address.isEmpty, address.count <= 253, allowed, !address.hasPrefix("-"), !address.hasPrefix(".") else {
            throw invalid(
                origin, text,
                expected: "a DNS name or an IP address of the leader, e.g. aim-0.aim.default or 10.0.0.5 "
                    + "(letters, digits, '.', '-' and ':' only)")
        }
        // What could never resolve would be retried for AIM_GROUP_TIMEOUT_SECONDS: a DNS name's labels are 1 to 63
        // characters, neither starting nor ending with '-', and a name of digits and dots is an IPv4 address.
        if !address.contains(":") {
            let fullyQualified = address.hasSuffix(".") ? String(address.dropLast()) : address
            let labels = fullyQualified.split(separator: ".", omittingEmptySubsequences: false)
            var bytes = in_addr()
            let isIPv4 = inet_pton(AF_INET, address, &bytes) == 1
            let validName =
                labels.allSatisfy { (1...63).contains($0.count) && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
                && !(labels.last.map { $0.allSatisfy(\.isNumber) } ?? true)
            guard isIPv4 || validName else {
                throw invalid(
                    origin, text,
                    expected: "a DNS name (labels of 1 to 63 letters, digits and '-', the last not all digits) or "
                        + "an IPv4 address such as 10.0.0.5")
            }
        }
        // A colon means IPv6; `host:port` would resolve as nothing for half an hour.
        if address.contains(":") {
            var bytes = in6_addr()
            guard inet_pton(AF_INET6, address, &bytes) == 1 else {
                throw invalid(
                    origin, text,
                    expected: "a DNS name or an IP address without a port (the ports are AIM_MASTER_PORT and "
                        + "AIM_GROUP_PORT); an IPv6 address without brackets, e.g. fd00::5")
            }
        }
        return address
    }
}
