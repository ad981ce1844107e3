// ModelPanel, the task forms: what the forecast, classify and separate settings are, with their
// ranges, defaults and help texts.

#include "ModelPanel.h"

#include <QObject>
#include <QThread>

#include <algorithm>

namespace twb {

namespace {

using Spec = HyperparameterSpec;

/// The optimisation settings both tasks share (epochs ... patience), in form order.
std::vector<Spec> trainingSpecs(const QString &unit)
{
    return {
        Spec::integer(QStringLiteral("epochs"), QObject::tr("Epochs"), 10, 1, 100000,
                      QObject::tr("Passes over the training %1.").arg(unit)),
        Spec::integer(QStringLiteral("batch_size"), QObject::tr("Batch size"), 32, 1, 65536,
                      QObject::tr("Training %1 per optimiser step.").arg(unit)),
        Spec::real(QStringLiteral("lr"), QObject::tr("Learning rate"), 1e-3, 1e-9, 10.0,
                   QObject::tr("Adam learning rate.")),
        Spec::choice(
            QStringLiteral("schedule"), QObject::tr("Rate schedule"),
            {QStringLiteral("constant"), QStringLiteral("exponential"), QStringLiteral("plateau"),
             QStringLiteral("step"), QStringLiteral("cosine"), QStringLiteral("onecycle")},
            QStringLiteral("constant"),
            QObject::tr("How the learning rate changes from epoch to epoch. exponential: "
                        "lr × γ^(epoch − hold) after the first `hold` epochs (the LTSF "
                        "papers' protocol: γ 0.5, hold 1; PatchTST's: γ 0.9, hold 3). "
                        "plateau: lr × γ after every `step` epochs without a better "
                        "validation loss (Conv-TasNet: γ 0.5, step 3; SepFormer: step 2). "
                        "step: lr × γ every `step` epochs. cosine: down to 0 over the run. "
                        "onecycle: up for 30 % of the steps, then down.")),
        Spec::real(QStringLiteral("gamma"), QObject::tr("Decay γ"), 0.5, 0.001, 1.0,
                   QObject::tr("The factor of the exponential, plateau and step schedules.")),
        Spec::integer(QStringLiteral("step_size"), QObject::tr("Decay step"), 1, 1, 100000,
                      QObject::tr("step: epochs between decays; plateau: epochs without a "
                                  "better validation loss before a decay.")),
        Spec::integer(QStringLiteral("hold"), QObject::tr("Hold epochs"), 0, 0, 100000,
                      QObject::tr("exponential: epochs at the full rate before it decays.")),
        Spec::integer(QStringLiteral("seed"), QObject::tr("Seed"), 2021, 0, 2147483647,
                      QObject::tr("Seed of initialisation, %1 order and dropout.").arg(unit)),
        Spec::integer(QStringLiteral("patience"), QObject::tr("Patience"), 3, 0, 1000,
                      QObject::tr("Early stopping after this many epochs without a better "
                                  "validation loss; 0 = off.")),
        Spec::integer(QStringLiteral("swa"), QObject::tr("Average from epoch"), 0, 0, 100000,
                      QObject::tr("Weight averaging (SWA): the result is the mean of the "
                                  "weights after every epoch from this one on (BatchNorm "
                                  "statistics recomputed); early stopping only ends the "
                                  "run before it. 0 = off.")),
        Spec::integer(QStringLiteral("threads"), QObject::tr("Threads"), 0, 0,
                      std::max(1, QThread::idealThreadCount()),
                      QObject::tr("CPU threads the training uses; 0 = twb-cli's choice (the "
                                  "physical cores, see twb-cli info). Fewer leave cores to "
                                  "the window or to another run."))};
}

/// The labelled share: the same field in both task forms.
Spec trainFractionSpec(const QString &unit, const QString &order)
{
    return Spec::real(QStringLiteral("train_fraction"), QObject::tr("Labelled share"), 1.0, 0.001,
                      1.0,
                      QObject::tr("Train on this share of the training %1 only (%2), to measure "
                                  "what pretraining gives when labels are few; 1 = all.")
                          .arg(unit, order));
}

Spec textSpec(const QString &key, const QString &label, const QString &help,
              const QString &defaultValue = {})
{
    Spec spec;
    spec.key = key;
    spec.label = label;
    spec.type = Spec::Type::Text;
    spec.defaultValue = defaultValue;
    spec.help = help;
    return spec;
}

/// What to learn from sound clips: the first field of both of their forms.
Spec soundObjectiveSpec(const QString &defaultValue)
{
    return Spec::choice(QStringLiteral("objective"), QObject::tr("Objective"),
                        {QStringLiteral("classify"), QStringLiteral("separate")}, defaultValue,
                        QObject::tr("classify: learn each clip's label. separate: speech "
                                    "separation - mix utterances of different speakers and "
                                    "learn to give back each voice (Conv-TasNet, SepFormer); "
                                    "scored by the SI-SNR improvement in dB."));
}

/// The sample rate every clip is resampled to; the files' own rate named in the help.
Spec sampleRateSpec(double audioRate, const QString &what)
{
    return Spec::real(QStringLiteral("sample_rate"), QObject::tr("Sample rate (Hz)"), 0.0, 0.0,
                      384000.0,
                      QObject::tr("Resample every clip to this rate before %1; 0 = keep the "
                                  "files' rate (%2 Hz).")
                          .arg(what)
                          .arg(audioRate));
}

} // namespace

HyperparameterSchema ModelPanel::classifySchema(double audioRate)
{
    std::vector<Spec> specs{
        textSpec(QStringLiteral("test_data"), QObject::tr("Test data"),
                 QObject::tr("A file with the test part (UCR/UEA _TEST.ts), same classes. Empty: "
                             "a stratified test part of the data, or the test glob.")),
        textSpec(QStringLiteral("test_glob"), QObject::tr("Test files"),
                 QObject::tr("Audio files whose name matches this pattern form the test part "
                             "(FSDD: *_[0-4].wav).")),
        textSpec(QStringLiteral("extra_train"), QObject::tr("Extra training data"),
                 QObject::tr("More labelled data (a file or folder, same classes) that joins the "
                             "training part only: other speakers, rooms or devices. Empty: none.")),
        textSpec(QStringLiteral("group_by"), QObject::tr("Group by"),
                 QObject::tr("What groups the cases, so that no group (speaker, session, device) "
                             "lies in two parts: speaker (FSDD names LABEL_SPEAKER_TAKE), field:N, "
                             "manifest (its group column) or regex:PATTERN. Empty: no groups.")),
        textSpec(QStringLiteral("test_groups"), QObject::tr("Test groups"),
                 QObject::tr("With Group by: these groups (comma separated) are the test part, "
                             "e.g. one speaker the model never hears while training.")),
        textSpec(QStringLiteral("val_groups"), QObject::tr("Validation groups"),
                 QObject::tr("With Group by: these groups are the validation part. Empty: whole "
                             "groups drawn at random when three or more remain.")),
        Spec::choice(QStringLiteral("features"), QObject::tr("Features"),
                     {QStringLiteral("auto"), QStringLiteral("raw"), QStringLiteral("fbank"),
                      QStringLiteral("logmel"), QStringLiteral("mfcc")},
                     QStringLiteral("auto"),
                     QObject::tr("What the model reads: auto = Kaldi fbank for audio, the raw "
                                 "series otherwise; mfcc = 20 cepstral coefficients.")),
        Spec::choice(QStringLiteral("feature_norm"), QObject::tr("Feature normalisation"),
                     {QStringLiteral("none"), QStringLiteral("cmvn"), QStringLiteral("pcen")},
                     QStringLiteral("none"),
                     QObject::tr("Per case, before the scaler: cmvn = each band or channel to mean "
                                 "0 and variance 1 over the case (removes the microphone and much "
                                 "of the speaker); pcen = per-channel energy normalisation "
                                 "(spectrograms).")),
        Spec::choice(QStringLiteral("scale"), QObject::tr("Scaling"),
                     {QStringLiteral("channel"), QStringLiteral("none")}, QStringLiteral("channel"),
                     QObject::tr("channel = each channel to mean 0 and deviation 1 with the "
                                 "training part's statistics; none = the values as they are (the "
                                 "UCR/UEA archives' protocol for 1-NN DTW, where the channels' "
                                 "scales weigh in the distance).")),
        textSpec(QStringLiteral("augment"), QObject::tr("Augmentation"),
                 QObject::tr("While training, seeded: audio shift[:s], gain[:dB], speed[:p], "
                             "noise[:SNR] (white), silence[:SNR] (noise from the clips' own quiet "
                             "parts), vtlp[:p] (mel filters warped, as if another "
                             "vocal tract); series and features jitter, scale, warp, slice; "
                             "mixup[:alpha] of whole batches. "
                             "E.g. shift,gain,speed,noise:20")),
        textSpec(QStringLiteral("cv"), QObject::tr("Cross-validation"),
                 QObject::tr("Empty = one run. groups = leave one group out (needs Group by), one "
                             "fold per group; a number K = stratified K-fold. Each fold is a run "
                             "of its own under one folder; the Classification tab shows the "
                             "fold table.")),
        Spec::real(QStringLiteral("val_fraction"), QObject::tr("Validation share"), 0.2, 0.01, 0.9,
                   QObject::tr("Stratified share of the training cases kept for validation.")),
        Spec::real(QStringLiteral("test_fraction"), QObject::tr("Test share"), 0.2, 0.01, 0.9,
                   QObject::tr("Stratified test share when there is no test data or pattern.")),
        Spec::integer(QStringLiteral("frames"), QObject::tr("Length"), 0, 0, 10000000,
                      QObject::tr("Pad or cut every case to this many steps or frames; 0 = the "
                                  "longest training case."))};
    if (audioRate > 0.0) {
        specs.insert(specs.begin(), soundObjectiveSpec(QStringLiteral("classify")));
        specs.push_back(sampleRateSpec(audioRate, QObject::tr("its features are computed")));
        specs.push_back(Spec::choice(
            QStringLiteral("level_norm"), QObject::tr("Level normalisation"),
            {QStringLiteral("none"), QStringLiteral("peak"), QStringLiteral("rms")},
            QStringLiteral("none"),
            QObject::tr("Each clip's level before its features: peak to 1, or RMS to -20 dBFS.")));
        specs.push_back(Spec::integer(
            QStringLiteral("mel_bins"), QObject::tr("Mel bins"), 64, 1, 512,
            QObject::tr("Mel bands of the fbank or log-mel features the model reads.")));
        specs.push_back(Spec::integer(
            QStringLiteral("freq_mask"), QObject::tr("Frequency mask F"), 0, 0, 512,
            QObject::tr("SpecAugment while training: mask up to F consecutive mel bands of "
                        "each case; 0 = off.")));
        specs.push_back(Spec::integer(
            QStringLiteral("time_mask"), QObject::tr("Time mask T"), 0, 0, 100000,
            QObject::tr("SpecAugment while training: mask up to T consecutive frames of each "
                        "case; 0 = off.")));
    }
    specs.push_back(
        trainFractionSpec(QObject::tr("cases"), QObject::tr("stratified by class, seeded")));
    for (Spec &spec : trainingSpecs(QObject::tr("cases")))
        specs.push_back(std::move(spec));
    return HyperparameterSchema(std::move(specs));
}

HyperparameterSchema ModelPanel::separateSchema(double audioRate)
{
    std::vector<Spec> specs{
        soundObjectiveSpec(QStringLiteral("separate")),
        Spec::choice(QStringLiteral("held_out"), QObject::tr("Held out"),
                     {QStringLiteral("takes"), QStringLiteral("speakers")}, QStringLiteral("takes"),
                     QObject::tr("What the test mixtures are made of. takes: the recordings "
                                 "matching Test files (FSDD *_[0-4].wav: the first five takes of "
                                 "every digit by every speaker - voices the model heard, words "
                                 "it did not). speakers: the Test speakers' recordings only - "
                                 "voices the model never hears while training; validation then "
                                 "comes from the training speakers' recordings.")),
        textSpec(QStringLiteral("test_glob"), QObject::tr("Test files"),
                 QObject::tr("With held-out takes: recordings whose name matches this pattern "
                             "form the test part (FSDD: *_[0-4].wav)."),
                 QStringLiteral("*_[0-4].wav")),
        textSpec(QStringLiteral("test_groups"), QObject::tr("Test speakers"),
                 QObject::tr("With held-out speakers: these speakers (comma separated, at least "
                             "one per source) are the test part, e.g. george,jackson in FSDD.")),
        textSpec(QStringLiteral("speaker_by"), QObject::tr("Speaker from"),
                 QObject::tr("Where a recording's speaker comes from, so that a mixture's "
                             "sources are different speakers: speaker (FSDD names "
                             "DIGIT_SPEAKER_TAKE), field:N, manifest (its group column) or "
                             "regex:PATTERN."),
                 QStringLiteral("speaker")),
        Spec::real(QStringLiteral("val_fraction"), QObject::tr("Validation share"), 0.2, 0.01, 0.9,
                   QObject::tr("Share of the training recordings kept for the validation "
                               "mixtures (stratified by label).")),
        Spec::integer(QStringLiteral("sources"), QObject::tr("Speakers per mixture"), 2, 2, 5,
                      QObject::tr("Utterances of this many different speakers are added into "
                                  "one mixture; the model gives back as many signals.")),
        Spec::real(QStringLiteral("level_min"), QObject::tr("Lowest level (dB)"), -5.0, -60.0, 60.0,
                   QObject::tr("The level of the first source over the second (and of every "
                               "further source over the first) is drawn uniformly between the "
                               "lowest and the highest level, in dB.")),
        Spec::real(QStringLiteral("level_max"), QObject::tr("Highest level (dB)"), 5.0, -60.0, 60.0,
                   QObject::tr("The upper end of the levels drawn, in dB; equal to the "
                               "lowest for a fixed level.")),
        Spec::real(QStringLiteral("mix_seconds"), QObject::tr("Mixture length (s)"), 1.0, 0.01,
                   60.0,
                   QObject::tr("Length of every mixture: utterances are padded with silence or "
                               "cut.")),
        Spec::integer(QStringLiteral("train_mixtures"), QObject::tr("Training mixtures"), 2000, 1,
                      10000000,
                      QObject::tr("Per epoch, drawn afresh for every batch (new pairs and "
                                  "levels each epoch, seeded).")),
        Spec::integer(QStringLiteral("val_mixtures"), QObject::tr("Validation mixtures"), 200, 1,
                      10000000, QObject::tr("A fixed seeded list, the same every epoch.")),
        Spec::integer(QStringLiteral("test_mixtures"), QObject::tr("Test mixtures"), 500, 1,
                      10000000,
                      QObject::tr("A fixed seeded list scored after training (SI-SNR and SDR "
                                  "improvement).")),
        sampleRateSpec(audioRate, QObject::tr("mixing"))};
    for (Spec &spec : trainingSpecs(QObject::tr("mixtures")))
        specs.push_back(std::move(spec));
    return HyperparameterSchema(std::move(specs));
}

HyperparameterSchema ModelPanel::taskSchema()
{
    std::vector<Spec> specs{
        Spec::choice(QStringLiteral("objective"), QObject::tr("Objective"),
                     {QStringLiteral("forecast"), QStringLiteral("pretrain")},
                     QStringLiteral("forecast"),
                     QObject::tr("forecast: learn the horizon from the lookback. pretrain: "
                                 "self-supervised, no labels — hide patches (or spans) of the "
                                 "series and learn to reconstruct them; fine-tune the run "
                                 "afterwards (Runs tab, Fine-tune). For PatchTST and TST.")),
        Spec::integer(QStringLiteral("lookback"), QObject::tr("Lookback L"), 96, 1, 100000,
                      QObject::tr("Input length in rows: the model sees this many past steps.")),
        Spec::integer(QStringLiteral("horizon"), QObject::tr("Horizon H"), 24, 1, 100000,
                      QObject::tr("Forecast length in rows.")),
        textSpec(QStringLiteral("channels"), QObject::tr("Channels"),
                 QObject::tr("The channels the model reads and forecasts, comma separated "
                             "(empty = all). OT alone is the papers' univariate setting.")),
        textSpec(QStringLiteral("target"), QObject::tr("Scored channel"),
                 QObject::tr("Only this channel counts in the loss and the metrics while the "
                             "model reads all of the above (the papers' MS setting); empty = "
                             "all count.")),
        Spec::choice(QStringLiteral("split"), QObject::tr("Split"),
                     {ModelPanel::defaultSplitName(), QStringLiteral("ett-hour"),
                      QStringLiteral("ett-minute"), QStringLiteral("ratio"),
                      QStringLiteral("shuffled")},
                     ModelPanel::defaultSplitName(),
                     QObject::tr("Train/validation/test split: auto = 12/4/4 months for ETT "
                                 "files, else 70/10/20 % by position. shuffled is the common "
                                 "mistake, for teaching: 70/10/20 % of the overlapping windows "
                                 "at random and the scaler fitted on all rows, so the test "
                                 "score leaks the future and looks better than it deserves.")),
        trainFractionSpec(QObject::tr("windows"), QObject::tr("the first ones, in time order"))};
    for (Spec &spec : trainingSpecs(QObject::tr("windows")))
        specs.push_back(std::move(spec));
    return HyperparameterSchema(std::move(specs));
}

QString ModelPanel::defaultSplitName()
{
    return QStringLiteral("auto");
}

} // namespace twb
