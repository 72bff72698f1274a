import AIMCore

/// One GPU as a detection source reports it. A fact the source does not give is nil.
public struct GPUDevice: Equatable, Sendable {
    /// Position among all GPUs the source saw, before any *_VISIBLE_DEVICES filter.
    public var index: Int
    /// PCI device id, lower-case, e.g. `0x74a1`.
    public var deviceID: String?
    public var model: GPUModel
    /// e.g. `gfx942`.
    public var gfxTarget: String?
    public var vramTotalBytes: UInt64?
    public var vramUsedBytes: UInt64?
    public var busyPercent: Int?
    /// SPX, DPX, QPX or CPX.
    public var computePartition: String?
    /// NPS1, NPS2, NPS4…
    public var memoryPartition: String?
    /// PCI location, e.g. `0000:0c:00.0`.
    public var locationID: String?
    /// The GPU's unique id, which `ROCR_VISIBLE_DEVICES` accepts as `GPU-<id>`.
    public var uniqueID: String?

    public init(
        index: Int, deviceID: String?, model: GPUModel, gfxTarget: String? = nil, vramTotalBytes: UInt64? = nil,
        vramUsedBytes: UInt64? = nil, busyPercent: Int? = nil, computePartition: String? = nil,
        memoryPartition: String? = nil, locationID: String? = nil, uniqueID: String? = nil
    ) {
        self.index = index
        self.deviceID = deviceID
        self.model = model
        self.gfxTarget = gfxTarget
        self.vramTotalBytes = vramTotalBytes
        self.vramUsedBytes = vramUsedBytes
        self.busyPercent = busyPercent
        self.computePartition = computePartition
        self.memoryPartition = memoryPartition
        self.locationID = locationID
        self.uniqueID = uniqueID
    }
}
