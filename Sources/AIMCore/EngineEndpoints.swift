/// The engines' HTTP paths readiness is judged by; vLLM and SGLang both serve them.
public enum EngineEndpoints {
    public static let health = "/health"
    public static let models = "/v1/models"
}
