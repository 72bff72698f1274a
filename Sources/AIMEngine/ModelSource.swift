/// Where the model comes from, and so what serve does before the engine starts.
public enum ModelSource: String, Sendable {
    /// A Hugging Face repo not yet complete in the hub cache: serve downloads it there, and the engine gets
    /// the repo id with `HF_HOME=<AIM_CACHE_PATH>` and `HF_HUB_OFFLINE=1`.
    case huggingFace = "huggingface"
    /// An `s3://` URI: serve downloads (or checks) it into its cache directory, which the engine gets.
    case s3
    /// A complete directory already in the cache (`<AIM_CACHE_PATH>/<org>/<model>`), used as it is.
    case cache
    /// A complete snapshot in the hub cache (`<AIM_CACHE_PATH>/hub`): serve checks it, and the engine gets
    /// the repo id with `HF_HOME=<AIM_CACHE_PATH>` and `HF_HUB_OFFLINE=1`.
    case hubCache = "hub-cache"
    /// An absolute local path given as the model id, used where it is.
    case local
}
