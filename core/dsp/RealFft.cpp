#include "RealFft.h"

#include <fftw3.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

static_assert(sizeof(std::complex<float>) == sizeof(fftwf_complex),
              "std::complex<float> and fftwf_complex must share their layout");

namespace twb::dsp {

namespace {

struct Cache
{
    std::mutex mutex; // guards `plans` (lookups and inserts)
    std::map<int, std::unique_ptr<FftPlans>> plans;
};

Cache &cache()
{
    // Never destroyed: plans may be executed by threads that outlive static destruction.
    static Cache *instance = new Cache;
    return *instance;
}

} // namespace

std::mutex &FftPlanCache::plannerMutex()
{
    static std::mutex *mutex = new std::mutex;
    return *mutex;
}

const FftPlans &FftPlanCache::plans(int n)
{
    if (n < 1)
        throw std::invalid_argument("FFT size must be at least 1");
    Cache &c = cache();
    std::lock_guard cacheLock(c.mutex);
    auto it = c.plans.find(n);
    if (it != c.plans.end())
        return *it->second;

    auto made = std::make_unique<FftPlans>();
    {
        std::lock_guard plannerLock(plannerMutex());
        float *time = fftwf_alloc_real(std::size_t(n));
        fftwf_complex *spectrum = fftwf_alloc_complex(std::size_t(n / 2 + 1));
        made->forward = fftwf_plan_dft_r2c_1d(n, time, spectrum, FFTW_ESTIMATE);
        made->inverse = fftwf_plan_dft_c2r_1d(n, spectrum, time, FFTW_ESTIMATE);
        fftwf_free(spectrum);
        fftwf_free(time);
    }
    if (!made->forward || !made->inverse)
        throw std::runtime_error("FFTW could not plan a real FFT");
    return *c.plans.emplace(n, std::move(made)).first->second;
}

int FftPlanCache::cachedSizes()
{
    Cache &c = cache();
    std::lock_guard lock(c.mutex);
    return int(c.plans.size());
}

RealFft::RealFft(int n)
    : m_n(n)
    , m_plans(&FftPlanCache::plans(n))
    , m_time(fftwf_alloc_real(std::size_t(n)))
    , m_spectrum(
          reinterpret_cast<std::complex<float> *>(fftwf_alloc_complex(std::size_t(n / 2 + 1))))
{
    std::fill(m_time, m_time + n, 0.0f);
    std::fill(m_spectrum, m_spectrum + bins(), std::complex<float>());
}

RealFft::~RealFft()
{
    release();
}

RealFft::RealFft(RealFft &&other) noexcept
    : m_n(std::exchange(other.m_n, 0))
    , m_plans(std::exchange(other.m_plans, nullptr))
    , m_time(std::exchange(other.m_time, nullptr))
    , m_spectrum(std::exchange(other.m_spectrum, nullptr))
{}

RealFft &RealFft::operator=(RealFft &&other) noexcept
{
    if (this != &other) {
        release();
        m_n = std::exchange(other.m_n, 0);
        m_plans = std::exchange(other.m_plans, nullptr);
        m_time = std::exchange(other.m_time, nullptr);
        m_spectrum = std::exchange(other.m_spectrum, nullptr);
    }
    return *this;
}

void RealFft::release()
{
    fftwf_free(m_time);
    fftwf_free(m_spectrum);
    m_time = nullptr;
    m_spectrum = nullptr;
}

void RealFft::forward()
{
    fftwf_execute_dft_r2c(m_plans->forward, m_time, reinterpret_cast<fftwf_complex *>(m_spectrum));
}

void RealFft::inverse()
{
    fftwf_execute_dft_c2r(m_plans->inverse, reinterpret_cast<fftwf_complex *>(m_spectrum), m_time);
}

} // namespace twb::dsp
