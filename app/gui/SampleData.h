#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace twb {

/// A bundled sample data file, described by the manifest (resources/samples.json) when known.
struct SampleInfo
{
    QString path;          ///< absolute path of the CSV
    QString title;         ///< from the manifest, else the file name
    QString description;   ///< may be empty
    QString source;        ///< may be empty
    QString licence;       ///< may be empty
    QString copyrightFile; ///< absolute path of the copyright file beside it, if present
};

/// Directories searched for samples, in order: every entry of TWB_SAMPLE_DIR (':'-separated,
/// so a user's folder comes first), <appdir>/../share/twb/samples (installed) and
/// <appdir>/../samples (build tree, filled by scripts/fetch-samples.sh). Needs a
/// QCoreApplication for <appdir>.
QStringList sampleDirectories();

/// The CSV files of `directories` (the first file of a given name wins), manifest entries
/// first in manifest order, then the others by name. Missing directories are skipped.
/// GUI or worker thread.
std::vector<SampleInfo> findSamples(const QStringList &directories = sampleDirectories());

/// "About the sample data": title, description, source and licence of each sample (HTML).
QString sampleDataAboutHtml(const std::vector<SampleInfo> &samples);

} // namespace twb
