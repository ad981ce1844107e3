#pragma once

#include "common/Task.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace twb {

/// A model as far as choosing a default is concerned: its id and the task names it supports
/// ("forecast", "classify", ...; as in PluginRecord::tasks).
struct ModelTasks
{
    QString id;
    QStringList tasks;
};

/// The model to select for data of kind `task`, among `models` (in list order):
/// - for sound clips (`sound` and Task::Classify): ast when listed, whatever is selected (the
///   spectrogram model is the default for audio);
/// - `current` when it is listed and supports `task` (the user's choice is kept while it fits);
/// - else the first listed of the task's preferred models (forecast: patchtst, dlinear,
///   itransformer; classify: tst, t2, ast; separate: convtasnet, sepformer);
/// - else the first listed model that supports `task`;
/// - else `current` when listed, else the first model; empty when `models` is empty.
/// Pure function; any thread.
QString preferredModel(const std::vector<ModelTasks> &models, Task task, const QString &current,
                       bool sound = false);

} // namespace twb
