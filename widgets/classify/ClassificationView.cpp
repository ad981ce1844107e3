#include "ClassificationView.h"
#include "NewDataPredictionsView.h"

#include "widgets/classify/ClassMetricsModel.h"
#include "widgets/classify/ConfusionMatrixView.h"
#include "widgets/classify/FoldTable.h"
#include "widgets/classify/MisclassifiedModel.h"
#include "widgets/common/SoundPlayer.h"

#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace twb {

namespace {

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSortingEnabled(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

} // namespace

ClassificationView::ClassificationView(QWidget *parent)
    : QWidget(parent)
{
    m_summary = new QLabel(this);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);

    m_matrix = new ConfusionMatrixView(this);
    m_cellText = new QComboBox(this);
    m_cellText->addItem(tr("Counts"));
    m_cellText->addItem(tr("Row %"));
    m_cellText->setToolTip(tr("What the confusion matrix cells show"));

    m_metricsModel = new ClassMetricsModel(this);
    m_metricsProxy = new ClassMetricsSortProxy(this);
    m_metricsProxy->setSourceModel(m_metricsModel);
    m_metricsTable = makeTable(m_metricsProxy, this);
    m_metricsTable->sortByColumn(ClassMetricsModel::ClassColumn, Qt::AscendingOrder);

    m_examplesModel = new MisclassifiedModel(this);
    m_examplesProxy = new QSortFilterProxyModel(this);
    m_examplesProxy->setSortRole(MisclassifiedModel::SortRole);
    m_examplesProxy->setSourceModel(m_examplesModel);
    m_examplesTable = makeTable(m_examplesProxy, this);
    m_examplesTable->sortByColumn(MisclassifiedModel::CaseColumn, Qt::AscendingOrder);

    m_filterLabel = new QLabel(this);
    m_showMisclassified = new QPushButton(tr("Misclassified"), this);
    m_showAll = new QPushButton(tr("All cases"), this);
    m_play = new QPushButton(tr("Play"), this);
    m_play->setToolTip(tr("Play the selected sound (Space)"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_player = new SoundPlayer(this);

    // Layout: summary on top; matrix left; metrics and cases right.
    auto *matrixPane = new QWidget(this);
    auto *matrixLayout = new QVBoxLayout(matrixPane);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    auto *matrixBar = new QHBoxLayout;
    matrixBar->addWidget(new QLabel(tr("Cells:"), matrixPane));
    matrixBar->addWidget(m_cellText);
    matrixBar->addStretch(1);
    matrixLayout->addLayout(matrixBar);
    matrixLayout->addWidget(m_matrix, 1);

    auto *examplesPane = new QWidget(this);
    auto *examplesLayout = new QVBoxLayout(examplesPane);
    examplesLayout->setContentsMargins(0, 0, 0, 0);
    auto *examplesBar = new QHBoxLayout;
    examplesBar->addWidget(m_filterLabel, 1);
    examplesBar->addWidget(m_showMisclassified);
    examplesBar->addWidget(m_showAll);
    examplesBar->addWidget(m_play);
    examplesLayout->addLayout(examplesBar);
    examplesLayout->addWidget(m_examplesTable, 1);
    examplesLayout->addWidget(m_status);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_metricsTable);
    right->addWidget(examplesPane);
    right->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(matrixPane);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    m_folds = new FoldTable(this);
    m_folds->hide();
    connect(m_folds, &FoldTable::foldActivated, this, &ClassificationView::foldActivated);

    // Under the summary: the run's predictions on new data (filled by the window, see
    // NewDataPredictionsView; its table shows only once there are predictions).
    m_newData = new NewDataPredictionsView(this);
    m_newData->setObjectName(QStringLiteral("newDataPredictions"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_folds);
    layout->addWidget(m_summary);
    layout->addWidget(m_newData);
    layout->addWidget(split, 1);

    connect(m_cellText, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_matrix->setCellText(i == 1 ? ConfusionMatrixView::CellText::RowPercent
                                     : ConfusionMatrixView::CellText::Counts);
    });
    connect(m_matrix, &ConfusionMatrixView::cellActivated, this, &ClassificationView::showCell);
    connect(m_showMisclassified, &QPushButton::clicked, this,
            &ClassificationView::showMisclassified);
    connect(m_showAll, &QPushButton::clicked, this, &ClassificationView::showAllCases);
    connect(m_examplesTable, &QTableView::activated, this, &ClassificationView::activateRow);
    connect(m_examplesTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { updatePlayButton(); });
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (m_player->isPlaying())
            stopPlayback();
        else
            playSelected();
    });
    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), this);
    space->setContext(Qt::WidgetWithChildrenShortcut);
    connect(space, &QShortcut::activated, this, [this] {
        if (m_player->isPlaying())
            stopPlayback();
        else
            playSelected();
    });
    connect(m_player, &SoundPlayer::stateChanged, this, [this] { updatePlayButton(); });
    connect(m_player, &SoundPlayer::errorOccurred, this, &ClassificationView::setStatus);

    clear();
}

ClassificationView::~ClassificationView() = default;

void ClassificationView::setCrossValidation(const CrossValidationTable &table,
                                            const QString &shownRunDir)
{
    m_folds->setTable(table, shownRunDir);
    m_folds->show();
}

void ClassificationView::clearCrossValidation()
{
    m_folds->setTable({}, {});
    m_folds->hide();
}

