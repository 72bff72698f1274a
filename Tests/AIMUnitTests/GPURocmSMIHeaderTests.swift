import CRocmSMI
import Foundation
import Testing

/// Where rocm_smi.h is installed, the reader's dlsym types are the header's own, and the C build
/// has checked the hand-written ones (used where it is absent) against it.
@Suite struct GPURocmSMIHeaderTests {
    static let headerInstalled = FileManager.default.fileExists(atPath: "/usr/include/rocm_smi/rocm_smi.h")

    @Test(
        .enabled(
            if: headerInstalled,
            "rocm_smi.h is not installed here, so the hand-written types were used unchecked; .ci/run installs librocm-smi-dev"
        ))
    func theReaderTypesComeFromTheInstalledHeader() {
        #expect(AIM_RSMI_HEADER == 1, "the build did not find the installed rocm_smi.h")
        #expect(aim_rsmi_signatures_checked() == 1, "signatures.c was not compiled against rocm_smi.h")
        // Swift sees the same types both ways, so the reader's calls are the same with or without the header.
        let pairs: [(Any.Type, Any.Type)] = [
            (aim_rsmi_init.self, aim_rsmi_init_fallback.self),
            (aim_rsmi_shut_down.self, aim_rsmi_shut_down_fallback.self),
            (aim_rsmi_num_monitor_devices.self, aim_rsmi_num_monitor_devices_fallback.self),
            (aim_rsmi_dev_id_get.self, aim_rsmi_dev_id_get_fallback.self),
            (aim_rsmi_dev_memory_total_get.self, aim_rsmi_dev_memory_total_get_fallback.self),
            (aim_rsmi_dev_memory_usage_get.self, aim_rsmi_dev_memory_usage_get_fallback.self),
            (aim_rsmi_dev_busy_percent_get.self, aim_rsmi_dev_busy_percent_get_fallback.self),
            (aim_rsmi_dev_pci_id_get.self, aim_rsmi_dev_pci_id_get_fallback.self),
            (aim_rsmi_dev_unique_id_get.self, aim_rsmi_dev_unique_id_get_fallback.self),
            (aim_rsmi_dev_target_graphics_version_get.self, aim_rsmi_dev_target_graphics_version_get_fallback.self),
            (aim_rsmi_dev_compute_partition_get.self, aim_rsmi_dev_compute_partition_get_fallback.self),
            (aim_rsmi_dev_memory_partition_get.self, aim_rsmi_dev_memory_partition_get_fallback.self),
        ]
        for (fromHeader, handWritten) in pairs {
            #expect(
                ObjectIdentifier(fromHeader) == ObjectIdentifier(handWritten), "\(fromHeader) is not \(handWritten)")
        }
    }
}
