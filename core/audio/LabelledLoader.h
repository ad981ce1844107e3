#pragma once

#include "common/Expected.h"
#include "data/DatasetLoader.h"
#include "data/LabelledDataset.h"

#include <QString>

namespace twb {

/// The single entry point for classification data, for the CLI and the GUI: dispatches on
/// what `path` is.
/// - a folder -> an audio data set (class folders or `{label}_` file names, loadAudioDataset);
/// - a ".csv" file -> an audio manifest (path,label[,split]);
/// - ".ts", ".arff", ".h5"/".hdf5" (labelled layout) -> loadLabelledTable.
/// options.sampleRate applies to audio, options.classNames to every kind (give a TEST part the
/// TRAIN part's classes). A single sound file is refused (it has no label) unless
/// options.unlabelled, which reads a sound file or a folder of them without labels (label -1)
/// and lets a `.ts` file declare `@classLabel false`. Lives in twb_audio
/// because twb_data does not link libsndfile. Thread-safe.
Expected<LabelledDataset> loadLabelled(const QString &path,
                                       const LabelledLoadOptions &options = {});

/// True for paths that can only hold labelled cases: a folder (audio per class or named
/// `{label}_...`), a .ts or an .arff file. (A .csv manifest or a labelled .h5 file looks like a
/// series file; the caller must be told.) Looks at the file system only for "is a folder".
bool isLabelledDataPath(const QString &path);

/// True when the name ends in one of the extensions audio folders are scanned for
/// (AudioDatasetOptions::extensions: wav, flac, ogg, oga, aif, aiff), in any letter case.
bool isSoundFileName(const QString &path);

} // namespace twb
