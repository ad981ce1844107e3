#include "data/Hdf5File.h"
#include "render/ColorMap.h"
#include "render/SpectrogramFile.h"
#include "render/SpectrogramImage.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace twb;

namespace {

const float kNan = std::numeric_limits<float>::quiet_NaN();

/// A published matplotlib table entry (0..1 floats) as 8-bit RGB.
QRgb published(double r, double g, double b)
{
    return qRgb(int(std::lround(r * 255)), int(std::lround(g * 255)), int(std::lround(b * 255)));
}

int maxChannelDifference(QRgb a, QRgb b)
{
    return std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                     std::abs(qBlue(a) - qBlue(b))});
}

} // namespace

class tst_SpectrogramImage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void colourMapAnchors_data();
    void colourMapAnchors();
    void colourMapBetweenAnchors_data();
    void colourMapBetweenAnchors();
    void greyIsLinear();
    void names();
    void colourIndexClipsTheDbRange();
    void renderPutsLowFrequenciesAtTheBottom();
    void renderEmptyMatrix();
    void linearAxis();
    void logAndMelAxesRoundTrip_data();
    void logAndMelAxesRoundTrip();
    void rowsForPixelsPicksTheNearestRow();
    void rowFrequencies();
    void hdf5RoundTrip();
    void hdf5SizeMismatchIsAnError();
};

void tst_SpectrogramImage::colourMapAnchors_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("index");
    QTest::addColumn<uint>("expected");
    const int v = int(ColorMapKind::Viridis), m = int(ColorMapKind::Magma),
              i = int(ColorMapKind::Inferno);
    QTest::newRow("viridis first") << v << 0 << published(0.267004, 0.004874, 0.329415);
    QTest::newRow("viridis middle") << v << 128 << published(0.127568, 0.566949, 0.550556);
    QTest::newRow("viridis last") << v << 255 << published(0.993248, 0.906157, 0.143936);
    QTest::newRow("magma first") << m << 0 << published(0.001462, 0.000466, 0.013866);
    QTest::newRow("magma last") << m << 255 << published(0.987053, 0.991438, 0.749504);
    QTest::newRow("inferno middle") << i << 128 << published(0.735683, 0.215906, 0.330245);
    QTest::newRow("inferno last") << i << 255 << published(0.988362, 0.998364, 0.644924);
}

void tst_SpectrogramImage::colourMapAnchors()
{
    QFETCH(int, kind);
    QFETCH(int, index);
    QFETCH(uint, expected);
    QCOMPARE(ColorMap::get(ColorMapKind(kind)).at(index), QRgb(expected));
}

void tst_SpectrogramImage::colourMapBetweenAnchors_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("index");
    QTest::addColumn<uint>("expected");
    QTest::addColumn<int>("tolerance");
    // Entries of matplotlib's tables that are not anchors: linear interpolation between the
    // anchors stays within 2 steps, except where a channel turns inside an interval (inferno's
    // blue has its minimum at entry 197: 6 steps off at 200).
    QTest::newRow("viridis 100") << int(ColorMapKind::Viridis) << 100
                                 << published(0.166617, 0.463708, 0.558119) << 2;
    QTest::newRow("magma 100") << int(ColorMapKind::Magma) << 100
                               << published(0.537755, 0.156894, 0.506551) << 2;
    QTest::newRow("inferno 200") << int(ColorMapKind::Inferno) << 200
                                 << published(0.985952, 0.615750, 0.025592) << 6;
}

void tst_SpectrogramImage::colourMapBetweenAnchors()
{
    QFETCH(int, kind);
    QFETCH(int, index);
    QFETCH(uint, expected);
    QFETCH(int, tolerance);
    QVERIFY2(maxChannelDifference(ColorMap::get(ColorMapKind(kind)).at(index), expected) <=
                 tolerance,
             qPrintable(QString::number(ColorMap::get(ColorMapKind(kind)).at(index), 16)));
}

void tst_SpectrogramImage::greyIsLinear()
{
    const ColorMap &grey = ColorMap::get(ColorMapKind::Grey);
    for (int i = 0; i < 256; ++i)
        QCOMPARE(grey.at(i), qRgb(i, i, i));
    QCOMPARE(grey.map(0.5), qRgb(128, 128, 128));
    QCOMPARE(grey.map(-3), qRgb(0, 0, 0));
    QCOMPARE(grey.map(7), qRgb(255, 255, 255));
    QCOMPARE(grey.map(std::nan("")), qRgb(0, 0, 0));
}

