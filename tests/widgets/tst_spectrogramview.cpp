#include "data/Hdf5File.h"
#include "widgets/spectrogram/SpectrogramPanel.h"
#include "widgets/spectrogram/SpectrogramView.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <numbers>

using namespace twb;

namespace {

constexpr double kRate = 16000.0;

/// 2 s linear chirp from 500 Hz to 6000 Hz at 16 kHz: instantaneous frequency 500 + 2750 t.
std::vector<float> chirp(double seconds = 2.0)
{
    std::vector<float> s(std::size_t(seconds * kRate));
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = double(i) / kRate;
        s[i] = float(0.5 * std::sin(2 * std::numbers::pi * (500.0 * t + 1375.0 * t * t)));
    }
    return s;
}

QString fsddFile()
{
    return QDir(QStringLiteral(TWB_SHARED_DATA_DIR))
        .filePath(QStringLiteral("fsdd/recordings/0_george_0.wav"));
}

/// The widget pixel whose centre shows time t and frequency hz.
QPoint pixelAt(const SpectrogramView &view, double t, double hz)
{
    const QRect plot = view.plotRect();
    const auto [t0, t1] = view.timeRange();
    const double u = view.frequencyAxis().positionOf(hz);
    const int x = plot.left() + int(std::floor((t - t0) / (t1 - t0) * plot.width()));
    const int y = plot.top() + int(std::floor((1.0 - u) * plot.height()));
    return {x, y};
}

/// The row frequency with the largest value in the pixel column at time t.
double peakHzAt(const SpectrogramView &view, double t)
{
    const QRect plot = view.plotRect();
    const QPoint p = pixelAt(view, t, 1000.0);
    float best = -std::numeric_limits<float>::infinity();
    double hz = -1;
    for (int y = plot.top(); y <= plot.bottom(); ++y) {
        const auto r = view.readoutAt(QPoint(p.x(), y));
        if (r && r->valueDb > best) {
            best = r->valueDb;
            hz = r->rowHz;
        }
    }
    return hz;
}

} // namespace

class tst_SpectrogramView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void tilesArriveOnWorkers();
    void readoutGivesTimeFrequencyAndValue();
    void pixelsShowTheColourOfTheValue();
    void changingOptionsRecomputes();
    void logAndMelAxes();
    void zoomAndScroll();
    void longRecordingUsesFewTiles();
    void filterbankPanel();
    void exports();
    void realSpokenDigit();
    void unreadableFileNamesTheFile();
    void panelDrivesTheView();

private:
    SpectrogramView *m_view = nullptr;
};

