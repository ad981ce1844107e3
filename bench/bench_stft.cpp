// STFT and log-mel throughput of core/dsp, single thread, in seconds of audio per second of
// compute: 16 kHz, n_fft 512, hop 160, periodic Hann, centre padding (reflect). Input: ten
// minutes of seeded white noise, or a sound file given as argument (mixed to mono; its own
// sample rate is used). Compare with bench/scipy_stft.py on the same machine.
//
// Usage: twb-bench-stft [file.wav|flac|ogg] [--repeats N]
#include "dsp/KaldiFbank.h"
#include "dsp/MelSpectrogram.h"
#include "dsp/Stft.h"

#include <sndfile.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace twb::dsp;

namespace {

/// Best of `repeats` wall-clock runs, in seconds (the least disturbed by the other processes
/// on a shared machine).
double bestSeconds(const std::function<void()> &fn, int repeats)
{
    double best = 1e300;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        fn();
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        best = std::min(best, elapsed.count());
    }
    return best;
}

bool readMono(const char *path, std::vector<float> &out, double &rate)
{
    SF_INFO info{};
    SNDFILE *file = sf_open(path, SFM_READ, &info);
    if (!file) {
        std::fprintf(stderr, "%s: %s\n", path, sf_strerror(nullptr));
        return false;
    }
    std::vector<float> interleaved(std::size_t(info.frames * info.channels));
    const sf_count_t got = sf_readf_float(file, interleaved.data(), info.frames);
    sf_close(file);
    out.assign(std::size_t(got), 0.0f);
    for (sf_count_t i = 0; i < got; ++i) {
        float sum = 0.0f;
        for (int c = 0; c < info.channels; ++c)
            sum += interleaved[std::size_t(i * info.channels + c)];
        out[std::size_t(i)] = sum / float(info.channels);
    }
    rate = info.samplerate;
    return true;
}

void report(const char *name, double audioSeconds, double seconds, const char *shape)
{
    std::printf("%-34s %8.4f s  %10.0f s of audio per s  %s\n", name, seconds,
                audioSeconds / seconds, shape);
}

} // namespace

