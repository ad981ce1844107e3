#include "ForwardPassView.h"

#include "render/ColorMap.h"
#include "widgets/explain/ForwardPassText.h"
#include "widgets/explain/MechanismPicture.h"

#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace twb {

namespace {

constexpr int kImageWidth = 300;
constexpr int kImageHeight = 120;
constexpr int kChartHeight = 140;
constexpr std::int64_t kListedValues = 32;

QString number(double v)
{
    if (!std::isfinite(v))
        return QStringLiteral("nan");
    return QString::number(v, 'g', 4);
}

QString count(std::int64_t n)
{
    return QLocale(QLocale::English).toString(qlonglong(n));
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

/// A module of the structure tree: children by name (in first-seen order), its parameters and
/// buffers, and the totals below it.
struct ModuleNode
{
    std::vector<std::pair<QString, std::unique_ptr<ModuleNode>>> children;
    std::vector<const explain::ForwardParameter *> parameters;
    std::vector<const explain::ForwardParameter *> buffers;
    std::int64_t total = 0;
    std::int64_t bufferTotal = 0;

    ModuleNode *child(const QString &name)
    {
        for (auto &[key, node] : children)
            if (key == name)
                return node.get();
        children.emplace_back(name, std::make_unique<ModuleNode>());
        return children.back().second.get();
    }

    /// Files `tensor` under its module path, adding its count to every module on the way.
    void add(const explain::ForwardParameter &tensor, bool isBuffer)
    {
        const QStringList path = qs(tensor.name).split(QLatin1Char('.'));
        ModuleNode *node = this;
        for (qsizetype i = 0;; ++i) {
            (isBuffer ? node->bufferTotal : node->total) += tensor.count;
            if (i + 1 >= path.size())
                break;
            node = node->child(path[i]);
        }
        (isBuffer ? node->buffers : node->parameters).push_back(&tensor);
    }
};

QString countOrBlank(std::int64_t n)
{
    return n > 0 ? count(n) : QString();
}

void addItems(QTreeWidgetItem *parent, const ModuleNode &node)
{
    for (const auto &[name, child] : node.children) {
        auto *item = new QTreeWidgetItem(
            parent, {name, QString(), count(child->total), countOrBlank(child->bufferTotal)});
        addItems(item, *child);
    }
    for (const explain::ForwardParameter *p : node.parameters) {
        const QString leaf = qs(p->name).section(QLatin1Char('.'), -1);
        new QTreeWidgetItem(parent, {leaf, explain::shapeText(p->shape), count(p->count)});
    }
    for (const explain::ForwardParameter *b : node.buffers) {
        const QString leaf = qs(b->name).section(QLatin1Char('.'), -1);
        new QTreeWidgetItem(parent,
                            {leaf, explain::shapeText(b->shape), QString(), count(b->count)});
    }
}

} // namespace

ForwardPassView::ForwardPassView(QWidget *parent)
    : QWidget(parent)
{
    m_header =
        new QLabel(tr("Open a forward-pass file (twb-cli forward RUN --out trace.h5)."), this);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::PlainText);

    m_list = new QWidget;
    m_listLayout = new QVBoxLayout(m_list);
    m_listLayout->addStretch(1);
    m_scroll = new QScrollArea;
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_list);

    m_tree = new QTreeWidget;
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("Module / tensor"), tr("Shape"), tr("Parameters"), tr("Buffers")});
    m_tree->headerItem()->setToolTip(
        3, tr("Values kept with the model that no gradient trains: what a one-pass fit stored "
              "(MiniRocket, 1-NN DTW), fixed tables such as positional encodings, running "
              "statistics"));
    // Long parameter paths must not push the stage cards off screen: the first column takes
    // what is left and elides, the numbers fit their contents.
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->setTextElideMode(Qt::ElideMiddle);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_scroll);
    splitter->addWidget(m_tree);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({950, 550});

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(splitter, 1);
}

void ForwardPassView::clear()
{
    for (Card &card : m_cards)
        if (card.title)
            delete card.title->parentWidget();
    m_cards.clear();
    m_tree->clear();
    m_trace = {};
}

void ForwardPassView::setTrace(const explain::ForwardTrace &trace)
{
    clear();
    m_trace = trace;
    const QString kept =
        trace.totalBuffers > 0
            ? tr(" and %1 values in buffers (fitted or fixed)").arg(count(trace.totalBuffers))
            : QString();
    m_header->setText(tr("%1 — %2: %3 stages, %4 parameters%5. Prediction %6.")
                          .arg(qs(trace.modelId), qs(trace.sampleLabel))
                          .arg(trace.stages.size())
                          .arg(count(trace.totalParameters), kept)
                          .arg(explain::shapeText(trace.prediction.shape)));
    m_cards.resize(trace.stages.size());
    for (std::size_t i = 0; i < trace.stages.size(); ++i)
        m_listLayout->insertWidget(m_listLayout->count() - 1,
                                   makeCard(int(i), trace.stages[i], &m_cards[i]));
    fillTree();
}

