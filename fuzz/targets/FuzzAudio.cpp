#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "audio/AudioReader.h"

namespace twb::fuzz {

// readAudio through libsndfile (any format it recognises by content), strict about truncation;
// a short clip is also resampled to 8 kHz as `--sample-rate 8000` would.
int fuzzAudio(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("input.wav"));
    const Expected<AudioClip> clip = readAudio(path);
    if (clip && clip->frames() < 50'000 && clip->sampleRate >= 100 && clip->sampleRate <= 200'000) {
        AudioReadOptions options;
        options.targetRate = 8000;
        (void)readAudio(path, options);
    }
    AudioReadOptions lenient;
    lenient.allowTruncated = true;
    (void)readAudio(path, lenient);
    return 0;
}

} // namespace twb::fuzz
