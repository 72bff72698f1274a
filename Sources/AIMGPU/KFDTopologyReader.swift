import AIMCore
import Foundation

/// Reads GPUs from the KFD topology in sysfs, rooted at `AIM_SYSFS_PATH` (default `/sys`).
///
/// GPU nodes are `class/kfd/kfd/topology/nodes/*` whose `properties` show a
/// non-zero `gfx_target_version` or `simd_count`; node 0 is usually the CPU.
/// The matching DRM device (`class/drm/renderD<drm_render_minor>/device`)
/// adds VRAM use, busy percent and partition modes where present.
/// Every read is bounded (see `SysfsFile`), and an unusable number is unknown with a warning.
public struct KFDTopologyReader: GPUSourceReading {
    public let source = GPUSource.sysfs
    private let root: String

    /// Far more than any host has (an 8-board MI300X in CPX mode has 64 GPU nodes plus its CPUs).
    static let nodeLimit = 1024
    /// Real nodes have one or two memory banks.
    static let bankLimit = 64

    public init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    private var nodesDirectory: String { root + "/class/kfd/kfd/topology/nodes" }

    public func answer() throws -> GPUSourceAnswer {
        let names: [String]
        switch SysfsFile.list(nodesDirectory, limit: Self.nodeLimit) {
        case .missing:
            throw GPUSourceUnavailable("\(nodesDirectory) does not exist (no amdgpu driver, or /sys not mounted)")
        case .tooMany:
            throw GPUSourceUnavailable(
                "\(nodesDirectory) holds more than \(Self.nodeLimit) entries, far more than any KFD topology")
        case .names(let list):
            names = list
        }
        let nodes = names.compactMap { name in Int(name).map { (number: $0, path: nodesDirectory + "/" + name) } }
            .sorted { $0.number < $1.number }
        var warnings = FieldWarnings(source: source.rawValue)
        var devices: [GPUDevice] = []
        var renderMinors: [UInt64?] = []
        for node in nodes {
            guard let text = file(node.path + "/properties", warnings: &warnings) else { continue }
            let properties = KFDProperties(parsing: text)
            let gpu = devices.count
            let gfxVersion = warnings.take(properties["gfx_target_version"], field: "gfx_target_version", gpu: gpu) ?? 0
            let simdCount = warnings.take(properties["simd_count"], field: "simd_count", gpu: gpu) ?? 0
            guard gfxVersion != 0 || simdCount != 0 else { continue }
            devices.append(device(index: gpu, node: node.path, properties: properties, warnings: &warnings))
            renderMinors.append(warnings.take(properties["drm_render_minor"], field: "drm_render_minor", gpu: gpu))
        }
        let drmDirectories = DRMDeviceDirectories(root: root).match(devices, renderMinors: renderMinors)
        for (index, directory) in drmDirectories.enumerated() {
            if let directory { enrich(&devices[index], from: directory, warnings: &warnings) }
        }
        return GPUSourceAnswer(devices: devices, warnings: warnings.lines)
    }

    private func device(index: Int, node: String, properties: KFDProperties, warnings: inout FieldWarnings) -> GPUDevice
    {
        var device = Self.device(index: index, properties: properties, warnings: &warnings)
        let vram = localMemory(node: node, gpu: index, warnings: &warnings)
        device.vramTotalBytes = vram.total
        device.vramUsedBytes = vram.used
        return device
    }

    /// The facts one node's `properties` give; pure, so that it is unit-tested and fuzzed without files.
    static func device(index: Int, properties: KFDProperties, warnings: inout FieldWarnings) -> GPUDevice {
        var deviceID: UInt32?
        if let raw = warnings.take(properties["device_id"], field: "device_id", gpu: index) {
            deviceID = UInt32(exactly: raw)
            if deviceID == nil {
                warnings.note(field: "device_id", gpu: index, value: String(raw), reason: "a PCI device id has 16 bits")
            }
        }
        let gfxVersion = warnings.take(properties["gfx_target_version"], field: "gfx_target_version", gpu: index)
        let location = warnings.take(properties["location_id"], field: "location_id", gpu: index)
        let domain = warnings.take(properties["domain"], field: "domain", gpu: index) ?? 0
        let uniqueID = warnings.take(properties["unique_id"], field: "unique_id", gpu: index)
        var device = GPUDevice(
            index: index,
            deviceID: deviceID.map(GPUDeviceTable.format),
            model: deviceID.map(GPUDeviceTable.model(for:)) ?? .unknown,
            gfxTarget: gfxVersion.flatMap { GFXTarget.name(fromVersion: $0) },
            vramTotalBytes: nil,
            locationID: location.map { pciAddress(location: $0, domain: domain) },
            uniqueID: uniqueID.flatMap { $0 == 0 ? nil : "0x" + String($0, radix: 16) })
        let xccs = warnings.take(properties["num_xcc"], field: "num_xcc", gpu: index).flatMap { Int(exactly: $0) }
        device.computePartition = xccs.flatMap { computePartition(model: device.model, xccsInNode: $0) }
        return device
    }

