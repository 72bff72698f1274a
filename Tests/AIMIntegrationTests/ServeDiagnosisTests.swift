import AIMTestSupport
import Foundation
import Testing

/// `serve` explains an engine failure: the scripted engine prints real failure lines and exits; the
/// diagnosis must be in the log, the status file, the termination message and `health --format json`.
extension ServeTests {
    struct Diagnosed {
        let result: (status: Int32, stdout: String, stderr: String, seconds: Double)
        let status: [String: Any]
        let diagnosis: [String: String]
        let termination: String
    }

    /// Runs `serve` with an engine that prints `lines` and exits with `code`.
    func diagnose(
        _ lines: [String], code: Int32 = 1, stream: String = "stderr", _ extra: [String: String] = [:]
    )
        throws -> Diagnosed
    {
        let termination = try work.write("termination-log", "")
        let result = try serve(
            "lines",
            [
                "FAKE_ENGINE_LINES": lines.joined(separator: "\n"), "FAKE_ENGINE_EXIT": String(code),
                "FAKE_ENGINE_STREAM": stream, "AIM_TERMINATION_MESSAGE_PATH": termination,
            ].merging(extra) { $1 }
        ).finish()
        let status = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work.path + "/status.json")))
                as? [String: Any])
        let diagnosis = try #require(status["diagnosis"] as? [String: String], "\(status)")
        return Diagnosed(
            result: result, status: status, diagnosis: diagnosis,
            termination: try String(contentsOfFile: termination, encoding: .utf8))
    }

    @Test func aKVCacheFailureIsExplainedWithTheExactSettingEverywhere() throws {
        let line =
            "(EngineCore_DP0 pid=18799) ERROR 10-08 20:33:48 [core.py:708] ValueError: To serve at least one request with the models's max seq len (40960), (5.62 GiB KV cache is needed, which is larger than the available KV cache memory (4.50 GiB). Based on the available memory, the estimated maximum model length is 32768. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine."
        // As vLLM 0.32 does, a long traceback follows the error: past the 50 lines shown, not past the diagnosis.
        let traceback = (0..<35).flatMap { frame in
            [
                "  File \"/usr/lib/python3.12/site-packages/vllm/v1/engine/frame\(frame).py\", line \(frame), in run",
                "    return func(*args, **kwargs)",
            ]
        }
        let run = try diagnose(
            ["(EngineCore_DP0 pid=18799) ERROR 10-08 20:33:48 [core.py:708] EngineCore failed to start.", line]
                + traceback + ["RuntimeError: Engine core initialization failed. See root cause above."])
        #expect(!run.result.stderr.contains("----- last 50 lines of the engine's stderr -----\n" + line))
        #expect(run.result.status == 1, "the engine's own code: \(run.result.stderr)")
        let fix = try #require(run.diagnosis["fix"])
        #expect(fix.hasPrefix(#"set AIM_ENGINE_ARGS='{"max-model-len": 32768}'"#))
        #expect(run.diagnosis["cause"] == "kv_cache_too_small")
        #expect(run.diagnosis["evidence"] == line)
        #expect(run.result.stderr.contains("diagnosis: kv_cache_too_small: \(fix)\n"), "\(run.result.stderr)")
        #expect(
            run.termination
                == "aim-runtime: the engine exited with code 1 during start\ndiagnosis: kv_cache_too_small: \(fix)\n")
    }

    @Test func aFailureOnStdoutIsFoundToo() throws {
        let run = try diagnose(
            [
                "ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use"
            ],
            code: 3, stream: "stdout")
        #expect(run.result.status == 3)
        #expect(run.diagnosis["cause"] == "port_in_use")
        #expect(run.result.stderr.contains("diagnosis: port_in_use: "))
        #expect(
            run.termination.hasPrefix(
                "aim-runtime: the engine exited with code 3 during start\ndiagnosis: port_in_use: "))
    }

    @Test func aBusErrorEndsWithTheEngineCodeAndTheShmFix() throws {
        let run = try diagnose(
            ["Fatal Python error: Bus error", "", "Thread 0x00007f (most recent call first):"], code: 135)
        #expect(run.result.status == 135)
        #expect(run.diagnosis["cause"] == "shm_too_small")
        #expect(run.diagnosis["evidence"] == "Fatal Python error: Bus error")
        #expect(run.termination.contains("--shm-size"))
    }

    @Test func aGatedModelIsExplainedWithoutShowingTheToken() throws {
        let run = try diagnose([
            "huggingface_hub.errors.GatedRepoError: 401 Client Error. (Request ID: Root=1-66389f5d-0f09a9387397c642253a3cab)",
            "Cannot access gated repo for url https://huggingface.co/api/models/mistralai/Mistral-7B-Instruct-v0.2/revision/main?token=hf_SeCrEtSeCrEtSeCrEt123.",
        ])
        #expect(run.diagnosis["cause"] == "gated_model")
        let evidence = try #require(run.diagnosis["evidence"])
        #expect(evidence.contains("Cannot access gated repo") && !evidence.contains("SeCrEt"), "\(evidence)")
        #expect(run.termination.contains("HF_TOKEN") && !run.termination.contains("SeCrEt"))
    }

    @Test func anUnknownFailureSaysSoAndShowsTheLastLine() throws {
        let run = try diagnose(["RuntimeError: the flux capacitor is empty"], code: 2)
        #expect(run.result.status == 2)
        #expect(run.diagnosis["cause"] == "unknown")
        #expect(run.diagnosis["evidence"] == "RuntimeError: the flux capacitor is empty")
        #expect(run.result.stderr.contains("diagnosis: unknown: "))
    }

    @Test func healthPrintsTheStatusWithTheDiagnosisAsJSON() throws {
        _ = try diagnose(["RuntimeError: No HIP GPUs are available"])
        let outcome = try CLI.run(
            ["health", "--live", "--format", "json"], environment: ["AIM_STATUS_PATH": work.path + "/status.json"])
        #expect(outcome.status == 1, "serve is gone: \(outcome.stdout)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], "\(outcome.stdout)")
        #expect(document["healthy"] as? Bool == false)
        #expect((document["message"] as? String)?.hasPrefix("not live: serve (pid ") == true)
        #expect(document["phase"] as? String != nil && document["pid"] as? Int != nil)
        #expect(document["port"] as? Int == port)
        let diagnosis = try #require(document["diagnosis"] as? [String: String])
        #expect(diagnosis["cause"] == "no_kfd")
        #expect(diagnosis["evidence"] == "RuntimeError: No HIP GPUs are available")
        // The text line stays as it was.
        let text = try CLI.run(["health", "--live"], environment: ["AIM_STATUS_PATH": work.path + "/status.json"])
        #expect(
            text.status == 1 && text.stdout.hasPrefix("not live: serve (pid ") && text.stdout.hasSuffix("is gone\n"))
    }

    @Test func aSilentStartIsReportedWithWhatTheEngineIsDoing() throws {
        let result = try serve(
            "silent", ["AIM_STARTUP_SILENCE_SECONDS": "10", "AIM_STARTUP_TIMEOUT_SECONDS": "12"]
        ).finish()
        #expect(result.status == 12, "\(result.stderr)")
        let engine = try #require(state("pid"))
        #expect(
            result.stderr.contains(
                "The engine has written nothing for 10 s while starting; what its processes are doing:"),
            "\(result.stderr)")
        // Sleeping in time.sleep: state S, in the kernel's sleep (the symbol depends on the kernel).
        let line = try #require(
            result.stderr.split(separator: "\n").first { $0.contains("  engine process pid \(engine) (python3): ") })
        #expect(line.contains("sleeping (S)"), "\(line)")
        #expect(result.stderr.components(separatedBy: "The engine has written nothing").count == 2, "once a silence")
        #expect(result.stderr.contains("diagnosis: unknown: "))
    }
}
