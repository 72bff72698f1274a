import AIMCore
import CRocmSMI
import Foundation

/// Reads GPUs through the ROCm SMI library, loaded with `dlopen` at run time so
/// that aim-runtime starts on hosts without ROCm. Nothing links it at build time; the
/// function types come from CRocmSMI, checked against rocm_smi.h where it is installed.
public struct RocmSMILibraryReader: GPUSourceReading {
    public let source = GPUSource.rocmSMILibrary
    private let libraryNames: [String]
    private let deviceNode: String

    public static let defaultLibraryNames = [
        "librocm_smi64.so.1", "librocm_smi64.so", "/opt/rocm/lib/librocm_smi64.so.1", "/opt/rocm/lib/librocm_smi64.so",
    ]

    /// - Parameter deviceNode: the KFD device; without it the library cannot see a GPU, and is not
    ///   loaded at all (once loaded, a C++ library stays mapped for the launcher's whole life).
    public init(libraryNames: [String] = RocmSMILibraryReader.defaultLibraryNames, deviceNode: String = "/dev/kfd") {
        self.libraryNames = libraryNames
        self.deviceNode = deviceNode
    }

    /// A count past this is a broken library, not a host: no node has more than a few dozen GPUs.
    static let deviceLimit: UInt32 = 256

    public func answer() throws -> GPUSourceAnswer {
        guard access(deviceNode, F_OK) == 0 else {
            throw GPUSourceUnavailable(
                "\(deviceNode) does not exist (no amdgpu driver, or the device is not passed to the container)")
        }
        guard let handle = libraryNames.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            throw GPUSourceUnavailable("librocm_smi64.so is not installed")
        }
        defer { dlclose(handle) }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let initialize = symbol("rsmi_init", as: aim_rsmi_init.self),
            let count = symbol("rsmi_num_monitor_devices", as: aim_rsmi_num_monitor_devices.self)
        else {
            throw GPUSourceUnavailable("librocm_smi64.so lacks rsmi_init or rsmi_num_monitor_devices")
        }
        // The library prints its own errors (no driver, no /sys/class/drm) to stderr; keep them out of ours.
        let status = Self.silencingStandardError { initialize(0) }
        guard status == RSMI_STATUS_SUCCESS else {
            throw GPUSourceUnavailable("rsmi_init returned \(status.rawValue) (no amdgpu driver or no GPU)")
        }
        defer { _ = symbol("rsmi_shut_down", as: aim_rsmi_shut_down.self)?() }
        var total: UInt32 = 0
        guard count(&total) == RSMI_STATUS_SUCCESS else {
            throw GPUSourceUnavailable("rsmi_num_monitor_devices failed")
        }

        let deviceID = symbol("rsmi_dev_id_get", as: aim_rsmi_dev_id_get.self)
        let memoryTotal = symbol("rsmi_dev_memory_total_get", as: aim_rsmi_dev_memory_total_get.self)
        let memoryUsed = symbol("rsmi_dev_memory_usage_get", as: aim_rsmi_dev_memory_usage_get.self)
        let busy = symbol("rsmi_dev_busy_percent_get", as: aim_rsmi_dev_busy_percent_get.self)
        let pciID = symbol("rsmi_dev_pci_id_get", as: aim_rsmi_dev_pci_id_get.self)
        let uniqueID = symbol("rsmi_dev_unique_id_get", as: aim_rsmi_dev_unique_id_get.self)
        let gfxVersion = symbol(
            "rsmi_dev_target_graphics_version_get", as: aim_rsmi_dev_target_graphics_version_get.self)
        let computePartition = symbol("rsmi_dev_compute_partition_get", as: aim_rsmi_dev_compute_partition_get.self)
        let memoryPartition = symbol("rsmi_dev_memory_partition_get", as: aim_rsmi_dev_memory_partition_get.self)
        let vram = RSMI_MEM_TYPE_VRAM

        guard total <= Self.deviceLimit else {
            throw GPUSourceUnavailable(
                "rsmi_num_monitor_devices reported \(total) GPUs, more than \(Self.deviceLimit); the library is not usable"
            )
        }
        var warnings = FieldWarnings(source: source.rawValue)
        let devices = (0..<total).map { index in
            RocmSMIValues(
                deviceID: Self.value { deviceID?(index, $0) },
                gfxVersion: Self.value { gfxVersion?(index, $0) },
                vramTotal: Self.value { memoryTotal?(index, vram, $0) },
                vramUsed: Self.value { memoryUsed?(index, vram, $0) },
                busyPercent: Self.value { busy?(index, $0) },
                pciID: Self.value { pciID?(index, $0) },
                uniqueID: Self.value { uniqueID?(index, $0) },
                computePartition: Self.text { computePartition?(index, $0, $1) },
                memoryPartition: Self.text { memoryPartition?(index, $0, $1) }
            ).device(index: Int(index), warnings: &warnings)
        }
        return GPUSourceAnswer(devices: devices, warnings: warnings.lines)
    }

    /// Calls a getter; nil when the symbol is missing or the call fails.
    private static func value<T: FixedWidthInteger>(_ call: (UnsafeMutablePointer<T>) -> rsmi_status_t?) -> T? {
        var result: T = 0
        return call(&result) == RSMI_STATUS_SUCCESS ? result : nil
    }

    private static func text(_ call: (UnsafeMutablePointer<CChar>, UInt32) -> rsmi_status_t?) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        guard call(&buffer, UInt32(buffer.count)) == RSMI_STATUS_SUCCESS else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    private static func silencingStandardError<T>(_ body: () -> T) -> T {
        let saved = dup(STDERR_FILENO)
        let null = open("/dev/null", O_WRONLY)
        if saved >= 0 && null >= 0 { dup2(null, STDERR_FILENO) }
        defer {
            if saved >= 0 {
                dup2(saved, STDERR_FILENO)
                close(saved)
            }
            if null >= 0 { close(null) }
        }
        return body()
    }
}
