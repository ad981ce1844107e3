#include "AutocorrelationView.h"

#include "widgets/common/ChartTicks.h"

#include <QAreaSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>

namespace twb {

AutocorrelationView::AutocorrelationView(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(240, 160);
    chart()->setMargins(QMargins(4, 4, 8, 4));
    chart()->setBackgroundRoundness(0);
    chart()->legend()->setAlignment(Qt::AlignTop);
    m_xAxis = new QValueAxis;
    m_xAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_xAxis->setTitleText(tr("Lag (rows)"));
    m_yAxis = new QValueAxis;
    m_yAxis->setLabelFormat(QStringLiteral("%.2f"));
    m_yAxis->setTitleText(tr("Autocorrelation"));
    chart()->addAxis(m_xAxis, Qt::AlignBottom);
    chart()->addAxis(m_yAxis, Qt::AlignLeft);
    rebuild();
}

AutocorrelationView::~AutocorrelationView() = default;

void AutocorrelationView::setDataset(std::shared_ptr<const SeriesDataset> data, int channel)
{
    m_data = std::move(data);
    m_channel = channel;
    rebuild();
}

void AutocorrelationView::showUnavailable(const QString &reason)
{
    setDataset(nullptr);
    chart()->setTitle(reason);
}

void AutocorrelationView::setChannel(int channel)
{
    m_channel = channel;
    rebuild();
}

void AutocorrelationView::setMaxLag(int maxLag)
{
    m_maxLag = std::max(1, maxLag);
    rebuild();
}

void AutocorrelationView::rebuild()
{
    chart()->removeAllSeries();
    m_acf = {};
    const bool valid = m_data && m_channel >= 0 && m_channel < m_data->channels();
    if (valid)
        m_acf = computeAutocorrelation(m_data->values.data() + m_channel, m_data->rows(),
                                       std::ptrdiff_t(m_data->channels()), m_maxLag);
    // Lags are whole numbers: an empty view spans 0..4 so that its ticks are too.
    m_xAxis->setRange(0.0, m_acf.r.empty() ? 4.0 : double(std::max(1, m_acf.maxLag())));
    m_yAxis->setRange(-1.0, 1.0);
    if (m_acf.r.empty()) {
        chart()->setTitle(valid ? tr("%1: autocorrelation undefined (constant or too few values)")
                                      .arg(m_data->channelNames.value(m_channel))
                                : tr("No channel selected"));
        chart()->legend()->setVisible(false);
        setTickLabelsVisible(chart(), false); // placeholder ranges
        return;
    }
    setTickLabelsVisible(chart(), true);
    chart()->setTitle(tr("%1: autocorrelation of %2 values")
                          .arg(m_data->channelNames.value(m_channel))
                          .arg(m_acf.values));

    const double lastLag = double(m_acf.maxLag());
    auto *band = new QAreaSeries;
    auto *upper = new QLineSeries(band);
    auto *lower = new QLineSeries(band);
    upper->append({QPointF(0.0, m_acf.band), QPointF(lastLag, m_acf.band)});
    lower->append({QPointF(0.0, -m_acf.band), QPointF(lastLag, -m_acf.band)});
    band->setUpperSeries(upper);
    band->setLowerSeries(lower);
    band->setName(tr("95 % band of white noise (\u00b1%1)").arg(m_acf.band, 0, 'g', 3));
    band->setColor(QColor(0x76, 0xb7, 0xb2, 90));
    band->setBorderColor(Qt::transparent);

    auto *stems = new QLineSeries;
    auto *heads = new QScatterSeries;
    stems->setName(tr("ACF"));
    QPen stemPen(QColor(0x4e79a7));
    stemPen.setWidthF(1.2);
    stems->setPen(stemPen);
    heads->setMarkerSize(4.0);
    heads->setColor(QColor(0x4e79a7));
    heads->setBorderColor(QColor(0x4e79a7));
    QList<QPointF> stemPoints;
    QList<QPointF> headPoints;
    for (int k = 0; k <= m_acf.maxLag(); ++k) {
        const double r = m_acf.r[std::size_t(k)];
        stemPoints << QPointF(k, 0.0) << QPointF(k, r) << QPointF(k, 0.0);
        headPoints << QPointF(k, r);
    }
    stems->append(stemPoints);
    heads->append(headPoints);

    for (QAbstractSeries *s :
         {static_cast<QAbstractSeries *>(band), static_cast<QAbstractSeries *>(stems),
          static_cast<QAbstractSeries *>(heads)}) {
        chart()->addSeries(s);
        s->attachAxis(m_xAxis);
        s->attachAxis(m_yAxis);
    }
    if (const auto markers = chart()->legend()->markers(heads); !markers.isEmpty())
        markers.first()->setVisible(false);
    chart()->legend()->setVisible(true);
    const double low = *std::min_element(m_acf.r.begin(), m_acf.r.end());
    m_yAxis->setRange(std::min(-0.2, std::min(low, -m_acf.band) - 0.05), 1.0);
    m_yAxis->applyNiceNumbers();
}

CsvTable AutocorrelationView::csvTable() const
{
    CsvTable table;
    if (m_acf.r.empty())
        return table;
    table.header = {QStringLiteral("lag"), QStringLiteral("acf"), QStringLiteral("band_low"),
                    QStringLiteral("band_high")};
    for (int k = 0; k <= m_acf.maxLag(); ++k)
        table.rows << QStringList{QString::number(k), csvNumber(m_acf.r[std::size_t(k)]),
                                  csvNumber(-m_acf.band), csvNumber(m_acf.band)};
    return table;
}

} // namespace twb
