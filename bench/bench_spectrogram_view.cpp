// The spectrogram view on real audio: time to open and show the first complete screen of a
// one-hour recording (FSDD spoken digits concatenated in memory, repeated to an hour), the time
// to fill the screen after a scroll, and screenshots of a spoken digit and of the long recording.
//
// Usage: twb-bench-spectrogram-view [--data DIR] [--screenshots DIR] [--minutes N]
//        (offscreen by default: QT_QPA_PLATFORM=offscreen; or under xvfb-run)
#include "audio/AudioReader.h"
#include "widgets/spectrogram/SpectrogramView.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>

#include <cstdio>
#include <vector>

using namespace twb;

namespace {

/// Runs the event loop until the view's visible tiles are all there; returns the milliseconds.
double waitForScreen(SpectrogramView &view, QElapsedTimer &timer)
{
    while (!view.visibleTilesReady())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    view.repaint();
    return double(timer.nsecsElapsed()) / 1e6;
}

void save(SpectrogramView &view, const QString &dir, const QString &name)
{
    const QString path = QDir(dir).filePath(name);
    if (Status s = view.exportTo(path); !s)
        std::fprintf(stderr, "%s\n", qPrintable(s.error().toString()));
    else
        std::printf("screenshot: %s\n", qPrintable(path));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QString data = QStringLiteral(TWB_SHARED_DATA_DIR);
    QString shots = QStringLiteral("/tmp");
    double minutes = 60.0;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--data"))
            data = args[++i];
        else if (args[i] == QLatin1String("--screenshots"))
            shots = args[++i];
        else if (args[i] == QLatin1String("--minutes"))
            minutes = args[++i].toDouble();
    }
    const QDir recordings(QDir(data).filePath(QStringLiteral("fsdd/recordings")));
    const QStringList files =
        recordings.entryList({QStringLiteral("*.wav")}, QDir::Files, QDir::Name);
    if (files.isEmpty()) {
        std::fprintf(stderr, "no FSDD recordings in %s\n", qPrintable(recordings.path()));
        return 1;
    }

    SpectrogramView view;
    view.resize(1000, 560);
    view.show();

    // 1. One spoken digit, linear and mel with the filterbank.
    QElapsedTimer timer;
    timer.start();
    if (Status s = view.loadAudioFile(recordings.filePath(QStringLiteral("0_george_0.wav"))); !s) {
        std::fprintf(stderr, "%s\n", qPrintable(s.error().toString()));
        return 1;
    }
    std::printf("digit: first screen %.1f ms\n", waitForScreen(view, timer));
    std::printf("digit: automatic dB range %.0f .. %.0f\n", view.dbRange().floor,
                view.dbRange().top);
    save(view, shots, QStringLiteral("spectrogram-digit.png"));
    (void)view.setFrequencyScale(FrequencyScale::Mel);
    view.setShowFilterbank(true);
    view.setColorMap(ColorMapKind::Magma);
    save(view, shots, QStringLiteral("spectrogram-digit-mel.png"));
    view.setShowFilterbank(false);
    view.setColorMap(ColorMapKind::Viridis);
    (void)view.setFrequencyScale(FrequencyScale::Linear);

    // 2. A long recording: every FSDD file (8 kHz) concatenated, repeated to `minutes`.
    timer.restart();
    std::vector<float> longSignal;
    const auto target = std::size_t(minutes * 60.0 * 8000.0);
    longSignal.reserve(target);
    for (const QString &f : files) {
        Expected<AudioClip> clip = readAudio(recordings.filePath(f));
        if (clip && clip->sampleRate == 8000.0)
            longSignal.insert(longSignal.end(), clip->samples.begin(), clip->samples.end());
    }
    const std::size_t once = longSignal.size();
    while (longSignal.size() < target && once > 0)
        longSignal.insert(longSignal.end(), longSignal.begin(),
                          longSignal.begin() +
                              std::ptrdiff_t(std::min(once, target - longSignal.size())));
    std::printf("long recording: %zu files, %.1f min at 8 kHz, decoded in %.0f ms\n",
                std::size_t(files.size()), double(longSignal.size()) / 8000.0 / 60.0,
                double(timer.nsecsElapsed()) / 1e6);

    timer.restart();
    const std::int64_t before = view.tileCache()->deliveredCount();
    (void)view.setSignal(std::move(longSignal), 8000.0, QStringLiteral("fsdd concatenated"));
    const double firstScreen = waitForScreen(view, timer);
    std::printf("long recording: first complete screen %.1f ms (level %d, %lld tiles)\n",
                firstScreen, view.currentLevel(),
                static_cast<long long>(view.tileCache()->deliveredCount() - before));
    save(view, shots, QStringLiteral("spectrogram-long.png"));

    // 3. Zoomed to 10 s and scrolled: time until the new screen is complete.
    view.setTimeRange(1800.0, 1810.0);
    timer.restart();
    waitForScreen(view, timer);
    double worst = 0.0;
    for (int i = 0; i < 20; ++i) {
        timer.restart();
        view.scrollTime(0.5);
        worst = std::max(worst, waitForScreen(view, timer));
    }
    std::printf("10 s window, 20 scrolls by half a screen: worst %.1f ms to a complete screen\n",
                worst);
    save(view, shots, QStringLiteral("spectrogram-long-zoomed.png"));
    return 0;
}
