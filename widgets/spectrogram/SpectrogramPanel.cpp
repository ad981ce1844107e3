#include "SpectrogramPanel.h"

#include "dsp/Window.h"
#include "widgets/spectrogram/SpectrogramView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace twb {

namespace {

QLabel *caption(const QString &text, QWidget *parent)
{
    return new QLabel(text, parent);
}

} // namespace

SpectrogramPanel::SpectrogramPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new SpectrogramView(this))
{
    m_view->setObjectName(QStringLiteral("spectrogramView"));
    m_window = new QComboBox(this);
    m_window->setObjectName(QStringLiteral("spectrogramWindow"));
    for (auto type :
         {dsp::WindowType::Hann, dsp::WindowType::Hamming, dsp::WindowType::Blackman,
          dsp::WindowType::BlackmanHarris, dsp::WindowType::Kaiser, dsp::WindowType::Rectangular})
        m_window->addItem(dsp::windowName(type), int(type));
    m_nFft = new QComboBox(this);
    m_nFft->setObjectName(QStringLiteral("spectrogramNfft"));
    for (int n : {128, 256, 512, 1024, 2048, 4096})
        m_nFft->addItem(QString::number(n), n);
    m_winLength = new QSpinBox(this);
    m_winLength->setObjectName(QStringLiteral("spectrogramWinLength"));
    m_winLength->setRange(0, 4096);
    m_winLength->setSpecialValueText(tr("= n_fft"));
    m_hop = new QSpinBox(this);
    m_hop->setObjectName(QStringLiteral("spectrogramHop"));
    m_hop->setRange(0, 4096);
    m_hop->setSpecialValueText(tr("n_fft/4"));
    m_scale = new QComboBox(this);
    m_scale->setObjectName(QStringLiteral("spectrogramScale"));
    for (auto s : {FrequencyScale::Linear, FrequencyScale::Log, FrequencyScale::Mel})
        m_scale->addItem(frequencyScaleName(s), int(s));
    m_mels = new QSpinBox(this);
    m_mels->setObjectName(QStringLiteral("spectrogramMels"));
    m_mels->setRange(8, 256);
    m_colorMap = new QComboBox(this);
    for (auto c :
         {ColorMapKind::Viridis, ColorMapKind::Magma, ColorMapKind::Inferno, ColorMapKind::Grey})
        m_colorMap->addItem(colorMapName(c), int(c));
    m_autoRange = new QCheckBox(tr("auto"), this);
    m_floor = new QDoubleSpinBox(this);
    m_top = new QDoubleSpinBox(this);
    m_floor->setObjectName(QStringLiteral("spectrogramFloor"));
    m_top->setObjectName(QStringLiteral("spectrogramTop"));
    for (QDoubleSpinBox *box : {m_floor, m_top}) {
        box->setRange(-300.0, 300.0);
        box->setDecimals(0);
        box->setSingleStep(5.0);
        box->setSuffix(QStringLiteral(" dB"));
    }
    m_filterbank = new QCheckBox(tr("filterbank"), this);
    m_status = new QLabel(this);
    m_status->setMinimumWidth(220);

    // Two rows, so that the panel fits beside the docks of a 1366-pixel-wide screen.
    auto *analysis = new QHBoxLayout;
    const std::pair<QString, QWidget *> analysisItems[] = {
        {tr("Window"), m_window}, {tr("n_fft"), m_nFft}, {tr("length"), m_winLength},
        {tr("hop"), m_hop},       {tr("axis"), m_scale}, {tr("mel"), m_mels},
    };
    auto *display = new QHBoxLayout;
    const std::pair<QString, QWidget *> displayItems[] = {
        {tr("colours"), m_colorMap}, {tr("dB"), m_floor}, {QString(), m_top}};
    for (const auto &[text, widget] : analysisItems) {
        analysis->addWidget(caption(text, this));
        analysis->addWidget(widget);
    }
    analysis->addStretch(1);
    for (const auto &[text, widget] : displayItems) {
        if (!text.isEmpty())
            display->addWidget(caption(text, this));
        display->addWidget(widget);
    }
    display->addWidget(m_autoRange);
    display->addWidget(m_filterbank);
    display->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(analysis);
    layout->addLayout(display);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    syncFromView();
    for (QComboBox *box : {m_window, m_nFft, m_scale, m_colorMap})
        connect(box, &QComboBox::currentIndexChanged, this, &SpectrogramPanel::apply);
    for (QSpinBox *box : {m_winLength, m_hop, m_mels})
        connect(box, &QSpinBox::valueChanged, this, &SpectrogramPanel::apply);
    for (QDoubleSpinBox *box : {m_floor, m_top})
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] {
            if (!m_syncing)
                m_autoRange->setChecked(false);
            apply();
        });
    for (QCheckBox *box : {m_autoRange, m_filterbank})
        connect(box, &QCheckBox::toggled, this, &SpectrogramPanel::apply);
    connect(m_view, &SpectrogramView::readoutChanged, m_status, &QLabel::setText);
    connect(m_view, &SpectrogramView::errorOccurred, m_status, &QLabel::setText);
    connect(m_view, &SpectrogramView::tileArrived, this, [this] {
        if (m_view->autoDbRange())
            syncFromView(); // the automatic range follows the data
    });
    connect(m_view, &SpectrogramView::settingsChanged, this, &SpectrogramPanel::syncFromView);
}

