#!/usr/bin/env bash
# The format gate: every tracked C++ file follows .clang-format (Debian 12's clang-format 14).
# Prints the files that do not and how to fix them; exit 1 when there is one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
formatter=${CLANG_FORMAT:-clang-format}
if ! command -v "$formatter" >/dev/null; then
  echo "check-format: $formatter not found (scripts/setup-debian.sh installs it)" >&2
  exit 1
fi
bad=()
while IFS= read -r -d '' file; do
  "$formatter" --dry-run -Werror "$file" >/dev/null 2>&1 || bad+=("$file")
done < <(git ls-files -z '*.cpp' '*.h')
if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} file(s) do not follow .clang-format:" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "fix with: $formatter -i ${bad[*]}" >&2
  exit 1
fi
echo "check-format: $(git ls-files '*.cpp' '*.h' | wc -l) files follow .clang-format"
