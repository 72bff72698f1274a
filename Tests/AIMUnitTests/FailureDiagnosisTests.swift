import AIMCore
import AIMTestSupport
import Foundation
import Testing

@testable import AIMSupervisor

/// The failure catalogue against real engine lines (each from the public report its signature cites),
/// the precedence between lines, the context length it extracts, and lines it must leave alone.
@Suite struct FailureDiagnosisTests {
    func cause(_ lines: [String]) -> FailureCause {
        EngineFailureDiagnosis.diagnose(lines).cause
    }

    static let familyLines: [(FailureCause, String)] = [
        (
            .hipOOM,
            "(EngineCore pid=2651) ERROR 05-08 11:47:02 [core.py:1136] torch.OutOfMemoryError: HIP out of memory. Tried to allocate 12.95 GiB. GPU 0 has a total capacity of 127.00 GiB of which 18.55 GiB is free. Of the allocated memory 99.37 GiB is allocated by PyTorch, and 121.80 MiB is reserved by PyTorch but unallocated."
        ),
        (.hipOOM, "RuntimeError: HIP error: out of memory"),
        (
            .hipOOM,
            "ValueError: Free memory on device (6.9/8.0 GiB) on startup is less than desired GPU memory utilization (0.9, 7.2 GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes."
        ),
        (.hipOOM, "RuntimeError: HIP error: hipErrorOutOfMemory"),
        (.hipOOM, "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB."),
        (
            .kvCacheTooSmall,
            "ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine."
        ),
        (.kvCacheTooSmall, "RuntimeError: Not enough memory. Please try to increase --mem-fraction-static."),
        (
            .shmTooSmall,
            "hugging-model-1-predictor-00001-deployment-5c86c57756-p7ghj:1:1 [0] misc/shmutils.cc:72 NCCL WARN Error: failed to extend /dev/shm/nccl-H1dBqY to 9637892 bytes"
        ),
        (
            .shmTooSmall,
            "g148:14937:69361 [0] misc/shmutils.cc:129 NCCL WARN Error while attaching to shared memory segment /dev/shm/nccl-glnlGK (size 14156128), error: No such file or directory (2)"
        ),
        (
            .shmTooSmall,
            "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm)."
        ),
        (.shmTooSmall, "Fatal Python error: Bus error"),
        (.shmTooSmall, "[2026-09-06 10:00:00] Rank 0 scheduler died during initialization (exit code: -7)"),
        (.shmTooSmall, "[12-16 14:27:10] Exit code: -7"),
        (
            .rcclFailure,
            "(VllmWorkerProcess pid=232) ERROR 08-23 08:25:25 multiproc_worker_utils.py:226] Exception in worker VllmWorkerProcess while processing method init_device: NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details), Traceback (most recent call last):"
        ),
        (
            .rcclFailure,
            "[rank0]:[E1206 18:44:12.715298746 ProcessGroupNCCL.cpp:607] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=7753, OpType=_REDUCE_SCATTER_BASE, NumelIn=544997376, NumelOut=68124672, Timeout(ms)=600000) ran for 600061 milliseconds before timing out."
        ),
        (
            .rcclFailure,
            "ERROR 05-30 22:22:26 [pynccl.py:153] [DEBUG] ncclCommInitRank failed with error: NCCL error: internal error - please report this issue to the NCCL developers"
        ),
        (
            .rcclFailure,
            "ncclSystemError: System call (e.g. socket, malloc) or external library call failed or device error."
        ),
        (
            .gatedModel,
            "huggingface_hub.errors.GatedRepoError: 401 Client Error. (Request ID: Root=1-66f4b037-1bf3d7d219afbc904ee05694;5601d2c9-8fd8-4ed8-b38d-d8a432e1fa59)"
        ),
        (
            .gatedModel,
            "Access to model black-forest-labs/FLUX.1-dev is restricted. You must have access to it and be authenticated to access it. Please log in."
        ),
        (.gatedModel, "Repo model meta-llama/Llama-2-7b-chat-hf is gated. You must be authenticated to access it."),
        (
            .modelNotFound,
            "OSError: llm/vicuna-7b is not a local folder and is not a valid model identifier listed on 'https://huggingface.co/models'"
        ),
        (
            .modelNotFound,
            "OSError: codellama/CodeLlama-7b-Instruct-hf does not appear to have a file named config.json. Checkout 'https://huggingface.co/codellama/CodeLlama-7b-Instruct-hf/tree/None' for available files."
        ),
        (
            .modelNotFound,
            "ValueError: Invalid repository ID or local directory specified: 'neuralmagic/Meta-Llama-3-8B-Instruct-FP8-dynamic'."
        ),
        (
            .trustRemoteCodeRequired,
            "ValueError: Loading /models/huggingface/Phi-3-small-128k-instruct/ requires you to execute the configuration file in that repo on your local machine. Make sure you have read the code there to avoid malicious use, then set the option `trust_remote_code=True` to remove this error."
        ),
        (
            .trustRemoteCodeRequired,
            "The repository for TheBloke/Nous-Capybara-34B-AWQ contains custom code which must be executed to correctly load the model."
        ),
        (
            .unsupportedArchitecture,
            "ValueError: Model architectures ['LlamaForCausalLM'] are not supported for now. Supported architectures: ['AquilaModel', 'AquilaForCausalLM', 'ArcticForCausalLM']"
        ),
        (
            .unsupportedArchitecture,
            "ERROR 04-07 10:34:56 [engine.py:448] BertForMaskedLM has no vLLM implementation and the Transformers implementation is not compatible with vLLM. Try setting VLLM_USE_V1=0."
        ),
        (
            .unsupportedArchitecture,
            "ValueError: The checkpoint you are trying to load has model type `qwen3` but Transformers does not recognize this architecture. This could be because of an issue with the checkpoint, or because your version of Transformers is out of date."
        ),
        (
            .unsupportedArchitecture,
            "ValueError: Unrecognized model in allenai/Olmo-Hybrid-Instruct-SFT-7B. Should have a `model_type` key in its config.json."
        ),
        (
            .portInUse,
            "ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use"
        ),
        (.portInUse, "OSError: [Errno 98] Address already in use"),
        (.noKFD, "RuntimeError: No HIP GPUs are available"),
        (.noKFD, "RuntimeError: HIP error: hipErrorNoDevice"),
        (.noKFD, "checkHipErrors() HIP API error = 0100 \"no ROCm-capable device is detected\""),
        (
            .noKFD,
            "docker: Error response from daemon: error gathering device information while adding custom device \"/dev/kfd\": no such file or directory."
        ),
    ]

