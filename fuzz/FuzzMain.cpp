// The libFuzzer entry point of one harness: fuzz/CMakeLists.txt compiles this file once per
// harness with TWB_FUZZ_FUNCTION set to its function (see targets/FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return twb::fuzz::TWB_FUZZ_FUNCTION(data, size);
}
