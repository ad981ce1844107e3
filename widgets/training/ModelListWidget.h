#pragma once

#include "common/Task.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QLabel;
class QListWidget;
class QSplitter;
class QTextBrowser;
class QTreeWidget;

namespace twb {

class ModelRegistry;

/// The model plugins the registry found (name, tasks, version; description and paper of the
/// selected one) and, in a visible warning section, the libraries it refused with the reason.
///
/// The selection defaults to a model that fits the kind of data (preferredTask(), forecast
/// until told otherwise; see preferredModel()): setRegistry() and setPreferredTask() keep the
/// selected model while it supports the task and otherwise select the preferred one. Once a
/// task was given (setPreferredTask), the models that do not support it are listed in grey,
/// their tooltip saying so (they stay selectable: the model panel explains why one cannot
/// train).
///
/// The widget copies what it shows: the registry need not outlive it.
/// Threading: GUI thread only.
class ModelListWidget : public QWidget
{
    Q_OBJECT

public:
    explicit ModelListWidget(QWidget *parent = nullptr);
    ~ModelListWidget() override;

    /// `searched` are the directories that were scanned (shown when nothing was found).
    void setRegistry(const ModelRegistry &registry, const QStringList &searched = {});

    /// The task the loaded data calls for (series: Task::Forecast, labelled cases:
    /// Task::Classify; `sound`: the cases are sound clips). Selects the preferred model for it
    /// unless the selected one fits (see preferredModel()).
    void setPreferredTask(Task task, bool sound = false);
    Task preferredTask() const { return m_task; }

    int modelCount() const { return int(m_models.size()); }
    int problemCount() const { return m_problemCount; }
    /// The id of the selected model, empty if none.
    QString selectedModel() const;
    void selectModel(const QString &id);

Q_SIGNALS:
    void modelSelected(const QString &id);

protected:
    /// Lays the parts out side by side when the widget is wide (docked at the bottom), one
    /// above the other when it is tall (docked at a side).
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Entry
    {
        QString id, name, version, path, description, paper;
        QStringList tasks;
    };

    void showDetails();
    void selectPreferred();
    /// Greys the models that do not support the preferred task (after setPreferredTask).
    void markFitting();
    QString preferredFor(const QString &current) const;

    std::vector<Entry> m_models;
    QStringList m_searched;
    int m_problemCount = 0;
    Task m_task = Task::Forecast;
    bool m_taskGiven = false; ///< setPreferredTask was called: unfit models are greyed
    bool m_sound = false;
    QSplitter *m_splitter = nullptr; ///< tree and details
    QTreeWidget *m_tree = nullptr;
    QTextBrowser *m_details = nullptr;
    QWidget *m_problemBox = nullptr;
    QLabel *m_problemBanner = nullptr;
    QListWidget *m_problemList = nullptr;
};

} // namespace twb