void tst_SpectrogramView::init()
{
    m_view = new SpectrogramView;
    m_view->resize(900, 520);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void tst_SpectrogramView::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void tst_SpectrogramView::tilesArriveOnWorkers()
{
    QSignalSpy tiles(m_view, &SpectrogramView::tileArrived);
    QSignalSpy complete(m_view, &SpectrogramView::visibleTilesCompleted);
    QVERIFY(m_view->setSignal(chirp(), kRate, QStringLiteral("chirp")));
    // 2 s at hop 128 = 251 frames: one tile of 256 frames, computed on the pool.
    const SpectrogramComputer *c = m_view->computer();
    QCOMPARE(c->frames(), std::int64_t(1 + 32000 / 128));
    QCOMPARE(c->rows(), 257);
    QVERIFY(complete.wait(5000) || complete.count() == 1);
    QCOMPARE(tiles.count(), 1);
    QCOMPARE(tiles.first().at(0).toInt(), 0); // level 0: every frame
    QVERIFY(m_view->visibleTilesReady());
    QCOMPARE(m_view->tileCache()->pendingCount(), 0);

    // The automatic dB range: 80 dB below the largest value, rounded up to 10 dB.
    QVERIFY(m_view->autoDbRange());
    const dsp::FloatMatrix *tile = m_view->tileCache()->tile(0, 0);
    QVERIFY(tile);
    const float top = *std::max_element(tile->data.begin(), tile->data.end());
    QCOMPARE(m_view->dbRange().top, std::ceil(top / 10.0) * 10.0);
    QCOMPARE(m_view->dbRange().floor, m_view->dbRange().top - 80.0);
    m_view->setDbRange(-50.0, -10.0);
    QVERIFY(!m_view->autoDbRange());
    m_view->setAutoDbRange(true);
    QCOMPARE(m_view->dbRange().top, std::ceil(top / 10.0) * 10.0);
}

void tst_SpectrogramView::readoutGivesTimeFrequencyAndValue()
{
    QVERIFY(m_view->setSignal(chirp(), kRate));
    QTRY_VERIFY(m_view->visibleTilesReady());
    const QRect plot = m_view->plotRect();
    const double secondsPerPixel = 2.0 / plot.width();
    const double hzPerPixel = 8000.0 / plot.height();

    const auto r = m_view->readoutAt(pixelAt(*m_view, 1.0, 3250.0));
    QVERIFY(r);
    QVERIFY2(std::abs(r->timeS - 1.0) <= secondsPerPixel, qPrintable(QString::number(r->timeS)));
    QVERIFY2(std::abs(r->frequencyHz - 3250.0) <= hzPerPixel,
             qPrintable(QString::number(r->frequencyHz)));
    QCOMPARE(r->frame, std::int64_t(std::llround(r->timeS * kRate / 128)));
    QVERIFY(std::abs(r->rowHz - r->frequencyHz) <= 31.25 / 2 + hzPerPixel);
    QVERIFY(!std::isnan(r->valueDb));
    // The chirp is there: the loudest bin of the column at 1 s is at 3250 Hz (+- a bin and the
    // sweep within one 32 ms window), and it is far louder than 1 kHz away.
    QVERIFY2(std::abs(peakHzAt(*m_view, 1.0) - 3250.0) <= 100.0,
             qPrintable(QString::number(peakHzAt(*m_view, 1.0))));
    QVERIFY(std::abs(peakHzAt(*m_view, 0.5) - 1875.0) <= 100.0);
    const auto away = m_view->readoutAt(pixelAt(*m_view, 1.0, 2250.0));
    QVERIFY(r->valueDb - away->valueDb > 40.0);
    QVERIFY(SpectrogramView::readoutText(*r).contains(QStringLiteral(" s  ")));
    QVERIFY(!m_view->readoutAt(QPoint(2, 2)));
}

void tst_SpectrogramView::pixelsShowTheColourOfTheValue()
{
    QVERIFY(m_view->setSignal(chirp(), kRate));
    m_view->setColorMap(ColorMapKind::Grey);
    m_view->setDbRange(-60.0, 20.0);
    QTRY_VERIFY(m_view->visibleTilesReady());
    const QImage shot = m_view->grab().toImage();
    for (const auto &[t, hz] : {std::pair{1.0, 3250.0}, {0.5, 6000.0}, {1.5, 300.0}}) {
        const QPoint p = pixelAt(*m_view, t, hz);
        const auto r = m_view->readoutAt(p);
        QVERIFY(r);
        const QRgb expected =
            ColorMap::get(ColorMapKind::Grey).at(colourIndex(r->valueDb, m_view->dbRange()));
        QCOMPARE(QColor(shot.pixel(p)).rgb(), QColor(expected).rgb());
    }
    // The loud ridge clips to white with the top at -30 dB; silence far below is black.
    m_view->setDbRange(-90.0, -30.0);
    const QImage clipped = m_view->grab().toImage();
    QCOMPARE(QColor(clipped.pixel(pixelAt(*m_view, 1.0, 3250.0))).rgb(), qRgb(255, 255, 255));
}

void tst_SpectrogramView::changingOptionsRecomputes()
{
    QVERIFY(m_view->setSignal(chirp(), kRate));
    QTRY_VERIFY(m_view->visibleTilesReady());
    const std::int64_t before = m_view->tileCache()->deliveredCount();
    QSignalSpy changed(m_view, &SpectrogramView::settingsChanged);

    QVERIFY(m_view->setNFft(1024));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_view->computer()->rows(), 513);
    QCOMPARE(m_view->computer()->settings().stft.hop, 256);
    QTRY_VERIFY(m_view->visibleTilesReady());
    QVERIFY(m_view->tileCache()->deliveredCount() > before);
    QVERIFY(std::abs(peakHzAt(*m_view, 1.0) - 3250.0) <= 100.0);

    QVERIFY(m_view->setHop(64));
    QCOMPARE(m_view->computer()->frames(), std::int64_t(1 + 32000 / 64));
    QVERIFY(m_view->setWindow(dsp::WindowType::Kaiser));
    QVERIFY(m_view->setWindowLength(400));
    QCOMPARE(m_view->computer()->settings().stft.winLength, 400);
    QTRY_VERIFY(m_view->visibleTilesReady());
    QVERIFY(std::abs(peakHzAt(*m_view, 1.0) - 3250.0) <= 100.0);

    // Invalid options are refused and change nothing.
    QSignalSpy errors(m_view, &SpectrogramView::errorOccurred);
    QVERIFY(!m_view->setWindowLength(4096));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(m_view->computer()->settings().stft.winLength, 400);
}

