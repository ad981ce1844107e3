#pragma once

#include "client/PredictedCases.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace twb {

/// "Predict New Data" in the classification view (under its summary): the classes a classification
/// run gives new data — a folder of sound files or one file — as a table (source, label when the
/// data has one, predicted class, then the probability of every class in %), sortable, with a
/// summary
/// ("12 recordings of new/: …" or, with labels, how many are right).
///
/// The view runs nothing and opens no dialog: its buttons send folderRequested, fileRequested
/// and saveRequested; the window asks for the path, runs `twb-cli predict` (app/gui's
/// ClassPredictionController) and calls setBusy, then setPredictions or showFailure.
/// Threading: GUI thread only.
class NewDataPredictionsView : public QWidget
{
    Q_OBJECT

public:
    explicit NewDataPredictionsView(QWidget *parent = nullptr);

    /// Whether a classification run is shown (the buttons are enabled only then).
    void setRunAvailable(bool available);
    void setBusy(bool busy, const QString &what = {});
    bool isBusy() const { return m_busy; }
    /// Shows the predictions of `dataPath`.
    void setPredictions(const PredictedCases &predictions, const QString &dataPath);
    /// Clears the table and shows why there are no predictions.
    void showFailure(const QString &message);
    void clear();

    QTableView *table() const { return m_table; }
    QStandardItemModel *model() const { return m_model; }
    QLabel *summaryLabel() const { return m_summary; }
    QPushButton *folderButton() const { return m_folder; }
    QPushButton *fileButton() const { return m_file; }
    QPushButton *saveButton() const { return m_save; }

Q_SIGNALS:
    void folderRequested();
    void fileRequested();
    void saveRequested();

private:
    void updateButtons();

    QLabel *m_summary = nullptr;
    QPushButton *m_folder = nullptr;
    QPushButton *m_file = nullptr;
    QPushButton *m_save = nullptr;
    QTableView *m_table = nullptr;
    QStandardItemModel *m_model = nullptr;
    bool m_runAvailable = false;
    bool m_busy = false;
    bool m_hasPredictions = false;
};

} // namespace twb
