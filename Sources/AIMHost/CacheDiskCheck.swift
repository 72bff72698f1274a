import AIMCore

/// `cache_disk`: room in AIM_CACHE_PATH for what of the model is still to download. Fails when the free space
/// is less than that (the download would stop with exit 11); warns when the size cannot be known here.
enum CacheDiskCheck {
    static func check(_ model: ModelFacts?, _ facts: LaunchFacts) async -> HostCheck {
        guard let model else {
            return HostCheck(
                .cacheDisk, .warn, "\(facts.noProfile): the model, and so its size, is unknown",
                fix: "set AIM_ID or AIM_MODEL_ID (and AIM_GPU_MODEL where no GPU is detected)")
        }
        if let path = model.inPlace {
            return HostCheck(.cacheDisk, .ok, "\(model.id) is complete at \(path): nothing to download")
        }
        let fix =
            "free space in AIM_CACHE_PATH (\(model.cacheRoot)), e.g. aim-runtime cache remove, or mount a larger volume there"
        guard let free = model.freeBytes() else {
            return HostCheck(
                .cacheDisk, .warn, "the free space of AIM_CACHE_PATH (\(model.cacheRoot)) cannot be read", fix: fix)
        }
        let freeText = "AIM_CACHE_PATH (\(model.cacheRoot)) has \(ByteCount.text(free)) free"
        switch await model.totalBytes() {
        case .failure(let unknown):
            return HostCheck(
                .cacheDisk, .warn, "\(freeText); the size of \(model.id) is unknown (\(unknown.reason))",
                fix:
                    "run doctor where the Hub or S3 can be reached, or fill the cache with aim-runtime download-to-cache"
            )
        case .success(let total):
            let needed = max(total - model.cachedBytes, 0)
            let need = "\(model.id) is \(ByteCount.text(total)), \(ByteCount.text(needed)) of it still to download"
            guard free >= needed else {
                return HostCheck(.cacheDisk, .fail, "\(freeText), less than that: \(need)", fix: fix)
            }
            return HostCheck(.cacheDisk, .ok, "\(freeText); \(need)")
        }
    }
}
