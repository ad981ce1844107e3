#pragma once

#include <QString>

namespace twb {

/// Turns the /sources entries of a classification run's predictions.h5 into files.
///
/// Audio sources are paths relative to the data set's root (AudioDatasetLoader.h): the data
/// folder, or the folder of a manifest CSV. The root is the run config's "test-data" when it is
/// set (the test part came from there), otherwise its "data". Table sources
/// ("GunPoint_TEST.ts:17", "x.arff:9") name a row, not a sound, and are never audio.
/// Plain value type; any thread.
class ExampleSources
{
public:
    ExampleSources() = default;
    /// `dataPath`: the folder or manifest file the test cases were loaded from.
    explicit ExampleSources(const QString &dataPath);

    /// The root folder (absolute), empty when no data path was given.
    QString root() const { return m_root; }

    /// True when `source` names a sound file by its suffix (wav, flac, ogg, oga, aif, aiff;
    /// case-insensitive) and is not a "file:line" table row.
    static bool isAudioSource(const QString &source);
    /// The absolute, cleaned path of an audio source (absolute sources are kept as they are);
    /// empty for a non-audio source or when there is no root for a relative one. The file may
    /// not exist (data moved since training); callers report that when they open it.
    QString audioPath(const QString &source) const;
    /// The absolute, cleaned path of the file of a table row source ("GunPoint_TEST.ts:17" ->
    /// root/GunPoint_TEST.ts); empty for other sources or without a root. The file may not
    /// exist.
    QString tablePath(const QString &source) const;

private:
    QString m_root;
};

} // namespace twb