void tst_SpectrogramImage::names()
{
    for (const QString &name : colorMapNames())
        QCOMPARE(colorMapName(*colorMapFromName(name)), name);
    QCOMPARE(*colorMapFromName(QStringLiteral("Gray")), ColorMapKind::Grey);
    QVERIFY(!colorMapFromName(QStringLiteral("jet")));
    QVERIFY(colorMapFromName(QStringLiteral("jet")).error().reason.contains("jet"));
    QCOMPARE(*frequencyScaleFromName(QStringLiteral("mel")), FrequencyScale::Mel);
    QCOMPARE(frequencyScaleName(FrequencyScale::Log), QStringLiteral("log"));
    QVERIFY(!frequencyScaleFromName(QStringLiteral("bark")));
}

void tst_SpectrogramImage::colourIndexClipsTheDbRange()
{
    const DbRange range{-80.0, 0.0};
    QCOMPARE(colourIndex(-80.0f, range), 0);
    QCOMPARE(colourIndex(-120.0f, range), 0);
    QCOMPARE(colourIndex(0.0f, range), 255);
    QCOMPARE(colourIndex(15.0f, range), 255);
    QCOMPARE(colourIndex(-40.0f, range), 128); // 127.5 rounds up
    QCOMPARE(colourIndex(-60.0f, range), 64);  // 63.75
    QCOMPARE(colourIndex(kNan, range), 0);
    QCOMPARE(colourIndex(-std::numeric_limits<float>::infinity(), range), 0);
    QCOMPARE(colourIndex(-10.0f, DbRange{-20.0, -10.0}), 255);
}

void tst_SpectrogramImage::renderPutsLowFrequenciesAtTheBottom()
{
    dsp::FloatMatrix db(2, 3);
    // row 0 = lowest frequency
    db(0, 0) = -100.0f;
    db(0, 1) = -80.0f;
    db(0, 2) = -40.0f;
    db(1, 0) = 0.0f;
    db(1, 1) = 10.0f;
    db(1, 2) = kNan;
    const ColorMap &map = ColorMap::get(ColorMapKind::Viridis);
    const QImage image = renderSpectrogram(db, map, DbRange{-80.0, 0.0});
    QCOMPARE(image.size(), QSize(3, 2));
    QCOMPARE(image.pixel(0, 1), map.at(0));   // below the floor: clipped
    QCOMPARE(image.pixel(1, 1), map.at(0));   // at the floor
    QCOMPARE(image.pixel(2, 1), map.at(128)); // middle
    QCOMPARE(image.pixel(0, 0), map.at(255)); // at the top, drawn in the top row
    QCOMPARE(image.pixel(1, 0), map.at(255)); // above the top: clipped
    QCOMPARE(image.pixel(2, 0), map.at(0));   // NaN
    QCOMPARE(image.pixel(0, 0), qRgb(253, 231, 37));
    QCOMPARE(image.pixel(0, 1), qRgb(68, 1, 84));
}

void tst_SpectrogramImage::renderEmptyMatrix()
{
    QVERIFY(renderSpectrogram(dsp::FloatMatrix(), ColorMap::get(ColorMapKind::Grey), {}).isNull());
}

void tst_SpectrogramImage::linearAxis()
{
    const FrequencyAxis axis(FrequencyScale::Linear, 0.0, 8000.0);
    QCOMPARE(axis.hzAt(0.0), 0.0);
    QCOMPARE(axis.hzAt(0.5), 4000.0);
    QCOMPARE(axis.hzAt(1.0), 8000.0);
    QCOMPARE(axis.positionOf(2000.0), 0.25);
}

void tst_SpectrogramImage::logAndMelAxesRoundTrip_data()
{
    QTest::addColumn<int>("scale");
    QTest::addColumn<double>("fmin");
    QTest::addColumn<double>("middle");
    QTest::newRow("log") << int(FrequencyScale::Log) << 31.25 << std::sqrt(31.25 * 8000.0);
    // Slaney: linear below 1 kHz (15 mel), then 27 / ln 6.4 mel per e-fold.
    const double melTop = dsp::hzToMel(8000.0, dsp::MelScale::Slaney);
    QTest::newRow("mel") << int(FrequencyScale::Mel) << 0.0
                         << dsp::melToHz(melTop / 2, dsp::MelScale::Slaney);
}

