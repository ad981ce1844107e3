#include "PickleCheck.h"

#include <cstdint>
#include <cstring>

namespace twb {

namespace {

/// How an opcode's argument is laid out (the argument kinds of Python's pickletools).
enum class Arg {
    None,
    Fixed,       ///< `size` bytes
    Line,        ///< up to and including a '\n'
    TwoLines,    ///< two '\n'-terminated lines (GLOBAL, INST)
    Counted,     ///< a little-endian count of `size` bytes, then that many bytes
    Frame,       ///< an 8-byte frame length: the frame's opcodes follow
    MemoPut,     ///< a memo index of `size` bytes, stored now
    MemoGet,     ///< a memo index of `size` bytes, read now
    MemoizeNext, ///< MEMOIZE: stores at the next index
    TextMemoPut, ///< PUT: a decimal memo index ended by '\n', stored now
    TextMemoGet, ///< GET: a decimal memo index ended by '\n', read now
    Unknown,
};

struct Opcode
{
    Arg arg = Arg::Unknown;
    int size = 0;
};

Opcode opcodeOf(std::uint8_t op)
{
    switch (op) {
    // No argument.
    case '(':
    case '.':
    case '0':
    case '1':
    case '2':
    case 'N':
    case 0x88:
    case 0x89:
    case 'a':
    case 'e':
    case 'b':
    case 'd':
    case '}':
    case 'l':
    case ']':
    case 'o':
    case 'R':
    case 's':
    case 'u':
    case 't':
    case ')':
    case 0x85:
    case 0x86:
    case 0x87:
    case 0x81:
    case 0x92:
    case 0x93:
    case 'Q':
    case 0x8f:
    case 0x90:
    case 0x91:
    case 0x97:
    case 0x98:
        return {Arg::None, 0};
    case 0x94:
        return {Arg::MemoizeNext, 0};
    // Fixed-size arguments.
    case 'K':
    case 0x80:
    case 0x82:
        return {Arg::Fixed, 1};
    case 'M':
    case 0x83:
        return {Arg::Fixed, 2};
    case 'J':
    case 0x84:
        return {Arg::Fixed, 4};
    case 'G':
        return {Arg::Fixed, 8};
    case 'h':
        return {Arg::MemoGet, 1};
    case 'j':
        return {Arg::MemoGet, 4};
    case 'q':
        return {Arg::MemoPut, 1};
    case 'r':
        return {Arg::MemoPut, 4};
    // Text arguments ended by a newline.
    case 'I':
    case 'L':
    case 'F':
    case 'S':
    case 'V':
    case 'P':
        return {Arg::Line, 0};
    // Protocol 0's memo opcodes: the index in decimal text, ended by a newline.
    case 'g':
        return {Arg::TextMemoGet, 0};
    case 'p':
        return {Arg::TextMemoPut, 0};
    case 'c':
    case 'i':
        return {Arg::TwoLines, 0};
    // Counted arguments.
    case 'U':
    case 'C':
    case 0x8c:
    case 0x8a:
        return {Arg::Counted, 1};
    case 'T':
    case 'B':
    case 'X':
    case 0x8b:
        return {Arg::Counted, 4};
    case 0x8d:
    case 0x8e:
    case 0x96:
        return {Arg::Counted, 8};
    case 0x95:
        return {Arg::Frame, 8};
    default:
        return {};
    }
}

std::uint64_t littleEndian(const char *p, int size)
{
    std::uint64_t v = 0;
    for (int i = size - 1; i >= 0; --i)
        v = (v << 8) | std::uint8_t(p[i]);
    return v;
}

} // namespace

Status checkPickleStream(QByteArrayView pickle, const QString &file)
{
    const char *data = pickle.data();
    const std::uint64_t size = std::uint64_t(pickle.size());
    std::uint64_t memoNext = 0; // the Unpickler stores objects at increasing indices
    std::uint64_t at = 0;
    auto damaged = [&](std::uint64_t offset, const QString &what) {
        return Status(Error{QStringLiteral("damaged checkpoint: its pickled content has %1 at byte "
                                           "%2 of %3 (the file changed after it was saved)")
                                .arg(what)
                                .arg(offset)
                                .arg(size),
                            file});
    };
    auto skipLine = [&](std::uint64_t from) -> std::uint64_t {
        const void *nl = std::memchr(data + from, '\n', std::size_t(size - from));
        return nl ? std::uint64_t(static_cast<const char *>(nl) - data) + 1 : size + 1;
    };
    while (at < size) {
        const std::uint64_t opAt = at;
        const std::uint8_t op = std::uint8_t(data[at++]);
        if (op == '.')
            return {};
        const Opcode code = opcodeOf(op);
        const std::uint64_t left = size - at;
        switch (code.arg) {
        case Arg::None:
            break;
        case Arg::MemoizeNext:
            ++memoNext;
            break;
        case Arg::Fixed:
        case Arg::Frame:
        case Arg::MemoGet:
        case Arg::MemoPut:
        case Arg::Counted: {
            if (left < std::uint64_t(code.size))
                return damaged(opAt, QStringLiteral("an argument cut off by the end"));
            const std::uint64_t value = littleEndian(data + at, code.size);
            at += std::uint64_t(code.size);
            if (code.arg == Arg::Counted) {
                if (value > size - at)
                    return damaged(opAt, QStringLiteral("a length of %1 bytes where %2 remain")
                                             .arg(value)
                                             .arg(size - at));
                at += value;
            } else if (code.arg == Arg::Frame) {
                if (value > size - at)
                    return damaged(opAt, QStringLiteral("a frame of %1 bytes where %2 remain")
                                             .arg(value)
                                             .arg(size - at));
            } else if (code.arg == Arg::MemoPut) {
                if (value > memoNext)
                    return damaged(opAt, QStringLiteral("memo index %1 after %2 stored objects")
                                             .arg(value)
                                             .arg(memoNext));
                memoNext = value + 1 > memoNext ? value + 1 : memoNext;
            } else if (code.arg == Arg::MemoGet && value >= memoNext) {
                return damaged(
                    opAt,
                    QStringLiteral("a reference to memo index %1 of %2").arg(value).arg(memoNext));
            }
            break;
        }
        case Arg::Line:
            at = skipLine(at);
            break;
        case Arg::TextMemoGet:
        case Arg::TextMemoPut: {
            const std::uint64_t end = skipLine(at);
            if (end > size) {
                at = end; // cut off: reported below
                break;
            }
            // Decimal digits only, at most 19 of them (below 2^63), then the newline.
            const std::uint64_t digits = end - 1 - at;
            std::uint64_t value = 0;
            bool number = digits > 0 && digits <= 19;
            for (std::uint64_t i = at; number && i < end - 1; ++i) {
                number = data[i] >= '0' && data[i] <= '9';
                value = value * 10 + std::uint64_t(data[i] - '0');
            }
            if (!number)
                return damaged(opAt, QStringLiteral("a memo index that is not a number"));
            if (code.arg == Arg::TextMemoPut) {
                if (value > memoNext)
                    return damaged(opAt, QStringLiteral("memo index %1 after %2 stored objects")
                                             .arg(value)
                                             .arg(memoNext));
                memoNext = value + 1 > memoNext ? value + 1 : memoNext;
            } else if (value >= memoNext) {
                return damaged(
                    opAt,
                    QStringLiteral("a reference to memo index %1 of %2").arg(value).arg(memoNext));
            }
            at = end;
            break;
        }
        case Arg::TwoLines:
            at = at < size ? skipLine(at) : size + 1;
            at = at < size ? skipLine(at) : size + 1;
            break;
        case Arg::Unknown:
            return damaged(
                opAt, QStringLiteral("an unknown opcode 0x%1").arg(op, 2, 16, QLatin1Char('0')));
        }
        if (at > size)
            return damaged(opAt, QStringLiteral("a text argument cut off by the end"));
    }
    return damaged(size, QStringLiteral("no end (STOP)"));
}

} // namespace twb
