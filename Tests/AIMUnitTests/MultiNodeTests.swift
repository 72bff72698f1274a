import AIMCommands
import AIMConfiguration
import AIMCore
import AIMEngine
import AIMProfiles
import AIMReports
import AIMTestSupport
import Foundation
import OrderedCollections
import Testing

/// Groups of nodes: settings from LeaderWorkerSet or AIM_NODE_*, node_count profiles, and each role's command.
@Suite struct MultiNodeTests {
    let llama405B = [
        "AIM_ID": "meta-llama/Llama-3.1-405B-Instruct", "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "8",
    ]

    func strings(_ value: StructuredValue?) -> [String] {
        guard case .list(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }

    func configuration(_ environment: [String: String]) throws -> RuntimeConfiguration {
        try ConfigurationLoader(bundledProfileRoot: "/x", directoryExists: { _ in false })
            .load(ConfigurationInput(environment: environment), requireModel: false)
    }

    func profileProblem(_ text: String) -> String? {
        do {
            _ = try ProfileValidator().validate(
                text: text,
                location: ProfileLocation(
                    path: "/r/org/model/p.yaml", relativePath: "org/model/p.yaml", searchPriority: 2))
            return nil
        } catch let error as ProfileValidationError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test func leaderWorkerSetVariablesMakeTheGroupAndAIMVariablesWin() throws {
        let lws = try configuration([
            "LWS_GROUP_SIZE": "2", "LWS_WORKER_INDEX": "1", "LWS_LEADER_ADDRESS": "aim-0.aim.default",
            "LWS_GROUP_INDEX": "3",
        ])
        #expect(lws.nodeCount == 2)
        #expect(lws.groupIndex == 3)
        #expect(
            lws.nodeGroup
                == NodeGroup(size: 2, rank: 1, leaderAddress: "aim-0.aim.default", masterPort: 29500, groupPort: 29600))
        let own = try configuration([
            "LWS_GROUP_SIZE": "2", "LWS_WORKER_INDEX": "1", "LWS_LEADER_ADDRESS": "aim-0",
            "AIM_NODE_COUNT": "4", "AIM_NODE_RANK": "3", "AIM_LEADER_ADDRESS": "fd00::1", "AIM_MASTER_PORT": "1234",
        ])
        #expect(own.nodeGroup?.size == 4 && own.nodeGroup?.rank == 3 && own.nodeGroup?.role == .worker)
        #expect(own.nodeGroup?.leaderAddress == "fd00::1" && own.nodeGroup?.masterPort == 1234)
        #expect(NodeGroup.endpoint("fd00::1", 29500) == "[fd00::1]:29500")
        #expect(try configuration([:]).nodeGroup == nil)
        #expect(try configuration(["LWS_GROUP_SIZE": "1"]).nodeGroup == nil)
        for address in ["aim-llama-0.aim-llama.default.svc.cluster.local.", "leader", "10.244.1.7", "fd00::5"] {
            let group = try configuration(["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": address]).nodeGroup
            #expect(group?.leaderAddress == address)
        }
    }

    @Test(arguments: [
        (["AIM_NODE_COUNT": "2"], "no leader address; set AIM_LEADER_ADDRESS"),
        (["AIM_NODE_COUNT": "65", "AIM_LEADER_ADDRESS": "x"], "AIM_NODE_COUNT='65' is not valid"),
        (["AIM_NODE_COUNT": "0"], "AIM_NODE_COUNT='0' is not valid"),
        (["LWS_GROUP_SIZE": "2", "LWS_WORKER_INDEX": "2", "LWS_LEADER_ADDRESS": "x"], "a rank from 0 to 1"),
        (["AIM_NODE_RANK": "1"], "this is a single node"),
        (["AIM_NODE_RANK": "-1"], "AIM_NODE_RANK='-1' is not valid: expected a whole number from 0 to 63"),
        (["LWS_WORKER_INDEX": "x"], "LWS_WORKER_INDEX='x' is not valid: expected a whole number from 0 to 63"),
        (["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "$(reboot)"], "AIM_LEADER_ADDRESS='$(reboot)' is not valid"),
        (["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "-oProxy"], "is not valid"),
        (["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "999.1.1.1"], "an IPv4 address such as 10.0.0.5"),
        (["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "1.2.3.4.5"], "an IPv4 address such as 10.0.0.5"),
        (["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "aim..svc"], "labels of 1 to 63"),
        (["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "aim-.svc"], "labels of 1 to 63"),
        (
            ["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": String(repeating: "a", count: 64) + ".svc"],
            "labels of 1 to 63"
        ),
        (["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "aim-0.aim:29500"], "without a port"),
        (["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "x", "AIM_GROUP_PORT": "29500"], "also AIM_MASTER_PORT"),
        (
            ["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "x", "AIM_MASTER_PORT": "70000"],
            "AIM_MASTER_PORT='70000' is not valid: expected a port number from 1 to 65535"
        ),
        (["AIM_GROUP_TIMEOUT_SECONDS": "5"], "AIM_GROUP_TIMEOUT_SECONDS='5' is not valid"),
        (["LWS_GROUP_INDEX": "x"], "LWS_GROUP_INDEX='x' is not valid"),
    ])
    func badGroupSettingsGetOneErrorNamingTheVariable(environment: [String: String], message: String) {
        #expect {
            _ = try configuration(environment)
        } throws: { error in
            guard let error = error as? AIMError else { return false }
            return error.status == .configuration && error.message.contains(message)
        }
    }

    @Test func nodeCountAndParallelismAreChecked() {
        func yaml(engine: String = "vllm", gpuCount: String = "8", nodes: String?, args: String) -> String {
            var text = ProfileFixture.yaml(engine: engine, gpuCount: gpuCount, engineArgs: args)
            if let nodes {
                text = text.replacingOccurrences(
                    of: "  gpu_count: \(gpuCount)\n", with: "  gpu_count: \(gpuCount)\n  node_count: \(nodes)\n")
            }
            return text
        }
        #expect(
            profileProblem(yaml(nodes: "2", args: "  tensor-parallel-size: 8\n  pipeline-parallel-size: 2\n")) == nil)
        #expect(profileProblem(yaml(nodes: "2", args: "  tensor-parallel-size: 16\n")) == nil)
        #expect(profileProblem(yaml(engine: "sglang", nodes: "2", args: "  dtype: bfloat16\n")) == nil)
        #expect(
            profileProblem(yaml(nodes: "2", args: "  tensor-parallel-size: 8\n"))?.contains(
                "tensor-parallel-size 8 spans 8 GPUs, but the profile has node_count 2 × gpu_count 8 = 16") == true)
        #expect(profileProblem(yaml(nodes: "2", args: "  dtype: bfloat16\n"))?.contains("metadata.node_count") == true)
        #expect(
            profileProblem(yaml(nodes: "2", args: "  tensor-parallel-size: 8\n  data-parallel-size: 2\n"))?.contains(
                "data parallelism across nodes is not supported") == true)
        #expect(profileProblem(yaml(nodes: "0", args: "  tensor-parallel-size: 8\n"))?.contains("node_count") == true)
        // Factors whose product overflows are one error line, not a trap.
        #expect(
            profileProblem(
                yaml(nodes: "2", args: "  tensor-parallel-size: 4611686018427387904\n  pipeline-parallel-size: 4\n"))
                != nil)
        #expect(
            profileProblem(yaml(nodes: "'2'", args: "  tensor-parallel-size: 16\n"))?.contains("node_count") == true)
        // Single node: unchecked, as the reference leaves them.
        #expect(profileProblem(yaml(nodes: nil, args: "  dtype: bfloat16\n")) == nil)
        #expect(profileProblem(yaml(nodes: nil, args: "  tensor-parallel-size: 4\n")) == nil)
        #expect(profileProblem(yaml(nodes: nil, args: "  tensor-parallel-size: 4\n  data-parallel-size: 2\n")) == nil)
        #expect(profileProblem(yaml(nodes: "1", args: "  tensor-parallel-size: 8\n")) == nil)
    }

    @Test func aGroupTakesOnlyProfilesForItsSizeAndEachRoleGetsItsCommand() async throws {
        let leader = await CommandHarness(
            environment: llama405B.merging(["AIM_NODE_COUNT": "2", "AIM_LEADER_ADDRESS": "127.0.0.1"]) { $1 }
        ).run(SelectCommand(format: .json))
        #expect(leader.status == 0, "\(leader.stderr)")
        let plan = try JSONParser.parse(leader.stdout).mappingValue ?? [:]
        #expect(plan["profile"]?.mappingValue?["id"]?.stringValue?.hasSuffix("vllm-mi300x-bf16-2x8-latency") == true)
        let command = strings(plan["command"])
        #expect(Array(command.prefix(4)) == ["python3", "-m", "vllm.entrypoints.cli.main", "serve"])
        #expect(
            command.suffix(8) == [
                "--nnodes", "2", "--node-rank", "0", "--master-addr", "127.0.0.1", "--master-port", "29500",
            ])
        let group = plan["group"]?.mappingValue ?? [:]
        #expect(group["role"]?.stringValue == "leader" && group["master_port"] == .int(29500))
        #expect(group["network"]?.mappingValue?["interface"]?.stringValue == "lo")
        let env = plan["env"]?.mappingValue ?? [:]
        #expect(env["GLOO_SOCKET_IFNAME"]?.stringValue == "lo" && env["VLLM_HOST_IP"]?.stringValue == "127.0.0.1")
        let worker = group["roles"]?.mappingValue?["worker"]?.mappingValue ?? [:]
        let workerCommand = strings(worker["command"])
        #expect(
            workerCommand.suffix(9) == [
                "--nnodes", "2", "--node-rank", "1", "--master-addr", "127.0.0.1", "--master-port", "29500",
                "--headless",
            ])
        // Another node's interface is its own to find.
        #expect(worker["env"]?.mappingValue?["GLOO_SOCKET_IFNAME"] == nil)

        // A single node never takes the group's profile, even forced.
        let single = await CommandHarness(environment: llama405B).run(SelectCommand(format: .json))
        #expect(!single.stdout.contains("2x8"))
        let forced = await CommandHarness(
            environment: llama405B.merging(["AIM_PROFILE_ID": "vllm-mi300x-bf16-2x8-latency"]) { $1 }
        ).run(SelectCommand())
        #expect(forced.status == ExitStatus.configuration.rawValue)
        #expect(forced.stderr.contains("runs across 2 nodes, and this is a single node"))
        let role = await CommandHarness(environment: llama405B).run(SelectCommand(role: .worker))
        #expect(role.status == ExitStatus.configuration.rawValue && role.stderr.contains("--role worker"))
    }

    @Test func workersAreHeadlessAndUserNetworkChoicesStay() async throws {
        let environment = llama405B.merging([
            "AIM_NODE_COUNT": "2", "AIM_NODE_RANK": "1", "AIM_LEADER_ADDRESS": "127.0.0.1", "AIM_ENGINE": "sglang",
            "NCCL_SOCKET_IFNAME": "ib0",
        ]) { $1 }
        let worker = await CommandHarness(environment: environment).run(SelectCommand(format: .json, role: .worker))
        #expect(worker.status == 0, "\(worker.stderr)")
        let plan = try JSONParser.parse(worker.stdout).mappingValue ?? [:]
        let command = strings(plan["command"])
        #expect(Array(command.prefix(3)) == ["python3", "-m", "sglang.launch_server"])
        #expect(command.suffix(6) == ["--nnodes", "2", "--node-rank", "1", "--dist-init-addr", "127.0.0.1:29500"])
        let env = plan["env"]?.mappingValue ?? [:]
        #expect(env["GLOO_SOCKET_IFNAME"]?.stringValue == "lo" && env["NCCL_SOCKET_IFNAME"] == nil)
        #expect(env["VLLM_HOST_IP"] == nil)
        #expect(
            plan["group"]?.mappingValue?["network"]?.mappingValue?["user_variables"]
                == .list([.string("NCCL_SOCKET_IFNAME")]))
        // Shown on the leader's node, a worker's command leaves its network to the worker's node.
        let elsewhere = await CommandHarness(environment: environment.merging(["AIM_NODE_RANK": "0"]) { $1 }).run(
            SelectCommand(format: .json, role: .worker))
        let shown = try JSONParser.parse(elsewhere.stdout).mappingValue ?? [:]
        #expect(strings(shown["command"]).suffix(6) == command.suffix(6))
        #expect(shown["env"]?.mappingValue?["GLOO_SOCKET_IFNAME"] == nil)
        let network = shown["group"]?.mappingValue?["network"]?.mappingValue ?? [:]
        #expect(
            network["interface"] == .null
                && network["problem"]?.stringValue?.contains("the worker finds it on its own node") == true,
            "\(network)")
        // A dry-run asks no DNS server: a name leaves the route to serve.
        let named = await CommandHarness(
            environment: environment.merging(["AIM_LEADER_ADDRESS": "aim-0.aim.default"]) { $1 }
        ).run(SelectCommand())
        #expect(named.status == 0)
        #expect(named.stdout.contains("# network: not known here (no route to the group's leader"))
        #expect(!named.stdout.contains("GLOO_SOCKET_IFNAME"))
    }
}
