#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace twb {

/// What went wrong, where: every loader, parser and factory reports failures this way.
/// `file` is the path the user gave (empty when no file is involved), `line` is 1-based
/// (0 when not applicable), `reason` is one plain sentence.
struct Error
{
    QString reason;
    QString file;
    qint64 line = 0;

    /// "file:line: reason", "file: reason" or "reason".
    QString toString() const
    {
        QString where = file;
        if (!where.isEmpty() && line > 0)
            where += QLatin1Char(':') + QString::number(line);
        return where.isEmpty() ? reason : where + QLatin1String(": ") + reason;
    }
};

/// A value or an Error (std::expected is C++23; this is the small part we need).
template<typename T>
class Expected
{
public:
    Expected(T value)
        : m_state(std::move(value))
    {}
    Expected(Error error)
        : m_state(std::move(error))
    {}

    bool hasValue() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return hasValue(); }

    T &value() & { return std::get<T>(m_state); }
    const T &value() const & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

/// Success or an Error, for operations without a result value.
class Status
{
public:
    Status() = default;
    Status(Error error)
        : m_error(std::move(error))
    {}
    static Status ok() { return {}; }

    bool isOk() const { return !m_error.has_value(); }
    explicit operator bool() const { return isOk(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace twb
