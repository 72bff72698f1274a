/// One failure signature: what to look for in one engine line, the cause it names, how specific it
/// is, and (where it knows better than its cause) the fix.
struct FailureSignature: Sendable {
    enum Match: Sendable {
        /// A case-sensitive substring.
        case text(String)
        /// A substring in any case; written in lower case.
        case anyCase(String)
        /// A regular expression, tried only on lines that hold `anchor` (case-sensitive), so that the
        /// costly part runs on the few lines that can match. Group 1, when present, is a token count.
        case pattern(String, anchor: String)
    }

    let cause: FailureCause
    let match: Match
    /// Higher is more specific: a specific line beats a generic one wherever it is in the tail.
    let rank: Int
    /// The fix when it differs from the cause's; `<N>` is replaced by the count group 1 captured.
    let fix: String?

    init(_ cause: FailureCause, _ match: Match, rank: Int, fix: String? = nil) {
        self.cause = cause
        self.match = match
        self.rank = rank
        self.fix = fix
    }
}

/// The signatures of real engine failures (vLLM, SGLang, PyTorch on ROCm, RCCL, transformers,
/// huggingface_hub), each with the public report or source it was taken from.
///
/// Ranks: 40 names the exact remedy (a length to set); 35 is a message only that cause prints;
/// 30 a message specific to the cause; 20–25 a symptom that nearly always means it; 10–15 a
/// generic word that other lines should beat (docs/troubleshooting.md, "Engine failures").
enum FailureCatalogue {
    static let maxModelLenFix =
        "set AIM_ENGINE_ARGS='{\"max-model-len\": <N>}' (the longest context the KV cache holds), or raise gpu-memory-utilization, or choose a profile with more GPUs"

    static let groupNetworkFix =
        "the nodes' collectives could not connect: set GLOO_SOCKET_IFNAME and NCCL_SOCKET_IFNAME to the interface that reaches the leader and VLLM_HOST_IP to this node's address (aim-runtime sets them in a group unless they are set), and let every node reach the others on all ports"

