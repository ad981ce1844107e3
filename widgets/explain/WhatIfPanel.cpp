#include "WhatIfPanel.h"

#include "widgets/explain/WhatIfChart.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>

namespace twb {

namespace {

std::size_t argmax(const std::vector<float> &p)
{
    return std::size_t(std::max_element(p.begin(), p.end()) - p.begin());
}

/// A one-line description of what an edit changed, for the status line.
QString describeAnswer(const WhatIfAnswer &a)
{
    const QString masked =
        WhatIfPanel::tr("%1 of %2 input values masked").arg(a.changedInputs).arg(a.inputValues);
    if (a.classify) {
        const std::size_t before = argmax(a.original), after = argmax(a.edited);
        return WhatIfPanel::tr("%1: %2. Predicted “%3” (p = %4) → “%5” (p = %6); p(%3) after "
                               "the edit = %7.")
            .arg(a.label, masked, a.names.value(qsizetype(before)))
            .arg(double(a.original[before]), 0, 'f', 3)
            .arg(a.names.value(qsizetype(after)))
            .arg(double(a.edited[after]), 0, 'f', 3)
            .arg(double(a.edited[before]), 0, 'f', 3);
    }
    if (const std::optional<double> before = a.change.meanSiSnri(false),
        after = a.change.meanSiSnri(true);
        a.separate && before && after)
        return WhatIfPanel::tr("%1: %2. SI-SNRi %3 dB → %4 dB (mean over %5 sources).")
            .arg(a.label, masked)
            .arg(*before, 0, 'f', 2)
            .arg(*after, 0, 'f', 2)
            .arg(a.cols);
    QString text = WhatIfPanel::tr("%1: %2. Forecast changed by %3 on average, %4 at most")
                       .arg(a.label, masked)
                       .arg(a.change.meanAbsChange, 0, 'g', 3)
                       .arg(a.change.maxAbsChange, 0, 'g', 3);
    if (a.change.mseOriginal && a.change.mseEdited)
        text += WhatIfPanel::tr("; MSE against the truth %1 → %2")
                    .arg(*a.change.mseOriginal, 0, 'g', 3)
                    .arg(*a.change.mseEdited, 0, 'g', 3);
    return text + QLatin1Char('.');
}

} // namespace

WhatIfPanel::WhatIfPanel(QWidget *parent)
    : QWidget(parent)
{
    m_chart = new WhatIfChart(this);
    m_chart->setObjectName(QStringLiteral("whatIfChart"));
    m_chart->setMinimumHeight(260);

    m_maskToken = new QPushButton(tr("Mask selected token"), this);
    m_maskToken->setObjectName(QStringLiteral("maskTokenButton"));
    m_maskToken->setToolTip(tr("Set the input the explorer's query token covers to the train "
                               "mean: a patch, a variate or a spectrogram tile."));
    m_headOff = new QPushButton(tr("Switch selected head off"), this);
    m_headOff->setObjectName(QStringLiteral("headOffButton"));
    m_headOff->setToolTip(tr("Remove the output of the head chosen in the explorer (mode "
                             "\"head\") from its layer."));
    m_rowFrom = new QSpinBox(this);
    m_rowFrom->setObjectName(QStringLiteral("maskFrom"));
    m_rowTo = new QSpinBox(this);
    m_rowTo->setObjectName(QStringLiteral("maskTo"));
    m_rowFrom->setPrefix(tr("rows "));
    m_rowTo->setPrefix(tr("to "));
    m_rowFrom->setToolTip(tr("First masked input row (time step or frame, from 0)"));
    m_rowTo->setToolTip(tr("Masked rows end before this one"));
    m_column = new QComboBox(this);
    m_column->setObjectName(QStringLiteral("maskColumn"));
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_column->setToolTip(tr("The column masked: every channel (a time range) or one channel "
                            "(mel bin)"));
    m_maskRegion = new QPushButton(tr("Mask"), this);
    m_maskRegion->setObjectName(QStringLiteral("maskRegionButton"));
    m_maskRegion->setToolTip(tr("Set these rows of the chosen column(s) to the train mean"));
    m_list = new QListWidget(this);
    m_list->setMinimumWidth(240);
    m_list->setToolTip(tr("The edits applied together; select one and press Remove to undo it"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_clear = new QPushButton(tr("Clear"), this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *selected = new QHBoxLayout;
    selected->addWidget(m_maskToken);
    selected->addWidget(m_headOff);
    auto *region = new QHBoxLayout;
    region->addWidget(m_rowFrom);
    region->addWidget(m_rowTo);
    region->addWidget(m_column, 1);
    region->addWidget(m_maskRegion);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_remove);
    listButtons->addWidget(m_clear);
    auto *editColumn = new QVBoxLayout;
    editColumn->addLayout(selected);
    editColumn->addLayout(region);
    editColumn->addWidget(m_list, 1);
    editColumn->addLayout(listButtons);
    auto *body = new QHBoxLayout;
    body->addLayout(editColumn, 0);
    body->addWidget(m_chart, 1);
    auto *box = new QGroupBox(tr("What if… (edit the input or the model; the prediction after "
                                 "the edits is drawn next to the original)"),
                              this);
    auto *boxLayout = new QVBoxLayout(box);
    boxLayout->addLayout(body, 1);
    boxLayout->addWidget(m_status);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(box);

    connect(m_maskToken, &QPushButton::clicked, this, [this] { addTokenMask(m_selectedToken); });
    connect(m_headOff, &QPushButton::clicked, this,
            [this] { addHeadOff(m_selectedLayer, m_selectedHead); });
    connect(m_maskRegion, &QPushButton::clicked, this, [this] {
        const int column = m_column->currentIndex() - 1; // 0 = every column
        addRegion(m_rowFrom->value(), m_rowTo->value(), column < 0 ? 0 : column,
                  column < 0 ? -1 : column + 1);
    });
    connect(m_remove, &QPushButton::clicked, this, [this] { removeEdit(m_list->currentRow()); });
    connect(m_clear, &QPushButton::clicked, this, &WhatIfPanel::clearEdits);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] { updateButtons(); });
    setRun({});
}

WhatIfPanel::~WhatIfPanel() = default;

void WhatIfPanel::setRun(const QString &runDir)
{
    m_runDir = runDir;
    m_sample = -1;
    m_tokenLabels.clear();
    m_columnNames.clear();
    m_inputRows = 0;
    m_edits.clear();
    m_list->clear();
    m_chart->setResult({});
    setStatus(runDir.isEmpty() ? tr("No run.")
                               : tr("Show the attention of a sample to edit it here."));
    updateButtons();
    Q_EMIT runChanged(runDir);
}

void WhatIfPanel::setSample(qint64 index, const QStringList &tokenLabels, int tokenChannel,
                            int inputRows, const QStringList &columnNames)
{
    const bool sameShape = inputRows == m_inputRows && columnNames == m_columnNames &&
                           tokenLabels.size() == m_tokenLabels.size();
    m_sample = index;
    m_tokenLabels = tokenLabels;
    m_tokenChannel = tokenChannel;
    if (!sameShape) {
        m_edits.clear();
        m_list->clear();
    }
    setInputShape(inputRows, columnNames, sameShape);
    updateButtons();
    requestPrediction();
}

void WhatIfPanel::setSampleWithoutTokens(qint64 index)
{
    const bool shapeKnown = m_sample >= 0 && m_tokenLabels.isEmpty() && m_inputRows > 0;
    if (shapeKnown && index == m_sample)
        return; // shown already, with the edits made on it
    // Another test sample of the same run has the same input: the edits still fit.
    if (shapeKnown)
        setSample(index, {}, -1, m_inputRows, m_columnNames);
    else
        setSample(index, {}, -1, 0, {});
}

void WhatIfPanel::setInputShape(int inputRows, const QStringList &columnNames, bool keepChoice)
{
    m_inputRows = inputRows;
    m_columnNames = columnNames;
    const QSignalBlocker blockFrom(m_rowFrom), blockTo(m_rowTo), blockColumn(m_column);
    m_rowFrom->setRange(0, std::max(0, inputRows - 1));
    m_rowTo->setRange(1, std::max(1, inputRows));
    if (!keepChoice) {
        m_rowFrom->setValue(0);
        m_rowTo->setValue(std::max(1, inputRows / 4));
        m_column->clear();
        m_column->addItem(tr("of every column"));
        for (const QString &name : columnNames)
            m_column->addItem(tr("of %1").arg(name));
    }
}

void WhatIfPanel::setSelectedToken(int token)
{
    m_selectedToken = token;
    updateButtons();
}

void WhatIfPanel::setSelectedHead(int layer, int head, bool headMode)
{
    m_selectedLayer = layer;
    m_selectedHead = head;
    m_headMode = headMode;
    updateButtons();
}

void WhatIfPanel::addTokenMask(int token)
{
    if (token < 0 || token >= m_tokenLabels.size())
        return;
    QString text = tr("mask token %1: %2").arg(token).arg(m_tokenLabels[token]);
    if (m_tokenChannel >= 0 && m_tokenChannel < m_columnNames.size())
        text += tr(" of %1").arg(m_columnNames[m_tokenChannel]);
    addEdit({Edit::Kind::Token, token, -1, 0, -1, text});
}

void WhatIfPanel::addRegion(qint64 rowBegin, qint64 rowEnd, qint64 colBegin, qint64 colEnd)
{
    if (rowEnd != -1 && rowEnd <= rowBegin) {
        setStatus(tr("Rows %1 to %2 are empty: the end must come after the start.")
                      .arg(rowBegin)
                      .arg(rowEnd));
        return;
    }
    const QString columns = colEnd == colBegin + 1 && colBegin < m_columnNames.size()
                                ? m_columnNames[qsizetype(colBegin)]
                            : colBegin == 0 && colEnd == -1
                                ? tr("every column")
                                : tr("columns %1 to %2").arg(colBegin).arg(colEnd);
    addEdit({Edit::Kind::Region, rowBegin, rowEnd, colBegin, colEnd,
             tr("mask rows %1–%2 of %3").arg(rowBegin).arg(rowEnd).arg(columns)});
}

void WhatIfPanel::addHeadOff(int layer, int head)
{
    addEdit({Edit::Kind::Head, layer, head, 0, -1,
             tr("switch off head %1 of layer %2").arg(head).arg(layer)});
}

void WhatIfPanel::addEdit(Edit edit)
{
    for (const Edit &e : m_edits)
        if (e.kind == edit.kind && e.a == edit.a && e.b == edit.b && e.c == edit.c && e.d == edit.d)
            return; // already applied
    m_list->addItem(edit.text);
    m_edits.push_back(std::move(edit));
    editsChanged();
}

void WhatIfPanel::removeEdit(int row)
{
    if (row < 0 || std::size_t(row) >= m_edits.size())
        return;
    m_edits.erase(m_edits.begin() + row);
    delete m_list->takeItem(row);
    editsChanged();
}

void WhatIfPanel::clearEdits()
{
    if (m_edits.empty())
        return;
    m_edits.clear();
    m_list->clear();
    editsChanged();
}

void WhatIfPanel::editsChanged()
{
    updateButtons();
    requestPrediction();
}

WhatIfEdit WhatIfPanel::edit() const
{
    WhatIfEdit edit;
    edit.tokenChannel = m_tokenChannel;
    for (const Edit &e : m_edits) {
        switch (e.kind) {
        case Edit::Kind::Token:
            edit.tokens.push_back(int(e.a));
            break;
        case Edit::Kind::Region:
            edit.regions.push_back({e.a, e.b, e.c, e.d});
            break;
        case Edit::Kind::Head:
            edit.headsOff.push_back({int(e.a), int(e.b)});
            break;
        }
    }
    return edit;
}

void WhatIfPanel::requestPrediction()
{
    if (m_runDir.isEmpty() || m_sample < 0)
        return;
    setStatus(m_edits.empty()
                  ? tr("Predicting sample %1…").arg(m_sample)
                  : tr("Predicting sample %1 with %n edit(s)…", nullptr, int(m_edits.size()))
                        .arg(m_sample));
    Q_EMIT predictionRequested(m_sample, edit());
}

void WhatIfPanel::showModelLoaded()
{
    setStatus(tr("Model loaded; computing…"));
}

void WhatIfPanel::showAnswer(WhatIfAnswer answer)
{
    // A sample without an attention set learns its input's shape from its first answer.
    if (m_inputRows == 0 && answer.index == m_sample && answer.inputRows > 0) {
        setInputShape(answer.inputRows, answer.inputNames, false);
        updateButtons();
    }
    setStatus(tr("%1 (%2 ms)").arg(describeAnswer(answer)).arg(answer.milliseconds, 0, 'f', 0));
    m_chart->setResult(std::move(answer));
    Q_EMIT resultShown();
}

void WhatIfPanel::showFailure(const QString &message)
{
    setStatus(message);
    Q_EMIT failed(message);
}

void WhatIfPanel::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString WhatIfPanel::statusText() const
{
    return m_status->text();
}

void WhatIfPanel::updateButtons()
{
    const bool hasSample = !m_runDir.isEmpty() && m_sample >= 0;
    m_maskToken->setEnabled(hasSample && m_selectedToken >= 0 &&
                            m_selectedToken < m_tokenLabels.size());
    m_maskToken->setText(hasSample && m_selectedToken < m_tokenLabels.size()
                             ? tr("Mask token %1").arg(m_selectedToken)
                             : tr("Mask selected token"));
    m_headOff->setEnabled(hasSample && m_headMode && !m_tokenLabels.isEmpty());
    m_headOff->setText(
        hasSample && m_headMode
            ? tr("Switch off head %1 of layer %2").arg(m_selectedHead).arg(m_selectedLayer)
            : tr("Switch selected head off"));
    m_maskRegion->setEnabled(hasSample && m_inputRows > 0);
    m_remove->setEnabled(m_list->currentRow() >= 0);
    m_clear->setEnabled(!m_edits.empty());
}

CsvTable WhatIfPanel::csvTable() const
{
    return m_chart->csvTable();
}

} // namespace twb