    @Test func everyFamilyIsRecognisedInItsRealLines() {
        for (expected, line) in Self.familyLines {
            let diagnosis = EngineFailureDiagnosis.diagnose(["INFO 11-24 10:00:00 [api_server.py] starting", line])
            #expect(diagnosis.cause == expected, "\(line)")
            #expect(!diagnosis.fix.isEmpty && !diagnosis.fix.contains("<N>"))
        }
        let causes = Set(Self.familyLines.map(\.0))
        #expect(causes == Set(FailureCause.allCases).subtracting([.unknown]), "a real line for every cause")
    }

    /// vLLM's harmless warnings (docs/real-parts-notes: a CPU run of vLLM 0.32, and its shutdown), its
    /// config dumps, PyTorch's and RCCL's warnings: none is a failure.
    static let harmlessLines = [
        "(APIServer pid=10) WARNING 11-24 10:00:00 [system_utils.py:150] Found ulimit of 20000 and failed to automatically increase with error current limit exceeds maximum limit. This can cause fd limit errors like `OSError: [Errno 24] Too many open files`. Consider increasing with ulimit -n",
        "(APIServer pid=10) WARNING 11-24 10:00:00 [__init__.py:21] Triton is not installed. triton-cpu is expected on x86 CPUs.",
        "(EngineCore pid=11) WARNING 11-24 10:00:05 [gpu_model_runner.py:90] Model Runner V2 requires Triton; using the V1 model runner instead.",
        "(EngineCore pid=11) WARNING 11-24 10:00:05 [cpu.py:120] libtcmalloc is not found in LD_PRELOAD. For best performance, please follow the section `set LD_PRELOAD` in the docs.",
        "(EngineCore pid=11) WARNING 11-24 10:00:05 [cpu.py:121] libiomp is not found in LD_PRELOAD. For best performance, please follow the section `set LD_PRELOAD` in the docs.",
        "(APIServer pid=10) WARNING 11-24 10:00:00 [__init__.py:30] Triton is installed, but doesn't include CPU backend. Disabling Triton.",
        "(EngineCore pid=11) INFO 11-24 10:00:05 [core.py:90] mq_connect_ip=192.0.2.2 (local)",
        "(APIServer pid=10) INFO 11-24 10:00:00 [api_utils.py:286] non-default args: {'host': '127.0.0.1', 'port': 18000, 'model': '/work/tiny-llama', 'trust_remote_code': False, 'dtype': 'bfloat16', 'max_model_len': 256}",
        "(EngineCore pid=11) INFO 11-24 10:00:02 [core.py:133] Initializing a V1 LLM engine (v0.32.0) with config: model='/work/tiny-llama', speculative_config=None, tokenizer='/work/tiny-llama', trust_remote_code=False, dtype=torch.bfloat16, max_seq_len=256",
        "(EngineCore pid=11) INFO 11-24 10:00:09 [kv_cache_utils.py:2327] CPU KV cache size: 1,048,576 tokens, Maximum concurrency for 256 tokens per request: 4096.00x",
        "(APIServer) WARNING [utils.py:653] [shutdown] Process manager: force killing remaining process EngineCore pid 11",
        "(APIServer) WARNING [system_utils.py:225] [shutdown] force killing sub process VLLM::Worker pid 12",
        "/usr/lib/python3.11/multiprocessing/resource_tracker.py:254: UserWarning: resource_tracker: There appear to be 1 leaked semaphore objects to clean up at shutdown",
        "/usr/lib/python3.11/multiprocessing/resource_tracker.py:254: UserWarning: resource_tracker: There appear to be 1 leaked shared_memory objects to clean up at shutdown",
        "nanobind: leaked 12 instances!",
        "/root/.cache/aim-runtime-vllm-venv/lib/python3.11/site-packages/vllm/entrypoints/openai/api_server.py:24: DeprecationWarning: `vllm.entrypoints.openai.api_server` is deprecated and will likely beunsupported in a future version. Use the corresponding function from `vllm.entrypoints.launchers` instead.",
        "[rank0]:[W508 11:47:03.157708266 ProcessGroupNCCL.cpp:1554] Warning: WARNING: destroy_process_group() was not called before program exit, which can leak resources.",
        "[2026-08-23 09:56:58] node [0] /app/rccl/build/release/hipify/src/init.cc:213 NCCL WARN Missing \"iommu=pt\" from kernel command line which can lead to system instablity or hang!",
        "WARNING 11-24 10:00:03 [custom_all_reduce.py:80] Custom allreduce is disabled because it's not supported on more than two PCIe-only GPUs.",
        "INFO:     Application startup complete.",
    ]

