#include "LessonPanel.h"

#include "LessonRunner.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace twb {

LessonPanel::LessonPanel(LessonRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
{
    m_chooser = new QComboBox(this);
    m_chooser->setObjectName(QStringLiteral("lessonChooser"));
    m_chooser->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_chooser->setMinimumContentsLength(16);
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("lessonStart"));
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("lessonTitle"));
    m_title->setWordWrap(true);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_title->setFont(big);
    m_stepTitle = new QLabel(this);
    m_stepTitle->setObjectName(QStringLiteral("lessonStepTitle"));
    m_stepTitle->setWordWrap(true);
    QFont bold = m_stepTitle->font();
    bold.setBold(true);
    m_stepTitle->setFont(bold);
    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("lessonText"));
    m_text->setOpenExternalLinks(true);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("lessonStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_question = new QLabel(this);
    m_question->setObjectName(QStringLiteral("lessonQuestion"));
    m_question->setWordWrap(true);
    m_question->setFont(bold);
    m_showAnswer = new QPushButton(tr("Show the answer"), this);
    m_showAnswer->setObjectName(QStringLiteral("lessonShowAnswer"));
    m_answer = new QLabel(this);
    m_answer->setObjectName(QStringLiteral("lessonAnswer"));
    m_answer->setWordWrap(true);
    m_back = new QPushButton(tr("Back"), this);
    m_back->setObjectName(QStringLiteral("lessonBack"));
    m_next = new QPushButton(tr("Next"), this);
    m_next->setObjectName(QStringLiteral("lessonNext"));
    m_next->setDefault(true);
    m_retry = new QPushButton(tr("Try again"), this);
    m_retry->setObjectName(QStringLiteral("lessonRetry"));
    m_dataFolder = new QPushButton(tr("Data folder\u2026"), this);
    m_dataFolder->setObjectName(QStringLiteral("lessonDataFolder"));
    m_dataFolder->setToolTip(tr("The folder that holds the lessons' data (ett/, fsdd/, ucr/)"));
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("lessonProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setStyleSheet(QStringLiteral("color: #a01010"));

    auto *choose = new QHBoxLayout;
    choose->addWidget(m_chooser, 1);
    choose->addWidget(m_start);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addWidget(m_retry);
    buttons->addStretch(1);
    buttons->addWidget(m_next);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(choose);
    layout->addWidget(m_title);
    layout->addWidget(m_stepTitle);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_question);
    layout->addWidget(m_showAnswer, 0, Qt::AlignLeft);
    layout->addWidget(m_answer);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    layout->addWidget(m_dataFolder, 0, Qt::AlignLeft);
    layout->addWidget(m_problems);

    connect(m_start, &QPushButton::clicked, this,
            [this] { startLesson(m_chooser->currentData().toString()); });
    connect(m_next, &QPushButton::clicked, this, [this] {
        if (m_runner->currentStep() + 1 >= int(m_runner->lesson().steps.size())) {
            m_runner->stop();
            showStep(-1);
            return;
        }
        m_runner->next();
    });
    connect(m_back, &QPushButton::clicked, m_runner, &LessonRunner::back);
    connect(m_retry, &QPushButton::clicked, this, [this] {
        m_failed = false;
        m_runner->retry();
    });
    connect(m_showAnswer, &QPushButton::clicked, this, [this] {
        m_answer->show();
        m_showAnswer->hide();
    });
    connect(m_dataFolder, &QPushButton::clicked, this, &LessonPanel::chooseDataFolder);
    connect(m_runner, &LessonRunner::stepShown, this, &LessonPanel::showStep);
    connect(m_runner, &LessonRunner::busyChanged, this, &LessonPanel::onBusyChanged);
    connect(m_runner, &LessonRunner::stepFailed, this, &LessonPanel::onStepFailed);
    connect(m_runner, &LessonRunner::stepDone, this, [this] {
        m_status->setStyleSheet(QString());
        m_status->clear();
        updateButtons();
    });
    connect(m_runner, &LessonRunner::activity, this, [this](const QString &text) {
        m_status->setStyleSheet(QString());
        m_status->setText(text);
    });
    showStep(-1);
}