QWidget *ForwardPassView::makeCard(int index, const explain::ForwardStage &stage, Card *card)
{
    auto *frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    card->frame = frame;
    auto *grid = new QGridLayout(frame);
    const StageExplanation text = stageExplanation(qs(m_trace.modelId), qs(stage.name));

    card->title = new QLabel(QStringLiteral("%1. %2").arg(index + 1).arg(qs(stage.name)));
    QFont bold = card->title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    card->title->setFont(bold);
    card->shape = new QLabel(describeShape(stage.shape, text.axes));
    QString statistics =
        tr("min %1 · max %2 · mean %3 · std %4")
            .arg(number(stage.min), number(stage.max), number(stage.mean), number(stage.std));
    // A small stage (Autoformer's delays and their weights, FEDformer's modes) is read best as
    // its numbers.
    if (stage.elementCount() <= kListedValues &&
        std::int64_t(stage.preview.size()) == stage.elementCount()) {
        QStringList values;
        for (float v : stage.preview)
            values << number(v);
        statistics += QLatin1Char('\n') + tr("values: %1").arg(values.join(QStringLiteral(", ")));
    }
    card->statistics = new QLabel(statistics);
    card->statistics->setWordWrap(true);
    card->explanation =
        new QLabel(text.isFound() ? text.text : tr("No explanation for this stage yet."));
    card->explanation->setWordWrap(true);
    card->image = new QLabel;
    card->picture = mechanismPicture(m_trace, index, QSize(kImageWidth, kChartHeight));
    if (!card->picture.isNull()) {
        card->image->setPixmap(QPixmap::fromImage(card->picture));
        card->image->setToolTip(tr("Drawn from the previews of this stage and its neighbours; "
                                   "the statistics beside it are of the whole tensor"));
    } else if (card->picture = previewImage(stage); !card->picture.isNull()) {
        // Wide enough to see single columns, never taller than the card.
        const int w = std::clamp(card->picture.width() * 8, 48, kImageWidth);
        const int h = std::clamp(card->picture.height() * 8, 16, kImageHeight);
        card->image->setPixmap(QPixmap::fromImage(
            card->picture.scaled(w, h, Qt::IgnoreAspectRatio, Qt::FastTransformation)));
        card->image->setToolTip(tr("Preview %1 × %2 (every %3th row, %4th column) of the "
                                   "first slice")
                                    .arg(stage.rows)
                                    .arg(stage.cols)
                                    .arg(stage.rowStride)
                                    .arg(stage.colStride));
    }
    card->image->setFixedWidth(kImageWidth);
    card->image->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    for (QLabel *label : {card->shape, card->statistics, card->explanation})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    grid->addWidget(card->title, 0, 0, 1, 2);
    grid->addWidget(card->image, 1, 0, 3, 1);
    grid->addWidget(card->shape, 1, 1);
    grid->addWidget(card->statistics, 2, 1);
    grid->addWidget(card->explanation, 3, 1);
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(3, 1);
    return frame;
}

void ForwardPassView::fillTree()
{
    ModuleNode root;
    for (const explain::ForwardParameter &p : m_trace.parameters)
        root.add(p, false);
    for (const explain::ForwardParameter &b : m_trace.buffers)
        root.add(b, true);
    auto *top =
        new QTreeWidgetItem(m_tree, {m_trace.modelId.empty() ? tr("model") : qs(m_trace.modelId),
                                     QString(), count(root.total), countOrBlank(root.bufferTotal)});
    addItems(top, root);
    m_tree->expandToDepth(1);
}

bool ForwardPassView::scrollToStage(const QString &name)
{
    for (std::size_t i = 0; i < m_cards.size() && i < m_trace.stages.size(); ++i)
        if (qs(m_trace.stages[i].name) == name) {
            m_list->adjustSize();
            m_scroll->verticalScrollBar()->setValue(m_cards[i].frame->y());
            return true;
        }
    return false;
}

QString ForwardPassView::cardTitle(int index) const
{
    return index >= 0 && index < stageCount() ? m_cards[std::size_t(index)].title->text()
                                              : QString();
}

QString ForwardPassView::cardShape(int index) const
{
    return index >= 0 && index < stageCount() ? m_cards[std::size_t(index)].shape->text()
                                              : QString();
}

QString ForwardPassView::cardStatistics(int index) const
{
    return index >= 0 && index < stageCount() ? m_cards[std::size_t(index)].statistics->text()
                                              : QString();
}

QString ForwardPassView::cardExplanation(int index) const
{
    return index >= 0 && index < stageCount() ? m_cards[std::size_t(index)].explanation->text()
                                              : QString();
}

QImage ForwardPassView::cardImage(int index) const
{
    return index >= 0 && index < stageCount() ? m_cards[std::size_t(index)].picture : QImage();
}

QImage ForwardPassView::previewImage(const explain::ForwardStage &stage)
{
    if (stage.rows < 1 || stage.cols < 1 ||
        stage.preview.size() != std::size_t(stage.rows) * std::size_t(stage.cols))
        return {};
    float lo = 0.0f, hi = 0.0f;
    bool any = false;
    for (float v : stage.preview)
        if (std::isfinite(v)) {
            lo = any ? std::min(lo, v) : v;
            hi = any ? std::max(hi, v) : v;
            any = true;
        }
    const ColorMap &map = ColorMap::get(ColorMapKind::Viridis);
    QImage image(stage.cols, stage.rows, QImage::Format_RGB32);
    for (int r = 0; r < stage.rows; ++r) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(r));
        for (int c = 0; c < stage.cols; ++c) {
            const float v =
                stage.preview[std::size_t(r) * std::size_t(stage.cols) + std::size_t(c)];
            line[c] = map.map(hi > lo ? (double(v) - lo) / (double(hi) - lo) : 0.5);
        }
    }
    return image;
}

CsvTable ForwardPassView::csvTable() const
{
    CsvTable table;
    if (m_trace.stages.empty())
        return table;
    table.header = {QStringLiteral("name"), QStringLiteral("shape"), QStringLiteral("min"),
                    QStringLiteral("max"),  QStringLiteral("mean"),  QStringLiteral("std")};
    for (const explain::ForwardStage &s : m_trace.stages)
        table.rows.append({qs(s.name), explain::shapeText(s.shape), csvNumber(s.min),
                           csvNumber(s.max), csvNumber(s.mean), csvNumber(s.std)});
    return table;
}

} // namespace twb
