#include "ModelListWidget.h"

#include "widgets/training/ModelChoice.h"

#include "plugin/ModelPlugin.h"
#include "plugin/ModelRegistry.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QStyle>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace twb {

ModelListWidget::ModelListWidget(QWidget *parent)
    : QWidget(parent)
{
    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("modelTree"));
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Model"), tr("Tasks"), tr("Version")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] {
        showDetails();
        Q_EMIT modelSelected(selectedModel());
    });

    m_details = new QTextBrowser;
    m_details->setObjectName(QStringLiteral("modelDetails"));
    m_details->setOpenExternalLinks(true);

    m_problemBanner = new QLabel;
    m_problemBanner->setObjectName(QStringLiteral("problemBanner"));
    m_problemBanner->setWordWrap(true);
    auto *icon = new QLabel;
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(20, 20));
    auto *bannerRow = new QHBoxLayout;
    bannerRow->setContentsMargins(4, 4, 4, 4);
    bannerRow->addWidget(icon, 0, Qt::AlignTop);
    bannerRow->addWidget(m_problemBanner, 1);
    m_problemList = new QListWidget;
    m_problemList->setObjectName(QStringLiteral("problemList"));
    m_problemList->setWordWrap(true);
    m_problemList->setResizeMode(QListView::Adjust);
    m_problemList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_problemList->setAlternatingRowColors(true);

    m_problemBox = new QWidget;
    m_problemBox->setObjectName(QStringLiteral("problemBox"));
    m_problemBox->setAutoFillBackground(true);
    QPalette warning = m_problemBox->palette();
    warning.setColor(QPalette::Window, QColor(0xff, 0xf4, 0xd6));
    m_problemBox->setPalette(warning);
    auto *problemLayout = new QVBoxLayout(m_problemBox);
    problemLayout->setContentsMargins(0, 0, 0, 0);
    problemLayout->setSpacing(2);
    problemLayout->addLayout(bannerRow);
    problemLayout->addWidget(m_problemList);
    m_problemBox->hide();

    // [tree | details] above the problems, which always get the full width.
    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(m_details);
    m_splitter->setChildrenCollapsible(false);
    auto *outer = new QSplitter(Qt::Vertical);
    outer->addWidget(m_splitter);
    outer->addWidget(m_problemBox);
    outer->setStretchFactor(0, 3);
    outer->setStretchFactor(1, 2);
    outer->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(outer);
    showDetails();
}

ModelListWidget::~ModelListWidget() = default;

void ModelListWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const Qt::Orientation wanted = width() > height() * 3 / 2 ? Qt::Horizontal : Qt::Vertical;
    if (m_splitter->orientation() != wanted)
        m_splitter->setOrientation(wanted);
    // Side by side the list is too narrow for three columns: the tasks and version are in the
    // details' heading anyway, so the list keeps the names only.
    const bool compact = wanted == Qt::Horizontal;
    m_tree->setColumnHidden(1, compact);
    m_tree->setColumnHidden(2, compact);
    // One column that fits the list (long names elided) instead of a horizontal scroll bar.
    m_tree->header()->setSectionResizeMode(0, compact ? QHeaderView::Stretch
                                                      : QHeaderView::ResizeToContents);
    m_tree->setHorizontalScrollBarPolicy(compact ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
}

