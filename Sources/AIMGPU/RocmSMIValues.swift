import AIMCore

/// What the ROCm SMI library returned for one GPU, before it becomes a `GPUDevice`.
///
/// Kept apart from the `dlopen` calls so that the conversions (a gfx version past
/// `Int.max`, a busy percent of 4 billion) are tested without the library.
struct RocmSMIValues: Equatable, Sendable {
    var deviceID: UInt16?
    var gfxVersion: UInt64?
    var vramTotal: UInt64?
    var vramUsed: UInt64?
    var busyPercent: UInt32?
    var pciID: UInt64?
    var uniqueID: UInt64?
    var computePartition: String?
    var memoryPartition: String?

    func device(index: Int, warnings: inout FieldWarnings) -> GPUDevice {
        let gfxTarget = gfxVersion.flatMap { GFXTarget.name(fromVersion: $0) }
        if let gfxVersion, gfxVersion != 0, gfxTarget == nil {
            warnings.note(
                field: "target graphics version", gpu: index, value: String(gfxVersion),
                reason: "not a known packed gfx version")
        }
        return GPUDevice(
            index: index,
            deviceID: deviceID.map { GPUDeviceTable.format(UInt32($0)) },
            model: deviceID.map { GPUDeviceTable.model(for: UInt32($0)) } ?? .unknown,
            gfxTarget: gfxTarget,
            vramTotalBytes: vramTotal,
            vramUsedBytes: vramUsed,
            busyPercent: warnings.percent(
                busyPercent.map { ToolNumber.value(UInt64($0)) } ?? .absent, field: "busy percent", gpu: index),
            computePartition: computePartition,
            memoryPartition: memoryPartition,
            locationID: pciID.map { KFDTopologyReader.pciAddress(location: $0 & 0xFFFF, domain: $0 >> 32) },
            uniqueID: uniqueID.map { "0x" + String($0, radix: 16) })
    }
}
