#!/usr/bin/env bash
# Formats the C++ sources with clang-format (Google style, .clang-format at
# the root), or checks that they are formatted.
#
#   scripts/format.sh           rewrite every C++ file in place
#   scripts/format.sh --check   list the files that differ and fail; change nothing
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
format="${CLANG_FORMAT:-clang-format-14}"

# Only the project's own sources: build trees and fetched dependencies hold
# generated or foreign code.
mapfile -d '' files < <(find benchmarks examples fuzz libs services tests tools \
  -type f \( -name '*.cc' -o -name '*.h' \) -print0 | sort -z)

if [[ "${1:-}" == "--check" ]]; then
  unformatted=()
  for f in "${files[@]}"; do
    if ! "$format" --style=file "$f" | cmp -s - "$f"; then
      unformatted+=("$f")
    fi
  done
  if (( ${#unformatted[@]} > 0 )); then
    printf 'not formatted (run scripts/format.sh): %s\n' "${unformatted[@]}"
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$format" --style=file -i
fi
