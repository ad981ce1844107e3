// ModelPanel, speech separation: choosing it for sound clips (the objective) and the request
// its form describes.

#include "ModelPanel.h"

#include "common/Task.h"
#include "data/ChannelSelection.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelListWidget.h"

#include <QLineEdit>

#include <optional>

namespace twb {

bool ModelPanel::chooseTask(Task task)
{
    const bool sound =
        m_audioRate > 0.0 && (m_taskKind == Task::Classify || m_taskKind == Task::Separate);
    if (!sound || (task != Task::Classify && task != Task::Separate))
        return false;
    if (task != m_taskKind) {
        showTaskForm(task);
        m_list->setPreferredTask(task, true); // convtasnet for separation, ast for classify
        updateState();
    }
    return true;
}

void ModelPanel::followObjective()
{
    if (m_audioRate <= 0.0 || (m_taskKind != Task::Classify && m_taskKind != Task::Separate))
        return;
    const auto wanted = [this] {
        return taskFromName(m_task->rawValues().value(QStringLiteral("objective")).toString());
    };
    if (const std::optional<Task> task = wanted(); !task || *task == m_taskKind)
        return;
    // Not now: the objective's combo box is inside the form that chooseTask rebuilds.
    QMetaObject::invokeMethod(
        this,
        [this, wanted] {
            if (const std::optional<Task> task = wanted())
                chooseTask(*task);
        },
        Qt::QueuedConnection);
}

void ModelPanel::enableHeldOutFields()
{
    const bool speakers = m_task->rawValues().value(QStringLiteral("held_out")).toString() ==
                          QLatin1String("speakers");
    if (auto *glob = m_task->findChild<QLineEdit *>(QStringLiteral("hp_test_glob")))
        glob->setEnabled(!speakers);
    if (auto *groups = m_task->findChild<QLineEdit *>(QStringLiteral("hp_test_groups")))
        groups->setEnabled(speakers);
}

Expected<TrainRequest> ModelPanel::separationRequest(TrainRequest r,
                                                     const HyperparameterValues &task) const
{
    const auto fail = [](const QString &reason) -> Expected<TrainRequest> {
        return Error{reason, {}, 0};
    };
    r.task = QStringLiteral("separate");
    r.sources = task.integer(QStringLiteral("sources"));
    r.levelMin = task.real(QStringLiteral("level_min"));
    r.levelMax = task.real(QStringLiteral("level_max"));
    r.mixSeconds = task.real(QStringLiteral("mix_seconds"));
    r.trainMixtures = task.integer(QStringLiteral("train_mixtures"));
    r.valMixtures = task.integer(QStringLiteral("val_mixtures"));
    r.testMixtures = task.integer(QStringLiteral("test_mixtures"));
    r.valFraction = task.real(QStringLiteral("val_fraction"));
    r.sampleRate = task.real(QStringLiteral("sample_rate"));
    r.speakerBy = task.text(QStringLiteral("speaker_by")).trimmed();
    if (r.speakerBy.isEmpty())
        return fail(tr("Speaker from: say where a recording's speaker is (speaker for FSDD's "
                       "DIGIT_SPEAKER_TAKE names)."));
    if (r.levelMin > r.levelMax)
        return fail(tr("The lowest level (%1 dB) is above the highest (%2 dB).")
                        .arg(r.levelMin)
                        .arg(r.levelMax));
    if (task.text(QStringLiteral("held_out")) == QLatin1String("speakers")) {
        const QStringList speakers = parseChannelList(task.text(QStringLiteral("test_groups")));
        if (QStringList unique = speakers; unique.removeDuplicates() > 0)
            return fail(tr("Test speakers: a speaker is named twice."));
        if (speakers.size() < r.sources)
            return fail(tr("Held-out speakers: name at least %1 test speakers (comma separated), "
                           "one per source of a test mixture, e.g. george,jackson in FSDD.")
                            .arg(r.sources));
        r.groupBy = r.speakerBy;
        r.testGroups = speakers.join(QLatin1Char(','));
        r.valBy = QStringLiteral("cases"); // the training speakers' other recordings
    } else {
        r.testGlob = task.text(QStringLiteral("test_glob")).trimmed();
        if (r.testGlob.isEmpty())
            return fail(tr("Held-out takes: give the pattern of the test files (FSDD: "
                           "*_[0-4].wav)."));
    }
    r.runDir = newRunDir(r);
    return r;
}

} // namespace twb