void SpectrogramPanel::syncFromView()
{
    m_syncing = true;
    const SpectrogramSettings &s = m_view->settings();
    m_window->setCurrentIndex(m_window->findData(int(s.stft.window.type)));
    m_nFft->setCurrentIndex(m_nFft->findData(s.stft.nFft));
    m_winLength->setValue(s.stft.winLength);
    m_hop->setValue(s.stft.hop);
    m_scale->setCurrentIndex(m_scale->findData(int(s.scale)));
    m_mels->setValue(s.nMels);
    m_mels->setEnabled(s.scale == FrequencyScale::Mel || m_view->showFilterbank());
    m_colorMap->setCurrentIndex(m_colorMap->findData(int(m_view->colorMap())));
    m_autoRange->setChecked(m_view->autoDbRange());
    m_floor->setValue(m_view->dbRange().floor);
    m_top->setValue(m_view->dbRange().top);
    m_filterbank->setChecked(m_view->showFilterbank());
    m_syncing = false;
}

void SpectrogramPanel::apply()
{
    if (m_syncing)
        return;
    // Read every control first: applying settings re-synchronises the controls.
    SpectrogramSettings s = m_view->settings();
    s.stft.window.type = dsp::WindowType(m_window->currentData().toInt());
    s.stft.nFft = m_nFft->currentData().toInt();
    s.stft.winLength = m_winLength->value();
    s.stft.hop = m_hop->value();
    s.scale = FrequencyScale(m_scale->currentData().toInt());
    s.nMels = m_mels->value();
    const auto colorMap = ColorMapKind(m_colorMap->currentData().toInt());
    const bool autoRange = m_autoRange->isChecked();
    const double floor = m_floor->value();
    const double top = m_top->value();
    const bool filterbank = m_filterbank->isChecked();

    const SpectrogramSettings &current = m_view->settings();
    const bool changed =
        s.stft.window.type != current.stft.window.type || s.stft.nFft != current.stft.nFft ||
        s.stft.winLength != current.stft.winLength || s.stft.hop != current.stft.hop ||
        s.scale != current.scale || s.nMels != current.nMels;
    if (changed) {
        if (Status st = m_view->setSettings(s); !st) {
            m_status->setText(st.error().toString());
            syncFromView();
            return;
        }
    }
    m_view->setColorMap(colorMap);
    if (autoRange)
        m_view->setAutoDbRange(true);
    else if (floor < top)
        m_view->setDbRange(floor, top);
    m_view->setShowFilterbank(filterbank);
    syncFromView();
}

} // namespace twb
