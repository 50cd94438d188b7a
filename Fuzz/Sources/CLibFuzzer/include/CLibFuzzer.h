#ifndef OUTFLOW_CLIBFUZZER_H
#define OUTFLOW_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, as its own main() runs it (compiler-rt, FuzzerDriver.cpp). The fuzz targets
/// call it from their own entry point: SwiftPM links each executable with `--defsym main=<Module>_main`,
/// which keeps libFuzzer's main() out of the link, so `<Module>_main` has to start the fuzzer itself.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
