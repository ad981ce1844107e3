// The Separation view (issue 24): the examples of a speech separation run, the summary of the
// chosen one, its spectrograms and playback, and the export of its sources and of itself.

#include "audio/AudioReader.h"
#include "client/SeparationFile.h"
#include "data/Hdf5File.h"
#include "widgets/common/SoundPlayer.h"
#include "widgets/separate/SeparationClip.h"
#include "widgets/separate/SeparationClips.h"
#include "widgets/separate/SeparationView.h"
#include "widgets/spectrogram/SpectrogramView.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <cmath>

using namespace twb;

namespace {

constexpr double kRate = 8000.0;
constexpr int kSamples = 4000; // half a second

/// A tone of `hz` with a slow envelope, `gain` loud.
std::vector<float> tone(double hz, double gain)
{
    std::vector<float> out(kSamples);
    for (int t = 0; t < kSamples; ++t)
        out[std::size_t(t)] = float(gain * std::sin(2.0 * M_PI * hz * t / kRate) *
                                    (0.6 + 0.4 * std::sin(2.0 * M_PI * 3.0 * t / kRate)));
    return out;
}

/// n scored mixtures of S sources, the first m kept as waveforms. SI-SNRi of mixture i, source
/// s = 9.5 - 2 s + i; SDRi = that - 1; SI-SNR = that + 3; SDR = SI-SNR - 1; levels 0, -2.5 s dB.
SeparationResults makeResults(int n, int s, int m)
{
    SeparationResults r;
    r.path = QStringLiteral("/runs/sep/predictions.h5");
    r.sampleRate = kRate;
    r.sourceCount = s;
    r.samples = kSamples;
    const QStringList speakers{"george", "jackson", "theo", "nicolas"};
    for (int i = 0; i < n; ++i) {
        QStringList names;
        for (int k = 0; k < s; ++k) {
            names << QStringLiteral("%1_%2_%3.wav").arg((i + k) % 10).arg(speakers[k % 4]).arg(i);
            const double siSnri = 9.5 - 2.0 * k + i;
            r.siSnri.push_back(siSnri);
            r.sdri.push_back(siSnri - 1.0);
            r.siSnr.push_back(siSnri + 3.0);
            r.sdr.push_back(siSnri + 2.0);
            r.levelsDb.push_back(-2.5 * k);
        }
        r.mixtureSources << names.join(QStringLiteral(" + "));
    }
    for (int i = 0; i < m; ++i) {
        SeparationWaveforms w;
        w.mixture.assign(kSamples, 0.0f);
        for (int k = 0; k < s; ++k) {
            w.references.push_back(tone(300.0 * (k + 1) + 50.0 * i, 0.3));
            w.estimates.push_back(tone(300.0 * (k + 1) + 50.0 * i, 0.25));
            for (int t = 0; t < kSamples; ++t)
                w.mixture[std::size_t(t)] += w.references.back()[std::size_t(t)];
        }
        r.listenable.push_back(std::move(w));
    }
    return r;
}

} // namespace

class tst_SeparationView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsEmpty();
    void showsTheExamples();
    void choosingAnExampleChangesTheSummary();
    void spectrogramsShareOneDbRange();
    void timeAxesStartAtTheSoundAndMoveTogether();
    void playbackPlaysOrSaysWhy();
    void exportsSourcesAsWav();
    void exportsTheExampleAsHdf5();
    void exportButtonsAskTheWindow();
    void moreSourcesRebuildTheClips();
    void failureClearsTheView();
    void withoutWaveformsShowsTheMeans();
    void csvListsEveryMixture();
};

void tst_SeparationView::startsEmpty()
{
    SeparationView view;
    QCOMPARE(view.currentExample(), -1);
    QVERIFY(!view.exampleBox()->isEnabled());
    QVERIFY(!view.exportSourcesButton()->isEnabled());
    QVERIFY(view.summaryText().contains(QStringLiteral("task separate")));
    QVERIFY(view.csvTable().header.isEmpty());
}