void tst_SpectrogramView::logAndMelAxes()
{
    QVERIFY(m_view->setSignal(chirp(), kRate));
    QVERIFY(m_view->setFrequencyScale(FrequencyScale::Log));
    QCOMPARE(m_view->computer()->rows(), 257); // same bins, drawn on a log axis
    const QRect plot = m_view->plotRect();
    const auto mid = m_view->readoutAt(QPoint(plot.center().x(), plot.top() + plot.height() / 2));
    QVERIFY(mid);
    const double expected = std::sqrt(31.25 * 8000.0); // geometric middle of [sr/nFft, sr/2]
    QVERIFY2(std::abs(mid->frequencyHz / expected - 1.0) < 0.02,
             qPrintable(QString::number(mid->frequencyHz)));
    QTRY_VERIFY(m_view->visibleTilesReady());
    QVERIFY(std::abs(peakHzAt(*m_view, 1.0) - 3250.0) <= 100.0);

    QVERIFY(m_view->setMelBands(64));
    QVERIFY(m_view->setFrequencyScale(FrequencyScale::Mel));
    QCOMPARE(m_view->computer()->rows(), 64); // mel bands from the filterbank
    QVERIFY(m_view->computer()->melBank());
    QTRY_VERIFY(m_view->visibleTilesReady());
    // The loudest band at 1 s is the one whose triangle peaks nearest 3250 Hz.
    const std::vector<double> &centres = m_view->computer()->rowHz();
    const double peak = peakHzAt(*m_view, 1.0);
    const auto nearest = *std::min_element(centres.begin(), centres.end(), [](double a, double b) {
        return std::abs(a - 3250.0) < std::abs(b - 3250.0);
    });
    const double bandSpacing =
        centres[std::size_t(std::find(centres.begin(), centres.end(), nearest) - centres.begin()) +
                1] -
        nearest;
    QVERIFY2(std::abs(peak - nearest) <= bandSpacing + 1e-9, qPrintable(QString::number(peak)));
}

void tst_SpectrogramView::zoomAndScroll()
{
    QVERIFY(m_view->setSignal(chirp(), kRate));
    QSignalSpy ranges(m_view, &SpectrogramView::timeRangeChanged);
    m_view->zoomTime(4.0, 0.5);
    QCOMPARE(m_view->timeRange().first, 0.75);
    QCOMPARE(m_view->timeRange().second, 1.25);
    m_view->scrollTime(0.5);
    QCOMPARE(m_view->timeRange().first, 1.0);
    m_view->scrollTime(10.0); // clamped at the end
    QCOMPARE(m_view->timeRange().second, 2.0);
    QCOMPARE(m_view->timeRange().first, 1.5);
    QVERIFY(ranges.count() >= 3);

    // The wheel zooms around the cursor: the time under it stays put.
    const QRect plot = m_view->plotRect();
    const QPointF at(plot.left() + plot.width() * 0.25, plot.center().y());
    const double before = m_view->readoutAt(at.toPoint())->timeS;
    QWheelEvent wheel(at, m_view->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view, &wheel);
    const auto [z0, z1] = m_view->timeRange();
    QVERIFY(z1 - z0 < 0.5 * 0.75);
    QVERIFY(std::abs(m_view->readoutAt(at.toPoint())->timeS - before) <
            2 * (z1 - z0) / plot.width());

    QTest::keyClick(m_view, Qt::Key_Home);
    QCOMPARE(m_view->timeRange().first, 0.0);
    QCOMPARE(m_view->timeRange().second, 2.0);
    // Zooming in never goes below 8 hops.
    m_view->zoomTime(1e6);
    QVERIFY(std::abs((m_view->timeRange().second - m_view->timeRange().first) - 8 * 128 / kRate) <
            1e-12);
    QTRY_VERIFY(m_view->visibleTilesReady());
}

