#pragma once

#include "client/FineTuneSource.h"

#include <QGroupBox>
#include <QSet>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTreeWidget;
class QTreeWidgetItem;

namespace twb {

/// The fine-tune settings of the model panel: where the weights come from (a finished run,
/// usually a pretraining run), the recipe and what to freeze.
///
/// Recipes (`twb-cli train --finetune`): "full" (every parameter trains), "linear-probe" (the
/// new head alone trains) and "head-first:N" (the head alone for N epochs, then all — the
/// PatchTST recipe). The freeze tree lists the source model's parameters by module (from
/// `twb-cli parameters`, see setParameters); a checked module is frozen (`--freeze PREFIX`)
/// whatever the recipe. It is disabled for linear probing, which freezes all but the head.
///
/// Hidden until setSource(); Stop fine-tuning clears the source (cleared()). The box reads no
/// file. Threading: GUI thread only.
class FineTuneBox : public QGroupBox
{
    Q_OBJECT

public:
    explicit FineTuneBox(QWidget *parent = nullptr);
    ~FineTuneBox() override;

    void setSource(const FineTuneSource &source);
    void clearSource();
    bool hasSource() const { return !m_source.runDir.isEmpty(); }
    const FineTuneSource &source() const { return m_source; }

    /// The source model's parameters (names with dots between modules), shown as a tree of
    /// check boxes; the names frozen in the source run start checked.
    void setParameters(const QList<ParameterEntry> &parameters);
    /// Why the parameters could not be listed (shown in place of the tree).
    void setParametersProblem(const QString &message);

    /// "full", "linear-probe" or "head-first:N".
    QString recipe() const;
    /// Selects a recipe as recipe() spells it; false for an unknown one.
    bool setRecipe(const QString &recipe);
    /// The checked modules as `--freeze` prefixes: a fully checked module is one prefix
    /// ("encoder." — the dot keeps "layers.1." from matching "layers.10."), a single checked
    /// parameter its full name. Empty for linear probing (the recipe freezes).
    QStringList freezePrefixes() const;
    /// Checks (freezes) the module or parameter at `prefix` ("encoder" or "encoder.layers.0");
    /// false when the tree has no such node.
    bool setFrozen(const QString &prefix, bool frozen);

    QTreeWidget *freezeTree() const { return m_tree; }

    /// The shortest prefixes that name exactly the `frozen` names among `names` (module paths
    /// joined by '.'): a module all of whose parameters are frozen becomes "module.".
    static QStringList collapsePrefixes(const QStringList &names, const QSet<QString> &frozen);

Q_SIGNALS:
    /// The recipe or the frozen set changed.
    void changed();
    /// Stop fine-tuning was pressed (the source is already cleared).
    void cleared();

private:
    void updateEnabled();
    QTreeWidgetItem *findNode(const QString &path) const;

    FineTuneSource m_source;
    QLabel *m_from = nullptr;
    QComboBox *m_recipe = nullptr;
    QSpinBox *m_headEpochs = nullptr;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_treeNote = nullptr;
    QPushButton *m_stop = nullptr;
};

} // namespace twb