void ModelListWidget::setRegistry(const ModelRegistry &registry, const QStringList &searched)
{
    const QString previous = selectedModel();
    m_searched = searched;
    m_models.clear();
    for (const PluginRecord &rec : registry.plugins()) {
        Entry e;
        e.id = rec.id;
        e.name = rec.name;
        e.version = rec.version;
        e.path = rec.path;
        e.tasks = rec.tasks;
        if (rec.plugin) {
            e.description = rec.plugin->description();
            e.paper = rec.plugin->paper();
        }
        m_models.push_back(std::move(e));
    }

    {
        const QSignalBlocker blocker(m_tree);
        m_tree->clear();
        for (const Entry &e : m_models) {
            auto *item =
                new QTreeWidgetItem(m_tree, {e.name, e.tasks.join(QLatin1String(", ")), e.version});
            item->setData(0, Qt::UserRole, e.id);
            item->setToolTip(0, e.path);
        }
        const QString wanted = preferredFor(previous);
        for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
            if (m_tree->topLevelItem(i)->data(0, Qt::UserRole).toString() == wanted)
                m_tree->setCurrentItem(m_tree->topLevelItem(i));
    }
    markFitting();

    m_problemList->clear();
    m_problemCount = int(registry.problems().size());
    for (const PluginProblem &p : registry.problems()) {
        auto *item =
            new QListWidgetItem(QFileInfo(p.path).fileName() + QLatin1String(": ") + p.reason);
        item->setToolTip(p.path);
        m_problemList->addItem(item);
    }
    m_problemBanner->setText(
        tr("%n plugin(s) could not be loaded. They are left out; the reasons are below.", nullptr,
           m_problemCount));
    m_problemBox->setVisible(m_problemCount > 0);
    showDetails();
}

void ModelListWidget::setPreferredTask(Task task, bool sound)
{
    m_task = task;
    m_taskGiven = true;
    m_sound = sound;
    markFitting();
    selectPreferred();
}

void ModelListWidget::markFitting()
{
    const QString task = taskName(m_task);
    const QBrush unfit = palette().brush(QPalette::Disabled, QPalette::Text);
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tree->topLevelItem(i);
        const QString id = item->data(0, Qt::UserRole).toString();
        const auto it = std::find_if(m_models.begin(), m_models.end(),
                                     [&](const Entry &e) { return e.id == id; });
        const bool fits = !m_taskGiven || (it != m_models.end() && it->tasks.contains(task));
        for (int column = 0; column < m_tree->columnCount(); ++column)
            item->setData(column, Qt::ForegroundRole, fits ? QVariant() : QVariant(unfit));
        const QString path = it != m_models.end() ? it->path : QString();
        item->setToolTip(0, fits ? path
                                 : tr("Not for this data: it does not %1.\n%2").arg(task, path));
    }
}

QString ModelListWidget::preferredFor(const QString &current) const
{
    std::vector<ModelTasks> choices;
    for (const Entry &e : m_models)
        choices.push_back({e.id, e.tasks});
    return preferredModel(choices, m_task, current, m_sound);
}

void ModelListWidget::selectPreferred()
{
    const QString wanted = preferredFor(selectedModel());
    if (!wanted.isEmpty() && wanted != selectedModel())
        selectModel(wanted); // emits modelSelected
}

QString ModelListWidget::selectedModel() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

void ModelListWidget::selectModel(const QString &id)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->data(0, Qt::UserRole).toString() == id)
            m_tree->setCurrentItem(m_tree->topLevelItem(i));
}

void ModelListWidget::showDetails()
{
    const QString id = selectedModel();
    const auto it =
        std::find_if(m_models.begin(), m_models.end(), [&](const Entry &e) { return e.id == id; });
    if (it == m_models.end()) {
        QString html = m_models.empty() ? tr("<p><b>No model plugins found.</b></p>")
                                        : tr("<p>Select a model to see what it does.</p>");
        if (m_models.empty() && !m_searched.isEmpty()) {
            html += tr("<p>Searched:</p><ul>");
            for (const QString &dir : m_searched)
                html += QLatin1String("<li><code>") + dir.toHtmlEscaped() +
                        QLatin1String("</code></li>");
            html += tr("</ul><p>Add folders with the TWB_PLUGIN_PATH environment variable.</p>");
        }
        m_details->setHtml(html);
        return;
    }
    m_details->setHtml(
        QStringLiteral("<p><b>%1</b> <span style='color:gray'>%2 %3 \u2014 %4</span></p>"
                       "<p>%5</p><p><i>%6</i></p>"
                       "<p style='color:gray; font-size:small'>%7</p>")
            .arg(it->name.toHtmlEscaped(), it->id.toHtmlEscaped(), it->version.toHtmlEscaped(),
                 it->tasks.join(QLatin1String(", ")).toHtmlEscaped(),
                 it->description.toHtmlEscaped(), it->paper.toHtmlEscaped(),
                 it->path.toHtmlEscaped()));
}

} // namespace twb