void tst_SeparationView::showsTheExamples()
{
    SeparationView view;
    view.resize(1000, 900);
    view.show();
    view.setResults(makeResults(5, 2, 3));
    QCOMPARE(view.exampleBox()->count(), 3); // the listenable ones, not all 5
    QCOMPARE(view.currentExample(), 0);
    // Each item: its number, its utterances and its mean SI-SNRi ((9.5 + 7.5) / 2 + i).
    QCOMPARE(view.exampleBox()->itemText(0),
             QStringLiteral("1: 0_george_0.wav + 1_jackson_0.wav · SI-SNRi 8.50 dB"));
    QCOMPARE(view.exampleBox()->itemText(2),
             QStringLiteral("3: 2_george_2.wav + 3_jackson_2.wav · SI-SNRi 10.50 dB"));
    // The mixture, and per source its reference and estimate, each with a spectrogram.
    auto *mixture = view.findChild<SeparationClip *>(QStringLiteral("separationMixture"));
    QCOMPARE(mixture, view.mixtureClip());
    for (int s = 1; s <= 2; ++s) {
        const QString n = QString::number(s);
        auto *reference =
            view.findChild<SeparationClip *>(QStringLiteral("separationReference") + n);
        auto *estimate = view.findChild<SeparationClip *>(QStringLiteral("separationEstimate") + n);
        QVERIFY(reference && estimate);
        QCOMPARE(reference, view.referenceClip(s - 1));
        QCOMPARE(estimate, view.estimateClip(s - 1));
        QVERIFY(view.findChild<QToolButton *>(QStringLiteral("separationEstimate") + n +
                                              QStringLiteral("Play")));
    }
    QVERIFY(!view.referenceClip(2));
    for (SeparationClip *clip : {view.mixtureClip(), view.referenceClip(0), view.estimateClip(1)}) {
        QVERIFY(clip->spectrogram()->hasSignal());
        QCOMPARE(clip->spectrogram()->sampleRate(), kRate);
        QCOMPARE(clip->spectrogram()->durationSeconds(), kSamples / kRate);
        QVERIFY(clip->playButton()->isEnabled());
        QCOMPARE(clip->playButton()->text(), QStringLiteral("Play"));
    }
    // 32 ms frames at 8 kHz: 256 samples, hop 64.
    QCOMPARE(view.mixtureClip()->spectrogram()->settings().stft.nFft, 256);
    QCOMPARE(view.mixtureClip()->spectrogram()->settings().stft.hop, 64);
    QCOMPARE(view.estimateClip(1)->samples(), view.results().listenable[0].estimates[1]);
    QVERIFY(view.referenceClip(1)->title().contains(QStringLiteral("1_jackson_0.wav")));
    QVERIFY(view.referenceClip(1)->title().contains(QStringLiteral("level -2.5 dB")));
    QVERIFY(view.estimateClip(1)->title().contains(QStringLiteral("SI-SNRi 7.50 dB")));
    QVERIFY(view.estimateClip(1)->title().contains(QStringLiteral("SDRi 6.50 dB")));
    QCOMPARE(view.estimateClip(1)->playButton()->toolTip(),
             QStringLiteral("Play Mixture 1, estimate 2"));
}

void tst_SeparationView::choosingAnExampleChangesTheSummary()
{
    SeparationView view;
    view.setResults(makeResults(5, 2, 3));
    const QString test = QStringLiteral("Test part, 5 mixtures: SI-SNRi 10.50 dB, SDRi 9.50 dB, "
                                        "SI-SNR 13.50 dB, SDR 12.50 dB");
    // The mean of the example's sources, then each source's value.
    QVERIFY2(view.summaryText().startsWith(
                 QStringLiteral("Mixture 1 of 5 (0.50 s at 8000 Hz): SI-SNRi 8.50 dB (9.50 / "
                                "7.50 dB), SDRi 7.50 dB (8.50 / 6.50 dB)")),
             qPrintable(view.summaryText()));
    QVERIFY2(view.summaryText().contains(test), qPrintable(view.summaryText()));

    view.exampleBox()->setCurrentIndex(2);
    QCOMPARE(view.currentExample(), 2);
    QVERIFY2(view.summaryText().contains(
                 QStringLiteral("Mixture 3 of 5 (0.50 s at 8000 Hz): SI-SNRi 10.50 dB (11.50 / "
                                "9.50 dB), SDRi 9.50 dB (10.50 / 8.50 dB)")),
             qPrintable(view.summaryText()));
    QVERIFY(view.summaryText().contains(test)); // the test means do not change
    QCOMPARE(view.estimateClip(0)->samples(), view.results().listenable[2].estimates[0]);
    QCOMPARE(view.mixtureClip()->samples(), view.results().listenable[2].mixture);
    QVERIFY(view.estimateClip(0)->title().contains(QStringLiteral("SI-SNRi 11.50 dB")));

    QVERIFY(view.setCurrentExample(1));
    QCOMPARE(view.exampleBox()->currentIndex(), 1);
    QVERIFY(view.summaryText().contains(QStringLiteral("Mixture 2 of 5")));
    QVERIFY(!view.setCurrentExample(3)); // scored but not kept as sound
    QVERIFY(!view.setCurrentExample(-1));
    QCOMPARE(view.currentExample(), 1);
    QCOMPARE(view.suggestedExampleFileName(), QStringLiteral("mixture-2.h5"));
}

