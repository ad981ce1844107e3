#pragma once

#include "SeriesDataset.h"
#include "common/Expected.h"

#include <QStringList>

namespace twb {

/// The channels `names` of `dataset`, in the order given (timestamps, time column and source
/// kept, missing values recounted). An empty list keeps every channel. Errors name the channel
/// that is not in the data (with the data's channels) or is asked twice. Pure function.
///
/// A forecasting run's "channels" setting: `OT` alone is the papers' univariate setting ("S"),
/// a few channels a smaller multivariate problem.
Expected<SeriesDataset> selectChannels(SeriesDataset dataset, const QStringList &names);

/// loadSeries followed by selectChannels: how a run reads its data for training, evaluation,
/// prediction and explanations. Errors name the file.
Expected<SeriesDataset> loadSeriesChannels(const QString &pathSpec, const QStringList &names);

/// "A,B , C" -> {"A", "B", "C"}: comma separated, blanks around names dropped, empty parts
/// dropped.
QStringList parseChannelList(const QString &text);

} // namespace twb
