#include "CRocmSMI.h"

// The hand-written types must be the header's: where rocm_smi.h is installed (CI installs
// librocm-smi-dev), a difference fails the build here.
#if AIM_RSMI_HEADER
#define AIM_SAME(name) \
    _Static_assert(__builtin_types_compatible_p(aim_##name, aim_##name##_fallback), \
                   #name ": the hand-written type in CRocmSMI.h differs from rocm_smi.h")
AIM_SAME(rsmi_init);
AIM_SAME(rsmi_shut_down);
AIM_SAME(rsmi_num_monitor_devices);
AIM_SAME(rsmi_dev_id_get);
AIM_SAME(rsmi_dev_memory_total_get);
AIM_SAME(rsmi_dev_memory_usage_get);
AIM_SAME(rsmi_dev_busy_percent_get);
AIM_SAME(rsmi_dev_pci_id_get);
AIM_SAME(rsmi_dev_unique_id_get);
AIM_SAME(rsmi_dev_target_graphics_version_get);
AIM_SAME(rsmi_dev_compute_partition_get);
AIM_SAME(rsmi_dev_memory_partition_get);

// Where the header's version could not be told, it may still declare these: a declaration with
// the hand-written type is then a "conflicting types" error if they differ, and harmless if absent.
extern __typeof__(*(aim_rsmi_dev_target_graphics_version_get_fallback)0) rsmi_dev_target_graphics_version_get;
extern __typeof__(*(aim_rsmi_dev_compute_partition_get_fallback)0) rsmi_dev_compute_partition_get;
extern __typeof__(*(aim_rsmi_dev_memory_partition_get_fallback)0) rsmi_dev_memory_partition_get;

_Static_assert(RSMI_STATUS_SUCCESS == 0 && RSMI_MEM_TYPE_VRAM == 0, "the reader passes and expects these values");
#endif

// The fallback enums stand for the header's: both are 32-bit unsigned.
_Static_assert(sizeof(rsmi_status_t) == 4 && sizeof(rsmi_memory_type_t) == 4, "ROCm SMI enums are 32 bits");

int aim_rsmi_signatures_checked(void) {
    return AIM_RSMI_HEADER;
}
