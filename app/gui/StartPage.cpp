#include "StartPage.h"

#include "DatasetLoadJob.h"
#include "RecentFiles.h"
#include "data/DatasetLoader.h"

#include <QBoxLayout>
#include <QCommandLinkButton>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QScrollArea>

namespace twb {

namespace {

QLabel *heading(const QString &text, double scale)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * scale);
    label->setFont(font);
    label->setTextFormat(Qt::PlainText);
    return label;
}

/// A titled section: its heading above a list that the caller fills.
QWidget *section(const QString &title, QVBoxLayout **list)
{
    auto *widget = new QWidget;
    auto *layout = new QVBoxLayout(widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(heading(title, 1.15));
    *list = new QVBoxLayout;
    (*list)->setSpacing(0);
    layout->addLayout(*list);
    return widget;
}

QCommandLinkButton *entry(const QString &objectName, const QString &title,
                          const QString &description)
{
    auto *button = new QCommandLinkButton(title, description);
    button->setObjectName(objectName);
    return button;
}

/// Empties `list`. Its widgets are deleted later: the click being handled may be one of them
/// (a recent sound file opens synchronously and refills the recent list).
void clearList(QVBoxLayout *list)
{
    while (QLayoutItem *item = list->takeAt(0)) {
        if (QWidget *widget = item->widget()) {
            widget->hide();
            widget->setObjectName({}); // findChild finds only the new entries
            widget->deleteLater();
        }
        delete item;
    }
}

} // namespace

StartPage::StartPage(RecentFiles *recent, QWidget *parent)
    : QWidget(parent)
    , m_recent(recent)
{
    auto *content = new QWidget;
    content->setObjectName(QStringLiteral("startPageContent"));
    content->setMaximumWidth(1100);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->setSpacing(8);
    layout->addWidget(heading(tr("Transformer Workbench"), 1.6));
    auto *about = new QLabel(tr("Open a time series or labelled data, train a transformer model on "
                                "it, and see what it learned: its forecasts or classes, its "
                                "attention and its forward pass, step by step."));
    about->setWordWrap(true);
    layout->addWidget(about);

    auto *open = entry(QStringLiteral("startPage_open"), tr("Open your own file\u2026"),
                       tr("A CSV or HDF5 series, a sound, or labelled cases (.ts, .arff)"));
    connect(open, &QCommandLinkButton::clicked, this, &StartPage::openFileRequested);
    layout->addWidget(open);

    auto *data = new QWidget;
    auto *dataLayout = new QVBoxLayout(data);
    dataLayout->setContentsMargins(0, 0, 0, 0);
    dataLayout->setSpacing(12);
    dataLayout->addWidget(section(tr("Samples"), &m_sampleList));
    m_recentSection = section(tr("Recent files"), &m_recentList);
    dataLayout->addWidget(m_recentSection);

    m_lessonSection = section(tr("Lessons"), &m_lessonList);
    m_lessonSection->hide();

    m_columns = new QBoxLayout(QBoxLayout::TopToBottom);
    m_columns->setSpacing(24);
    m_columns->addWidget(data, 1, Qt::AlignTop);
    m_columns->addWidget(m_lessonSection, 1, Qt::AlignTop);
    layout->addLayout(m_columns);
    layout->addStretch(1);

    // The content keeps a readable width, centred, when the page is wide.
    auto *centred = new QWidget;
    auto *row = new QHBoxLayout(centred);
    row->setContentsMargins(0, 0, 0, 0);
    row->addStretch(0);
    row->addWidget(content, 1);
    row->addStretch(0);

    auto *scroll = new QScrollArea;
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(centred);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    if (m_recent)
        connect(m_recent, &RecentFiles::changed, this, &StartPage::fillRecent);
    fillRecent();
    setSamples(findSamples());
}

StartPage::~StartPage() = default;

void StartPage::setSamples(const std::vector<SampleInfo> &samples)
{
    m_samples = samples;
    clearList(m_sampleList);
    for (std::size_t i = 0; i < m_samples.size(); ++i) {
        const SampleInfo &s = m_samples[i];
        auto *button = entry(QStringLiteral("startPage_sample_%1").arg(i), s.title, s.description);
        button->setToolTip(QDir::toNativeSeparators(s.path));
        const QString path = s.path;
        connect(button, &QCommandLinkButton::clicked, this,
                [this, path] { Q_EMIT fileRequested(path); });
        m_sampleList->addWidget(button);
    }
    if (m_samples.empty()) {
        auto *none = new QLabel(tr("No sample data is installed. In a source tree, "
                                   "scripts/fetch-samples.sh fetches it."));
        none->setWordWrap(true);
        none->setEnabled(false);
        m_sampleList->addWidget(none);
    }
}

void StartPage::setLessons(const QList<LessonEntry> &lessons)
{
    m_lessons = lessons;
    clearList(m_lessonList);
    for (const LessonEntry &lesson : m_lessons) {
        auto *button =
            entry(QStringLiteral("startPage_lesson_") + lesson.id, lesson.title, lesson.summary);
        const QString id = lesson.id;
        connect(button, &QCommandLinkButton::clicked, this,
                [this, id] { Q_EMIT lessonRequested(id); });
        m_lessonList->addWidget(button);
    }
    m_lessonSection->setVisible(!m_lessons.isEmpty());
    updateColumns();
}

void StartPage::fillRecent()
{
    clearList(m_recentList);
    const QStringList files = m_recent ? m_recent->files() : QStringList();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString path = files.at(i);
        const QFileInfo file(parseSeriesPathSpec(path).file);
        const bool there = file.exists();
        const QString folder = QDir::toNativeSeparators(file.absolutePath());
        auto *button = entry(QStringLiteral("startPage_recent_%1").arg(i), displayNameOf(path),
                             there ? folder : tr("Not found in %1").arg(folder));
        button->setToolTip(QDir::toNativeSeparators(path));
        button->setEnabled(there);
        connect(button, &QCommandLinkButton::clicked, this,
                [this, path] { Q_EMIT fileRequested(path); });
        m_recentList->addWidget(button);
    }
    m_recentSection->setVisible(!files.isEmpty());
}

void StartPage::updateColumns()
{
    const bool beside = !m_lessons.isEmpty() && width() >= TwoColumnWidth;
    m_columns->setDirection(beside ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
}

void StartPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateColumns();
}

} // namespace twb
