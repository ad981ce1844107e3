#include "Lesson.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <array>
#include <utility>

namespace twb {

namespace {

struct ActionName
{
    const char *key;
    LessonAction::Kind kind;
};

constexpr std::array<ActionName, 10> actionNames{{
    {"open", LessonAction::Kind::Open},
    {"openLabelled", LessonAction::Kind::OpenLabelled},
    {"model", LessonAction::Kind::Model},
    {"set", LessonAction::Kind::Set},
    {"reset", LessonAction::Kind::Reset},
    {"train", LessonAction::Kind::Train},
    {"tab", LessonAction::Kind::Tab},
    {"explain", LessonAction::Kind::Explain},
    {"widget", LessonAction::Kind::Widget},
    {"click", LessonAction::Kind::Click},
}};

Error stepError(const QString &source, int step, const QString &reason)
{
    return Error{QStringLiteral("step %1: %2").arg(step).arg(reason), source};
}

/// One {"key": value} object of a step's "do" list.
Expected<LessonAction> parseAction(const QJsonValue &entry, const QString &source, int step)
{
    const QJsonObject object = entry.toObject();
    if (!entry.isObject() || object.size() != 1)
        return stepError(source, step,
                         QStringLiteral("each entry of \"do\" must be an object with one key, "
                                        "such as {\"open\": \"ett/ETTh1.csv\"}"));
    const QString key = object.begin().key();
    const QJsonValue value = object.begin().value();
    LessonAction action;
    bool known = false;
    for (const ActionName &name : actionNames) {
        if (key == QLatin1String(name.key)) {
            action.kind = name.kind;
            known = true;
        }
    }
    if (!known) {
        QStringList keys;
        for (const ActionName &name : actionNames)
            keys << QLatin1String(name.key);
        return stepError(source, step,
                         QStringLiteral("unknown action \"%1\" (known: %2)")
                             .arg(key, keys.join(QStringLiteral(", "))));
    }
    auto needText = [&]() -> Status {
        if (!value.isString() || value.toString().isEmpty())
            return stepError(source, step,
                             QStringLiteral("\"%1\" needs a non-empty text").arg(key));
        action.text = value.toString();
        return Status::ok();
    };
    switch (action.kind) {
    case LessonAction::Kind::Open:
    case LessonAction::Kind::OpenLabelled:
    case LessonAction::Kind::Model:
    case LessonAction::Kind::Tab:
    case LessonAction::Kind::Click:
        if (const Status status = needText(); !status.isOk())
            return status.error();
        break;
    case LessonAction::Kind::Set:
        if (!value.isObject() || value.toObject().isEmpty())
            return stepError(source, step,
                             QStringLiteral("\"set\" needs an object of settings, such as "
                                            "{\"epochs\": 2}"));
        action.values = value.toObject().toVariantMap();
        break;
    case LessonAction::Kind::Reset:
    case LessonAction::Kind::Train:
        break;
    case LessonAction::Kind::Explain:
        if (!value.isDouble() || value.toInt() < 0)
            return stepError(source, step,
                             QStringLiteral("\"explain\" needs a test sample number (0 or more)"));
        action.value = value.toInt();
        break;
    case LessonAction::Kind::Widget: {
        const QJsonObject widget = value.toObject();
        if (!widget.value(QStringLiteral("name")).isString() ||
            !widget.contains(QStringLiteral("value")))
            return stepError(source, step,
                             QStringLiteral("\"widget\" needs {\"name\": objectName, \"value\": "
                                            "value}"));
        action.text = widget.value(QStringLiteral("name")).toString();
        action.value = widget.value(QStringLiteral("value")).toVariant();
        break;
    }
    }
    return action;
}

Expected<LessonStep> parseStep(const QJsonValue &entry, const QString &source, int step)
{
    if (!entry.isObject())
        return stepError(source, step, QStringLiteral("a step must be an object"));
    const QJsonObject object = entry.toObject();
    static const QStringList knownKeys{QStringLiteral("title"),    QStringLiteral("text"),
                                       QStringLiteral("do"),       QStringLiteral("highlight"),
                                       QStringLiteral("question"), QStringLiteral("answer")};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!knownKeys.contains(it.key()))
            return stepError(source, step,
                             QStringLiteral("unknown key \"%1\" (known: %2)")
                                 .arg(it.key(), knownKeys.join(QStringLiteral(", "))));
        if (it.key() != QLatin1String("do") && !it.value().isString())
            return stepError(source, step, QStringLiteral("\"%1\" must be text").arg(it.key()));
    }
    LessonStep result;
    result.title = object.value(QStringLiteral("title")).toString();
    result.text = object.value(QStringLiteral("text")).toString();
    result.highlight = object.value(QStringLiteral("highlight")).toString();
    result.question = object.value(QStringLiteral("question")).toString();
    result.answer = object.value(QStringLiteral("answer")).toString();
    if (result.title.isEmpty() || result.text.isEmpty())
        return stepError(source, step, QStringLiteral("a step needs a \"title\" and a \"text\""));
    if (result.question.isEmpty() != result.answer.isEmpty())
        return stepError(source, step, QStringLiteral("\"question\" and \"answer\" go together"));
    const QJsonValue actions = object.value(QStringLiteral("do"));
    if (!actions.isUndefined() && !actions.isArray())
        return stepError(source, step, QStringLiteral("\"do\" must be a list"));
    for (const QJsonValue &action : actions.toArray()) {
        Expected<LessonAction> parsed = parseAction(action, source, step);
        if (!parsed)
            return parsed.error();
        result.actions.push_back(std::move(*parsed));
    }
    return result;
}

} // namespace

bool LessonStep::waits() const
{
    for (const LessonAction &action : actions) {
        switch (action.kind) {
        case LessonAction::Kind::Open:
        case LessonAction::Kind::OpenLabelled:
        case LessonAction::Kind::Train:
        case LessonAction::Kind::Explain:
            return true;
        default:
            break;
        }
    }
    return false;
}

QStringList Lesson::dataFiles() const
{
    QStringList files;
    for (const LessonStep &step : steps)
        for (const LessonAction &action : step.actions)
            if ((action.kind == LessonAction::Kind::Open ||
                 action.kind == LessonAction::Kind::OpenLabelled) &&
                !files.contains(action.text))
                files << action.text;
    return files;
}

Expected<Lesson> parseLesson(const QByteArray &json, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{QStringLiteral("not valid JSON at character %1: %2")
                         .arg(parseError.offset)
                         .arg(parseError.errorString()),
                     source};
    if (!document.isObject())
        return Error{QStringLiteral("a lesson must be a JSON object"), source};
    const QJsonObject object = document.object();
    Lesson lesson;
    lesson.id = QFileInfo(source).completeBaseName();
    lesson.source = source;
    lesson.title = object.value(QStringLiteral("title")).toString();
    lesson.summary = object.value(QStringLiteral("summary")).toString();
    if (lesson.title.isEmpty() || lesson.summary.isEmpty())
        return Error{QStringLiteral("a lesson needs a \"title\" and a one-line \"summary\""),
                     source};
    const QJsonArray steps = object.value(QStringLiteral("steps")).toArray();
    if (steps.isEmpty())
        return Error{QStringLiteral("a lesson needs a non-empty list of \"steps\""), source};
    for (int i = 0; i < steps.size(); ++i) {
        Expected<LessonStep> step = parseStep(steps.at(i), source, i + 1);
        if (!step)
            return step.error();
        lesson.steps.push_back(std::move(*step));
    }
    return lesson;
}

} // namespace twb
