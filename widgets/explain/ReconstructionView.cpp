#include "ReconstructionView.h"

#include "ReconstructionPlot.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace twb {

ReconstructionView::ReconstructionView(QWidget *parent)
    : QWidget(parent)
    , m_window(new QComboBox)
    , m_channel(new QComboBox)
    , m_summary(new QLabel)
    , m_plot(new ReconstructionPlot)
{
    m_window->setObjectName(QStringLiteral("reconstructionWindow"));
    m_channel->setObjectName(QStringLiteral("reconstructionChannel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Test window")));
    controls->addWidget(m_window);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Channel")));
    controls->addWidget(m_channel);
    controls->addStretch(1);
    auto *legend = new QLabel(
        tr("<span style='background:#ffd6aa'>&nbsp;shaded&nbsp;</span> hidden from the model · "
           "<b>dark</b>: the series it saw · dashed: the hidden truth · "
           "<b style='color:#d66000'>orange</b>: its reconstruction (only the hidden values "
           "count in the loss; faint where it saw the input)"));
    legend->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_summary);
    layout->addWidget(m_plot, 1);
    layout->addWidget(legend);
    connect(m_window, &QComboBox::currentIndexChanged, this, &ReconstructionView::showSelection);
    connect(m_channel, &QComboBox::currentIndexChanged, this, &ReconstructionView::showSelection);
    showFailure(tr("Open a finished pretraining run (task pretrain) in the Runs tab."));
}

void ReconstructionView::setSamples(ReconstructionSamples samples)
{
    m_samples = std::move(samples);
    {
        const QSignalBlocker blockWindow(m_window);
        const QSignalBlocker blockChannel(m_channel);
        m_window->clear();
        for (const ReconstructionWindow &w : m_samples.windows)
            m_window->addItem(w.startRow >= 0 ? tr("%1 (from row %2)").arg(w.index).arg(w.startRow)
                                              : QString::number(w.index));
        m_channel->clear();
        m_channel->addItems(m_samples.channels);
        // The last channel first: the target of ETT-style files (OT), the one users look at.
        m_channel->setCurrentIndex(int(m_samples.channels.size()) - 1);
    }
    m_window->setEnabled(true);
    m_channel->setEnabled(true);
    showSelection();
}

void ReconstructionView::showFailure(const QString &message)
{
    m_samples = {};
    {
        const QSignalBlocker blockWindow(m_window);
        const QSignalBlocker blockChannel(m_channel);
        m_window->clear();
        m_channel->clear();
    }
    m_window->setEnabled(false);
    m_channel->setEnabled(false);
    m_summary->setText(message);
    m_plot->clear();
}

QString ReconstructionView::summaryText() const
{
    return m_summary->text();
}

CsvTable ReconstructionView::csvTable() const
{
    CsvTable table;
    const int w = m_window->currentIndex();
    const int c = m_channel->currentIndex();
    if (w < 0 || c < 0 || w >= int(m_samples.windows.size()) || c >= m_samples.channels.size())
        return table;
    const ReconstructionWindow &window = m_samples.windows[std::size_t(w)];
    const QString name = m_samples.channels[c];
    table.header = {QStringLiteral("step"), QStringLiteral("row"), name,
                    name + QStringLiteral(" reconstruction"), QStringLiteral("hidden")};
    const std::vector<float> &values = window.values[std::size_t(c)];
    for (std::size_t t = 0; t < values.size(); ++t)
        table.rows.append(
            {QString::number(t),
             window.startRow >= 0 ? QString::number(window.startRow + std::int64_t(t)) : QString(),
             csvNumber(values[t]), csvNumber(window.reconstruction[std::size_t(c)][t]),
             window.hidden[std::size_t(c)][t] ? QStringLiteral("1") : QStringLiteral("0")});
    return table;
}

void ReconstructionView::showSelection()
{
    const int w = m_window->currentIndex();
    const int c = m_channel->currentIndex();
    if (w < 0 || c < 0 || w >= int(m_samples.windows.size()) || c >= m_samples.channels.size()) {
        m_plot->clear();
        return;
    }
    const ReconstructionWindow &window = m_samples.windows[std::size_t(w)];
    std::int64_t hidden = 0;
    for (bool h : window.hidden[std::size_t(c)])
        hidden += h ? 1 : 0;
    m_summary->setText(
        tr("Window %1 of the %2 test windows, %3 steps; %4; %5 of this channel's steps hidden. "
           "Masked MSE of the window (normalised scale, all channels): %6.")
            .arg(window.index)
            .arg(m_samples.testWindows)
            .arg(m_samples.lookback)
            .arg(m_samples.masking.isEmpty() ? tr("masking not recorded") : m_samples.masking)
            .arg(hidden)
            .arg(window.maskedMse, 0, 'f', 4));
    m_plot->setSeries(window.values[std::size_t(c)], window.reconstruction[std::size_t(c)],
                      window.hidden[std::size_t(c)], m_samples.channels[c]);
}

} // namespace twb
