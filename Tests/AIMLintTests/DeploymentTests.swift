import AIMConfiguration
import AIMTestSupport
import Foundation
import Testing
import Yams

/// The images and manifests agree with the code they deploy: paths, ports, probes, signals and budgets.
@Suite struct DeploymentTests {
    func text(_ path: String) throws -> String {
        try String(contentsOfFile: CLI.packageRoot + "/" + path, encoding: .utf8)
    }

    func manifest(_ path: String) throws -> [String: Any] {
        try #require(try Yams.load(yaml: text(path)) as? [String: Any])
    }

    @Test func baseDockerfileRunsAimRuntimeAsPID1WithTheReferenceSettings() throws {
        let dockerfile = try text("docker/Dockerfile")
        let cache = ConfigVariable.cachePath.defaultDescription
        for line in [
            "ARG BASE_IMAGE=rocm/vllm:rocm7.0.0_vllm_0.11.1_20251103",
            "RUN swift build -c release --static-swift-stdlib --product aim-runtime \\",
            "COPY profiles/general/ \(ConfigurationLoader.containerProfileRoot)/general/",
            "ENV AIM_ALLOW_GENERAL_PROFILE_FALLBACK=true \\",
            "    AIM_CACHE_PATH=\(cache) \\",
            "    HF_HOME=\(cache) \\",
            "VOLUME [\"\(cache)\"]",
            "EXPOSE \(ConfigVariable.port.defaultDescription)",
            "STOPSIGNAL SIGTERM",
            "    CMD [\"aim-runtime\", \"health\", \"--ready\"]",
            "ENTRYPOINT [\"aim-runtime\"]",
        ] {
            #expect(dockerfile.split(separator: "\n").contains { $0 == line }, "docker/Dockerfile lacks: \(line)")
        }
        #expect(dockerfile.contains("/usr/local/bin/aim-runtime"))
        for shell in ["bash", "zsh", "fish"] {
            #expect(
                dockerfile.contains("--generate-completion-script \(shell) > /out/usr/share/"), "\(shell) completions")
        }
    }

    @Test func modelDockerfileSetsTheAIMAndTurnsTheFallbackOff() throws {
        let dockerfile = try text("docker/Dockerfile.model")
        for line in [
            "ENV AIM_ID=\"${ORG}/${MODEL}\" \\",
            "    AIM_ALLOW_GENERAL_PROFILE_FALLBACK=false",
            "COPY profiles/${ORG}/${MODEL}/ \(ConfigurationLoader.containerProfileRoot)/${ORG}/${MODEL}/",
            "RUN aim-runtime validate-profiles \"\(ConfigurationLoader.containerProfileRoot)/${ORG}/${MODEL}\"",
        ] {
            #expect(dockerfile.split(separator: "\n").contains { $0 == line }, "docker/Dockerfile.model lacks: \(line)")
        }
    }

    @Test func buildScriptTagsImagesAsDocumentedAndTheManifestsUseThoseTags() throws {
        let result = try CLI.runProgram(
            CLI.packageRoot + "/scripts/build-images.sh",
            ["--dry-run", "--date", "20261124", "meta-llama/Llama-3.1-8B-Instruct"],
            directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix("-t aim-runtime/aim-base:0.1.0 . ") == true, "\(lines)")
        let modelTag = "aim-runtime/aim:0.1.0-meta-llama-llama-3.1-8b-instruct-v20261124"
        #expect(
            lines.last?.contains("--build-arg ORG=meta-llama --build-arg MODEL=Llama-3.1-8B-Instruct -t \(modelTag) .")
                == true, "\(lines)")
        for path in [
            "deploy/kubernetes/deployment.yaml", "deploy/kubernetes/prefill/cache-job.yaml",
            "deploy/kserve/inferenceservice.yaml",
        ] {
            #expect(try text(path).contains("image: \(modelTag)\n"), "\(path) uses the image build-images.sh makes")
        }
        #expect(try text("deploy/kserve/servingruntime.yaml").contains("image: aim-runtime/aim-base:0.1.0\n"))

        let badDate = try CLI.runProgram(
            CLI.packageRoot + "/scripts/build-images.sh", ["--dry-run", "--date", "2026-11-24"],
            directory: CLI.packageRoot)
        #expect(
            badDate.status == 2 && badDate.stderr.contains("--date '2026-11-24' is not valid: expected YYYYMMDD"),
            "\(badDate.stderr)")
        let unknown = try CLI.runProgram(
            CLI.packageRoot + "/scripts/build-images.sh", ["--dry-run", "acme/nothing"], directory: CLI.packageRoot)
        #expect(
            unknown.status == 2 && unknown.stderr.contains("model 'acme/nothing' has no profiles"), "\(unknown.stderr)")
    }

    /// What Kubernetes does on delete (preStop, SIGTERM, grace period) must leave serve its whole shutdown budget.
    @Test func podsGiveServeItsShutdownBudgetAndProbeWhatServeServes() throws {
        let deployment = try manifest("deploy/kubernetes/deployment.yaml")
        let pod = try #require(
            ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        try checkServeContainer(container, gracePeriod: pod["terminationGracePeriodSeconds"] as? Int)
        let volumes = pod["volumes"] as? [[String: Any]] ?? []
        #expect(
            volumes.contains { ($0["emptyDir"] as? [String: Any])?["medium"] as? String == "Memory" },
            "/dev/shm is a Memory emptyDir")
        let claim = try manifest("deploy/kubernetes/model-cache-pvc.yaml")["metadata"] as? [String: Any]
        #expect(
            volumes.contains {
                ($0["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String == claim?["name"] as? String
            })
        #expect(
            ((deployment["spec"] as? [String: Any])?["strategy"] as? [String: Any])?["type"] as? String == "Recreate")

        let service = try #require(try manifest("deploy/kubernetes/service.yaml")["spec"] as? [String: Any])
        let labels =
            (((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["metadata"] as? [String: Any])?[
                "labels"] as? [String: String]
        for (key, value) in service["selector"] as? [String: String] ?? [:] {
            #expect(labels?[key] == value, "the Service selects the Deployment's pods")
        }

        let inference = try manifest("deploy/kserve/inferenceservice.yaml")
        let predictor = try #require((inference["spec"] as? [String: Any])?["predictor"] as? [String: Any])
        let runtimeSpec = try #require(try manifest("deploy/kserve/servingruntime.yaml")["spec"] as? [String: Any])
        let runtimeContainer = try #require((runtimeSpec["containers"] as? [[String: Any]])?.first)
        let model = predictor["model"] as? [String: Any] ?? [:]
        // KServe merges the model's container fields into the runtime's; `env` entries merge by name.
        var merged = runtimeContainer.merging(model) { $1 }
        let modelEnvironment = model["env"] as? [[String: Any]] ?? []
        let modelNames = Set(modelEnvironment.compactMap { $0["name"] as? String })
        merged["env"] =
            (runtimeContainer["env"] as? [[String: Any]] ?? []).filter {
                !modelNames.contains($0["name"] as? String ?? "")
            } + modelEnvironment
        #expect(
            (merged["env"] as? [[String: Any]])?.contains { $0["name"] as? String == "AIM_SHUTDOWN_GRACE_SECONDS" }
                == true)
        try checkServeContainer(merged, gracePeriod: predictor["terminationGracePeriodSeconds"] as? Int)
    }

    func checkServeContainer(_ container: [String: Any], gracePeriod: Int?) throws {
        let environment = Dictionary(
            (container["env"] as? [[String: Any]] ?? []).compactMap { entry in
                (entry["name"] as? String).map { ($0, entry) }
            }
        ) { $1 }
        let shutdownGrace =
            Int(
                environment["AIM_SHUTDOWN_GRACE_SECONDS"]?["value"] as? String
                    ?? ConfigVariable.shutdownGrace.defaultDescription) ?? 0
        let preStop =
            ((((container["lifecycle"] as? [String: Any])?["preStop"] as? [String: Any])?["exec"] as? [String: Any])?[
                "command"] as? [String])
        #expect(preStop?.first == "sleep")
        let preStopSeconds = Int(preStop?.last ?? "") ?? 0
        let grace = try #require(gracePeriod)
        #expect(
            grace >= preStopSeconds + shutdownGrace + 5,
            "terminationGracePeriodSeconds \(grace) < preStop \(preStopSeconds) + AIM_SHUTDOWN_GRACE_SECONDS \(shutdownGrace) + 5"
        )

        let port = Int(environment["AIM_PORT"]?["value"] as? String ?? ConfigVariable.port.defaultDescription)
        #expect((container["ports"] as? [[String: Any]])?.first?["containerPort"] as? Int == port)
        #expect(environment["HF_TOKEN"]?["valueFrom"] as? [String: Any] != nil, "HF_TOKEN comes from a Secret")
        let startup = try #require(container["startupProbe"] as? [String: Any])
        let startupBudget = (startup["periodSeconds"] as? Int ?? 10) * (startup["failureThreshold"] as? Int ?? 3)
        #expect(
            startupBudget > Int(ConfigVariable.startupTimeout.defaultDescription)!,
            "the startup probe outlasts AIM_STARTUP_TIMEOUT_SECONDS plus a download")
        let readiness =
            ((container["readinessProbe"] as? [String: Any])?["exec"] as? [String: Any])?["command"] as? [String]
        #expect(readiness == ["aim-runtime", "health", "--ready"])
        #expect(
            ((container["livenessProbe"] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String
                == "/health")
        #expect(container["terminationMessagePolicy"] as? String == "FallbackToLogsOnError")
        let limits = (container["resources"] as? [String: Any])?["limits"] as? [String: Any]
        #expect(limits?["amd.com/gpu"] != nil)
    }

    /// The Job prefills exactly the model the Deployment will serve on the hardware the Job names, and
    /// its command line is a real one: offline, it stops only because that model is not cached yet (exit 7).
    @Test func cacheJobDownloadsTheModelTheDeploymentServes() throws {
        let job = try manifest("deploy/kubernetes/prefill/cache-job.yaml")
        let pod = try #require(
            ((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let arguments = try #require(container["args"] as? [String])
        #expect(arguments == ["download-to-cache"])
        #expect(container["terminationMessagePolicy"] as? String == "FallbackToLogsOnError")
        var environment: [String: String] = [:]
        for entry in container["env"] as? [[String: Any]] ?? [] {
            if let name = entry["name"] as? String, let value = entry["value"] as? String { environment[name] = value }
        }
        #expect(
            environment["AIM_GPU_MODEL"] != nil && environment["AIM_GPU_COUNT"] != nil,
            "the Job names the Deployment's hardware")

        // What the model image sets (docker/Dockerfile.model) for the image both manifests use.
        let cache = try TemporaryDirectory()
        let image = [
            "AIM_ID": "meta-llama/Llama-3.1-8B-Instruct", "AIM_ALLOW_GENERAL_PROFILE_FALLBACK": "false",
            "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles", "AIM_CACHE_PATH": cache.path, "HF_HUB_OFFLINE": "1",
        ]
        let plan = try CLI.run(
            ["select", "--dry-run", "--format", "json"], environment: image.merging(environment) { $1 })
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let served = try #require((document["model"] as? [String: Any])?["id"] as? String)
        #expect(served == "amd/Llama-3.1-8B-Instruct-FP8-KV", "fp8 ranks first on MI300X")

        let result = try CLI.run(arguments, environment: image.merging(environment) { $1 })
        #expect(result.status == 7, "\(result.status): \(result.stderr)")
        #expect(result.stderr.contains("\(served)@main is not in the cache"), "\(result.stderr)")
    }

    /// Without a GPU or a named model, download-to-cache takes the AIM's model when its profiles agree on one,
    /// and otherwise says how to choose instead of guessing.
    @Test func downloadWithoutAGPUTakesTheOnlyModelOrAsks() throws {
        let cache = try TemporaryDirectory()
        let noGPU = [
            "AIM_GPU_SOURCE": "sysfs", "AIM_SYSFS_PATH": cache.path + "/no-sys",
            "AIM_PROFILE_BASE_PATH": CLI.packageRoot + "/profiles",
            "AIM_CACHE_PATH": cache.path, "HF_HUB_OFFLINE": "1",
        ]
        let single = try CLI.run(["download-to-cache"], environment: noGPU.merging(["AIM_ID": "Qwen/Qwen3-32B"]) { $1 })
        #expect(
            single.status == 7 && single.stderr.contains("Qwen/Qwen3-32B@main is not in the cache"), "\(single.stderr)")
        let ambiguous = try CLI.run(
            ["download-to-cache"], environment: noGPU.merging(["AIM_ID": "meta-llama/Llama-3.1-8B-Instruct"]) { $1 })
        #expect(ambiguous.status == 5, "\(ambiguous.stderr)")
        #expect(
            ambiguous.stderr.contains(
                "the profiles serve different models (amd/Llama-3.1-8B-Instruct-FP8-KV, meta-llama/Llama-3.1-8B-Instruct)"
            ),
            "\(ambiguous.stderr)")
    }

    // MARK: Multi-node: deploy/kubernetes/lws

    /// The LeaderWorkerSet's group settings and its leader and worker pod specs.
    func leaderWorkerSet() throws -> (group: [String: Any], leader: [String: Any], worker: [String: Any]) {
        let set = try manifest("deploy/kubernetes/lws/leaderworkerset.yaml")
        let group = try #require((set["spec"] as? [String: Any])?["leaderWorkerTemplate"] as? [String: Any])
        let leader = try #require((group["leaderTemplate"] as? [String: Any])?["spec"] as? [String: Any])
        let worker = try #require((group["workerTemplate"] as? [String: Any])?["spec"] as? [String: Any])
        return (group, leader, worker)
    }

    func firstContainer(_ pod: [String: Any]) throws -> [String: Any] {
        try #require((pod["containers"] as? [[String: Any]])?.first)
    }

    func variables(_ container: [String: Any]) -> [String: [String: Any]] {
        Dictionary(
            (container["env"] as? [[String: Any]] ?? []).compactMap { entry in
                (entry["name"] as? String).map { ($0, entry) }
            }
        ) { $1 }
    }

    /// A manifest value as sorted JSON, to compare the leader's and the workers' settings.
    func json(_ value: Any?) throws -> String {
        // In an array: a bare string is not a JSON document JSONSerialization accepts.
        let object = try #require(value)
        return String(
            decoding: try JSONSerialization.data(withJSONObject: [object], options: [.sortedKeys]), as: UTF8.self)
    }

    /// One engine spans the group: only the leader serves (and is probed), every pod has its own cache and a
    /// /dev/shm, any failure recreates the whole group, and the Service reaches the leaders alone.
    @Test func leaderWorkerSetRecreatesTheGroupAndOnlyTheLeaderServes() throws {
        let set = try manifest("deploy/kubernetes/lws/leaderworkerset.yaml")
        #expect(
            set["apiVersion"] as? String == "leaderworkerset.x-k8s.io/v1" && set["kind"] as? String == "LeaderWorkerSet"
        )
        #expect(
            (set["spec"] as? [String: Any])?["startupPolicy"] as? String == "LeaderCreated",
            "LeaderReady would create the workers only once the leader is ready, which it never is without them")
        let (group, leader, worker) = try leaderWorkerSet()
        #expect(group["restartPolicy"] as? String == "RecreateGroupOnPodRestart")
        #expect((group["size"] as? Int ?? 0) >= 2)

        let leaderContainer = try firstContainer(leader)
        let workerContainer = try firstContainer(worker)
        try checkServeContainer(leaderContainer, gracePeriod: leader["terminationGracePeriodSeconds"] as? Int)
        for field in ["startupProbe", "readinessProbe", "livenessProbe", "ports"] {
            #expect(workerContainer[field] == nil, "a worker runs headless, without \(field)")
        }
        for field in ["image", "env", "resources", "terminationMessagePolicy"] {
            #expect(
                try json(leaderContainer[field]) == json(workerContainer[field]), "leader and workers share \(field)")
        }
        let environment = variables(workerContainer)
        let shutdownGrace =
            Int(
                environment["AIM_SHUTDOWN_GRACE_SECONDS"]?["value"] as? String
                    ?? ConfigVariable.shutdownGrace.defaultDescription) ?? 0
        let workerGrace = try #require(worker["terminationGracePeriodSeconds"] as? Int)
        #expect(workerGrace >= shutdownGrace + 5, "a worker's engine gets its AIM_SHUTDOWN_GRACE_SECONDS")
        let groupIndex =
            ((environment["LWS_GROUP_INDEX"]?["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any])?[
                "fieldPath"] as? String
        #expect(groupIndex == "metadata.labels['leaderworkerset.sigs.k8s.io/group-index']")

        // The ports the workers and the engines reach on the leader are the ones aim-runtime is told.
        let leaderEnvironment = variables(leaderContainer)
        let ports = Dictionary(
            (leaderContainer["ports"] as? [[String: Any]] ?? []).compactMap { port -> (String, Int)? in
                guard let name = port["name"] as? String, let number = port["containerPort"] as? Int else { return nil }
                return (name, number)
            }
        ) { $1 }
        for (name, variable) in [
            ("http", "AIM_PORT"), ("aim-group", "AIM_GROUP_PORT"), ("engine-master", "AIM_MASTER_PORT"),
        ] {
            let value = leaderEnvironment[variable]?["value"] as? String
            #expect(value != nil && ports[name] == Int(value ?? ""), "the leader's \(name) port is \(variable)")
        }

        for (role, pod) in [("leader", leader), ("worker", worker)] {
            let container = try firstContainer(pod)
            let mounts = Dictionary(
                (container["volumeMounts"] as? [[String: Any]] ?? []).compactMap {
                    mount -> (String, String)? in
                    guard let path = mount["mountPath"] as? String, let name = mount["name"] as? String else {
                        return nil
                    }
                    return (path, name)
                }
            ) { $1 }
            let volumes = Dictionary(
                (pod["volumes"] as? [[String: Any]] ?? []).compactMap { volume -> (String, [String: Any])? in
                    (volume["name"] as? String).map { ($0, volume) }
                }
            ) { $1 }
            let shm = mounts["/dev/shm"].flatMap { volumes[$0] }
            #expect(
                (shm?["emptyDir"] as? [String: Any])?["medium"] as? String == "Memory",
                "\(role): /dev/shm is a Memory emptyDir")
            let cache = mounts[ConfigVariable.cachePath.defaultDescription].flatMap { volumes[$0] }
            #expect(cache?["emptyDir"] != nil, "\(role): each pod downloads into its own cache")
        }

        let service = try #require(try manifest("deploy/kubernetes/lws/service.yaml")["spec"] as? [String: Any])
        let setName = try #require((set["metadata"] as? [String: Any])?["name"] as? String)
        #expect(
            service["selector"] as? [String: String]
                == ["leaderworkerset.sigs.k8s.io/name": setName, "leaderworkerset.sigs.k8s.io/worker-index": "0"],
            "the Service selects the leaders (worker-index 0) of this LeaderWorkerSet only")
        #expect((service["ports"] as? [[String: Any]])?.first?["targetPort"] as? String == "http")
    }

    /// The multi-node image is one build-images.sh makes, for a model with a profile for the group: node_count
    /// the group's size, gpu_count the GPUs each pod gets.
    @Test func leaderWorkerSetImageServesAModelWithAProfileForItsGroup() throws {
        let (group, leader, worker) = try leaderWorkerSet()
        let leaderContainer = try firstContainer(leader)
        let image = try #require(leaderContainer["image"] as? String)
        #expect(try firstContainer(worker)["image"] as? String == image)
        let result = try CLI.runProgram(
            CLI.packageRoot + "/scripts/build-images.sh", ["--dry-run", "--date", "20261124"],
            directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let build = try #require(
            result.stdout.split(separator: "\n").first { $0.contains(" -t \(image) .") },
            "build-images.sh makes \(image)")
        let arguments = build.split(separator: " ")
        let org = try #require(arguments.first { $0.hasPrefix("ORG=") }?.dropFirst(4))
        let model = try #require(arguments.first { $0.hasPrefix("MODEL=") }?.dropFirst(6))
        let folder = CLI.packageRoot + "/profiles/\(org)/\(model)"
        let limits = (leaderContainer["resources"] as? [String: Any])?["limits"] as? [String: Any]
        let gpus = Int(limits?["amd.com/gpu"] as? String ?? "")
        let size = group["size"] as? Int
        var shapes: [(nodes: Int?, gpus: Int?)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".yaml") {
            let profile = try Yams.load(yaml: String(contentsOfFile: folder + "/" + file, encoding: .utf8))
            let metadata = (profile as? [String: Any])?["metadata"] as? [String: Any]
            shapes.append((metadata?["node_count"] as? Int, metadata?["gpu_count"] as? Int))
        }
        let fits = shapes.contains { $0.nodes == size && $0.gpus == gpus }
        #expect(
            size != nil && gpus != nil && fits,
            "\(folder) has a profile for \(size ?? 0) nodes of \(gpus ?? 0) GPUs")
    }

    /// The LWS manifests pass the LWS CRD's schema (Tests/Fixtures/lws), and the check is strict enough to
    /// refuse a misspelt restart policy, an unknown LWS field and an unknown container field.
    @Test(
        .enabled(
            if: StaticCheckTests.manifestPython != nil && StaticCheckTests.kserveWheel != nil,
            "kubernetes-validate or KServe's SDK wheel is missing; .ci/run installs the one and downloads the other"))
    func leaderWorkerSetMatchesTheLWSSchemaAndBreakingItIsCaught() throws {
        let validator = [
            CLI.packageRoot + "/Tests/Tools/validate_manifests.py", "--kserve-wheel", StaticCheckTests.kserveWheel!,
            "--crd", CLI.packageRoot + "/Tests/Fixtures/lws/leaderworkerset.x-k8s.io_leaderworkersets.yaml",
        ]
        let files = ["leaderworkerset.yaml", "service.yaml"].map { CLI.packageRoot + "/deploy/kubernetes/lws/" + $0 }
        let result = try CLI.runProgram(StaticCheckTests.manifestPython!, validator + files)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stdout.contains("OK \(files[0]): LeaderWorkerSet/aim-llama-3-1-405b-instruct\n")
                && result.stdout.contains("OK \(files[1]): Service/aim-llama-3-1-405b-instruct"),
            "\(result.stdout)")

        let work = try TemporaryDirectory()
        let original = try text("deploy/kubernetes/lws/leaderworkerset.yaml")
        for needle in ["restartPolicy: RecreateGroupOnPodRestart", "    size: 2\n", "terminationMessagePolicy:"] {
            #expect(original.contains(needle), "the manifest has \(needle), which the broken copies change")
        }
        let broken = try [
            work.write(
                "policy.yaml",
                original.replacingOccurrences(
                    of: "restartPolicy: RecreateGroupOnPodRestart", with: "restartPolicy: RecreateGroupOnRestart")),
            work.write(
                "unknown.yaml",
                original.replacingOccurrences(of: "    size: 2\n", with: "    size: 2\n    groupSize: 2\n")),
            work.write(
                "container.yaml",
                original.replacingOccurrences(of: "terminationMessagePolicy:", with: "terminationMessagePolicyy:")),
        ]
        let rejected = try CLI.runProgram(StaticCheckTests.manifestPython!, validator + broken)
        #expect(rejected.status == 1, "\(rejected.stdout)\(rejected.stderr)")
        for message in [
            ".spec.leaderWorkerTemplate.restartPolicy: 'RecreateGroupOnRestart' is not one of",
            ".spec.leaderWorkerTemplate: Additional properties are not allowed ('groupSize' was unexpected)",
            ".spec.leaderWorkerTemplate.workerTemplate.spec.containers.0: Additional properties are not allowed "
                + "('terminationMessagePolicyy' was unexpected) (io.k8s.api.core.v1.PodSpec)",
        ] {
            #expect(rejected.stdout.contains(message), "\(rejected.stdout)")
        }
    }
}
