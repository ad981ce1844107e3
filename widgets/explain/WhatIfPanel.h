#pragma once

#include "protocol/WhatIfMessages.h"
#include "widgets/common/CsvExportable.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace twb {

class WhatIfChart;

/// What-if edits of the sample shown in the attention explorer (issue 5 part 3): mask the
/// selected token (a patch, a variate, a spectrogram tile), a range of input rows of one or all
/// columns (a time range, a channel, a band of mel bins), or switch the selected head off, and
/// see the prediction after the edits next to the original (WhatIfChart) as soon as it comes.
///
/// A view: every change of the edit list asks for the prediction with the whole list again
/// (predictionRequested); edits accumulate until removed or cleared. The controller (app/gui's
/// ExplainController, talking to one `twb-cli whatif RUN --serve` child: the model loaded once,
/// only the latest request computed) answers with showModelLoaded(), showAnswer()
/// or showFailure(). The panel knows the sample only through setSample() (the explorer's
/// attention set gives the tokens, their labels and the input's size).
/// Threading and ownership: GUI thread only; starts no process.
class WhatIfPanel : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    /// One edit as the user made it. Kinds: a token (a = token index), a region (rows [a, b) x
    /// columns [c, d), -1 = to the end), a head (a = layer, b = head).
    struct Edit
    {
        enum class Kind { Token, Region, Head };
        Kind kind = Kind::Token;
        qint64 a = 0, b = -1, c = 0, d = -1;
        QString text; ///< how the edit list shows it
    };

    explicit WhatIfPanel(QWidget *parent = nullptr);
    ~WhatIfPanel() override;

    /// The run whose samples are edited: clears edits and the chart and emits runChanged() (the
    /// controller ends the session of the previous run).
    void setRun(const QString &runDir);
    QString runDir() const { return m_runDir; }

    /// The sample the explorer shows: its index, the labels of its tokens, the channel whose
    /// time tokens are masked (channel-independent models; -1 = all), the input's rows
    /// (time steps, frames) and column names (channels, mel bins). Keeps edits that still fit,
    /// and asks for the prediction.
    void setSample(qint64 index, const QStringList &tokenLabels, int tokenChannel, int inputRows,
                   const QStringList &columnNames);
    /// Sample `index` of a model that gave no attention set (DLinear, TSMixer, Conv-TasNet, …):
    /// no tokens to mask; the input's rows and columns are taken from the first answer, after
    /// which rows and columns can be masked. Nothing happens when that sample is shown already.
    void setSampleWithoutTokens(qint64 index);
    qint64 sample() const { return m_sample; }

    /// The explorer's current query token and head (what the two "selected" buttons add).
    void setSelectedToken(int token);
    void setSelectedHead(int layer, int head, bool headMode);

    void addTokenMask(int token);
    void addRegion(qint64 rowBegin, qint64 rowEnd, qint64 colBegin, qint64 colEnd);
    void addHeadOff(int layer, int head);
    void removeEdit(int row);
    void clearEdits();
    const std::vector<Edit> &edits() const { return m_edits; }
    /// The edit list as one what-if edit (the message `twb-cli whatif --serve` reads).
    WhatIfEdit edit() const;

    /// The controller's reports: the run's model is loaded (the first answer follows); the
    /// answer to the latest request (or an earlier one); why there is none (shown and emitted
    /// as failed()).
    void showModelLoaded();
    void showAnswer(WhatIfAnswer answer);
    void showFailure(const QString &message);

    WhatIfChart *chart() const { return m_chart; }
    QListWidget *editList() const { return m_list; }
    QPushButton *maskTokenButton() const { return m_maskToken; }
    QPushButton *headOffButton() const { return m_headOff; }
    QSpinBox *rowToBox() const { return m_rowTo; }
    QComboBox *columnBox() const { return m_column; }
    QString statusText() const;

    CsvTable csvTable() const override;

Q_SIGNALS:
    /// The prediction of sample `index` of runDir() with `edit` is wanted.
    void predictionRequested(qint64 index, const twb::WhatIfEdit &edit);
    /// setRun(): another run (empty = none) is edited.
    void runChanged(const QString &runDir);
    /// A prediction was drawn (the answer to the latest edit list, or an earlier one).
    void resultShown();
    /// A failure was shown: the child could not start or ended, or it rejected the request.
    void failed(const QString &message);

private:
    void addEdit(Edit edit);
    /// The row range and column choices of the region editor.
    void setInputShape(int inputRows, const QStringList &columnNames, bool keepChoice);
    void editsChanged();
    void requestPrediction();
    void setStatus(const QString &text);
    void updateButtons();

    QString m_runDir;
    qint64 m_sample = -1;
    QStringList m_tokenLabels;
    int m_tokenChannel = -1;
    int m_inputRows = 0;
    QStringList m_columnNames;
    int m_selectedToken = 0;
    int m_selectedLayer = 0;
    int m_selectedHead = 0;
    bool m_headMode = true;
    std::vector<Edit> m_edits;

    WhatIfChart *m_chart = nullptr;
    QListWidget *m_list = nullptr;
    QPushButton *m_maskToken = nullptr;
    QPushButton *m_headOff = nullptr;
    QSpinBox *m_rowFrom = nullptr;
    QSpinBox *m_rowTo = nullptr;
    QComboBox *m_column = nullptr;
    QPushButton *m_maskRegion = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_clear = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace twb
