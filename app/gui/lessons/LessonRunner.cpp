#include "LessonRunner.h"

#include "LessonLibrary.h"
#include "MainWindow.h"
#include "TrainingController.h"

#include "widgets/common/WidgetHighlight.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelListWidget.h"
#include "widgets/training/ModelPanel.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace twb {

LessonRunner::LessonRunner(MainWindow *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
{}

LessonRunner::~LessonRunner()
{
    disconnectWaits();
}

void LessonRunner::start(const Lesson &lesson)
{
    stop();
    m_lesson = lesson;
    m_active = true;
    m_step = -1;
    Q_EMIT activeChanged(true);
}

void LessonRunner::stop()
{
    disconnectWaits();
    setBusy(false);
    const bool wasActive = m_active;
    m_active = false;
    m_step = -1;
    WidgetHighlight::clear(m_window);
    if (wasActive)
        Q_EMIT activeChanged(false);
}

bool LessonRunner::next()
{
    if (!m_active || m_busy || m_step + 1 >= int(m_lesson.steps.size()))
        return false;
    ++m_step;
    WidgetHighlight::clear(m_window);
    Q_EMIT stepShown(m_step);
    runActions();
    return true;
}

bool LessonRunner::back()
{
    if (!m_active || m_busy || m_step <= 0)
        return false;
    --m_step;
    Q_EMIT stepShown(m_step);
    highlightCurrent();
    return true;
}

bool LessonRunner::retry()
{
    if (!m_active || m_busy || m_step < 0)
        return false;
    runActions();
    return true;
}

void LessonRunner::runActions()
{
    m_action = 0;
    setBusy(true);
    runNextAction();
}

void LessonRunner::runNextAction()
{
    const LessonStep &step = m_lesson.steps.at(std::size_t(m_step));
    if (m_action >= step.actions.size()) {
        setBusy(false);
        highlightCurrent();
        Q_EMIT stepDone(m_step);
        return;
    }
    const LessonAction &action = step.actions.at(m_action);
    switch (action.kind) {
    case LessonAction::Kind::Open:
    case LessonAction::Kind::OpenLabelled:
        open(action);
        break;
    case LessonAction::Kind::Model:
        selectModel(action);
        break;
    case LessonAction::Kind::Set:
        setValues(action);
        break;
    case LessonAction::Kind::Reset:
        m_window->modelPanel()->hyperparameterForm()->resetToDefaults();
        m_window->modelPanel()->taskForm()->resetToDefaults();
        finishAction();
        break;
    case LessonAction::Kind::Train:
        train();
        break;
    case LessonAction::Kind::Tab:
        showTab(action);
        break;
    case LessonAction::Kind::Explain:
        explain(action);
        break;
    case LessonAction::Kind::Widget:
        setWidget(action);
        break;
    case LessonAction::Kind::Click:
        click(action);
        break;
    }
}

void LessonRunner::finishAction()
{
    disconnectWaits();
    ++m_action;
    // Queued: a signal that ended the wait finishes its other receivers first.
    QMetaObject::invokeMethod(this, &LessonRunner::runNextAction, Qt::QueuedConnection);
}

void LessonRunner::fail(const QString &message)
{
    disconnectWaits();
    setBusy(false);
    highlightCurrent();
    Q_EMIT stepFailed(m_step, message);
}

void LessonRunner::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void LessonRunner::disconnectWaits()
{
    for (const QMetaObject::Connection &connection : m_waits)
        disconnect(connection);
    m_waits.clear();
}

QWidget *LessonRunner::findTarget(const QString &objectName) const
{
    if (objectName.isEmpty())
        return nullptr;
    return m_window->findChild<QWidget *>(objectName);
}

void LessonRunner::reveal(QWidget *widget)
{
    // Outermost first: a tab inside a dock needs the dock shown before the tab matters.
    QList<QWidget *> chain;
    for (QWidget *w = widget; w; w = w->parentWidget())
        chain.prepend(w);
    for (QWidget *w : chain) {
        if (auto *dock = qobject_cast<QDockWidget *>(w)) {
            dock->show();
            dock->raise();
        }
        QWidget *parent = w->parentWidget();
        auto *stack = qobject_cast<QStackedWidget *>(parent);
        if (stack && qobject_cast<QTabWidget *>(stack->parentWidget()))
            static_cast<QTabWidget *>(stack->parentWidget())->setCurrentWidget(w);
    }
    for (QWidget *w = widget->parentWidget(); w; w = w->parentWidget()) {
        if (auto *area = qobject_cast<QScrollArea *>(w); area && area->widget()) {
            // As much of it as fits, from its top-left corner: a view larger than the viewport
            // is read from there.
            const QPoint corner = widget->mapTo(area->widget(), QPoint(0, 0));
            const int w = std::min(widget->width(), area->viewport()->width()) / 2;
            const int h = std::min(widget->height(), area->viewport()->height()) / 2;
            area->ensureVisible(corner.x() + w, corner.y() + h, w, h);
            break;
        }
    }
}

void LessonRunner::highlightCurrent()
{
    if (m_step < 0)
        return;
    QWidget *target = findTarget(m_lesson.steps.at(std::size_t(m_step)).highlight);
    if (!target) {
        WidgetHighlight::clear(m_window);
        return;
    }
    reveal(target);
    WidgetHighlight::highlight(target);
}

void LessonRunner::open(const LessonAction &action)
{
    const QString path = findLessonData(action.text);
    if (path.isEmpty()) {
        fail(tr("This lesson needs the data file \"%1\", which is in none of the data folders "
                "(%2). Choose the folder that holds it with \"Data folder…\".")
                 .arg(action.text, lessonDataDirectories().join(QStringLiteral(", "))));
        return;
    }
    Q_EMIT activity(tr("Opening %1\u2026").arg(action.text));
    auto done = [this, path](const QString &opened) {
        if (QFileInfo(opened).absoluteFilePath() == QFileInfo(path).absoluteFilePath())
            finishAction();
    };
    m_waits.push_back(connect(m_window, &MainWindow::datasetLoaded, this, done));
    m_waits.push_back(connect(m_window, &MainWindow::labelledDataLoaded, this,
                              [done](const QString &opened, const QString &) { done(opened); }));
    m_waits.push_back(connect(m_window, &MainWindow::loadFailed, this,
                              [this](const QString &, const QString &message) { fail(message); }));
    if (action.kind == LessonAction::Kind::OpenLabelled)
        m_window->openLabelled(path);
    else
        m_window->openFile(path);
}

void LessonRunner::selectModel(const LessonAction &action)
{
    ModelListWidget *models = m_window->modelPanel()->modelList();
    models->selectModel(action.text);
    if (models->selectedModel() != action.text) {
        fail(tr("The model \"%1\" is not in the registry (is its plugin built and found?).")
                 .arg(action.text));
        return;
    }
    finishAction();
}

void LessonRunner::setValues(const LessonAction &action)
{
    HyperparameterForm *model = m_window->modelPanel()->hyperparameterForm();
    HyperparameterForm *task = m_window->modelPanel()->taskForm();
    for (auto it = action.values.begin(); it != action.values.end(); ++it) {
        if (!model->setValue(it.key(), it.value()) && !task->setValue(it.key(), it.value())) {
            fail(tr("The setting \"%1\" is neither a hyperparameter of the selected model nor a "
                    "training setting.")
                     .arg(it.key()));
            return;
        }
    }
    QStringList errors = model->errors();
    errors << task->errors();
    if (!errors.isEmpty()) {
        fail(errors.join(QLatin1Char('\n')));
        return;
    }
    finishAction();
}

void LessonRunner::train()
{
    ModelPanel *panel = m_window->modelPanel();
    const Expected<TrainRequest> request = panel->request();
    if (!request) {
        fail(request.error().toString());
        return;
    }
    Q_EMIT activity(
        tr("Training %1\u2026 (the Training tab shows its progress)").arg(request->modelId));
    m_runDir.clear();
    m_waits.push_back(connect(panel, &ModelPanel::trainRequested, this,
                              [this](const TrainRequest &r) { m_runDir = r.runDir; }));
    m_waits.push_back(connect(
        m_window->trainingController(), &TrainingController::runEnded, this,
        [this](const TrainRequest &r, TrainingDashboard::Outcome outcome, const QString &message) {
            if (r.runDir != m_runDir)
                return;
            if (outcome != TrainingDashboard::Outcome::Finished) {
                fail(tr("The training run did not finish: %1").arg(message));
                return;
            }
            // The window opens a finished run itself unless the user turned that off.
            if (!QSettings().value(QLatin1String(MainWindow::OpenFinishedRunsKey), true).toBool())
                m_window->openRun(r.runDir);
        }));
    m_waits.push_back(connect(m_window, &MainWindow::runShown, this, [this](const QString &dir) {
        if (!m_runDir.isEmpty() && dir == m_runDir)
            finishAction();
    }));
    panel->train();
    if (m_runDir.isEmpty())
        fail(tr("Training did not start."));
}

void LessonRunner::showTab(const LessonAction &action)
{
    QTabWidget *tabs = m_window->centralTabs();
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->tabText(i).remove(QLatin1Char('&')) == action.text) {
            tabs->setCurrentIndex(i);
            finishAction();
            return;
        }
    }
    fail(tr("The window has no tab \"%1\".").arg(action.text));
}

