import AIMCommands
import AIMConfiguration
import AIMModelStore

/// Store settings for tests, from the configuration's defaults (the one place they are written).
public enum StoreFixture {
    public static func settings(cacheRoot: String) throws -> StoreSettings {
        try ConfigurationLoader(bundledProfileRoot: "/x", directoryExists: { _ in false })
            .load(ConfigurationInput(environment: ["AIM_CACHE_PATH": cacheRoot]), requireModel: false)
            .storeSettings()
    }
}