void tst_SeparationView::spectrogramsShareOneDbRange()
{
    SeparationView view;
    view.resize(1000, 900);
    view.show();
    view.setResults(makeResults(2, 2, 2));
    const DbRange range = view.mixtureClip()->spectrogram()->dbRange();
    QCOMPARE(range.top - range.floor, 80.0);
    // The mixture of two tones of 0.3 is the loudest: its top is the range's top.
    for (SeparationClip *clip : {view.referenceClip(0), view.referenceClip(1), view.estimateClip(0),
                                 view.estimateClip(1)}) {
        QVERIFY(!clip->spectrogram()->autoDbRange());
        QCOMPARE(clip->spectrogram()->dbRange().top, range.top);
        QCOMPARE(clip->spectrogram()->dbRange().floor, range.floor);
    }
}

void tst_SeparationView::timeAxesStartAtTheSoundAndMoveTogether()
{
    SeparationView view;
    view.resize(1000, 900);
    view.show();
    SeparationResults r = makeResults(2, 2, 2);
    // Mixture 2: sound for its first 2000 samples (0.25 s), zero padding after.
    SeparationWaveforms &w = r.listenable[1];
    for (std::vector<float> *v : {&w.mixture, &w.references[0], &w.references[1]})
        std::fill(v->begin() + 2000, v->end(), 0.0f);
    view.setResults(std::move(r));
    // Mixture 1 sounds throughout: all of it is shown.
    QCOMPARE(view.mixtureClip()->spectrogram()->timeRange(), std::make_pair(0.0, 0.5));
    QVERIFY(view.setCurrentExample(1));
    const double end = 0.25 * 1.05 + 0.02;
    for (SeparationClip *clip : view.clips()->all()) {
        QCOMPARE(clip->spectrogram()->timeRange().first, 0.0);
        QCOMPARE(clip->spectrogram()->timeRange().second, end);
    }
    QVERIFY(view.mixtureClip()->title().contains(
        QStringLiteral("levels 0.0 / -2.5 dB · 0.25 s of sound")));
    // Zooming one estimate's spectrogram moves every other one.
    view.estimateClip(1)->spectrogram()->setTimeRange(0.1, 0.2);
    for (SeparationClip *clip : view.clips()->all()) {
        QCOMPARE(clip->spectrogram()->timeRange().first, 0.1);
        QCOMPARE(clip->spectrogram()->timeRange().second, 0.2);
    }
}

void tst_SeparationView::playbackPlaysOrSaysWhy()
{
    SeparationView view;
    view.setResults(makeResults(2, 2, 2));
    SeparationClip *estimate = view.estimateClip(1);
    const bool played = view.togglePlayback(estimate);
    QCOMPARE(view.player()->currentFile(), QStringLiteral("Mixture 1, estimate 2"));
    if (played) { // a machine with an audio device
        QVERIFY(view.player()->isPlaying());
        QCOMPARE(estimate->playButton()->text(), QStringLiteral("Stop"));
        QCOMPARE(view.mixtureClip()->playButton()->text(), QStringLiteral("Play"));
        QVERIFY(view.togglePlayback(estimate)); // Stop
        QVERIFY(!view.player()->isPlaying());
    } else { // offscreen / CI: the reason in the status line, naming the sound
        QCOMPARE(view.player()->state(), SoundPlayer::State::Error);
        QVERIFY2(view.statusText().startsWith(QStringLiteral("Mixture 1, estimate 2: ")),
                 qPrintable(view.statusText()));
        qInfo("no playback here: %s", qPrintable(view.statusText()));
    }
    QCOMPARE(estimate->playButton()->text(), QStringLiteral("Play"));
    QVERIFY(!view.togglePlayback(nullptr));
}

