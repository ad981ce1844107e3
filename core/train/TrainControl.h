#pragma once

#include <atomic>
#include <thread>

namespace twb {

/// Cooperative control of a running training: stop, pause, resume and single steps.
///
/// Threading: every method may be called from any thread; requestStop() also from a signal
/// handler (it is one lock-free atomic store). The trainer polls between batches, so a stop
/// always lets the current batch finish.
class TrainControl
{
public:
    void requestStop(int signalNumber = 0);
    bool stopRequested() const { return m_stop.load(); }
    /// The signal that asked to stop (SIGTERM, SIGINT), 0 when stopped otherwise.
    int stopSignal() const { return m_signal.load(); }

    void pause() { m_paused.store(true); }
    void resume() { m_paused.store(false); }
    /// While paused: allow exactly one more batch.
    void step() { m_steps.fetch_add(1); }
    bool paused() const { return m_paused.load(); }

    /// For the trainer, before each batch: blocks while paused (polling every 20 ms) until
    /// resumed, a step is granted (consumed here) or a stop is requested. Returns false when
    /// the run must stop.
    bool waitUntilRunnable();

private:
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_signal{0};
    std::atomic<bool> m_paused{false};
    std::atomic<int> m_steps{0};
};

/// While alive, SIGTERM and SIGINT call control.requestStop(signal) instead of killing the
/// process. A second signal after a stop was requested ends the process at once (exit code
/// 128 + signal), so a hung run can still be killed from a terminal. One guard at a time.
class StopSignalGuard
{
public:
    explicit StopSignalGuard(TrainControl &control);
    ~StopSignalGuard();
    StopSignalGuard(const StopSignalGuard &) = delete;
    StopSignalGuard &operator=(const StopSignalGuard &) = delete;
};

/// Reads commands from standard input on its own thread, one per line: "pause", "resume",
/// "step", "stop" (as SIGTERM). Unknown lines are reported on stderr and ignored; end of input
/// ends the reading, not the run. The destructor stops and joins the thread.
class StdinControlReader
{
public:
    explicit StdinControlReader(TrainControl &control);
    ~StdinControlReader();
    StdinControlReader(const StdinControlReader &) = delete;
    StdinControlReader &operator=(const StdinControlReader &) = delete;

    /// Applies one command line to `control`; false if the command is unknown.
    static bool apply(TrainControl &control, const char *line);

private:
    void run();

    TrainControl &m_control;
    std::atomic<bool> m_quit{false};
    std::thread m_thread;
};

} // namespace twb
