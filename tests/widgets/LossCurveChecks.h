#pragma once

// What the runs view draws for runs a-dlinear (3 epochs) and b-patchtst (5 epochs) of
// RunsFixture.h's workspace (train loss 1/e, validation loss 1.5/e), checked by the view test
// (curves given as plain data) and the controller test (curves read from metrics.jsonl).

#include <QLineSeries>
#include <QTest>

namespace twb::test {

inline void verifyLossCurvesOfAAndB(const QList<QLineSeries *> &curves)
{
    QCOMPARE(curves.size(), 4); // train and val of the two runs with epochs
    QStringList names;
    for (QLineSeries *s : curves)
        names << s->name();
    names.sort();
    QCOMPARE(names, (QStringList{"a-dlinear train", "a-dlinear val", "b-patchtst train",
                                 "b-patchtst val"}));
    for (QLineSeries *s : curves) {
        const bool isA = s->name().startsWith(QStringLiteral("a-"));
        const bool isVal = s->name().endsWith(QStringLiteral("val"));
        QCOMPARE(s->count(), isA ? 3 : 5);
        QCOMPARE(s->at(1), QPointF(2.0, (isVal ? 1.5 : 1.0) / 2.0));
    }
}

} // namespace twb::test
