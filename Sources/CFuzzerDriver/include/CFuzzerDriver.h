// libFuzzer's driver, which `-sanitize=fuzzer` links in; declared here so that aim-fuzz can call it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
