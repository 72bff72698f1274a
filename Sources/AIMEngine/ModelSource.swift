/// Where the engine will load the model from.
public enum ModelSource: String, Sendable {
    /// A Hugging Face repo id; the engine resolves it through its HF cache.
    case huggingFace = "huggingface"
    /// An `s3://` URI.
    case s3
    /// A directory already in the cache (`<AIM_CACHE_PATH>/<org>/<model>`).
    case cache
    /// A snapshot in the hub cache (`<AIM_CACHE_PATH>/hub`); the engine gets the repo id,
    /// `HF_HOME=<AIM_CACHE_PATH>` and `HF_HUB_OFFLINE=1`.
    case hubCache = "hub-cache"
    /// An absolute local path given as the model id.
    case local
}