void tst_SpectrogramView::longRecordingUsesFewTiles()
{
    // 20 minutes of a 1 kHz tone in noise: 150,001 frames (586 tiles at level 0).
    const std::size_t n = std::size_t(20 * 60 * kRate);
    std::vector<float> s(n);
    std::uint32_t seed = 1;
    for (std::size_t i = 0; i < n; ++i) {
        seed = seed * 1664525u + 1013904223u;
        s[i] = 0.3f * float(std::sin(2 * std::numbers::pi * 1000.0 * double(i) / kRate)) +
               0.01f * (float(seed >> 8) / float(1 << 24) - 0.5f);
    }
    QElapsedTimer timer;
    timer.start();
    QVERIFY(m_view->setSignal(std::move(s), kRate));
    QVERIFY(m_view->currentLevel() >= 7);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->visibleTilesReady(), 10000);
    qInfo("first complete screen of 20 min: %lld ms, level %d, %lld tiles",
          static_cast<long long>(timer.elapsed()), m_view->currentLevel(),
          static_cast<long long>(m_view->tileCache()->deliveredCount()));
    // Level 7 keeps every 128th frame: 1172 columns in 5 tiles instead of 586.
    QCOMPARE(m_view->tileCache()->deliveredCount(),
             m_view->computer()->tilesAt(m_view->currentLevel()));
    QVERIFY(m_view->tileCache()->deliveredCount() <= 8);
    QVERIFY(std::abs(peakHzAt(*m_view, 600.0) - 1000.0) <= 31.25);
    // Zoom into one second: level 0 tiles of that second only.
    m_view->setTimeRange(600.0, 601.0);
    QCOMPARE(m_view->currentLevel(), 0);
    QTRY_VERIFY(m_view->visibleTilesReady());
    QVERIFY(std::abs(peakHzAt(*m_view, 600.5) - 1000.0) <= 31.25);
}

void tst_SpectrogramView::filterbankPanel()
{
    QVERIFY(m_view->setSignal(chirp(), kRate));
    const int plotWidth = m_view->plotRect().width();
    QVERIFY(m_view->filterbankRect().isEmpty());
    m_view->setShowFilterbank(true);
    const QRect panel = m_view->filterbankRect();
    QVERIFY(!panel.isEmpty());
    QVERIFY(m_view->plotRect().width() < plotWidth);
    QVERIFY(panel.left() > m_view->plotRect().right());
    const QImage shot = m_view->grab().toImage();
    int coloured = 0;
    for (int y = panel.top() + 20; y < panel.bottom() - 2; ++y)
        for (int x = panel.left() + 2; x < panel.right() - 2; ++x) {
            const QColor c(shot.pixel(x, y));
            coloured += c.saturation() > 100;
        }
    QVERIFY2(coloured > 200, qPrintable(QString::number(coloured))); // the triangles are drawn
}

void tst_SpectrogramView::exports()
{
    QVERIFY(m_view->setSignal(chirp(), kRate, QStringLiteral("chirp")));
    m_view->setTimeRange(0.5, 1.0);
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("s.png"));
    const QString svg = dir.filePath(QStringLiteral("s.svg"));
    const QString csv = dir.filePath(QStringLiteral("s.csv"));
    const QString h5 = dir.filePath(QStringLiteral("s.h5"));
    QVERIFY(m_view->exportTo(png));
    QVERIFY(m_view->exportTo(svg));
    QVERIFY(m_view->exportTo(csv));
    QVERIFY(m_view->exportTo(h5));

    QImage image(png);
    QCOMPARE(image.size(), m_view->size() * m_view->devicePixelRatio());
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains("<image")); // the spectrogram raster inside the vector drawing

    // Frames whose centres are nearest to 0.5 s (62.5 rounds to 63) and 1.0 s: 63 .. 125.
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csvFile.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + (125 - 63 + 1));
    const QList<QByteArray> header = lines.first().split(',');
    QCOMPARE(header.size(), 1 + 257);
    QCOMPARE(header[0], QByteArray("time_s"));
    QCOMPARE(header[2], QByteArray("31.25"));
    QCOMPARE(lines[1].split(',').first().toDouble(), 63 * 128 / kRate);

    Expected<Hdf5Reader> reader = Hdf5Reader::open(h5);
    QVERIFY(reader);
    QCOMPARE(*reader->datasetDims(QStringLiteral("/spectrogram")),
             (std::vector<std::int64_t>{257, 63}));
    QCOMPARE(*reader->stringAttribute(QStringLiteral("/spectrogram"), QStringLiteral("source")),
             QStringLiteral("chirp"));
    QCOMPARE(*reader->numberAttribute(QStringLiteral("/spectrogram"), QStringLiteral("hop")),
             128.0);

    QVERIFY(!m_view->exportTo(dir.filePath(QStringLiteral("s.bmp"))));
}

