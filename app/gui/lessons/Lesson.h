#pragma once

#include "common/Expected.h"

#include <QString>
#include <QVariant>
#include <QVariantMap>

#include <vector>

namespace twb {

/// One thing a lesson step does to the window, in the order the step lists them.
/// Lesson files name them by a key (the JSON key in a step's "do" list):
///   {"open": "ett/ETTh1.csv"}            open a data file (a path relative to the lesson data
///                                        folders, see LessonLibrary) and wait until it is shown
///   {"openLabelled": "fsdd/recordings"}  open labelled cases (a folder, .ts, .arff) and wait
///   {"model": "patchtst"}                select a model in the model panel
///   {"set": {"epochs": 2, "d_model": 16}}  set hyperparameters or task settings (by key)
///   {"reset": true}                      every hyperparameter back to its default
///   {"train": true}                      press Train and wait until the run is shown
///   {"tab": "Explain"}                   show a central tab (by its title)
///   {"explain": 5}                       compute the attention of test sample 5 and wait
///   {"widget": {"name": "...", "value": V}}  set a named spin box, combo box (by text), check
///                                        box or line edit
///   {"click": "objectName"}              click a named button
struct LessonAction
{
    enum class Kind { Open, OpenLabelled, Model, Set, Reset, Train, Tab, Explain, Widget, Click };
    Kind kind = Kind::Tab;
    QString text;       ///< Open/OpenLabelled: the path; Model: id; Tab: title; Widget/Click: name
    QVariant value;     ///< Widget: the value; Explain: the sample (int)
    QVariantMap values; ///< Set: key -> value
};

/// A step: what happens (actions), what the learner reads, and where to look.
struct LessonStep
{
    QString title;
    QString text; ///< what the learner sees and why (plain text or simple HTML)
    std::vector<LessonAction> actions;
    QString highlight; ///< object name of the widget to draw a frame around; may be empty
    QString question;  ///< "try it yourself": a question; empty for an ordinary step
    QString answer;    ///< the answer shown on request (with a question)
    /// True when an action starts something the learner waits for (open, train, explain).
    bool waits() const;
};

/// A lesson: a title, one line for the start page, the data it needs and its steps.
struct Lesson
{
    QString id; ///< the file's base name ("01-tokens" → "01-tokens")
    QString title;
    QString summary; ///< one line
    QString source;  ///< the file it came from
    std::vector<LessonStep> steps;
    /// The data files the lesson opens (relative paths of its open/openLabelled actions).
    QStringList dataFiles() const;
};

/// Parses a lesson file (JSON: {"title", "summary", "steps": [{"title", "text", "do": [...],
/// "highlight", "question", "answer"}]}). `source` names the file in errors, which also name
/// the step ("lessons/tokens.json: step 3: unknown action \"trian\""). The id is the file's
/// base name. Thread-safe (pure).
Expected<Lesson> parseLesson(const QByteArray &json, const QString &source);

} // namespace twb
