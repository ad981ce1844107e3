#include "RealFft.h"

#include "SimdKernels.h"

#include <fftw3.h>

#include <algorithm>
#include <map>
#include <memory>
#include <new>
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
        fftwf_complex *in = fftwf_alloc_complex(std::size_t(n));
        fftwf_complex *out = fftwf_alloc_complex(std::size_t(n));
        made->complexForward = fftwf_plan_dft_1d(n, in, out, FFTW_FORWARD, FFTW_ESTIMATE);
        fftwf_free(out);
        fftwf_free(in);
        fftwf_free(spectrum);
        fftwf_free(time);
    }
    if (!made->forward || !made->inverse || !made->complexForward)
        throw std::runtime_error("FFTW could not plan a real FFT");
    return *c.plans.emplace(n, std::move(made)).first->second;
}

int FftPlanCache::cachedSizes()
{
    Cache &c = cache();
    std::lock_guard lock(c.mutex);
    return int(c.plans.size());
}

namespace {

/// `count` zeroed elements from fftwf_malloc.
template<typename T>
detail::FftwBuffer<T> zeroedBuffer(int count)
{
    detail::FftwBuffer<T> buffer(static_cast<T *>(fftwf_malloc(sizeof(T) * std::size_t(count))));
    if (!buffer)
        throw std::bad_alloc();
    std::fill(buffer.get(), buffer.get() + count, T());
    return buffer;
}

} // namespace

void detail::FftwFree::operator()(void *p) const noexcept
{
    fftwf_free(p);
}

RealFft::RealFft(int n)
    : m_n(n)
    , m_plans(&FftPlanCache::plans(n))
    , m_time(zeroedBuffer<float>(n))
    , m_spectrum(zeroedBuffer<std::complex<float>>(n / 2 + 1))
{}

void RealFft::forward()
{
    fftwf_execute_dft_r2c(m_plans->forward, m_time.get(),
                          reinterpret_cast<fftwf_complex *>(m_spectrum.get()));
}

void RealFft::inverse()
{
    fftwf_execute_dft_c2r(m_plans->inverse, reinterpret_cast<fftwf_complex *>(m_spectrum.get()),
                          m_time.get());
}

RealFftPair::RealFftPair(int n)
    : m_n(n)
    , m_plans(&FftPlanCache::plans(n))
    , m_input(zeroedBuffer<std::complex<float>>(n))
    , m_output(zeroedBuffer<std::complex<float>>(n))
{}

void RealFftPair::forward()
{
    fftwf_execute_dft(m_plans->complexForward, reinterpret_cast<fftwf_complex *>(m_input.get()),
                      reinterpret_cast<fftwf_complex *>(m_output.get()));
}

void RealFftPair::powerOfPair(float *powerA, float *powerB) const
{
    simd::powerOfPair(simd::bestIsa(), reinterpret_cast<const float *>(m_output.get()), m_n, powerA,
                      powerB);
}

} // namespace twb::dsp
