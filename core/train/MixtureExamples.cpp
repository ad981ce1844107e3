#include "MixtureExamples.h"

#include <QDir>

#include <cstring>
#include <stdexcept>

namespace twb {

namespace {

std::uint64_t splitmix64(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

std::uint64_t mixtureBatchSeed(std::uint64_t seed, std::int64_t epoch, std::int64_t batchIndex)
{
    return splitmix64(splitmix64(splitmix64(seed) ^ std::uint64_t(epoch)) ^
                      std::uint64_t(batchIndex));
}

MixtureExamples::MixtureExamples(std::shared_ptr<const LabelledDataset> utterances,
                                 QStringList speakers, std::vector<MixtureSpec> mixtures,
                                 MixtureOptions options, bool freshForTraining)
    : m_utterances(std::move(utterances))
    , m_speakers(std::move(speakers))
    , m_mixtures(std::move(mixtures))
    , m_options(options)
    , m_fresh(freshForTraining)
{
    m_candidates.resize(std::size_t(m_utterances->size()));
    for (std::size_t i = 0; i < m_candidates.size(); ++i)
        m_candidates[i] = std::int64_t(i);
}

ExampleBatch MixtureExamples::render(const std::vector<MixtureSpec> &specs) const
{
    const auto n = std::int64_t(specs.size());
    const std::int64_t length = m_options.length;
    const std::int64_t sources = m_options.sources;
    ExampleBatch out;
    out.x = torch::empty({n, length, 1}, torch::kFloat32);
    out.y = torch::empty({n, sources, length}, torch::kFloat32);
    float *x = out.x.data_ptr<float>();
    float *y = out.y.data_ptr<float>();
    for (std::int64_t b = 0; b < n; ++b) {
        const RenderedMixture r = renderMixture(*m_utterances, specs[std::size_t(b)]);
        if (std::int64_t(r.mixture.size()) != length || std::int64_t(r.sources.size()) != sources)
            throw std::invalid_argument("MixtureExamples: a mixture of another length or number "
                                        "of sources");
        std::memcpy(x + b * length, r.mixture.data(), std::size_t(length) * sizeof(float));
        for (std::int64_t s = 0; s < sources; ++s)
            std::memcpy(y + (b * sources + s) * length, r.sources[std::size_t(s)].data(),
                        std::size_t(length) * sizeof(float));
    }
    return out;
}

ExampleBatch MixtureExamples::batch(const torch::Tensor &indices) const
{
    const torch::Tensor idx = indices.to(torch::kLong).contiguous();
    std::vector<MixtureSpec> specs;
    specs.reserve(std::size_t(idx.numel()));
    const std::int64_t *p = idx.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < idx.numel(); ++i) {
        if (p[i] < 0 || p[i] >= size())
            throw std::out_of_range("MixtureExamples: mixture index out of range");
        specs.push_back(m_mixtures[std::size_t(p[i])]);
    }
    return render(specs);
}

ExampleBatch MixtureExamples::trainingBatch(const torch::Tensor &indices, std::uint64_t seed,
                                            std::int64_t epoch, std::int64_t batchIndex) const
{
    if (!m_fresh)
        return batch(indices);
    MixtureOptions options = m_options;
    options.seed = mixtureBatchSeed(seed, epoch, batchIndex); // the run's seed
    Expected<std::vector<MixtureSpec>> specs =
        drawMixtures(*m_utterances, m_speakers, m_candidates, indices.numel(), options);
    if (!specs) // the same data drew the listed mixtures, so this cannot fail
        throw std::runtime_error(specs.error().toString().toStdString());
    return render(*specs);
}

QString MixtureExamples::describe(std::int64_t i, const QString &root) const
{
    const QDir dir(root);
    QStringList names;
    for (std::int64_t c : m_mixtures[std::size_t(i)].cases) {
        const QString source = m_utterances->cases[std::size_t(c)].source;
        const QString relative = root.isEmpty() ? source : dir.relativeFilePath(source);
        names << (relative.startsWith(QLatin1String("..")) ? source : relative);
    }
    return names.join(QLatin1String(" + "));
}

} // namespace twb
