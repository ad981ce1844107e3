#pragma once

#include <cstddef>
#include <cstdint>

/// One fuzz harness per parser a user can point at a file or a stream. Each takes the raw bytes
/// (written to a scratch file when the parser takes a path), runs the project's loader and
/// accepts whatever it returns: an Error is correct behaviour; only crashes, hangs, leaks,
/// undefined behaviour and huge allocations are findings. The same functions run under
/// libFuzzer (fuzz/CMakeLists.txt) and in the replay test tests/fuzz/tst_fuzzregressions.
/// Each returns 0, as LLVMFuzzerTestOneInput must.
namespace twb::fuzz {

int fuzzCsv(const std::uint8_t *data, std::size_t size);          ///< loadCsv
int fuzzTs(const std::uint8_t *data, std::size_t size);           ///< loadTs
int fuzzArff(const std::uint8_t *data, std::size_t size);         ///< loadArff
int fuzzHdf5Series(const std::uint8_t *data, std::size_t size);   ///< loadHdf5Series
int fuzzLabelledHdf5(const std::uint8_t *data, std::size_t size); ///< loadLabelledHdf5
int fuzzAudio(const std::uint8_t *data, std::size_t size);        ///< readAudio
int fuzzManifest(const std::uint8_t *data, std::size_t size);     ///< readAudioManifest
int fuzzRunFolder(const std::uint8_t *data, std::size_t size);    ///< RunStore: config, status
int fuzzPredictions(const std::uint8_t *data, std::size_t size);  ///< predictions.h5 readers
int fuzzAttention(const std::uint8_t *data, std::size_t size);    ///< readAttentionFile
int fuzzForwardTrace(const std::uint8_t *data, std::size_t size); ///< readForwardFile
int fuzzWhatIf(const std::uint8_t *data, std::size_t size);       ///< whatif --serve lines
int fuzzTraining(const std::uint8_t *data, std::size_t size);     ///< parseTrainingEvent lines
int fuzzTrainConfig(const std::uint8_t *data, std::size_t size);  ///< TrainConfig::fromFile
int fuzzCheckpoint(const std::uint8_t *data, std::size_t size);   ///< loadCheckpoint (LibTorch)

struct Target
{
    const char *name; ///< the folder under fuzz/corpus and fuzz/regressions, fuzz.sh's NAME
    int (*run)(const std::uint8_t *data, std::size_t size);
};

inline constexpr Target targets[] = {
    {"csv", fuzzCsv},
    {"ts", fuzzTs},
    {"arff", fuzzArff},
    {"hdf5series", fuzzHdf5Series},
    {"labelledhdf5", fuzzLabelledHdf5},
    {"audio", fuzzAudio},
    {"manifest", fuzzManifest},
    {"runfolder", fuzzRunFolder},
    {"predictions", fuzzPredictions},
    {"attention", fuzzAttention},
    {"forwardtrace", fuzzForwardTrace},
    {"whatif", fuzzWhatIf},
    {"training", fuzzTraining},
    {"trainconfig", fuzzTrainConfig},
    {"checkpoint", fuzzCheckpoint},
};

} // namespace twb::fuzz
