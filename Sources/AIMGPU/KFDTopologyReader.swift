import AIMCore
import Foundation

/// Reads GPUs from the KFD topology in sysfs, rooted at `AIM_SYSFS_PATH` (default `/sys`).
///
/// GPU nodes are `class/kfd/kfd/topology/nodes/*` whose `properties` show a
/// non-zero `gfx_target_version` or `simd_count`; node 0 is usually the CPU.
/// The matching DRM device (`class/drm/renderD<drm_render_minor>/device`)
/// adds VRAM use, busy percent and partition modes where present.
public struct KFDTopologyReader: GPUSourceReading {
    public let source = GPUSource.sysfs
    private let root: String

    public init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    private var nodesDirectory: String { root + "/class/kfd/kfd/topology/nodes" }

    public func read() throws -> [GPUDevice] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: nodesDirectory) else {
            throw GPUSourceUnavailable("\(nodesDirectory) does not exist (no amdgpu driver, or /sys not mounted)")
        }
        let nodes = names.compactMap { name in Int(name).map { (number: $0, path: nodesDirectory + "/" + name) } }
            .sorted { $0.number < $1.number }
        var devices: [GPUDevice] = []
        var renderMinors: [UInt64?] = []
        for node in nodes {
            guard let properties = Self.properties(at: node.path + "/properties") else { continue }
            let gfxVersion = properties["gfx_target_version"] ?? 0
            let simdCount = properties["simd_count"] ?? 0
            guard gfxVersion != 0 || simdCount != 0 else { continue }
            devices.append(device(index: devices.count, node: node.path, properties: properties))
            renderMinors.append(properties["drm_render_minor"])
        }
        let drmDirectories = DRMDeviceDirectories(root: root).match(devices, renderMinors: renderMinors)
        for (index, directory) in drmDirectories.enumerated() {
            if let directory { enrich(&devices[index], from: directory) }
        }
        return devices
    }

    private func device(index: Int, node: String, properties: [String: UInt64]) -> GPUDevice {
        let deviceID = properties["device_id"].map { UInt32(truncatingIfNeeded: $0) }
        var device = GPUDevice(
            index: index,
            deviceID: deviceID.map(GPUDeviceTable.format),
            model: deviceID.map(GPUDeviceTable.model(for:)) ?? .unknown,
            gfxTarget: properties["gfx_target_version"].flatMap { GFXTarget.name(fromVersion: Int($0)) },
            vramTotalBytes: nil,
            locationID: properties["location_id"].map { Self.pciAddress(location: $0, domain: properties["domain"] ?? 0) },
            uniqueID: properties["unique_id"].flatMap { $0 == 0 ? nil : "0x" + String($0, radix: 16) })
        let vram = localMemory(node: node)
        device.vramTotalBytes = vram.total
        device.vramUsedBytes = vram.used
        device.computePartition = properties["num_xcc"].flatMap { Self.computePartition(model: device.model, xccsInNode: Int($0)) }
        return device
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
    private func localMemory(node: String) -> (total: UInt64?, used: UInt64?) {
        let banksDirectory = node + "/mem_banks"
        guard let banks = try? FileManager.default.contentsOfDirectory(atPath: banksDirectory) else { return (nil, nil) }
        var total: UInt64?
        var used: UInt64?
        for bank in banks.sorted() {
            guard let properties = Self.properties(at: "\(banksDirectory)/\(bank)/properties"),
                  let heap = properties["heap_type"], heap == 1 || heap == 2,
                  let size = properties["size_in_bytes"]
            else { continue }
            total = (total ?? 0) + size
            if let bankUsed = Self.number(at: "\(banksDirectory)/\(bank)/used_memory") {
                used = (used ?? 0) + bankUsed
            }
        }
        return (total, used)
    }

    /// DRM device files are the better source for VRAM and the only one for load and partitions.
    private func enrich(_ device: inout GPUDevice, from directory: String) {
        if let total = Self.number(at: directory + "/mem_info_vram_total") { device.vramTotalBytes = total }
        if let used = Self.number(at: directory + "/mem_info_vram_used") { device.vramUsedBytes = used }
        device.busyPercent = Self.number(at: directory + "/gpu_busy_percent").map { Int($0) }
        if let partition = Self.text(at: directory + "/current_compute_partition") { device.computePartition = partition }
        device.memoryPartition = Self.text(at: directory + "/current_memory_partition")
    }

    /// KFD packs the PCI address as bus << 8 | device << 3 | function.
    static func pciAddress(location: UInt64, domain: UInt64) -> String {
        String(format: "%04x:%02x:%02x.%x", domain, (location >> 8) & 0xFF, (location >> 3) & 0x1F, location & 0x7)
    }

    /// `key value` lines, as KFD writes them; values that are not numbers are skipped.
    static func properties(at path: String) -> [String: UInt64]? {
        guard let text = text(at: path) else { return nil }
        var properties: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count == 2, let value = UInt64(fields[1]) {
                properties[String(fields[0])] = value
            }
        }
        return properties
    }

    static func number(at path: String) -> UInt64? {
        text(at: path).flatMap { UInt64($0) }
    }

    static func text(at path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
