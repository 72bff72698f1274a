#ifndef AIM_CROCMSMI_H
#define AIM_CROCMSMI_H

// The types of the ROCm SMI functions that RocmSMILibraryReader looks up with dlsym. Nothing here
// links the library: the launcher must start on hosts without ROCm. Where rocm_smi.h is installed
// at build time the types are taken from it, so a wrong signature is a compile error instead of a
// corrupted stack on a GPU host; signatures.c checks the hand-written ones below against it.

#include <stdint.h>

#if __has_include(<rocm_smi/rocm_smi.h>)
#include <rocm_smi/rocm_smi.h>
#define AIM_RSMI_HEADER 1
#else
#define AIM_RSMI_HEADER 0
// As rocm_smi.h declares them, with only the values the reader uses. Like the real enums these
// have no negative value, so C makes them unsigned int there and here.
typedef enum {
    RSMI_STATUS_SUCCESS = 0,
    RSMI_STATUS_UNKNOWN_ERROR = 0xFFFFFFFF,
} rsmi_status_t;
typedef enum {
    RSMI_MEM_TYPE_VRAM = 0,
    RSMI_MEM_TYPE_VIS_VRAM,
    RSMI_MEM_TYPE_GTT,
} rsmi_memory_type_t;
#endif

// Hand-written from the ROCm SMI documentation: the types used where rocm_smi.h is absent, or
// too old to declare a function.
typedef rsmi_status_t (*aim_rsmi_init_fallback)(uint64_t init_flags);
typedef rsmi_status_t (*aim_rsmi_shut_down_fallback)(void);
typedef rsmi_status_t (*aim_rsmi_num_monitor_devices_fallback)(uint32_t *num_devices);
typedef rsmi_status_t (*aim_rsmi_dev_id_get_fallback)(uint32_t dv_ind, uint16_t *id);
typedef rsmi_status_t (*aim_rsmi_dev_memory_total_get_fallback)(uint32_t dv_ind, rsmi_memory_type_t mem_type, uint64_t *total);
typedef rsmi_status_t (*aim_rsmi_dev_memory_usage_get_fallback)(uint32_t dv_ind, rsmi_memory_type_t mem_type, uint64_t *used);
typedef rsmi_status_t (*aim_rsmi_dev_busy_percent_get_fallback)(uint32_t dv_ind, uint32_t *busy_percent);
typedef rsmi_status_t (*aim_rsmi_dev_pci_id_get_fallback)(uint32_t dv_ind, uint64_t *bdfid);
typedef rsmi_status_t (*aim_rsmi_dev_unique_id_get_fallback)(uint32_t dv_ind, uint64_t *id);
typedef rsmi_status_t (*aim_rsmi_dev_target_graphics_version_get_fallback)(uint32_t dv_ind, uint64_t *gfx_version);
typedef rsmi_status_t (*aim_rsmi_dev_compute_partition_get_fallback)(uint32_t dv_ind, char *compute_partition, uint32_t len);
typedef rsmi_status_t (*aim_rsmi_dev_memory_partition_get_fallback)(uint32_t dv_ind, char *memory_partition, uint32_t len);

#if AIM_RSMI_HEADER
// In every rocm_smi.h that has a shared library to go with it (Debian's 5.2.3 included).
typedef __typeof__(&rsmi_init) aim_rsmi_init;
typedef __typeof__(&rsmi_shut_down) aim_rsmi_shut_down;
typedef __typeof__(&rsmi_num_monitor_devices) aim_rsmi_num_monitor_devices;
typedef __typeof__(&rsmi_dev_id_get) aim_rsmi_dev_id_get;
typedef __typeof__(&rsmi_dev_memory_total_get) aim_rsmi_dev_memory_total_get;
typedef __typeof__(&rsmi_dev_memory_usage_get) aim_rsmi_dev_memory_usage_get;
typedef __typeof__(&rsmi_dev_busy_percent_get) aim_rsmi_dev_busy_percent_get;
typedef __typeof__(&rsmi_dev_pci_id_get) aim_rsmi_dev_pci_id_get;
typedef __typeof__(&rsmi_dev_unique_id_get) aim_rsmi_dev_unique_id_get;
// The preprocessor cannot see a declaration, only a macro that came in the same release:
// this header guard arrived with rsmi_dev_memory_partition_get (rocm_smi_lib, September 2023).
#ifdef ROCM_SMI_ROCM_SMI_H_
typedef __typeof__(&rsmi_dev_compute_partition_get) aim_rsmi_dev_compute_partition_get;
typedef __typeof__(&rsmi_dev_memory_partition_get) aim_rsmi_dev_memory_partition_get;
#else
typedef aim_rsmi_dev_compute_partition_get_fallback aim_rsmi_dev_compute_partition_get;
typedef aim_rsmi_dev_memory_partition_get_fallback aim_rsmi_dev_memory_partition_get;
#endif
// RSMI_MAX_NUM_XCC (June 2024) came after rsmi_dev_target_graphics_version_get (January 2024).
#ifdef RSMI_MAX_NUM_XCC
typedef __typeof__(&rsmi_dev_target_graphics_version_get) aim_rsmi_dev_target_graphics_version_get;
#else
typedef aim_rsmi_dev_target_graphics_version_get_fallback aim_rsmi_dev_target_graphics_version_get;
#endif
#else
typedef aim_rsmi_init_fallback aim_rsmi_init;
typedef aim_rsmi_shut_down_fallback aim_rsmi_shut_down;
typedef aim_rsmi_num_monitor_devices_fallback aim_rsmi_num_monitor_devices;
typedef aim_rsmi_dev_id_get_fallback aim_rsmi_dev_id_get;
typedef aim_rsmi_dev_memory_total_get_fallback aim_rsmi_dev_memory_total_get;
typedef aim_rsmi_dev_memory_usage_get_fallback aim_rsmi_dev_memory_usage_get;
typedef aim_rsmi_dev_busy_percent_get_fallback aim_rsmi_dev_busy_percent_get;
typedef aim_rsmi_dev_pci_id_get_fallback aim_rsmi_dev_pci_id_get;
typedef aim_rsmi_dev_unique_id_get_fallback aim_rsmi_dev_unique_id_get;
typedef aim_rsmi_dev_target_graphics_version_get_fallback aim_rsmi_dev_target_graphics_version_get;
typedef aim_rsmi_dev_compute_partition_get_fallback aim_rsmi_dev_compute_partition_get;
typedef aim_rsmi_dev_memory_partition_get_fallback aim_rsmi_dev_memory_partition_get;
#endif

/// 1 when signatures.c was compiled against rocm_smi.h and so checked the hand-written types.
int aim_rsmi_signatures_checked(void);

#endif
