#pragma once

#include "attention/ForwardTrace.h"
#include "widgets/common/CsvExportable.h"

#include <QImage>
#include <QWidget>

class QLabel;
class QScrollArea;
class QTreeWidget;
class QVBoxLayout;

namespace twb {

/// The forward pass explained: one sample through a model, stage by stage.
///
/// Left, a vertical list of stage cards (scrollable), one per stage of the trace in order:
/// name, shape with the meaning of its axes ("[1, 7, 42, 16] = batch × channels × patches ×
/// patch length"), a small heat map of the stage's 2-D preview (viridis, scaled from the
/// preview's min to its max), min/max/mean/std of the whole tensor (and its values when it has at
/// most 32) and the plain-language explanation from resources/explain/stages.json. Right, the model
/// structure: a tree of module paths (parameter names split at '.') with the shape and count of
/// every parameter and the total of every module.
///
/// A stage that is a model's mechanism (auto-correlation and its delays, Fourier modes,
/// ProbSparse's active queries, a seasonal/trend part) gets a small chart instead of the heat
/// map (MechanismPicture.h).
/// Generic: everything comes from the ForwardTrace and the explanation file; there is no
/// model-specific code (the charts go by the stage name's last part). The CSV table is the stage
/// list: name, shape, min, max, mean, std. Threading: GUI thread only.
class ForwardPassView : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit ForwardPassView(QWidget *parent = nullptr);

    /// Shows `trace` (replacing the previous one): e.g. the file `twb-cli forward` wrote, read
    /// by whoever owns the files (the view reads none).
    void setTrace(const explain::ForwardTrace &trace);
    void clear();

    const explain::ForwardTrace &trace() const { return m_trace; }
    int stageCount() const { return int(m_cards.size()); }
    /// The texts and the picture of card `index` (0-based, in stage order).
    QString cardTitle(int index) const;
    QString cardShape(int index) const;
    QString cardStatistics(int index) const;
    QString cardExplanation(int index) const;
    /// The card's picture: the mechanism chart, else the heat map (one pixel per value).
    QImage cardImage(int index) const;
    QTreeWidget *structureTree() const { return m_tree; }
    /// Scrolls the stage list so that the card of the stage named `name` is at the top;
    /// false (nothing moves) when the trace has no such stage.
    bool scrollToStage(const QString &name);

    CsvTable csvTable() const override;

    /// The heat map of a stage's preview, one pixel per value (RGB32), colours from the
    /// preview's own min to max (a constant preview is drawn in the middle colour); null when
    /// the preview is empty.
    static QImage previewImage(const explain::ForwardStage &stage);

private:
    struct Card
    {
        QLabel *title = nullptr;
        QLabel *shape = nullptr;
        QLabel *image = nullptr;
        QLabel *statistics = nullptr;
        QLabel *explanation = nullptr;
        QWidget *frame = nullptr;
        QImage picture;
    };

    QWidget *makeCard(int index, const explain::ForwardStage &stage, Card *card);
    void fillTree();

    explain::ForwardTrace m_trace;
    QLabel *m_header = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_list = nullptr;
    QVBoxLayout *m_listLayout = nullptr;
    QTreeWidget *m_tree = nullptr;
    std::vector<Card> m_cards;
};

} // namespace twb