void tst_SeparationView::exportsSourcesAsWav()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SeparationView view;
    view.setResults(makeResults(3, 2, 3));
    view.setCurrentExample(1);
    const QString folder = dir.filePath(QStringLiteral("out"));
    Expected<QStringList> written = view.exportSources(folder);
    QVERIFY2(written, qPrintable(written ? QString() : written.error().toString()));
    QCOMPARE(*written, (QStringList{folder + QStringLiteral("/mixture-2-estimate-1.wav"),
                                    folder + QStringLiteral("/mixture-2-estimate-2.wav")}));
    for (int s = 0; s < 2; ++s) {
        Expected<AudioClip> clip = readAudio(written->at(s));
        QVERIFY2(clip, qPrintable(clip ? QString() : clip.error().toString()));
        QCOMPARE(clip->sampleRate, kRate);
        QCOMPARE(clip->samples, view.results().listenable[1].estimates[std::size_t(s)]);
    }
    QVERIFY(view.statusText().contains(QStringLiteral("mixture-2-estimate-1.wav")));

    // A folder that cannot be made: refused by name.
    QFile blocker(dir.filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString bad = dir.filePath(QStringLiteral("file/sub"));
    Expected<QStringList> refused = view.exportSources(bad);
    QVERIFY(!refused);
    QCOMPARE(refused.error().file, bad);
    QCOMPARE(view.statusText(), refused.error().toString());
}

void tst_SeparationView::exportsTheExampleAsHdf5()
{
    QTemporaryDir dir;
    SeparationView view;
    view.setResults(makeResults(4, 2, 3));
    view.setCurrentExample(2);
    const QString path = dir.filePath(view.suggestedExampleFileName());
    const Status saved = view.exportExample(path);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(view.statusText(), QStringLiteral("Saved ") + path);
    // No temporary file is left beside it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("mixture-3.h5")});

    Expected<Hdf5Reader> reader = Hdf5Reader::open(path);
    QVERIFY(reader);
    const SeparationWaveforms &w = view.results().listenable[2];
    Expected<Hdf5FloatArray> mixture = reader->readFloatArray(QStringLiteral("/mixture"));
    QVERIFY(mixture);
    QCOMPARE(mixture->dims, (std::vector<std::int64_t>{kSamples}));
    QCOMPARE(mixture->values, w.mixture);
    Expected<Hdf5FloatArray> estimates = reader->readFloatArray(QStringLiteral("/estimates"));
    QVERIFY(estimates);
    QCOMPARE(estimates->dims, (std::vector<std::int64_t>{2, kSamples}));
    QCOMPARE(estimates->values[std::size_t(kSamples) + 17], w.estimates[1][17]);
    Expected<Hdf5FloatArray> references = reader->readFloatArray(QStringLiteral("/references"));
    QVERIFY(references);
    QCOMPARE(references->values[5], w.references[0][5]);
    Expected<Hdf5Array> siSnri = reader->readArray(QStringLiteral("/si_snri"));
    QVERIFY(siSnri);
    QCOMPARE(siSnri->values, (std::vector<double>{11.5, 9.5}));
    Expected<Hdf5Array> sdr = reader->readArray(QStringLiteral("/sdr"));
    QVERIFY(sdr);
    QCOMPARE(sdr->values, (std::vector<double>{13.5, 11.5}));
    Expected<Hdf5Array> levels = reader->readArray(QStringLiteral("/levels_db"));
    QVERIFY(levels);
    QCOMPARE(levels->values, (std::vector<double>{0.0, -2.5}));
    Expected<QStringList> sources = reader->readStrings(QStringLiteral("/sources"));
    QVERIFY(sources);
    QCOMPARE(*sources, (QStringList{"2_george_2.wav", "3_jackson_2.wav"}));
    QCOMPARE(*reader->numberAttribute(QStringLiteral("/"), QStringLiteral("sample_rate")), kRate);
    QCOMPARE(*reader->numberAttribute(QStringLiteral("/"), QStringLiteral("mixture")), 2.0);
    QCOMPARE(*reader->stringAttribute(QStringLiteral("/"), QStringLiteral("predictions")),
             QStringLiteral("/runs/sep/predictions.h5"));

    // Without results there is nothing to export, and nothing is written.
    SeparationView empty;
    const QString none = dir.filePath(QStringLiteral("none.h5"));
    QVERIFY(!empty.exportExample(none));
    QVERIFY(!QFile::exists(none));
}