    @Test func harmlessWarningsAndConfigDumpsMatchNothing() {
        for line in Self.harmlessLines {
            #expect(cause([line]) == .unknown, "\(line)")
        }
        #expect(cause(Self.harmlessLines) == .unknown)
        // Among them, a real error is still found.
        #expect(cause(Self.harmlessLines + ["RuntimeError: No HIP GPUs are available"] + Self.harmlessLines) == .noKFD)
    }

    @Test func unknownNamesTheLastLineAsItsEvidence() {
        let diagnosis = EngineFailureDiagnosis.diagnose(["first", "RuntimeError: something new\r", "   ", "\r"])
        #expect(
            diagnosis
                == EngineFailureDiagnosis(
                    cause: .unknown, fix: FailureCause.unknown.fix, evidence: "RuntimeError: something new"))
        #expect(EngineFailureDiagnosis.diagnose([]).evidence == "")
    }

    /// A real vLLM run that failed (Tests/Fixtures/engine-failures/FIXTURES.md), through the tails serve keeps
    /// for the diagnosis: the last 100 lines of stdout, then of stderr.
    @Test func aRealVLLMFailureIsDiagnosedFromItsTails() throws {
        func lines(_ name: String, last count: Int = 100) throws -> [String] {
            let text = try String(
                contentsOfFile: CLI.packageRoot + "/Tests/Fixtures/engine-failures/" + name, encoding: .utf8)
            // Split on the byte, as the log forwarder does: vLLM ends some lines with "\r\n", one Character.
            return Array(
                text.utf8.split(separator: 10, omittingEmptySubsequences: false).map {
                    String(decoding: $0, as: UTF8.self)
                }
                .suffix(count))
        }
        let stdout = try lines("vllm-0.32-cpu-kv-cache.stdout")
        let stderr = try lines("vllm-0.32-cpu-kv-cache.stderr")
        // The 50 stderr lines shown on failure hold only the API server's traceback: the ValueError is above.
        #expect(cause(try lines("vllm-0.32-cpu-kv-cache.stderr", last: 50)) == .unknown)
        for tail in [stdout + stderr, stdout, stderr] {
            let diagnosis = EngineFailureDiagnosis.diagnose(tail)
            #expect(diagnosis.cause == .kvCacheTooSmall)
            #expect(diagnosis.fix.hasPrefix(#"set AIM_ENGINE_ARGS='{"max-model-len": 1048448}'"#), "\(diagnosis.fix)")
            #expect(diagnosis.evidence.contains("the estimated maximum model length is 1048448"))
        }
        // A model directory without config.json: pydantic's validation error on stderr.
        let missing = EngineFailureDiagnosis.diagnose(
            try lines("vllm-0.32-cpu-no-config.stdout") + lines("vllm-0.32-cpu-no-config.stderr"))
        #expect(missing.cause == .modelNotFound)
        #expect(missing.evidence.hasPrefix("Value error, Invalid repository ID or local directory specified: "))
        for (name, expected, evidence) in [
            (
                "unsupported-architecture", FailureCause.unsupportedArchitecture,
                "Value error, Model architectures ['NoSuchModelForCausalLM'] are not supported for now."
            ),
            (
                "remote-code", .trustRemoteCodeRequired,
                "Value error, The repository /tmp/diag-real/remote contains custom code which must be executed"
            ),
        ] {
            let diagnosis = EngineFailureDiagnosis.diagnose(
                try lines("vllm-0.32-cpu-\(name).stdout") + lines("vllm-0.32-cpu-\(name).stderr"))
            #expect(diagnosis.cause == expected, "\(name)")
            #expect(diagnosis.evidence.hasPrefix(evidence), "\(diagnosis.evidence)")
        }
        // A group of nodes: collectives on the wrong interface, then a lost peer.
        for (name, fix) in [
            ("no-interface", "set GLOO_SOCKET_IFNAME and NCCL_SOCKET_IFNAME"),
            ("peer-lost", "another node of the group"),
        ] {
            let diagnosis = EngineFailureDiagnosis.diagnose(try lines("vllm-0.32-cpu-multinode-\(name).log"))
            #expect(diagnosis.cause == .rcclFailure, "\(name)")
            #expect(diagnosis.fix.hasPrefix(fix) || diagnosis.fix.contains(fix), "\(name): \(diagnosis.fix)")
        }
        // Its harmless warnings alone (the ulimit, Triton, LD_PRELOAD, the long max_model_len) match nothing.
        let warnings = stdout.filter { $0.contains(" WARNING ") }
        #expect(warnings.count >= 4)
        #expect(cause(warnings) == .unknown, "\(warnings)")
    }

    // MARK: precedence

    @Test func aSpecificLineBeatsALaterGenericOne() {
        // NCCL's shared-memory warning, then the generic error it causes.
        #expect(
            cause([
                "node:1:1 [0] misc/shmutils.cc:72 NCCL WARN Error: failed to extend /dev/shm/nccl-H1dBqY to 9637892 bytes",
                "RuntimeError: NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details)",
            ]) == .shmTooSmall)
        // vLLM's KV-cache error, then the engine's generic death.
        #expect(
            cause([
                "ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.",
                "torch.OutOfMemoryError: HIP out of memory. Tried to allocate 2.00 MiB.",
            ]) == .kvCacheTooSmall)
    }

    @Test func aLaterMoreSpecificLineBeatsAnEarlierGenericOne() {
        // huggingface_hub's RepositoryNotFoundError says 401 first and "gated repo" in its advice.
        let lines = [
            "huggingface_hub.errors.HfHubHTTPError: 401 Client Error. (Request ID: Root=1-69aa2f29-68e28c9e4f2e3a4075ec7d63)",
            "Repository Not Found for url: https://huggingface.co/Qwen/Qwen3.5-27B-AWQ/resolve/main/config.json.",
            "Please make sure you specified the correct `repo_id` and `repo_type`.",
            "If you are trying to access a private or gated repo, make sure you are authenticated. For more details, see https://huggingface.co/docs/huggingface_hub/authentication",
            "Invalid username or password.",
        ]
        #expect(cause(lines) == .modelNotFound)
        #expect(cause(Array(lines.prefix(1))) == .gatedModel, "a bare 401 is the generic gated case")
    }

    @Test func betweenEquallySpecificLinesTheLaterWins() {
        let oom = "torch.OutOfMemoryError: HIP out of memory. Tried to allocate 2.00 MiB."
        let watchdog =
            "[Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=5, OpType=ALLREDUCE) ran for 600013 milliseconds before timing out."
        #expect(cause([oom, watchdog]) == .rcclFailure)
        #expect(cause([watchdog, oom]) == .hipOOM)
    }

    @Test func theWorkersPortHasItsOwnFix() {
        let diagnosis = EngineFailureDiagnosis.diagnose([
            "RuntimeError: The server socket has failed to listen on any local network address. useIpv6: 0, code: -98, name: EADDRINUSE, message: address already in use"
        ])
        #expect(diagnosis.cause == .portInUse)
        #expect(diagnosis.fix.contains("MASTER_PORT"))
    }

    // MARK: the context length

    @Test func theEstimatedMaximumModelLengthBecomesTheExactSetting() {
        let diagnosis = EngineFailureDiagnosis.diagnose([
            "(EngineCore_DP0 pid=18799) ERROR 10-08 20:33:48 [core.py:708] ValueError: To serve at least one request with the models's max seq len (40960), (5.62 GiB KV cache is needed, which is larger than the available KV cache memory (4.50 GiB). Based on the available memory, the estimated maximum model length is 32768. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine."
        ])
        #expect(diagnosis.cause == .kvCacheTooSmall)
        #expect(diagnosis.fix.hasPrefix(#"set AIM_ENGINE_ARGS='{"max-model-len": 32768}'"#), "\(diagnosis.fix)")
    }

    @Test func theKVCacheCapacityOfOlderVLLMBecomesTheSettingToo() {
        let diagnosis = EngineFailureDiagnosis.diagnose([
            "ValueError: The model's max seq len (4096) is larger than the maximum number of tokens that can be stored in KV cache (3664). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine."
        ])
        #expect(diagnosis.cause == .kvCacheTooSmall)
        #expect(diagnosis.fix.hasPrefix(#"set AIM_ENGINE_ARGS='{"max-model-len": 3664}'"#), "\(diagnosis.fix)")
    }

    @Test func anUnusableLengthFallsBackToTheGeneralFix() {
        for line in [
            "Based on the available memory, the estimated maximum model length is 0. Try increasing `gpu_memory_utilization`",
            "Based on the available memory, the estimated maximum model length is 12345678901234. Try increasing",
            "the maximum number of tokens that can be stored in KV cache (-5). Try increasing `gpu_memory_utilization`",
        ] {
            let diagnosis = EngineFailureDiagnosis.diagnose([line])
            #expect(diagnosis.cause == .kvCacheTooSmall, "\(line)")
            #expect(diagnosis.fix == FailureCause.kvCacheTooSmall.fix, "\(line)")
        }
    }

    // MARK: bounds and secrets

    @Test func onlyBoundedTextIsMatchedAndShown() {
        let hidden = String(repeating: "x", count: 10_000) + " RuntimeError: No HIP GPUs are available"
        #expect(cause([hidden]) == .unknown, "past the first 4096 characters nothing is read")
        let long = "RuntimeError: No HIP GPUs are available " + String(repeating: "y", count: 100_000)
        let diagnosis = EngineFailureDiagnosis.diagnose([long])
        #expect(diagnosis.cause == .noKFD)
        #expect(diagnosis.evidence.count <= 513)
        // Only the last 200 lines count.
        let old = ["RuntimeError: No HIP GPUs are available"] + Array(repeating: "INFO loading", count: 200)
        #expect(cause(old) == .unknown)
        // Control characters cannot break the evidence line.
        let escaped = EngineFailureDiagnosis.diagnose(["OSError: [Errno 98] Address already in use\u{1B}[2J\r"])
        #expect(!OneLineText.containsControl(escaped.evidence))
    }

    @Test func theEvidenceShowsNoSecret() {
        let diagnosis = EngineFailureDiagnosis.diagnose([
            "huggingface_hub.errors.GatedRepoError: 401 Client Error. Cannot access gated repo for url https://user:s3cr3tpass@huggingface.co/org/m/resolve/main/config.json?token=hf_abcdefghijklmnopqrstuvwxyz HF_TOKEN=hf_zyxwvutsrqponmlkjihgfedcba 'api_key': 'sk-12345' Authorization: Bearer abc.def"
        ])
        #expect(diagnosis.cause == .gatedModel)
        for secret in ["s3cr3tpass", "abcdefghijklmnop", "zyxwvutsrqponmlkjihg", "sk-12345", "abc.def"] {
            #expect(!diagnosis.evidence.contains(secret), "\(diagnosis.evidence)")
        }
        #expect(diagnosis.evidence.contains("Cannot access gated repo"))
        #expect(
            SecretRedaction.redact(text: "max_num_batched_tokens=2048 tokenizer='x'")
                == "max_num_batched_tokens=2048 tokenizer='x'")
    }

    @Test func everyCauseHasWordsAFixAndAnIdTheDocsUse() {
        for cause in FailureCause.allCases {
            #expect(!cause.meaning.isEmpty && !cause.fix.isEmpty)
            #expect(!OneLineText.containsControl(cause.fix))
        }
        #expect(
            FailureCause.allCases.map(\.rawValue) == [
                "hip_oom", "kv_cache_too_small", "shm_too_small", "rccl_failure", "gated_model", "model_not_found",
                "trust_remote_code_required", "unsupported_architecture", "port_in_use", "no_kfd", "unknown",
            ])
        for signature in FailureCatalogue.signatures {
            if case .pattern(let pattern, _) = signature.match {
                #expect((try? NSRegularExpression(pattern: pattern)) != nil, "\(pattern)")
            }
            if case .anyCase(let text) = signature.match {
                #expect(text == text.lowercased())
            }
        }
    }
}
