/// Why an engine failed, as the failure catalogue names it: the `cause` of serve's diagnosis line,
/// of the status file's `diagnosis` and of the termination message (docs/troubleshooting.md).
public enum FailureCause: String, CaseIterable, Sendable {
    case hipOOM = "hip_oom"
    case kvCacheTooSmall = "kv_cache_too_small"
    case shmTooSmall = "shm_too_small"
    case rcclFailure = "rccl_failure"
    case gatedModel = "gated_model"
    case modelNotFound = "model_not_found"
    case trustRemoteCodeRequired = "trust_remote_code_required"
    case unsupportedArchitecture = "unsupported_architecture"
    case portInUse = "port_in_use"
    case noKFD = "no_kfd"
    /// No signature matched the engine's last lines.
    case unknown

    /// The cause in words.
    public var meaning: String {
        switch self {
        case .hipOOM: return "a GPU ran out of memory (HIP out of memory)"
        case .kvCacheTooSmall:
            return "the model's weights leave too little GPU memory for the KV cache of one full-length request"
        case .shmTooSmall: return "the shared memory (/dev/shm) the engine's processes talk through is too small"
        case .rcclFailure: return "a collective operation between the GPUs (RCCL, ROCm's NCCL) failed or hung"
        case .gatedModel: return "the model is gated or private and the engine has no token that may read it"
        case .modelNotFound:
            return "the model (or one of its files, such as config.json) does not exist where the engine looked"
        case .trustRemoteCodeRequired:
            return "the model ships its own Python code, which the engine runs only when trusted"
        case .unsupportedArchitecture: return "the installed engine does not support the model's architecture"
        case .portInUse: return "a port the engine binds is already taken by another process"
        case .noKFD:
            return "the container sees no AMD GPU: /dev/kfd or the render devices are missing or not accessible"
        case .unknown: return "no known failure signature in the engine's last lines"
        }
    }

    /// The usual fix, in one line; a catalogue entry may give a more precise one.
    public var fix: String {
        switch self {
        case .hipOOM:
            return
                "lower gpu-memory-utilization or max-model-len in AIM_ENGINE_ARGS (e.g. AIM_ENGINE_ARGS='{\"gpu-memory-utilization\": 0.85}'), stop other processes using the GPUs, or choose a profile with more GPUs"
        case .kvCacheTooSmall:
            return
                "set a smaller max-model-len in AIM_ENGINE_ARGS (e.g. AIM_ENGINE_ARGS='{\"max-model-len\": 8192}'), raise gpu-memory-utilization, or choose a profile with more GPUs"
        case .shmTooSmall:
            return
                "give the container a larger /dev/shm: docker run --shm-size=16g (or --ipc=host); in Kubernetes mount an emptyDir with medium: Memory at /dev/shm"
        case .rcclFailure:
            return
                "check that every GPU of the profile is visible and healthy (rocm-smi) and that /dev/shm is large enough, then rerun with NCCL_DEBUG=INFO for RCCL's reason"
        case .gatedModel:
            return
                "set HF_TOKEN (from a Secret) to a read token of an account that accepted the model's licence on its Hub page"
        case .modelNotFound:
            return
                "check the model id (Hub ids are case-sensitive) or the local path, and that the cache holds the model (aim-runtime download-to-cache)"
        case .trustRemoteCodeRequired:
            return
                "after reading the model's code, set AIM_ENGINE_ARGS='{\"trust-remote-code\": true}'"
        case .unsupportedArchitecture:
            return
                "use an image whose vLLM or SGLang (and transformers) supports this model, or a profile for the other engine"
        case .portInUse:
            return
                "stop the process that holds the port (another serve, a leftover engine), or set AIM_PORT to a free port"
        case .noKFD:
            return
                "pass the GPUs to the container (docker run --device=/dev/kfd --device=/dev/dri --group-add video, or the amd.com/gpu resource) and check that the amdgpu driver is loaded"
        case .unknown:
            return "read the engine's last lines above: the error is usually the end of the last traceback"
        }
    }
}