void LessonRunner::explain(const LessonAction &action)
{
    AttentionPanel *panel = m_window->attentionPanel();
    reveal(panel);
    panel->sampleBox()->setValue(action.value.toInt());
    Q_EMIT activity(
        tr("Computing the attention of test sample %1\u2026").arg(action.value.toInt()));
    m_waits.push_back(
        connect(panel, &AttentionPanel::attentionShown, this, [this] { finishAction(); }));
    m_waits.push_back(connect(panel, &AttentionPanel::failed, this,
                              [this](const QString &message) { fail(message); }));
    if (!panel->compute())
        fail(tr("The Explain tab has no run to explain."));
}

void LessonRunner::setWidget(const LessonAction &action)
{
    QWidget *target = findTarget(action.text);
    if (!target) {
        fail(tr("The window has no widget named \"%1\".").arg(action.text));
        return;
    }
    reveal(target);
    const QVariant &value = action.value;
    bool set = false;
    if (auto *spin = qobject_cast<QSpinBox *>(target)) {
        bool isNumber = false;
        const int wanted = value.toInt(&isNumber);
        if (isNumber)
            spin->setValue(wanted);
        set = isNumber && spin->value() == wanted;
    } else if (auto *real = qobject_cast<QDoubleSpinBox *>(target)) {
        bool isNumber = false;
        const double wanted = value.toDouble(&isNumber);
        if (isNumber)
            real->setValue(wanted);
        // The box rounds to its decimals and clamps to its range: kept only if within rounding.
        set =
            isNumber && std::abs(real->value() - wanted) <= 0.5 * std::pow(10.0, -real->decimals());
    } else if (auto *combo = qobject_cast<QComboBox *>(target)) {
        const int index = combo->findText(value.toString());
        if (index >= 0)
            combo->setCurrentIndex(index);
        set = index >= 0;
    } else if (auto *check = qobject_cast<QCheckBox *>(target)) {
        check->setChecked(value.toBool());
        set = true;
    } else if (auto *line = qobject_cast<QLineEdit *>(target)) {
        line->setText(value.toString());
        Q_EMIT line->editingFinished();
        set = true;
    }
    if (!set) {
        fail(tr("\"%1\" cannot take the value \"%2\".").arg(action.text, value.toString()));
        return;
    }
    finishAction();
}

void LessonRunner::click(const LessonAction &action)
{
    auto *button = qobject_cast<QAbstractButton *>(findTarget(action.text));
    if (!button || !button->isEnabled()) {
        fail(button ? tr("The button \"%1\" is disabled.").arg(button->text())
                    : tr("The window has no button named \"%1\".").arg(action.text));
        return;
    }
    reveal(button);
    button->click();
    finishAction();
}

} // namespace twb