int main(int argc, char **argv)
{
    const char *path = nullptr;
    int repeats = 5;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--repeats") == 0 && i + 1 < argc)
            repeats = std::max(1, std::atoi(argv[++i]));
        else
            path = argv[i];
    }
    std::vector<float> signal;
    double rate = 16000.0;
    if (path) {
        if (!readMono(path, signal, rate))
            return 1;
    } else {
        signal.resize(std::size_t(600 * rate));
        std::mt19937_64 rng(1);
        std::normal_distribution<float> gauss(0.0f, 0.1f);
        for (float &v : signal)
            v = gauss(rng);
    }
    const double audioSeconds = double(signal.size()) / rate;
    std::printf("input: %s, %.1f s at %.0f Hz; n_fft 512, hop 160, periodic Hann, center; "
                "best of %d, one thread unless said\n",
                path ? path : "white noise", audioSeconds, rate, repeats);

    StftOptions o;
    o.nFft = 512;
    o.hop = 160;
    const auto planStart = std::chrono::steady_clock::now();
    auto stft = Stft::create(o);
    const std::chrono::duration<double, std::milli> planning =
        std::chrono::steady_clock::now() - planStart;
    if (!stft) {
        std::fprintf(stderr, "%s\n", qPrintable(stft.error().toString()));
        return 1;
    }
    std::printf("window + FFTW plan (first use of n=512): %.2f ms\n", planning.count());
    const std::int64_t frames = stft->frameCount(std::int64_t(signal.size()));
    const std::int64_t tile = 256; // frames per call, as the spectrogram view computes them
    // (widgets/SpectrogramTiles.h, kTileFrames)

    std::int64_t sink = 0;
    const double complexSeconds =
        bestSeconds([&] { sink += stft->complexFrames(signal)->rows; }, repeats);
    report("complex STFT [frames, 257]", audioSeconds, complexSeconds, "");
    const double wholeSeconds =
        bestSeconds([&] { sink += stft->spectrogram(signal, SpectrumKind::Power)->cols; }, repeats);
    report("power spectrogram, one matrix", audioSeconds, wholeSeconds, "");
    // The same into memory the process has not used before, as on a first call: a matrix of the
    // output's size is held during the call, so the block the allocator keeps after a free
    // (dsp/LargeAllocator.h) goes to it and the kernel must fault in and zero fresh pages.
    const double freshSeconds = bestSeconds(
        [&] {
            const FloatMatrix held(stft->bins(), frames, FloatMatrix::Uninitialized{});
            sink += stft->spectrogram(signal, SpectrumKind::Power)->cols + held.cols;
        },
        repeats);
    report("power spectrogram, one matrix, fresh memory", audioSeconds, freshSeconds, "");
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const double parallelSeconds = bestSeconds(
        [&] { sink += parallelSpectrogram(signal, o, SpectrumKind::Power, cores)->cols; }, repeats);
    char parallelLabel[64];
    std::snprintf(parallelLabel, sizeof parallelLabel, "power spectrogram, one matrix, %d thr",
                  cores);
    report(parallelLabel, audioSeconds, parallelSeconds, "");
    const double powerSeconds = bestSeconds(
        [&] {
            for (std::int64_t f0 = 0; f0 < frames; f0 += tile)
                sink +=
                    stft->spectrogram(signal, SpectrumKind::Power, f0, std::min(frames, f0 + tile))
                        ->cols;
        },
        repeats);
    report("power spectrogram, tiles of 256", audioSeconds, powerSeconds, "");

    MelOptions mel;
    mel.sampleRate = rate;
    mel.nFft = 512;
    mel.nMels = 128;
    auto bank = MelFilterbank::create(mel);
    if (!bank) {
        std::fprintf(stderr, "%s\n", qPrintable(bank.error().toString()));
        return 1;
    }
    const double wholeMelSeconds = bestSeconds(
        [&] {
            auto m = melSpectrogram(*stft, *bank, signal, SpectrumKind::Power, 0, frames);
            powerToDb(m->data);
            sink += m->cols;
        },
        repeats);
    report("log-mel 128 (dB), one matrix", audioSeconds, wholeMelSeconds, "");
    const double logMelSeconds = bestSeconds(
        [&] {
            for (std::int64_t f0 = 0; f0 < frames; f0 += tile) {
                auto m = melSpectrogram(*stft, *bank, signal, SpectrumKind::Power, f0,
                                        std::min(frames, f0 + tile));
                powerToDb(m->data);
                sink += m->cols;
            }
        },
        repeats);
    report("log-mel 128 (dB), tiles of 256", audioSeconds, logMelSeconds, "");

    KaldiFbankOptions kaldi;
    kaldi.sampleFrequency = rate;
    kaldi.numMelBins = 128;
    kaldi.window = twb::dsp::WindowType::Hann;
    const double fbankSeconds =
        bestSeconds([&] { sink += kaldiFbank(signal, kaldi)->rows; }, repeats);
    report("Kaldi fbank 128 (AST) [frames, 128]", audioSeconds, fbankSeconds, "");

    std::printf("frames: %lld (checksum %lld)\n", static_cast<long long>(frames),
                static_cast<long long>(sink));
    // One matrix is what scipy_stft.py computes; tiles are what the spectrogram view does.
    std::printf("RESULT stft_power=%.0f stft_power_fresh=%.0f stft_power_parallel=%.0f "
                "stft_power_tiles=%.0f logmel=%.0f logmel_tiles=%.0f fbank=%.0f\n",
                audioSeconds / wholeSeconds, audioSeconds / freshSeconds,
                audioSeconds / parallelSeconds, audioSeconds / powerSeconds,
                audioSeconds / wholeMelSeconds, audioSeconds / logMelSeconds,
                audioSeconds / fbankSeconds);
    return 0;
}
