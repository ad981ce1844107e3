#pragma once

#include "data/SeriesDataset.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/data/Autocorrelation.h"

#include <QChartView>

#include <memory>

class QValueAxis;

namespace twb {

/// The autocorrelation function of one channel of a SeriesDataset up to a maximum lag (in
/// rows), drawn as stems, with the approximate 95 % band of white noise (±1.96 / sqrt(n))
/// shaded. See computeAutocorrelation for the estimator and how missing values are treated.
///
/// CSV export: lag, acf, band_low, band_high.
/// Threading: GUI thread only. The data set is shared read-only with the caller.
class AutocorrelationView : public QChartView, public CsvExportable
{
    Q_OBJECT

public:
    explicit AutocorrelationView(QWidget *parent = nullptr);
    ~AutocorrelationView() override;

    /// Shows channel `channel` of `data` (nullptr or an invalid channel clears the view).
    void setDataset(std::shared_ptr<const SeriesDataset> data, int channel = 0);
    /// Clears the view and says why in its title (e.g. labelled cases are many short series).
    void showUnavailable(const QString &reason);
    void setChannel(int channel);
    int channel() const { return m_channel; }

    /// Lags 0..maxLag (default 200, clamped to rows - 1).
    void setMaxLag(int maxLag);
    int maxLag() const { return m_maxLag; }

    /// What is drawn (empty r when nothing is shown).
    const Autocorrelation &autocorrelation() const { return m_acf; }

    CsvTable csvTable() const override;

private:
    void rebuild();

    std::shared_ptr<const SeriesDataset> m_data;
    int m_channel = 0;
    int m_maxLag = 200;
    Autocorrelation m_acf;
    QValueAxis *m_xAxis = nullptr; ///< owned by the chart
    QValueAxis *m_yAxis = nullptr; ///< owned by the chart
};

} // namespace twb