void tst_SpectrogramImage::logAndMelAxesRoundTrip()
{
    QFETCH(int, scale);
    QFETCH(double, fmin);
    QFETCH(double, middle);
    const FrequencyAxis axis(FrequencyScale(scale), fmin, 8000.0);
    QVERIFY(std::abs(axis.hzAt(0.0) - fmin) < 1e-9);
    QVERIFY(std::abs(axis.hzAt(1.0) - 8000.0) < 1e-6);
    QVERIFY(std::abs(axis.hzAt(0.5) - middle) < 1e-6);
    for (double u : {0.1, 0.37, 0.8})
        QVERIFY(std::abs(axis.positionOf(axis.hzAt(u)) - u) < 1e-9);
}

void tst_SpectrogramImage::rowsForPixelsPicksTheNearestRow()
{
    const FrequencyAxis axis(FrequencyScale::Linear, 0.0, 4.0);
    const std::vector<int> rows = axis.rowsForPixels({0, 1, 2, 3, 4}, 5);
    // pixel y samples u = 1 - (y + 0.5) / 5: 3.6, 2.8, 2.0, 1.2, 0.4 Hz
    QCOMPARE(rows, (std::vector<int>{4, 3, 2, 1, 0}));
    const std::vector<int> tall = axis.rowsForPixels({0, 1, 2, 3, 4}, 40);
    QCOMPARE(tall.front(), 4);
    QCOMPARE(tall.back(), 0);
    QVERIFY(std::is_sorted(tall.rbegin(), tall.rend()));
    // Log axis: 0 Hz (bin 0) is never nearer than bin 1.
    const FrequencyAxis log(FrequencyScale::Log, 1.0, 4.0);
    const std::vector<int> logRows = log.rowsForPixels({0, 1, 2, 3, 4}, 8);
    QCOMPARE(logRows.back(), 1);
    QCOMPARE(logRows.front(), 4);
}

void tst_SpectrogramImage::rowFrequencies()
{
    const std::vector<double> hz = stftRowFrequencies(512, 16000.0);
    QCOMPARE(hz.size(), std::size_t(257));
    QCOMPARE(hz[1], 31.25);
    QCOMPARE(hz.back(), 8000.0);
    dsp::MelOptions mel;
    mel.nMels = 40;
    Expected<dsp::MelFilterbank> bank = dsp::MelFilterbank::create(mel);
    QVERIFY(bank);
    const std::vector<double> centres = melRowFrequencies(*bank);
    QCOMPARE(centres.size(), std::size_t(40));
    QCOMPARE(centres.front(), bank->pointsHz()[1]);
    QVERIFY(std::is_sorted(centres.begin(), centres.end()));
}

void tst_SpectrogramImage::hdf5RoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("spec.h5"));
    dsp::FloatMatrix m(3, 2);
    for (int i = 0; i < 6; ++i)
        m.data[std::size_t(i)] = float(i) - 2.5f;
    SpectrogramDescription d;
    d.source = QStringLiteral("a.wav");
    d.sampleRate = 8000;
    d.nFft = 4;
    d.hop = 1;
    d.winLength = 4;
    d.window = QStringLiteral("hann");
    d.db = true;
    QVERIFY(writeSpectrogramHdf5(path, m, {0, 2000, 4000}, {0.0, 0.000125}, d));
    Expected<Hdf5Reader> r = Hdf5Reader::open(path);
    QVERIFY(r);
    Expected<Hdf5FloatArray> a = r->readFloatArray(QStringLiteral("/spectrogram"));
    QVERIFY(a);
    QCOMPARE(a->dims, (std::vector<std::int64_t>{3, 2}));
    QCOMPARE(a->values[5], 2.5f);
    QCOMPARE(*r->numberAttribute(QStringLiteral("/spectrogram"), QStringLiteral("n_fft")), 4.0);
    QCOMPARE(*r->numberAttribute(QStringLiteral("/spectrogram"), QStringLiteral("sample_rate")),
             8000.0);
    QCOMPARE(*r->stringAttribute(QStringLiteral("/spectrogram"), QStringLiteral("units")),
             QStringLiteral("dB"));
    QCOMPARE(r->readArray(QStringLiteral("/frequencies"))->values,
             (std::vector<double>{0, 2000, 4000}));
    QCOMPARE(r->readArray(QStringLiteral("/times"))->dims, (std::vector<std::int64_t>{2}));
}

void tst_SpectrogramImage::hdf5SizeMismatchIsAnError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.h5"));
    const Status s = writeSpectrogramHdf5(path, dsp::FloatMatrix(3, 2), {0, 1}, {0, 1}, {});
    QVERIFY(!s);
    QCOMPARE(s.error().file, path);
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(tst_SpectrogramImage)
#include "tst_spectrogramimage.moc"
