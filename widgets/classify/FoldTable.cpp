#include "FoldTable.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace twb {

namespace {

QString percentOrDash(double fraction)
{
    return std::isfinite(fraction) ? QStringLiteral("%1 %").arg(100.0 * fraction, 0, 'f', 1)
                                   : QStringLiteral("\u2013");
}

QString numberOrDash(double value)
{
    return std::isfinite(value) ? QString::number(value, 'f', 3) : QStringLiteral("\u2013");
}

/// Mean and sample standard deviation of the finite values (as cv.json's summary).
std::pair<double, double> meanAndSd(const std::vector<double> &values)
{
    double sum = 0.0;
    int n = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++n;
        }
    if (n == 0)
        return {std::nan(""), std::nan("")};
    const double mean = sum / n;
    double squares = 0.0;
    for (double v : values)
        if (std::isfinite(v))
            squares += (v - mean) * (v - mean);
    return {mean, n > 1 ? std::sqrt(squares / (n - 1)) : 0.0};
}

QTableWidgetItem *item(const QString &text, bool number)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (number)
        cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return cell;
}

} // namespace

FoldTable::FoldTable(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    m_view = new QTableWidget(0, ColumnCount, this);
    m_view->setHorizontalHeaderLabels({tr("Fold"), tr("Accuracy"), tr("Balanced"), tr("Macro-F1"),
                                       tr("Log-loss"), tr("Cases"), tr("Status")});
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setToolTip(tr("Double-click a fold to show its confusion matrix and cases below"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_view);
    connect(m_view, &QTableWidget::activated, this, [this](const QModelIndex &index) {
        const int row = index.row();
        if (row < 0 || row >= int(m_table.folds.size()))
            return; // the mean row
        const FoldResult &fold = m_table.folds[std::size_t(row)];
        if (!fold.hasResult()) {
            m_title->setText(tr("%1 \u2014 fold %2 has no results yet (%3)")
                                 .arg(titleText(), fold.name, fold.status));
            return;
        }
        Q_EMIT foldActivated(fold.runDir);
    });
}

QString FoldTable::titleText() const
{
    return tr("Cross-validation: %1").arg(m_table.describe());
}

void FoldTable::setTable(const CrossValidationTable &table, const QString &shownRunDir)
{
    m_table = table;
    m_shown = shownRunDir.isEmpty() ? -1 : m_table.indexOf(shownRunDir);
    fill();
}

void FoldTable::setShownFold(const QString &runDir)
{
    m_shown = m_table.indexOf(runDir);
    fill();
}

void FoldTable::fill()
{
    m_title->setText(titleText());
    const int folds = int(m_table.folds.size());
    m_view->setRowCount(folds + 1);
    std::vector<double> accuracy, balanced, f1, logLoss;
    for (int r = 0; r < folds; ++r) {
        const FoldResult &f = m_table.folds[std::size_t(r)];
        accuracy.push_back(f.accuracy);
        balanced.push_back(f.balancedAccuracy);
        f1.push_back(f.macroF1);
        logLoss.push_back(f.logLoss);
        const QString name = r == m_shown ? tr("%1 (shown)").arg(f.name) : f.name;
        m_view->setItem(r, FoldColumn, item(name, false));
        m_view->setItem(r, AccuracyColumn, item(percentOrDash(f.accuracy), true));
        m_view->setItem(r, BalancedColumn, item(percentOrDash(f.balancedAccuracy), true));
        m_view->setItem(r, MacroF1Column, item(numberOrDash(f.macroF1), true));
        m_view->setItem(r, LogLossColumn, item(numberOrDash(f.logLoss), true));
        m_view->setItem(
            r, CasesColumn,
            item(f.examples >= 0 ? QString::number(f.examples) : QStringLiteral("\u2013"), true));
        m_view->setItem(r, StatusColumn, item(f.status, false));
        if (r == m_shown)
            for (int c = 0; c < ColumnCount; ++c) {
                QFont font = m_view->item(r, c)->font();
                font.setBold(true);
                m_view->item(r, c)->setFont(font);
            }
    }
    // The mean row: the sd is the sample standard deviation over the folds with results.
    const auto row = [&](const std::vector<double> &values, bool percent) {
        const auto [mean, sd] = meanAndSd(values);
        if (!std::isfinite(mean))
            return QStringLiteral("\u2013");
        return percent ? QStringLiteral("%1 \u00b1 %2")
                             .arg(percentOrDash(mean))
                             .arg(100.0 * sd, 0, 'f', 1)
                       : QStringLiteral("%1 \u00b1 %2").arg(numberOrDash(mean), numberOrDash(sd));
    };
    m_view->setItem(folds, FoldColumn, item(tr("mean \u00b1 sd"), false));
    m_view->setItem(folds, AccuracyColumn, item(row(accuracy, true), true));
    m_view->setItem(folds, BalancedColumn, item(row(balanced, true), true));
    m_view->setItem(folds, MacroF1Column, item(row(f1, false), true));
    m_view->setItem(folds, LogLossColumn, item(row(logLoss, false), true));
    m_view->setItem(folds, CasesColumn, item(QString(), true));
    m_view->setItem(folds, StatusColumn,
                    item(tr("%1 of %2 folds").arg(m_table.finished).arg(folds), false));
    m_view->resizeColumnsToContents();
    // Tall enough for every row without a scroll bar up to 8 folds.
    const int rows = std::min(folds + 1, 9);
    m_view->setFixedHeight(m_view->horizontalHeader()->height() +
                           rows * m_view->verticalHeader()->defaultSectionSize() +
                           2 * m_view->frameWidth());
}

} // namespace twb
