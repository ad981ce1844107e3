#include "NewDataPredictionsView.h"

#include <QColor>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace twb {

NewDataPredictionsView::NewDataPredictionsView(QWidget *parent)
    : QWidget(parent)
{
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folder = new QPushButton(tr("Predict a Folder\u2026"));
    m_folder->setObjectName(QStringLiteral("predictFolderButton"));
    m_folder->setToolTip(tr("Classify every sound file in a folder (new recordings, no labels "
                            "needed) with the run's best weights"));
    m_file = new QPushButton(tr("Predict a File\u2026"));
    m_file->setObjectName(QStringLiteral("predictFileButton"));
    m_file->setToolTip(tr("Classify one sound file, or every case of a .ts, .arff or HDF5 file "
                          "with the run's classes"));
    m_save = new QPushButton(tr("Save Predictions\u2026"));
    m_save->setObjectName(QStringLiteral("savePredictionsButton"));
    m_save->setToolTip(tr("Save the table as CSV (source, label, predicted, p_<class>...)"));
    auto *bar = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>New data</b>"));
    bar->addWidget(title);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_folder);
    bar->addWidget(m_file);
    bar->addWidget(m_save);

    m_model = new QStandardItemModel(this);
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setMinimumHeight(120);
    m_table->setMaximumHeight(240); // the results of the run stay in view below

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table);

    connect(m_folder, &QPushButton::clicked, this, &NewDataPredictionsView::folderRequested);
    connect(m_file, &QPushButton::clicked, this, &NewDataPredictionsView::fileRequested);
    connect(m_save, &QPushButton::clicked, this, &NewDataPredictionsView::saveRequested);
    clear();
}

void NewDataPredictionsView::updateButtons()
{
    m_folder->setEnabled(m_runAvailable && !m_busy);
    m_file->setEnabled(m_runAvailable && !m_busy);
    m_save->setEnabled(m_hasPredictions && !m_busy);
    m_table->setVisible(m_hasPredictions);
}

void NewDataPredictionsView::setRunAvailable(bool available)
{
    m_runAvailable = available;
    if (!m_busy && !m_hasPredictions)
        m_summary->setText(available ? tr("classify recordings or cases the run has not seen")
                                     : tr("open a finished classification run first"));
    updateButtons();
}

void NewDataPredictionsView::setBusy(bool busy, const QString &what)
{
    m_busy = busy;
    if (busy) {
        m_hasPredictions = false;
        m_model->clear();
        m_summary->setText(tr("Classifying %1\u2026").arg(QDir::toNativeSeparators(what)));
    }
    updateButtons();
}

void NewDataPredictionsView::clear()
{
    m_busy = false;
    m_hasPredictions = false;
    m_model->clear();
    setRunAvailable(m_runAvailable);
}

void NewDataPredictionsView::showFailure(const QString &message)
{
    m_busy = false;
    m_hasPredictions = false;
    m_model->clear();
    m_summary->setText(message);
    updateButtons();
}

void NewDataPredictionsView::setPredictions(const PredictedCases &predictions,
                                            const QString &dataPath)
{
    m_busy = false;
    m_hasPredictions = true;
    m_model->clear();
    const bool withLabels = predictions.labelled() > 0;
    QStringList header{tr("Source")};
    if (withLabels)
        header << tr("Label");
    header << tr("Predicted");
    for (const QString &name : predictions.classNames)
        header << tr("p(%1) %").arg(name);
    m_model->setHorizontalHeaderLabels(header);
    for (const PredictedCases::Case &c : predictions.cases) {
        QList<QStandardItem *> row;
        auto *source = new QStandardItem(
            QFileInfo(c.source).fileName().isEmpty() ? c.source : QFileInfo(c.source).fileName());
        source->setToolTip(c.source);
        row << source;
        if (withLabels)
            row << new QStandardItem(c.label);
        auto *predicted = new QStandardItem(c.predicted);
        if (withLabels && !c.label.isEmpty() && c.label != c.predicted)
            predicted->setForeground(QColor(0xe1, 0x57, 0x59));
        row << predicted;
        for (const float p : c.probabilities) {
            auto *item = new QStandardItem;
            // A number (sorts as one), rounded to 0.1 %.
            item->setData(std::round(double(p) * 1000.0) / 10.0, Qt::DisplayRole);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            row << item;
        }
        m_model->appendRow(row);
    }
    m_table->resizeColumnsToContents();
    const int n = int(predictions.cases.size());
    QString text = (n == 1 ? tr("1 case of %1") : tr("%1 cases of %2").arg(n))
                       .arg(QDir::toNativeSeparators(QDir::cleanPath(dataPath)));
    if (withLabels) {
        const int labelled = predictions.labelled(), correct = predictions.correct();
        text += tr(": %1 of %2 with a label predicted right (%3 %)")
                    .arg(correct)
                    .arg(labelled)
                    .arg(100.0 * correct / std::max(1, labelled), 0, 'f', 1);
    }
    m_summary->setText(text);
    updateButtons();
}

} // namespace twb
