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
/// TRAIN part's classes). A single sound file is refused (it has no label). Lives in twb_audio
/// because twb_data does not link libsndfile. Thread-safe.
Expected<LabelledDataset> loadLabelled(const QString &path,
                                       const LabelledLoadOptions &options = {});

} // namespace twb
