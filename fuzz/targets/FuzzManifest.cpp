#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "audio/AudioManifest.h"

namespace twb::fuzz {

// readAudioManifest: the path,label[,split] CSV of an audio data set (the sound files it names
// do not exist; only the manifest parser is exercised).
int fuzzManifest(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString path = writeInput(data, size, QStringLiteral("manifest.csv"));
    QStringList skipped;
    (void)readAudioManifest(path, skipped);
    return 0;
}

} // namespace twb::fuzz
