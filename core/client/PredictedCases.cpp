#include "PredictedCases.h"

#include "data/CsvTokenizer.h"

#include <QFile>

#include <charconv>

namespace twb {

int PredictedCases::correct() const
{
    int n = 0;
    for (const Case &c : cases)
        n += !c.label.isEmpty() && c.label == c.predicted;
    return n;
}

int PredictedCases::labelled() const
{
    int n = 0;
    for (const Case &c : cases)
        n += !c.label.isEmpty();
    return n;
}

Expected<PredictedCases> loadPredictedCases(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read: %1").arg(file.errorString()), path};
    const QByteArray bytes = file.readAll();
    CsvTokenizer tokenizer(std::string_view(bytes.constData(), std::size_t(bytes.size())), ',');
    CsvRecord record;
    const auto text = [](std::string_view field) {
        return QString::fromUtf8(field.data(), qsizetype(field.size()));
    };
    Expected<bool> read = tokenizer.next(record);
    if (!read)
        return Error{read.error().reason, path, read.error().line};
    if (!*read || record.size() < 4 || record.field(0) != "source" || record.field(1) != "label" ||
        record.field(2) != "predicted")
        return Error{QStringLiteral("not twb-cli's class predictions (expected the header "
                                    "source,label,predicted,p_<class>...)"),
                     path, 1};
    PredictedCases out;
    for (std::size_t i = 3; i < record.size(); ++i) {
        const QString name = text(record.field(i));
        if (!name.startsWith(QLatin1String("p_")))
            return Error{QStringLiteral("column %1 (\"%2\") is not p_<class>").arg(i + 1).arg(name),
                         path, 1};
        out.classNames << name.mid(2);
    }
    while (true) {
        read = tokenizer.next(record);
        if (!read)
            return Error{read.error().reason, path, read.error().line};
        if (!*read)
            break;
        if (record.size() != std::size_t(3 + out.classNames.size()))
            return Error{QStringLiteral("%1 fields, expected %2")
                             .arg(record.size())
                             .arg(3 + out.classNames.size()),
                         path, record.line};
        PredictedCases::Case c{
            text(record.field(0)), text(record.field(1)), text(record.field(2)), {}};
        for (std::size_t i = 3; i < record.size(); ++i) {
            const std::string_view field = record.field(i);
            float p = 0.0f;
            const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), p);
            if (error != std::errc() || end != field.data() + field.size())
                return Error{QStringLiteral("\"%1\" is not a probability").arg(text(field)), path,
                             record.line};
            c.probabilities.push_back(p);
        }
        out.cases.push_back(std::move(c));
    }
    return out;
}

} // namespace twb