    /// One node's `properties` text on its own: the GPU it describes (none for a CPU node) and the
    /// warnings about unusable values. What `answer()` does per node, without files, for the fuzz targets.
    public static func node(index: Int, propertiesText text: String) -> GPUSourceAnswer {
        var warnings = FieldWarnings(source: GPUSource.sysfs.rawValue)
        let properties = KFDProperties(parsing: text)
        let gfxVersion = warnings.take(properties["gfx_target_version"], field: "gfx_target_version", gpu: index) ?? 0
        let simdCount = warnings.take(properties["simd_count"], field: "simd_count", gpu: index) ?? 0
        guard gfxVersion != 0 || simdCount != 0 else { return GPUSourceAnswer(devices: [], warnings: warnings.lines) }
        let gpu = Self.device(index: index, properties: properties, warnings: &warnings)
        return GPUSourceAnswer(devices: [gpu], warnings: warnings.lines)
    }

    /// Without the DRM partition file, the mode follows from how many of the board's
    /// compute dies (XCCs) one KFD node holds: all of them in SPX, one in CPX.
    static func computePartition(model: GPUModel, xccsInNode: Int) -> String? {
        let boardXCCs: [GPUModel: Int] = [.mi300x: 8, .mi325x: 8, .mi308x: 4, .mi300a: 6, .mi350x: 8, .mi355x: 8]
        guard let total = boardXCCs[model], xccsInNode > 0, total % xccsInNode == 0 else { return nil }
        switch total / xccsInNode {
        case 1: return "SPX"
        case 2: return "DPX"
        case 3, 4: return xccsInNode == 1 ? "CPX" : "QPX"
        default: return xccsInNode == 1 ? "CPX" : nil
        }
    }

    /// Sums the public and private local memory banks (heap types 1 and 2).
    private func localMemory(node: String, gpu: Int, warnings: inout FieldWarnings) -> (total: UInt64?, used: UInt64?) {
        let banksDirectory = node + "/mem_banks"
        let banks: [String]
        switch SysfsFile.list(banksDirectory, limit: Self.bankLimit) {
        case .names(let names): banks = names
        case .missing: return (nil, nil)
        case .tooMany:
            warnings.note(
                field: "mem_banks", gpu: gpu, value: "nodes/…/mem_banks",
                reason: "more than \(Self.bankLimit) memory banks")
            return (nil, nil)
        }
        var total: UInt64?
        var used: UInt64?
        for bank in banks.sorted() {
            guard let text = file("\(banksDirectory)/\(bank)/properties", warnings: &warnings) else { continue }
            let properties = KFDProperties(parsing: text)
            guard let heap = properties["heap_type"].value, heap == 1 || heap == 2,
                let size = warnings.take(properties["size_in_bytes"], field: "mem_banks size_in_bytes", gpu: gpu)
            else { continue }
            let sum = (total ?? 0).addingReportingOverflow(size)
            guard !sum.overflow else {
                warnings.note(
                    field: "mem_banks size_in_bytes", gpu: gpu, value: String(size), reason: "the banks' sum overflows")
                return (nil, nil)
            }
            total = sum.partialValue
            if let bankUsed = number(
                "\(banksDirectory)/\(bank)/used_memory", field: "mem_banks used_memory", gpu: gpu, warnings: &warnings)
            {
                let sum = (used ?? 0).addingReportingOverflow(bankUsed)
                used = sum.overflow ? nil : sum.partialValue
            }
        }
        return (total, used)
    }

    /// DRM device files are the better source for VRAM and the only one for load and partitions.
    private func enrich(_ device: inout GPUDevice, from directory: String, warnings: inout FieldWarnings) {
        let gpu = device.index
        if let total = number(
            directory + "/mem_info_vram_total", field: "mem_info_vram_total", gpu: gpu, warnings: &warnings)
        {
            device.vramTotalBytes = total
        }
        if let used = number(
            directory + "/mem_info_vram_used", field: "mem_info_vram_used", gpu: gpu, warnings: &warnings)
        {
            device.vramUsedBytes = used
        }
        let busy =
            file(directory + "/gpu_busy_percent", warnings: &warnings).map { ToolNumber.parse(Substring($0)) }
            ?? .absent
        device.busyPercent = warnings.percent(busy, field: "gpu_busy_percent", gpu: gpu)
        if let partition = Self.text(at: directory + "/current_compute_partition") {
            device.computePartition = partition
        }
        device.memoryPartition = Self.text(at: directory + "/current_memory_partition")
    }

    /// KFD packs the PCI address as bus << 8 | device << 3 | function.
    static func pciAddress(location: UInt64, domain: UInt64) -> String {
        func hex(_ value: UInt64, _ width: Int) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return
            "\(hex(domain, 4)):\(hex((location >> 8) & 0xFF, 2)):\(hex((location >> 3) & 0x1F, 2)).\(hex(location & 0x7, 1))"
    }

    /// A sysfs file's text; a file too large or not regular is skipped with a warning.
    private func file(_ path: String, warnings: inout FieldWarnings) -> String? {
        switch SysfsFile.contents(of: path) {
        case .text(let text): return text
        case .missing: return nil
        case .unusable(let reason):
            let shown = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
            warnings.note(field: "file", gpu: nil, value: shown, reason: reason)
            return nil
        }
    }

    private func number(_ path: String, field: String, gpu: Int, warnings: inout FieldWarnings) -> UInt64? {
        let reading = file(path, warnings: &warnings).map { ToolNumber.parse(Substring($0)) } ?? .absent
        return warnings.take(reading, field: field, gpu: gpu)
    }

    /// A short text attribute (a partition mode, a vendor id): read bounded, nil when unusable.
    static func text(at path: String) -> String? {
        guard let text = SysfsFile.contents(of: path).text, text.count <= 64, !text.contains("\n") else { return nil }
        return text
    }
}