void tst_SeparationView::exportButtonsAskTheWindow()
{
    SeparationView view;
    view.setResults(makeResults(2, 2, 2));
    QSignalSpy wav(&view, &SeparationView::exportSourcesRequested);
    QSignalSpy hdf5(&view, &SeparationView::exportExampleRequested);
    auto *wavButton = view.findChild<QPushButton *>(QStringLiteral("separationExportWav"));
    auto *hdf5Button = view.findChild<QPushButton *>(QStringLiteral("separationExportHdf5"));
    QVERIFY(wavButton && hdf5Button && wavButton->isEnabled() && hdf5Button->isEnabled());
    wavButton->click();
    QCOMPARE(wav.count(), 1);
    QCOMPARE(hdf5.count(), 0);
    hdf5Button->click();
    QCOMPARE(hdf5.count(), 1);
}

void tst_SeparationView::moreSourcesRebuildTheClips()
{
    SeparationView view;
    view.setResults(makeResults(2, 2, 2));
    view.setResults(makeResults(2, 3, 1));
    QVERIFY(view.referenceClip(2) && view.estimateClip(2));
    QVERIFY(view.findChild<SeparationClip *>(QStringLiteral("separationEstimate3")));
    QCOMPARE(view.findChildren<SeparationClip *>().size(), 7); // mixture + 3 + 3
    QCOMPARE(view.exampleBox()->count(), 1);
    QVERIFY(view.summaryText().contains(QStringLiteral("SI-SNRi 7.50 dB (9.50 / 7.50 / 5.50 dB)")));
    view.setResults(makeResults(2, 2, 2));
    QCOMPARE(view.findChildren<SeparationClip *>().size(), 5);
    QVERIFY(!view.referenceClip(2));
}

void tst_SeparationView::failureClearsTheView()
{
    SeparationView view;
    view.setResults(makeResults(2, 2, 2));
    view.showFailure(QStringLiteral("/runs/x/predictions.h5: no dataset /sdr"));
    QCOMPARE(view.summaryText(), QStringLiteral("/runs/x/predictions.h5: no dataset /sdr"));
    QCOMPARE(view.currentExample(), -1);
    QCOMPARE(view.exampleBox()->count(), 0);
    QVERIFY(!view.exportSourcesButton()->isEnabled());
    QVERIFY(!view.exportExampleButton()->isEnabled());
    QVERIFY(view.csvTable().rows.isEmpty());
}

void tst_SeparationView::withoutWaveformsShowsTheMeans()
{
    SeparationView view;
    SeparationResults r = makeResults(3, 2, 0);
    r.samples = 0;
    view.setResults(std::move(r));
    QCOMPARE(view.currentExample(), -1);
    QVERIFY(!view.exportSourcesButton()->isEnabled());
    QVERIFY2(view.summaryText().contains(QStringLiteral("Test part, 3 mixtures: SI-SNRi 9.50 dB")),
             qPrintable(view.summaryText()));
    QVERIFY(view.summaryText().contains(QStringLiteral("keeps no mixture as sound")));
}

void tst_SeparationView::csvListsEveryMixture()
{
    SeparationView view;
    SeparationResults r = makeResults(4, 2, 2);
    r.sdr[6] = NAN; // mixture 4, source 1: SDR not computed
    view.setResults(std::move(r));
    const CsvTable table = view.csvTable();
    QCOMPARE(table.header.size(), 2 + 2 * 5);
    QCOMPARE(table.header.mid(0, 4), (QStringList{"mixture", "sources", "si_snr_1", "si_snri_1"}));
    QCOMPARE(table.header.last(), QStringLiteral("level_db_2"));
    QCOMPARE(table.rows.size(), 4); // every scored mixture, not only the listenable ones
    QCOMPARE(table.rows[3][0], QStringLiteral("4"));
    QCOMPARE(table.rows[3][1], QStringLiteral("3_george_3.wav + 4_jackson_3.wav"));
    QCOMPARE(table.rows[3][3], QStringLiteral("12.5")); // SI-SNRi of source 1
    QCOMPARE(table.rows[3][4], QStringLiteral("nan"));
    QCOMPARE(table.rows[3][11], QStringLiteral("-2.5"));
}

QTEST_MAIN(tst_SeparationView)
#include "tst_separationview.moc"
