#include "CliFileJob.h"

#include "CliJob.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>

namespace twb {

CliFileJob::CliFileJob(const QString &command, QObject *parent)
    : QObject(parent)
    , m_command(command)
    , m_program(CliJob::defaultProgram())
{}

CliFileJob::~CliFileJob() = default;

void CliFileJob::cancel()
{
    ++m_generation;
    m_busy = false;
    if (m_job) {
        // CliJob kills a running child when it is destroyed.
        m_job->disconnect(this);
        delete m_job;
        m_job = nullptr;
    }
}

void CliFileJob::run(const QString &fileName,
                     const std::function<QStringList(const QString &)> &arguments, Reader read)
{
    cancel();
    if (!m_tempDir)
        m_tempDir = std::make_unique<QTemporaryDir>();
    if (!m_tempDir->isValid()) {
        fail(tr("Cannot create a temporary folder for the files of twb-cli %1: %2")
                 .arg(m_command, m_tempDir->errorString()),
             false);
        return;
    }
    const QString file = m_tempDir->filePath(fileName);
    m_arguments = arguments(file);
    m_busy = true;
    auto *job = new CliJob(this);
    job->setProgram(m_program);
    m_job = job;
    const quint64 generation = m_generation;
    connect(job, &CliJob::finished, this,
            [this, job, generation, file, read](bool ok, const QString &message) {
                if (generation != m_generation)
                    return;
                // Done with this child: a run() from a receiver of failed() starts another.
                job->disconnect(this);
                job->deleteLater();
                m_job = nullptr;
                onChildFinished(ok, message, file, read);
            });
    job->start(m_arguments);
}

void CliFileJob::onChildFinished(bool ok, const QString &message, const QString &file, Reader read)
{
    if (!ok) {
        // CliJob's documented message for a program that cannot be executed.
        fail(tr("twb-cli %1 %2").arg(m_command, message),
             message.startsWith(QLatin1String("could not start")));
        return;
    }
    readOnWorker(file, std::move(read));
}

void CliFileJob::readOnWorker(const QString &file, Reader read)
{
    auto promise = std::make_shared<QPromise<Deliver>>();
    auto *watcher = new QFutureWatcher<Deliver>(this);
    const quint64 generation = m_generation;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, file] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // replaced or cancelled meanwhile
        const QFuture<Deliver> future = watcher->future();
        const Deliver deliver = future.resultCount() > 0 ? future.result() : Deliver();
        if (!deliver) {
            fail(tr("twb-cli %1: cannot read %2").arg(m_command, file), false);
            return;
        }
        m_busy = false;
        deliver();
    });
    watcher->setFuture(promise->future());
    promise->start();
    QThreadPool::globalInstance()->start([promise, file, read = std::move(read)] {
        Deliver deliver;
        try {
            deliver = read(file);
        } catch (...) {
            // Reported on the job's thread as a file that cannot be read.
        }
        promise->addResult(std::move(deliver));
        promise->finish();
    });
}

void CliFileJob::fail(const QString &message, bool couldNotStart)
{
    m_busy = false;
    Q_EMIT failed(message, couldNotStart);
}

} // namespace twb
