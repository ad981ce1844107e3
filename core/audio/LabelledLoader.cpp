#include "LabelledLoader.h"

#include "AudioDatasetLoader.h"

#include <QFileInfo>

namespace twb {

bool isLabelledDataPath(const QString &path)
{
    const QFileInfo info(path);
    const QString suffix = info.suffix().toLower();
    return info.isDir() || suffix == QLatin1String("ts") || suffix == QLatin1String("arff");
}

bool isSoundFileName(const QString &path)
{
    return AudioDatasetOptions().extensions.contains(QFileInfo(path).suffix().toLower());
}

Expected<LabelledDataset> loadLabelled(const QString &path, const LabelledLoadOptions &options)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("the file or folder does not exist"), path};
    const QString suffix = info.suffix().toLower();
    const bool sound = isSoundFileName(path);
    if (options.unlabelled && (info.isDir() || sound)) {
        AudioDatasetOptions audio;
        audio.sampleRate = options.sampleRate;
        audio.classNames = options.classNames;
        audio.layout = AudioLayout::Unlabelled;
        auto loaded = loadAudioDataset(path, audio);
        if (!loaded)
            return loaded.error();
        return std::move(loaded->data);
    }
    if (info.isDir() || suffix == QLatin1String("csv")) {
        AudioDatasetOptions audio;
        audio.sampleRate = options.sampleRate;
        audio.classNames = options.classNames;
        auto loaded = loadAudioDataset(path, audio);
        if (!loaded)
            return loaded.error();
        return std::move(loaded->data);
    }
    if (sound)
        return Error{QStringLiteral("a single sound file has no label; give the folder of a "
                                    "data set or a manifest CSV (path,label[,split])"),
                     path};
    return loadLabelledTable(path, options);
}

} // namespace twb
