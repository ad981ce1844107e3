#include "FineTuneBox.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

#include <map>
#include <memory>

namespace twb {

namespace {

constexpr int PathRole = Qt::UserRole;

/// A module path trie over parameter names (parts split at '.').
struct ModuleNode
{
    std::map<QString, std::unique_ptr<ModuleNode>> children; // sorted by part
    QStringList order;                                       // parts in first-seen order
    bool leaf = false;
};

void insert(ModuleNode &root, const QString &name)
{
    ModuleNode *node = &root;
    for (const QString &part : name.split(QLatin1Char('.'))) {
        auto &child = node->children[part];
        if (!child) {
            child = std::make_unique<ModuleNode>();
            node->order << part;
        }
        node = child.get();
    }
    node->leaf = true;
}

/// True when every parameter below `node` (at `path`) is in `frozen`.
bool allFrozen(const ModuleNode &node, const QString &path, const QSet<QString> &frozen)
{
    if (node.leaf && !frozen.contains(path))
        return false;
    for (const auto &[part, child] : node.children)
        if (!allFrozen(*child, path.isEmpty() ? part : path + QLatin1Char('.') + part, frozen))
            return false;
    return true;
}

void collect(const ModuleNode &node, const QString &path, const QSet<QString> &frozen,
             QStringList &out)
{
    for (const QString &part : node.order) {
        const ModuleNode &child = *node.children.at(part);
        const QString childPath = path.isEmpty() ? part : path + QLatin1Char('.') + part;
        if (allFrozen(child, childPath, frozen))
            out << (child.children.empty() ? childPath : childPath + QLatin1Char('.'));
        else
            collect(child, childPath, frozen, out);
    }
}

QString shapeText(const QList<qint64> &shape)
{
    QStringList dims;
    for (const qint64 d : shape)
        dims << QString::number(d);
    return QStringLiteral("[%1]").arg(dims.join(QStringLiteral(" \u00d7 ")));
}

} // namespace

QStringList FineTuneBox::collapsePrefixes(const QStringList &names, const QSet<QString> &frozen)
{
    ModuleNode root;
    for (const QString &name : names)
        insert(root, name);
    QStringList out;
    collect(root, QString(), frozen, out);
    return out;
}

FineTuneBox::FineTuneBox(QWidget *parent)
    : QGroupBox(tr("Fine-tune"), parent)
{
    setObjectName(QStringLiteral("fineTuneBox"));
    m_from = new QLabel;
    m_from->setObjectName(QStringLiteral("fineTuneFrom"));
    m_from->setWordWrap(true);
    m_recipe = new QComboBox;
    m_recipe->setObjectName(QStringLiteral("fineTuneRecipe"));
    m_recipe->addItem(tr("full: every parameter trains"), QStringLiteral("full"));
    m_recipe->addItem(tr("linear probe: the new head alone"), QStringLiteral("linear-probe"));
    m_recipe->addItem(tr("head first, then all"), QStringLiteral("head-first"));
    m_recipe->setToolTip(tr("How the pretrained weights are trained on the new task. The new "
                            "task's head always starts fresh."));
    m_headEpochs = new QSpinBox;
    m_headEpochs->setObjectName(QStringLiteral("fineTuneHeadEpochs"));
    m_headEpochs->setRange(1, 100000);
    m_headEpochs->setValue(10);
    m_headEpochs->setSuffix(tr(" epochs head only"));
    m_headEpochs->setToolTip(tr("Head first: this many epochs train the head alone, then every "
                                "parameter trains (the PatchTST recipe)."));
    auto *recipeRow = new QHBoxLayout;
    recipeRow->addWidget(m_recipe, 1);
    recipeRow->addWidget(m_headEpochs);

    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("fineTuneFreezeTree"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Freeze (checked: keeps its pretrained values)"), tr("size")});
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->setMinimumHeight(160);
    m_treeNote = new QLabel;
    m_treeNote->setObjectName(QStringLiteral("fineTuneTreeNote"));
    m_treeNote->setWordWrap(true);
    m_stop = new QPushButton(tr("Stop fine-tuning"));
    m_stop->setObjectName(QStringLiteral("fineTuneStop"));
    m_stop->setToolTip(tr("Train a fresh model instead"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_from);
    layout->addLayout(recipeRow);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_treeNote);
    layout->addWidget(m_stop, 0, Qt::AlignRight);

    connect(m_recipe, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        Q_EMIT changed();
    });
    connect(m_headEpochs, &QSpinBox::valueChanged, this, [this] { Q_EMIT changed(); });
    connect(m_tree, &QTreeWidget::itemChanged, this, [this] { Q_EMIT changed(); });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        clearSource();
        Q_EMIT cleared();
    });
    updateEnabled();
    hide();
}

FineTuneBox::~FineTuneBox() = default;