void LessonPanel::setLibrary(const LessonLibrary &library)
{
    m_library = library;
    m_chooser->clear();
    for (const Lesson &lesson : m_library.lessons)
        m_chooser->addItem(lesson.title, lesson.id);
    m_problems->setText(m_library.problems.isEmpty()
                            ? QString()
                            : tr("Lessons that could not be read:\n%1")
                                  .arg(m_library.problems.join(QLatin1Char('\n'))));
    m_problems->setVisible(!m_library.problems.isEmpty());
    updateButtons();
}

bool LessonPanel::startLesson(const QString &id)
{
    const Lesson *lesson = m_library.find(id);
    if (!lesson)
        return false;
    m_chooser->setCurrentIndex(m_chooser->findData(id));
    m_failed = false;
    m_runner->start(*lesson);
    return m_runner->next();
}

void LessonPanel::showStep(int step)
{
    const bool inLesson = m_runner->isActive() && step >= 0;
    m_title->setText(inLesson ? m_runner->lesson().title : QString());
    m_title->setVisible(inLesson);
    if (!inLesson) {
        m_stepTitle->setText(tr("Choose a lesson and press Start."));
        QString list;
        for (const Lesson &lesson : m_library.lessons)
            list += QStringLiteral("<p><b>%1</b><br>%2</p>")
                        .arg(lesson.title.toHtmlEscaped(), lesson.summary.toHtmlEscaped());
        m_text->setHtml(list);
        m_question->hide();
        m_showAnswer->hide();
        m_answer->hide();
        m_status->clear();
        updateButtons();
        return;
    }
    const LessonStep &shown = m_runner->lesson().steps.at(std::size_t(step));
    m_stepTitle->setText(tr("Step %1 of %2: %3")
                             .arg(step + 1)
                             .arg(m_runner->lesson().steps.size())
                             .arg(shown.title));
    m_text->setHtml(shown.text);
    const bool asks = !shown.question.isEmpty();
    m_question->setText(asks ? tr("Try it yourself: %1").arg(shown.question) : QString());
    m_question->setVisible(asks);
    m_showAnswer->setVisible(asks);
    m_answer->setText(shown.answer);
    m_answer->hide();
    m_failed = false;
    m_status->clear();
    updateButtons();
}

void LessonPanel::onBusyChanged(bool)
{
    updateButtons();
}

void LessonPanel::onStepFailed(int, const QString &message)
{
    m_failed = true;
    m_status->setStyleSheet(QStringLiteral("color: #a01010"));
    m_status->setText(message);
    updateButtons();
}

void LessonPanel::updateButtons()
{
    const bool active = m_runner->isActive() && m_runner->currentStep() >= 0;
    const bool busy = m_runner->isBusy();
    m_chooser->setEnabled(!busy);
    m_start->setEnabled(!busy && m_chooser->count() > 0);
    m_back->setVisible(active);
    m_back->setEnabled(active && !busy && m_runner->currentStep() > 0);
    m_next->setVisible(active);
    m_next->setEnabled(active && !busy && !m_failed);
    const bool last = active && m_runner->currentStep() + 1 >= int(m_runner->lesson().steps.size());
    m_next->setText(last ? tr("Finish") : tr("Next"));
    m_retry->setVisible(active && m_failed);
    m_retry->setEnabled(!busy);
}

void LessonPanel::chooseDataFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("The folder that holds the lessons' data"), QString());
    if (folder.isEmpty())
        return;
    Q_EMIT dataFolderChosen(folder);
    if (m_failed)
        m_status->setText(m_status->text() + tr("\nData folder set: press Try again."));
}

} // namespace twb