void ClassificationView::clear()
{
    m_player->stop();
    m_runDir.clear();
    m_predictions.reset();
    m_metrics = {};
    m_sources = {};
    m_matrix->clear();
    m_metricsModel->clear();
    m_examplesModel->setPredictions(nullptr);
    m_summary->setText(tr("No classification run open."));
    setStatus({});
    updateFilterLabel();
    updatePlayButton();
}

void ClassificationView::showFailure(const QString &message)
{
    clear();
    m_summary->setText(message);
}

void ClassificationView::setRun(const ClassificationRunData &run)
{
    clear();
    if (!run.predictions)
        return; // a default-constructed value: nothing to show
    m_runDir = run.runDir;
    m_predictions = run.predictions;
    m_metrics = run.metrics;
    m_sources = ExampleSources(run.sourcesRoot);
    m_matrix->setMatrix(m_metrics.confusion, m_predictions->classNames);
    m_metricsModel->setMetrics(m_metrics, m_predictions->classNames);
    m_examplesModel->setPredictions(m_predictions);
    m_examplesModel->showMisclassified();
    m_metricsTable->resizeColumnsToContents();
    m_examplesTable->resizeColumnsToContents();

    // "ast · test part · accuracy 0.9720 · ..."
    QStringList summary;
    if (!run.model.isEmpty())
        summary << run.model;
    if (!m_predictions->split.isEmpty())
        summary << tr("%1 part").arg(m_predictions->split);
    summary << summaryText();
    m_summary->setText(summary.join(QStringLiteral(" \u00b7 ")));
    updateFilterLabel();
    updatePlayButton();
}

QString ClassificationView::summaryText() const
{
    if (!m_predictions)
        return {};
    const QString dot = QStringLiteral(" \u00b7 ");
    return tr("accuracy %1").arg(m_metrics.accuracy, 0, 'f', 4) + dot +
           tr("balanced accuracy %1").arg(m_metrics.balancedAccuracy, 0, 'f', 4) + dot +
           tr("macro-F1 %1").arg(m_metrics.macroF1, 0, 'f', 4) + dot +
           tr("log-loss %1").arg(m_metrics.logLoss, 0, 'f', 4) + dot +
           tr("%1 cases").arg(m_metrics.examples);
}

QString ClassificationView::exampleLocation(int caseIndex) const
{
    if (!m_predictions || caseIndex < 0 || caseIndex >= m_predictions->cases)
        return {};
    const QString source = m_predictions->sources.value(caseIndex);
    if (const QString audio = m_sources.audioPath(source); !audio.isEmpty())
        return audio;
    if (const QString table = m_sources.tablePath(source); !table.isEmpty())
        return table + source.mid(source.lastIndexOf(QLatin1Char(':')));
    return source;
}

int ClassificationView::selectedCase() const
{
    const QModelIndex current = m_examplesTable->selectionModel()->currentIndex();
    if (!current.isValid())
        return -1;
    return int(m_examplesProxy->data(current, MisclassifiedModel::CaseIndexRole).toLongLong());
}

bool ClassificationView::selectCase(int caseIndex)
{
    for (int row = 0; row < m_examplesProxy->rowCount(); ++row) {
        const QModelIndex index = m_examplesProxy->index(row, 0);
        if (index.data(MisclassifiedModel::CaseIndexRole).toLongLong() == caseIndex) {
            m_examplesTable->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return true;
        }
    }
    return false;
}

bool ClassificationView::playSelected()
{
    const int caseIndex = selectedCase();
    if (caseIndex < 0) {
        setStatus(tr("Select a case to play."));
        return false;
    }
    const QString path = m_sources.audioPath(m_predictions->sources.value(caseIndex));
    if (path.isEmpty()) {
        setStatus(tr("Case %1 (%2) is not a sound file.")
                      .arg(caseIndex)
                      .arg(m_predictions->sources.value(caseIndex)));
        return false;
    }
    setStatus({});
    if (!m_player->play(path))
        return false; // errorOccurred has set the status line
    setStatus(tr("Playing %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void ClassificationView::stopPlayback()
{
    m_player->stop();
    setStatus({});
}

QString ClassificationView::statusText() const
{
    return m_status->text();
}

void ClassificationView::setShowRowPercent(bool percent)
{
    m_cellText->setCurrentIndex(percent ? 1 : 0);
}

void ClassificationView::setStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void ClassificationView::showMisclassified()
{
    m_examplesModel->showMisclassified();
    updateFilterLabel();
}

void ClassificationView::showAllCases()
{
    m_examplesModel->showAll();
    updateFilterLabel();
}

void ClassificationView::showCell(int truth, int predicted)
{
    m_examplesModel->showCell(truth, predicted);
    updateFilterLabel();
}

void ClassificationView::updateFilterLabel()
{
    m_filterLabel->setText(m_predictions ? m_examplesModel->filterDescription() : QString());
    updatePlayButton();
}

void ClassificationView::updatePlayButton()
{
    const int caseIndex = selectedCase();
    const bool audio = m_predictions && caseIndex >= 0 &&
                       ExampleSources::isAudioSource(m_predictions->sources.value(caseIndex));
    m_play->setText(m_player->isPlaying() ? tr("Stop") : tr("Play"));
    m_play->setEnabled(m_player->isPlaying() || audio);
}

void ClassificationView::activateRow(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid())
        return;
    const int caseIndex =
        int(m_examplesProxy->data(proxyIndex, MisclassifiedModel::CaseIndexRole).toLongLong());
    Q_EMIT exampleActivated(exampleLocation(caseIndex), caseIndex);
}

CsvTable ClassificationView::csvTable() const
{
    return m_matrix->csvTable();
}

} // namespace twb
