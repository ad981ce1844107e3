#pragma once

#include "data/SeriesDataset.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/data/Histogram.h"

#include <QChartView>

#include <memory>

class QValueAxis;

namespace twb {

/// The histogram of one channel of a SeriesDataset (NaN and infinite values ignored), with
/// Freedman–Diaconis bins (Sturges when the interquartile range is 0; see computeHistogram),
/// the mean drawn as a solid vertical line and mean ± one standard deviation as dashed lines.
/// x is in the channel's units, y counts values per bin; both axes are titled (xTitle(),
/// yTitle(), also when nothing is shown) and have ticks at round multiples; y runs from 0 to a
/// round count at least 5 % above the highest bar.
///
/// The chart follows a dark palette (followPaletteTheme, Theme.h).
///
/// CSV export: bin, left, right, count (one row per bin).
/// Threading: GUI thread only. The data set is shared read-only with the caller.
class ChannelHistogramView : public QChartView, public CsvExportable
{
    Q_OBJECT

public:
    explicit ChannelHistogramView(QWidget *parent = nullptr);
    ~ChannelHistogramView() override;

    /// Shows channel `channel` of `data` (nullptr or an invalid channel clears the view).
    void setDataset(std::shared_ptr<const SeriesDataset> data, int channel = 0);
    void setChannel(int channel);
    int channel() const { return m_channel; }

    void setBinRule(BinRule rule);
    BinRule binRule() const { return m_rule; }

    /// What is drawn (empty when nothing is shown).
    const Histogram &histogram() const { return m_histogram; }

    CsvTable csvTable() const override;

    /// "<channel> value (channel units)" ("Value (channel units)" without a channel).
    static QString xTitle(const QString &channel);
    /// "Values per bin" (short: the inspector's chart is low).
    static QString yTitle();

private:
    void rebuild();

    std::shared_ptr<const SeriesDataset> m_data;
    int m_channel = 0;
    BinRule m_rule = BinRule::FreedmanDiaconis;
    Histogram m_histogram;
    QValueAxis *m_xAxis = nullptr; ///< owned by the chart
    QValueAxis *m_yAxis = nullptr; ///< owned by the chart
};

} // namespace twb
