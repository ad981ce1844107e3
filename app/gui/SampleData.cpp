#include "SampleData.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace twb {

namespace {

struct Manifest
{
    QString copyrightFile;
    std::vector<QJsonObject> samples;
};

Manifest readManifest()
{
    Manifest m;
    QFile file(QStringLiteral(":/twb/samples.json"));
    if (!file.open(QIODevice::ReadOnly))
        return m;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    m.copyrightFile = root.value(QLatin1String("copyrightFile")).toString();
    for (const QJsonValue &v : root.value(QLatin1String("samples")).toArray())
        m.samples.push_back(v.toObject());
    return m;
}

} // namespace

QStringList sampleDirectories()
{
    QStringList dirs;
    const QString env = qEnvironmentVariable("TWB_SAMPLE_DIR");
    for (const QString &entry : env.split(QLatin1Char(':'), Qt::SkipEmptyParts))
        dirs << QDir::cleanPath(QDir(entry).absolutePath());
    if (QCoreApplication::instance()) {
        const QString app = QCoreApplication::applicationDirPath();
        dirs << QDir::cleanPath(app + QLatin1String("/../share/twb/samples"));
        dirs << QDir::cleanPath(app + QLatin1String("/../samples"));
    }
    dirs.removeDuplicates();
    return dirs;
}

std::vector<SampleInfo> findSamples(const QStringList &directories)
{
    const Manifest manifest = readManifest();
    std::vector<SampleInfo> found;
    QSet<QString> names;
    for (const QString &directory : directories) {
        const QDir dir(directory);
        if (!dir.exists())
            continue;
        const QStringList files = dir.entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name);
        for (const QString &name : files) {
            if (names.contains(name))
                continue;
            names.insert(name);
            SampleInfo info;
            info.path = dir.absoluteFilePath(name);
            info.title = name;
            for (const QJsonObject &entry : manifest.samples) {
                if (entry.value(QLatin1String("file")).toString() != name)
                    continue;
                info.title = entry.value(QLatin1String("title")).toString(name);
                info.description = entry.value(QLatin1String("description")).toString();
                info.source = entry.value(QLatin1String("source")).toString();
                info.licence = entry.value(QLatin1String("licence")).toString();
            }
            if (!manifest.copyrightFile.isEmpty() && dir.exists(manifest.copyrightFile))
                info.copyrightFile = dir.absoluteFilePath(manifest.copyrightFile);
            found.push_back(std::move(info));
        }
    }
    // Manifest samples first, in manifest order; then the others by file name.
    const auto rank = [&](const SampleInfo &s) {
        const QString name = QFileInfo(s.path).fileName();
        for (std::size_t i = 0; i < manifest.samples.size(); ++i)
            if (manifest.samples[i].value(QLatin1String("file")).toString() == name)
                return int(i);
        return int(manifest.samples.size());
    };
    std::stable_sort(found.begin(), found.end(), [&](const SampleInfo &a, const SampleInfo &b) {
        const int ra = rank(a);
        const int rb = rank(b);
        return ra != rb ? ra < rb : QFileInfo(a.path).fileName() < QFileInfo(b.path).fileName();
    });
    return found;
}

QString sampleDataAboutHtml(const std::vector<SampleInfo> &samples)
{
    if (samples.empty())
        return QCoreApplication::translate(
            "twb::SampleData",
            "<p>No sample data is installed. In a source tree, run "
            "<code>scripts/fetch-samples.sh</code>; it takes the files from Debian's "
            "python3-statsmodels package.</p>");
    QString html;
    for (const SampleInfo &s : samples) {
        html += QLatin1String("<h3>") + s.title.toHtmlEscaped() + QLatin1String("</h3>");
        if (!s.description.isEmpty())
            html += QLatin1String("<p>") + s.description.toHtmlEscaped() + QLatin1String("</p>");
        if (!s.source.isEmpty())
            html += QCoreApplication::translate("twb::SampleData", "<p><b>Source:</b> %1</p>")
                        .arg(s.source.toHtmlEscaped());
        if (!s.licence.isEmpty())
            html += QCoreApplication::translate("twb::SampleData", "<p><b>Licence:</b> %1</p>")
                        .arg(s.licence.toHtmlEscaped());
        html += QLatin1String("<p style='color:gray'>") + s.path.toHtmlEscaped();
        if (!s.copyrightFile.isEmpty())
            html += QCoreApplication::translate("twb::SampleData", "<br>Copyright file: %1")
                        .arg(s.copyrightFile.toHtmlEscaped());
        html += QLatin1String("</p>");
    }
    return html;
}

} // namespace twb