    static let signatures: [FailureSignature] = [
        // MARK: kv_cache_too_small
        // vLLM V1: "ValueError: To serve at least one request with the models's max seq len (221000), (10.12 GiB KV
        // cache is needed, which is larger than the available KV cache memory (5.59 GiB). Based on the available
        // memory, the estimated maximum model length is 122080. Try increasing `gpu_memory_utilization` or
        // decreasing `max_model_len` when initializing the engine."
        // https://github.com/vllm-project/vllm/issues/25350
        .init(
            .kvCacheTooSmall,
            .pattern("estimated maximum model length is ([0-9]{1,9})\\b", anchor: "estimated maximum model length"),
            rank: 40, fix: maxModelLenFix),
        // vLLM V0: "ValueError: The model's max seq len (4096) is larger than the maximum number of tokens that can be
        // stored in KV cache (3664). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` …"
        // https://github.com/vllm-project/vllm/issues/2418, https://github.com/vllm-project/vllm/issues/10517
        .init(
            .kvCacheTooSmall,
            .pattern(
                "maximum number of tokens that can be stored in KV cache \\(([0-9]{1,9})\\)",
                anchor: "stored in KV cache"),
            rank: 40, fix: maxModelLenFix),
        // The same messages without a usable number (cut, or another wording of the estimate).
        // https://github.com/vllm-project/vllm/issues/25350
        .init(.kvCacheTooSmall, .text("the estimated maximum model length is"), rank: 30),
        .init(.kvCacheTooSmall, .text("which is larger than the available KV cache memory"), rank: 30),
        .init(.kvCacheTooSmall, .text("that can be stored in KV cache"), rank: 30),
        // vLLM: "ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when
        // initializing the engine." (vllm/v1/core/kv_cache_utils.py)
        // https://github.com/vllm-project/vllm/blob/main/vllm/v1/core/kv_cache_utils.py
        .init(
            .kvCacheTooSmall, .text("No available memory for the cache blocks"), rank: 30,
            fix:
                "raise gpu-memory-utilization in AIM_ENGINE_ARGS (e.g. AIM_ENGINE_ARGS='{\"gpu-memory-utilization\": 0.95}'), stop other processes using the GPUs, or choose a profile with more GPUs"
        ),
        // SGLang: "RuntimeError: Not enough memory. Please try to increase --mem-fraction-static."
        // https://github.com/sgl-project/sglang/issues/322, https://github.com/sgl-project/sglang/issues/4330
        .init(
            .kvCacheTooSmall, .text("Please try to increase --mem-fraction-static"), rank: 30,
            fix:
                "raise mem-fraction-static or lower context-length in AIM_ENGINE_ARGS (e.g. AIM_ENGINE_ARGS='{\"mem-fraction-static\": 0.9}'), or choose a profile with more GPUs"
        ),

        // MARK: trust_remote_code_required
        // transformers: "ValueError: Loading microsoft/Phi-3-small-8k-instruct requires you to execute the
        // configuration file in that repo on your local machine. Make sure you have read the code there to avoid
        // malicious use, then set the option `trust_remote_code=True` to remove this error."
        // https://github.com/vllm-project/vllm/issues/6215, https://github.com/vllm-project/vllm/issues/9531
        .init(.trustRemoteCodeRequired, .text("requires you to execute the configuration file in that repo"), rank: 35),
        .init(.trustRemoteCodeRequired, .text("requires you to execute the modeling file in that repo"), rank: 35),
        // transformers (interactive form, EOF in a container): "The repository for TheBloke/Nous-Capybara-34B-AWQ
        // contains custom code which must be executed to correctly load the model. … passing the argument
        // `trust_remote_code=True`." https://github.com/runpod-workers/worker-vllm/issues/43
        .init(.trustRemoteCodeRequired, .text("contains custom code which must be executed"), rank: 35),
        // Only the remedy's wording: vLLM's config dumps print `trust_remote_code=False` on every start.
        // https://github.com/vllm-project/vllm/issues/5244
        .init(
            .trustRemoteCodeRequired,
            .pattern(
                "(set the option|pass(ing)? the argument) `?trust_remote_code=True", anchor: "trust_remote_code=True"),
            rank: 30),

        // MARK: unsupported_architecture
        // vLLM: "ValueError: Model architectures ['LlamaForCausalLM'] are not supported for now. Supported
        // architectures: [...]" https://github.com/vllm-project/vllm/issues/9515,
        // https://github.com/vllm-project/vllm/issues/9377
        .init(
            .unsupportedArchitecture,
            .pattern("[Aa]rchitectures? \\[[^\\]]*\\] (are|is) not supported", anchor: "not supported"), rank: 35),
        // vLLM: "ValueError: BertForMaskedLM has no vLLM implementation and the Transformers implementation is not
        // compatible with vLLM." https://github.com/vllm-project/vllm/issues/16146,
        // https://github.com/vllm-project/vllm/issues/14115
        .init(.unsupportedArchitecture, .text("has no vLLM implementation"), rank: 35),
        // transformers: "ValueError: The checkpoint you are trying to load has model type `qwen3` but Transformers
        // does not recognize this architecture." https://github.com/deepseek-ai/DeepSeek-VL2/issues/125,
        // https://github.com/declare-lab/Emma-X/issues/1
        .init(.unsupportedArchitecture, .text("Transformers does not recognize this architecture"), rank: 35),
        // transformers: "ValueError: Unrecognized model in allenai/Olmo-Hybrid-Instruct-SFT-7B. Should have a
        // `model_type` key in its config.json" https://github.com/huggingface/transformers/issues/44496
        .init(.unsupportedArchitecture, .text("Unrecognized model in"), rank: 25),
        // Other "architecture … is not supported" wordings; "is not supported" alone is far too common
        // (vLLM warns "… is not supported on this platform" for harmless features).
        .init(
            .unsupportedArchitecture,
            .pattern("[Aa]rchitecture[^.]{0,120} (is|are) not supported", anchor: "not supported"), rank: 15),

        // MARK: gated_model
        // huggingface_hub: "huggingface_hub.errors.GatedRepoError: 401 Client Error. … Cannot access gated repo for
        // url https://huggingface.co/…/config.json. Access to model black-forest-labs/FLUX.1-dev is restricted. You
        // must have access to it and be authenticated to access it. Please log in."
        // https://github.com/ToTheBeginning/PuLID/issues/97, https://github.com/ml-explore/mlx-examples/issues/759
        .init(.gatedModel, .text("GatedRepoError"), rank: 35),
        .init(.gatedModel, .text("Cannot access gated repo"), rank: 35),
        .init(.gatedModel, .pattern("Access to model \\S+ is restricted", anchor: "is restricted"), rank: 35),
        // Older huggingface_hub: "Repo model meta-llama/Llama-2-7b is gated. You must be authenticated to access it."
        // https://github.com/kyegomez/NeoSapiens/issues/3
        .init(.gatedModel, .pattern("Repo model \\S+ is gated", anchor: "is gated"), rank: 35),
        // transformers: "OSError: You are trying to access a gated repo." https://github.com/McGill-NLP/llm2vec/issues/130
        .init(.gatedModel, .text("You are trying to access a gated repo"), rank: 35),
        .init(.gatedModel, .text("You must be authenticated to access it"), rank: 20),
        // A bare 401 also answers a missing or private repository: "Repository Not Found" beats it.
        // https://github.com/vast-ai/base-image/issues/128
        .init(.gatedModel, .text("401 Client Error"), rank: 10),

        // MARK: model_not_found
        // huggingface_hub: "huggingface_hub.errors.RepositoryNotFoundError: 401 Client Error. … Repository Not Found
        // for url: https://huggingface.co/Qwen/Qwen3.5-27B-AWQ/resolve/main/config.json."
        // https://github.com/vast-ai/base-image/issues/128
        .init(.modelNotFound, .text("RepositoryNotFoundError"), rank: 30),
        .init(.modelNotFound, .text("Repository Not Found"), rank: 30),
        // transformers: "OSError: llm/vicuna-7b is not a local folder and is not a valid model identifier listed on
        // 'https://huggingface.co/models'" https://github.com/boheumd/MA-LMM/issues/9,
        // https://github.com/unitaryai/detoxify/issues/99
        .init(.modelNotFound, .text("is not a local folder and is not a valid model identifier"), rank: 30),
        // transformers: "OSError: codellama/CodeLlama-7b-Instruct-hf does not appear to have a file named
        // config.json." https://github.com/huggingface/transformers/issues/27954
        .init(.modelNotFound, .text("does not appear to have a file named"), rank: 30),
        // vLLM: "ValueError: Invalid repository ID or local directory specified: 'neuralmagic/…'."
        // https://github.com/vllm-project/vllm/issues/13510, https://github.com/vllm-project/vllm/issues/22043
        .init(.modelNotFound, .text("Invalid repository ID or local directory specified"), rank: 30),
        // huggingface_hub, a local path that does not exist: "HFValidationError: Repo id must be in the form
        // 'repo_name' or 'namespace/repo_name': '/app/bge_m3'." https://github.com/vllm-project/vllm/issues/17877
        .init(.modelNotFound, .text("Repo id must be in the form"), rank: 25),

        // MARK: no_kfd
        // PyTorch on ROCm without a device: "RuntimeError: No HIP GPUs are available"
        // https://github.com/vllm-project/vllm/issues/7207, https://github.com/pytorch/pytorch/issues/70036
        .init(.noKFD, .text("No HIP GPUs are available"), rank: 35),
        // "RuntimeError: HIP error: hipErrorNoDevice" https://github.com/pytorch/pytorch/issues/70036
        .init(.noKFD, .text("hipErrorNoDevice"), rank: 35),
        // HIP: "HIP error: no ROCm-capable device is detected" https://github.com/ROCm/TheRock/issues/745
        .init(.noKFD, .text("no ROCm-capable device is detected"), rank: 35),
        // The device node itself (missing, or the container user not in its group).
        // https://github.com/kyuz0/amd-strix-halo-vllm-toolboxes/issues/6
        .init(.noKFD, .text("/dev/kfd"), rank: 30),

        // MARK: port_in_use
        // uvicorn, vLLM: "ERROR: [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address
        // already in use" https://github.com/vllm-project/vllm/issues/7514,
        // "OSError: [Errno 98] Address already in use" https://github.com/vllm-project/vllm/issues/9763
        // torch.distributed: "RuntimeError: The server socket has failed to listen on any local network address.
        // useIpv6: 0, code: -98, name: EADDRINUSE, message: address already in use" (first: on the same line,
        // the first signature listed wins, and this one knows the port is not the API's)
        // https://github.com/vllm-project/vllm/issues/11617
        .init(
            .portInUse, .text("EADDRINUSE"), rank: 35,
            fix:
                "another process holds a port the engine's workers bind (MASTER_PORT, VLLM_PORT or AIM_PORT): stop it, or set that port to a free one"
        ),
        .init(.portInUse, .anyCase("address already in use"), rank: 35),
        .init(.portInUse, .text("[Errno 98]"), rank: 35),

        // MARK: shm_too_small
        // NCCL/RCCL: "misc/shmutils.cc:72 NCCL WARN Error: failed to extend /dev/shm/nccl-H1dBqY to 9637892 bytes"
        // and "NCCL WARN Error while creating shared memory segment /dev/shm/nccl-H1dBqY (size 9637888)"
        // https://github.com/kserve/kserve/issues/3791, https://github.com/NVIDIA/nccl-tests/issues/166
        .init(.shmTooSmall, .text("failed to extend /dev/shm"), rank: 35),
        .init(.shmTooSmall, .text("Error while creating shared memory segment"), rank: 35),
        // "NCCL WARN Error while attaching to shared memory segment /dev/shm/nccl- (size 192814336)"
        // https://github.com/vllm-project/vllm/issues/18831
        .init(.shmTooSmall, .text("Error while attaching to shared memory segment"), rank: 35),
        // PyTorch workers: "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient
        // shared memory (shm)." https://github.com/nianticlabs/simplerecon/issues/3
        .init(.shmTooSmall, .text("insufficient shared memory"), rank: 35),
        // The crash itself: "Fatal Python error: Bus error" https://github.com/vllm-project/vllm/issues/1771;
        // SIGBUS surfacing as a dead scheduler, "scheduler died during initialization (exit code: -7)"
        // https://github.com/odysseus-dev/odysseus/pull/6259 (and the mechanism in
        // https://github.com/vllm-project/vllm/pull/48879)
        .init(.shmTooSmall, .text("Bus error"), rank: 25),
        .init(.shmTooSmall, .text("SIGBUS"), rank: 25),
        .init(.shmTooSmall, .pattern("[Ee]xit ?code:? ?-7\\b", anchor: "-7"), rank: 25),
        // vLLM maintainers on "ncclShmOpen" errors: "Try --shm-size=10gb"
        // https://github.com/vllm-project/vllm/issues/1710
        .init(.shmTooSmall, .text("ncclShmOpen"), rank: 30),

        // MARK: rccl_failure
        // RCCL/NCCL result names, as torch.distributed prints them.
        // https://github.com/vllm-project/vllm/issues/10626, https://github.com/ROCm/rccl/issues/1454
        .init(.rcclFailure, .text("ncclSystemError"), rank: 20),
        .init(.rcclFailure, .text("ncclInternalError"), rank: 20),
        .init(.rcclFailure, .text("ncclUnhandledCudaError"), rank: 20),
        .init(.rcclFailure, .text("ncclRemoteError"), rank: 20),
        // torch: "[Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1580, OpType=ALLREDUCE, …)
        // ran for 600004 milliseconds before timing out." https://github.com/pytorch/pytorch/issues/118369
        .init(.rcclFailure, .text("Watchdog caught collective operation timeout"), rank: 20),
        // vLLM's pynccl: "RuntimeError: NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details)"
        // https://github.com/vllm-project/vllm/issues/7800, https://github.com/vllm-project/vllm/issues/39774;
        // "NCCL error: internal error - please report this issue to the NCCL developers"
        // https://github.com/vllm-project/vllm/issues/18997
        .init(.rcclFailure, .pattern("\\b[RN]CCL error", anchor: "CCL error"), rank: 15),
        .init(.rcclFailure, .text("unhandled system error"), rank: 15),
        .init(.rcclFailure, .text("unhandled cuda error"), rank: 15),
        // torch.distributed: "Timed out initializing process group in store based barrier", "Timed out after 901
        // seconds waiting for clients" (DistStoreError) https://github.com/ROCm/rocm-systems/issues/8178
        .init(
            .rcclFailure,
            .pattern("[Tt]imed out.{0,80}process group|process group.{0,80}[Tt]imed out", anchor: "imed out"), rank: 15),
        .init(.rcclFailure, .text("DistBackendError"), rank: 12),
        // A group of nodes whose collectives cannot connect: measured with vLLM 0.32 across two network namespaces
        // (Tests/Fixtures/engine-failures/vllm-0.32-cpu-multinode-no-interface.log): "Gloo connectFullMesh failed
        // with [...pair.cc:152] timed out connecting: SO_ERROR: Connection refused, remote=[127.0.0.1]:13724".
        // Public reports, fixed by GLOO_SOCKET_IFNAME: https://github.com/vllm-project/vllm/issues/5094,
        // https://github.com/sgl-project/sglang/issues/3226
        .init(.rcclFailure, .text("Gloo connectFullMesh failed"), rank: 30, fix: groupNetworkFix),
        // Gloo's own warning before it: "Unable to resolve hostname to a (local) address. Using the loopback address
        // as fallback. Manually set the network interface to bind to with GLOO_SOCKET_IFNAME."
        // https://github.com/vllm-project/vllm/issues/7074
        .init(.rcclFailure, .text("Using the loopback address as fallback"), rank: 20, fix: groupNetworkFix),
        // vLLM without a route to guess its address from: "Failed to get the IP address, using 0.0.0.0 by default.
        // The value can be set by the environment variable VLLM_HOST_IP or HOST_IP." Harmless on one node, hence
        // the low rank; across nodes the ranks then cannot reach each other's queues.
        .init(.rcclFailure, .text("Failed to get the IP address, using 0.0.0.0"), rank: 14, fix: groupNetworkFix),
        // Another member went away: "RuntimeError: [...gloo/transport/tcp/pair.cc:537] Read error [198.18.0.2]:12494:
        // Connection reset by peer. This is typically caused by a remote worker hanging or bugs in the application."
        // (…-multinode-peer-lost.log); "Connection closed by peer [...]. This is typically caused by a remote worker
        // crashing."
        .init(
            .rcclFailure, .text("This is typically caused by a remote worker"), rank: 30,
            fix:
                "another node of the group failed or was stopped: its own log (and its aim-runtime's exit code) has the reason; the group restarts as a whole"
        ),

        // MARK: hip_oom
        // vLLM V1, memory taken before it starts: "ValueError: Free memory on device (6.9/8.0 GiB) on startup is less
        // than desired GPU memory utilization (0.9, 7.2 GiB). Decrease GPU memory utilization or reduce GPU memory
        // used by other processes." https://github.com/vllm-project/vllm/blob/main/vllm/v1/worker/gpu_worker.py
        .init(
            .hipOOM, .text("on startup is less than desired GPU memory utilization"), rank: 30,
            fix:
                "another process holds GPU memory: stop it (rocm-smi --showpids shows it), or lower gpu-memory-utilization in AIM_ENGINE_ARGS (e.g. AIM_ENGINE_ARGS='{\"gpu-memory-utilization\": 0.8}')"
        ),
        // PyTorch on ROCm: "torch.OutOfMemoryError: HIP out of memory. Tried to allocate 12.95 GiB. GPU 0 has a total
        // capacity of 127.00 GiB of which 18.55 GiB is free." https://github.com/lemonade-sdk/vllm-rocm/issues/5,
        // https://github.com/pytorch/pytorch/issues/138002
        .init(.hipOOM, .text("HIP out of memory"), rank: 20),
        // HIP's own error name and text, e.g. "RuntimeError: HIP error: out of memory" (hipGetErrorString of
        // hipErrorOutOfMemory) https://github.com/ROCm/hip/blob/develop/include/hip/hip_runtime_api.h
        .init(.hipOOM, .text("hipErrorOutOfMemory"), rank: 20),
        .init(.hipOOM, .text("HIP error: out of memory"), rank: 20),
        // CUDA-named builds and older messages: "torch.cuda.OutOfMemoryError: CUDA out of memory."
        // https://github.com/sgl-project/sglang/issues/4330
        .init(.hipOOM, .anyCase("cuda out of memory"), rank: 20),
        .init(.hipOOM, .text("OutOfMemoryError"), rank: 15),
    ]
}
