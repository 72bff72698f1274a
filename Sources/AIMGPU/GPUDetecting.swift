/// The seam between selection and GPU detection, so selection is tested without hardware.
public protocol GPUDetecting: Sendable {
    func detect() async throws -> GPUReport
}

extension GPUDetector: GPUDetecting {}
