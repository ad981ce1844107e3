// CSV loading speed of core/data on a real file: the fastest and the median of N loads, in
// milliseconds and MB/s (target: ETTh1.csv, 2.5 MB, in under 100 ms on one core).
//
// Usage: twb-bench-csv [file.csv] [--repeats N]     (default: ../shared/data/ett/ETTh1.csv, 7)
#include "data/CsvLoader.h"

#include <QFileInfo>
#include <QString>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

int main(int argc, char **argv)
{
    QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    int repeats = 7;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--repeats") == 0 && i + 1 < argc)
            repeats = std::max(1, std::atoi(argv[++i]));
        else
            path = QString::fromLocal8Bit(argv[i]);
    }
    std::vector<double> ms;
    std::int64_t rows = 0, channels = 0;
    for (int run = 0; run < repeats; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const twb::Expected<twb::SeriesDataset> data = twb::loadCsv(path);
        const std::chrono::duration<double, std::milli> elapsed =
            std::chrono::steady_clock::now() - start;
        if (!data) {
            std::fprintf(stderr, "twb-bench-csv: %s\n", qPrintable(data.error().toString()));
            return 1;
        }
        rows = data->rows();
        channels = data->channels();
        ms.push_back(elapsed.count());
    }
    std::sort(ms.begin(), ms.end());
    const double megabytes = double(QFileInfo(path).size()) / 1e6;
    std::printf("%s: %.2f MB, %lld rows x %lld channels\n", qPrintable(path), megabytes,
                static_cast<long long>(rows), static_cast<long long>(channels));
    std::printf("fastest of %d loads: %.1f ms (%.0f MB/s); median %.1f ms (target < 100 ms)\n",
                repeats, ms.front(), megabytes / (ms.front() / 1e3), ms[ms.size() / 2]);
    return 0;
}
