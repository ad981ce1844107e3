#include "TrainControl.h"

#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include <poll.h>
#include <unistd.h>

namespace twb {

namespace {

std::atomic<TrainControl *> signalTarget{nullptr};
struct sigaction previousTerm;
struct sigaction previousInt;

void onStopSignal(int signalNumber)
{
    TrainControl *control = signalTarget.load();
    if (!control)
        return;
    if (control->stopRequested())
        _exit(128 + signalNumber);
    control->requestStop(signalNumber);
}

} // namespace

void TrainControl::requestStop(int signalNumber)
{
    m_signal.store(signalNumber);
    m_stop.store(true);
}

bool TrainControl::waitUntilRunnable()
{
    while (!m_stop.load()) {
        if (!m_paused.load())
            return true;
        int steps = m_steps.load();
        while (steps > 0)
            if (m_steps.compare_exchange_weak(steps, steps - 1))
                return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

StopSignalGuard::StopSignalGuard(TrainControl &control)
{
    signalTarget.store(&control);
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, &previousTerm);
    sigaction(SIGINT, &action, &previousInt);
}

StopSignalGuard::~StopSignalGuard()
{
    sigaction(SIGTERM, &previousTerm, nullptr);
    sigaction(SIGINT, &previousInt, nullptr);
    signalTarget.store(nullptr);
}

StdinControlReader::StdinControlReader(TrainControl &control)
    : m_control(control)
    , m_thread([this] { run(); })
{}

StdinControlReader::~StdinControlReader()
{
    m_quit.store(true);
    m_thread.join();
}

bool StdinControlReader::apply(TrainControl &control, const char *line)
{
    std::string command(line);
    while (!command.empty() && std::isspace(static_cast<unsigned char>(command.back())))
        command.pop_back();
    while (!command.empty() && std::isspace(static_cast<unsigned char>(command.front())))
        command.erase(command.begin());
    if (command == "pause")
        control.pause();
    else if (command == "resume")
        control.resume();
    else if (command == "step")
        control.step();
    else if (command == "stop")
        control.requestStop(SIGTERM);
    else
        return command.empty();
    return true;
}

// poll() with a timeout instead of a blocking read, so that the destructor can end the thread.
void StdinControlReader::run()
{
    std::string pending;
    char buffer[256];
    while (!m_quit.load()) {
        pollfd fd{STDIN_FILENO, POLLIN, 0};
        const int ready = poll(&fd, 1, 100);
        if (ready < 0 && errno != EINTR)
            return;
        if (ready <= 0)
            continue;
        const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
            return; // end of input: keep running, stop listening
        if (n < 0)
            continue;
        pending.append(buffer, std::size_t(n));
        std::size_t newline;
        while ((newline = pending.find('\n')) != std::string::npos) {
            const std::string line = pending.substr(0, newline);
            pending.erase(0, newline + 1);
            if (!apply(m_control, line.c_str()))
                std::fprintf(stderr,
                             "twb: unknown control command \"%s\" (expected pause, "
                             "resume, step or stop)\n",
                             line.c_str());
        }
    }
}

} // namespace twb
