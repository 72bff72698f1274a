import Foundation

/// Finds the DRM device directory (`class/drm/*/device`) of each KFD GPU node.
///
/// The render node named by `drm_render_minor` is the direct link. Copied sysfs
/// trees often keep only `card*/device`, so those are matched by PCI address
/// (the `device` link's target, or `PCI_SLOT_NAME` in its `uevent`), and as a
/// last resort in order when there is exactly one AMD card per GPU node.
struct DRMDeviceDirectories {
    let root: String

    static let entryLimit = 4096

    private var drm: String { root + "/class/drm" }

    func match(_ devices: [GPUDevice], renderMinors: [UInt64?]) -> [String?] {
        let cards = amdCards()
        let byAddress = Dictionary(
            cards.compactMap { card in address(of: card).map { ($0, card) } }, uniquingKeysWith: { first, _ in first })
        let inOrder = cards.count == devices.count ? cards : []
        return devices.indices.map { index in
            if let minor = renderMinors[index], isDirectory("\(drm)/renderD\(minor)/device") {
                return "\(drm)/renderD\(minor)/device"
            }
            if let location = devices[index].locationID, let card = byAddress[location] {
                return card
            }
            return inOrder.isEmpty ? nil : inOrder[index]
        }
    }

    /// `card<N>/device` directories of AMD devices (vendor 0x1002), by card number.
    private func amdCards() -> [String] {
        // A real host has a few cards and render nodes per GPU; a listing past the cap is not a DRM class.
        guard case .names(let names) = SysfsFile.list(drm, limit: Self.entryLimit) else { return [] }
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("card"), let number = Int(name.dropFirst(4)) else { return nil }
            let directory = "\(drm)/\(name)/device"
            guard KFDTopologyReader.text(at: directory + "/vendor") == "0x1002" else { return nil }
            return (number, directory)
        }
        .sorted { $0.0 < $1.0 }
        .map(\.1)
    }

    private func address(of directory: String) -> String? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory) {
            return URL(fileURLWithPath: target).lastPathComponent.lowercased()
        }
        let uevent = SysfsFile.contents(of: directory + "/uevent").text ?? ""
        let slot = uevent.split(separator: "\n").first { $0.hasPrefix("PCI_SLOT_NAME=") }
        return slot.map { String($0.dropFirst("PCI_SLOT_NAME=".count)).lowercased() }
    }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