void tst_SpectrogramView::realSpokenDigit()
{
    const QString path = fsddFile();
    if (!QFile::exists(path))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(path)));
    QVERIFY(m_view->loadAudioFile(path));
    QCOMPARE(m_view->sampleRate(), 8000.0);
    const SpectrogramComputer *c = m_view->computer();
    QCOMPARE(c->frames(), 1 + std::int64_t(c->signal().size()) / 128);
    QTRY_VERIFY(m_view->visibleTilesReady());
    const QRect plot = m_view->plotRect();
    const auto r = m_view->readoutAt(plot.center());
    QVERIFY(r);
    QVERIFY(std::abs(r->frequencyHz - 2000.0) <= 4000.0 / plot.height());
    // Speech: the loudest row on average lies below 1.5 kHz (fundamental and first formants).
    const CsvTable table = m_view->csvTable();
    QCOMPARE(table.rows.size(), int(c->frames()));
    std::vector<double> mean(std::size_t(c->rows()), 0.0);
    for (const QStringList &row : table.rows)
        for (int k = 0; k < c->rows(); ++k)
            mean[std::size_t(k)] += row[k + 1].toDouble();
    const auto loudest = std::max_element(mean.begin(), mean.end()) - mean.begin();
    QVERIFY2(c->rowHz()[std::size_t(loudest)] < 1500.0,
             qPrintable(QString::number(c->rowHz()[std::size_t(loudest)])));
}

void tst_SpectrogramView::unreadableFileNamesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.wav"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("RIFF\x10\x00\x00\x00WAVEjunk", 16);
    f.close();
    const Status s = m_view->loadAudioFile(path);
    QVERIFY(!s);
    QVERIFY(s.error().toString().contains(path));
    QVERIFY(!m_view->hasSignal());
}

void tst_SpectrogramView::panelDrivesTheView()
{
    SpectrogramPanel panel;
    panel.resize(1200, 640);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    SpectrogramView *view = panel.view();
    QVERIFY(view->setSignal(chirp(), kRate));
    QCOMPARE(panel.nFftBox()->currentText(), QStringLiteral("512"));

    panel.nFftBox()->setCurrentIndex(panel.nFftBox()->findData(1024));
    QCOMPARE(view->settings().stft.nFft, 1024);
    QCOMPARE(view->computer()->rows(), 513);
    panel.windowBox()->setCurrentIndex(panel.windowBox()->findText(QStringLiteral("blackman")));
    QCOMPARE(view->settings().stft.window.type, dsp::WindowType::Blackman);
    panel.hopBox()->setValue(100);
    QCOMPARE(view->computer()->settings().stft.hop, 100);
    panel.scaleBox()->setCurrentIndex(panel.scaleBox()->findText(QStringLiteral("mel")));
    panel.melBox()->setValue(80);
    QCOMPARE(view->computer()->rows(), 80);
    panel.colorMapBox()->setCurrentIndex(panel.colorMapBox()->findText(QStringLiteral("inferno")));
    QCOMPARE(view->colorMap(), ColorMapKind::Inferno);
    QTRY_VERIFY(view->visibleTilesReady());

    // Editing the dB range switches the automatic range off.
    QVERIFY(panel.autoRangeBox()->isChecked());
    panel.topBox()->setValue(panel.floorBox()->value() + 30.0);
    QVERIFY(!view->autoDbRange());
    QCOMPARE(view->dbRange().top, view->dbRange().floor + 30.0);
    panel.filterbankBox()->setChecked(true);
    QVERIFY(view->showFilterbank());

    // A window longer than n_fft is refused, shown, and the control goes back.
    panel.windowLengthBox()->setValue(3000);
    QVERIFY(!panel.statusLabel()->text().isEmpty());
    QCOMPARE(panel.windowLengthBox()->value(), 0);
    QCOMPARE(view->settings().stft.winLength, 0);

    // The read-out follows the mouse.
    const QPointF at = view->plotRect().center();
    QMouseEvent move(QEvent::MouseMove, at, view->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(view, &move);
    QCOMPARE(panel.statusLabel()->text(),
             SpectrogramView::readoutText(*view->readoutAt(at.toPoint())));
    QVERIFY(panel.statusLabel()->text().contains(QStringLiteral(" Hz ")));
}

QTEST_MAIN(tst_SpectrogramView)
#include "tst_spectrogramview.moc"