void FineTuneBox::setSource(const FineTuneSource &source)
{
    m_source = source;
    m_from->setText(tr("From <b>%1</b> (%2, %3): its weights start the new run; the new "
                       "task's head starts fresh.")
                        .arg(source.name.toHtmlEscaped(), source.modelId.toHtmlEscaped(),
                             source.task.toHtmlEscaped()));
    m_from->setToolTip(source.runDir);
    m_tree->clear();
    m_treeNote->setText(tr("Listing the model's parameters\u2026"));
    m_treeNote->show();
    m_recipe->setCurrentIndex(0);
    show();
    updateEnabled();
    Q_EMIT changed();
}

void FineTuneBox::clearSource()
{
    m_source = FineTuneSource();
    m_tree->clear();
    hide();
    Q_EMIT changed();
}

void FineTuneBox::setParameters(const QList<ParameterEntry> &parameters)
{
    const QSignalBlocker blocker(m_tree);
    m_tree->clear();
    std::map<QString, QTreeWidgetItem *> nodes; // path -> item
    std::map<QString, qint64> sizes;            // path -> parameters below
    for (const ParameterEntry &p : parameters) {
        if (isPretrainingHead(p.name)) // replaced by the new task's head, never loaded
            continue;
        const QStringList parts = p.name.split(QLatin1Char('.'));
        QString path;
        QTreeWidgetItem *parent = nullptr;
        for (const QString &part : parts) {
            path = path.isEmpty() ? part : path + QLatin1Char('.') + part;
            sizes[path] += p.count;
            auto &item = nodes[path];
            if (!item) {
                item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
                item->setText(0, part);
                item->setData(0, PathRole, path);
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
                item->setCheckState(0, Qt::Unchecked);
            }
            parent = item;
        }
        parent->setText(0, QStringLiteral("%1  %2").arg(parts.last(), shapeText(p.shape)));
        parent->setToolTip(0, p.name);
        if (p.frozen)
            parent->setCheckState(0, Qt::Checked);
    }
    for (const auto &[path, item] : nodes) {
        item->setText(1, QString::number(sizes[path]));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_tree->expandToDepth(0);
    m_treeNote->setText(parameters.isEmpty() ? tr("The model has no learnable parameters.")
                                             : QString());
    m_treeNote->setVisible(parameters.isEmpty());
    updateEnabled();
    Q_EMIT changed();
}

void FineTuneBox::setParametersProblem(const QString &message)
{
    m_tree->clear();
    m_treeNote->setText(
        tr("The parameters cannot be listed, so nothing can be frozen here: %1").arg(message));
    m_treeNote->show();
}

QString FineTuneBox::recipe() const
{
    const QString kind = m_recipe->currentData().toString();
    if (kind == QLatin1String("head-first"))
        return QStringLiteral("head-first:%1").arg(m_headEpochs->value());
    return kind;
}

bool FineTuneBox::setRecipe(const QString &recipe)
{
    const QString kind = recipe.section(QLatin1Char(':'), 0, 0);
    const int index = m_recipe->findData(kind);
    if (index < 0)
        return false;
    if (kind == QLatin1String("head-first")) {
        bool ok = false;
        const int epochs = recipe.section(QLatin1Char(':'), 1).toInt(&ok);
        if (!ok || epochs < m_headEpochs->minimum() || epochs > m_headEpochs->maximum())
            return false;
        m_headEpochs->setValue(epochs);
    }
    m_recipe->setCurrentIndex(index);
    return true;
}

QStringList FineTuneBox::freezePrefixes() const
{
    if (m_recipe->currentData().toString() == QLatin1String("linear-probe"))
        return {};
    QStringList names;
    QSet<QString> frozen;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        if ((*it)->childCount() > 0)
            continue;
        const QString path = (*it)->data(0, PathRole).toString();
        names << path;
        if ((*it)->checkState(0) == Qt::Checked)
            frozen.insert(path);
    }
    return collapsePrefixes(names, frozen);
}

QTreeWidgetItem *FineTuneBox::findNode(const QString &path) const
{
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        if ((*it)->data(0, PathRole).toString() == path)
            return *it;
    return nullptr;
}

bool FineTuneBox::setFrozen(const QString &prefix, bool frozen)
{
    QString path = prefix;
    if (path.endsWith(QLatin1Char('.')))
        path.chop(1);
    QTreeWidgetItem *item = findNode(path);
    if (!item)
        return false;
    item->setCheckState(0, frozen ? Qt::Checked : Qt::Unchecked);
    return true;
}

void FineTuneBox::updateEnabled()
{
    const QString kind = m_recipe->currentData().toString();
    m_headEpochs->setVisible(kind == QLatin1String("head-first"));
    const bool probe = kind == QLatin1String("linear-probe");
    m_tree->setEnabled(!probe);
    m_tree->setToolTip(probe ? tr("Linear probing freezes everything but the new head.")
                             : tr("Checked modules keep their pretrained values."));
}

} // namespace twb
