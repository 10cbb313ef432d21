#!/usr/bin/env bash
# Builds the seed corpus of every fuzz target in fuzz/corpus/<target>/ from the
# repository's own inputs: every file of corpus/*/bundle/ and the rule-test
# fixtures (rules/*/fixtures/), the rule files (rules/**/*.yaml) and the rule
# test files (rules/**/*.test.yaml); archives of them for the container
# reader; small .evtx samples from ../shared/data/evtx when present.
# fuzz/corpus/ is git-ignored: this script makes it, nothing commits it.
# Seeds are added, never removed, so inputs the fuzzer found stay.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
mkdir -p "$out"/{decode,parse,archive,rule_load,rule_test_load,scan_bytes}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A seed file name from its path (unique, flat).
seed_name() { printf '%s' "$1" | tr '/ ' '__'; }

# Writes byte $2 (two hex digits) then file $3 to $1.
prefixed() { { printf "\\x$2"; cat "$3"; } >"$1"; }

# Index of a log file's name in parse.rs's NAMES (the detection name).
parse_name() {
  case "$(basename "$1")" in
    mcp.log) echo 01 ;;
    mcp-server-*.log) echo 02 ;;
    .wslconfig | *.wslconfig) echo 05 ;;
    *.xml) echo 06 ;;
    dmesg*) echo 07 ;;
    .mcp.json) echo 08 ;;
    claude_desktop_config.json) echo 09 ;;
    *) echo 00 ;;
  esac
}

# Index of a file's name in scan_bytes.rs's NAMES.
scan_name() {
  case "$(basename "$1")" in
    claude-debug*) echo 01 ;;
    .wslconfig | *.wslconfig) echo 02 ;;
    *.evtx) echo 03 ;;
    *.zip) echo 04 ;;
    *.gz) echo 05 ;;
    *.xml) echo 06 ;;
    dmesg*) echo 07 ;;
    *) echo 00 ;;
  esac
}

# Index of a container's name in archive.rs's NAMES.
archive_name() {
  case "$(basename "$1")" in
    *.zip) echo 00 ;;
    *.tar) echo 01 ;;
    *.tar.gz) echo 02 ;;
    *.gz) echo 03 ;;
    *.evtx) echo 04 ;;
    *) echo 05 ;;
  esac
}

logs=()
while IFS= read -r -d '' f; do logs+=("$f"); done < <(
  find corpus/*/bundle rules/*/fixtures -type f -print0 | sort -z
)
for f in "${logs[@]}"; do
  n=$(seed_name "$f")
  cp "$f" "$out/decode/$n"
  { printf '\x80'; printf "\\x$(parse_name "$f")"; cat "$f"; } >"$out/parse/$n"
  prefixed "$out/scan_bytes/$n" "$(scan_name "$f")" "$f"
done

while IFS= read -r -d '' f; do
  n=$(seed_name "$f")
  case "$f" in
    *.test.yaml) cp "$f" "$out/rule_test_load/$n" ;;
    *) cp "$f" "$out/rule_load/$n" ;;
  esac
done < <(find rules -name '*.yaml' -not -path '*/fixtures/*' -print0 | sort -z)

# Containers of the corpus bundles: one of each kind per case.
containers=()
for d in corpus/*/bundle; do
  case=$(basename "$(dirname "$d")")
  tar -cf "$tmp/$case.tar" -C "$d" .
  gzip -9 -c "$tmp/$case.tar" >"$tmp/$case.tar.gz"
  first=$(find "$d" -type f | sort | head -n 1)
  gzip -9 -c "$first" >"$tmp/$case.log.gz"
  containers+=("$tmp/$case.tar" "$tmp/$case.tar.gz" "$tmp/$case.log.gz")
  if command -v zip >/dev/null; then
    (cd "$d" && zip -q -r -9 "$tmp/$case.zip" .)
    containers+=("$tmp/$case.zip")
  elif command -v python3 >/dev/null; then
    python3 -c 'import shutil,sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2])' "$tmp/$case" "$d"
    containers+=("$tmp/$case.zip")
  fi
done
# Event logs small enough for the targets' -max_len (run.sh: 128 KiB).
if [ -d ../shared/data/evtx ]; then
  while IFS= read -r -d '' f; do containers+=("$f"); done < <(
    find ../shared/data/evtx -name '*.evtx' -size -128k -print0 | sort -z
  )
fi
for f in "${containers[@]}"; do
  n=$(basename "$f")
  prefixed "$out/archive/$n" "$(archive_name "$f")" "$f"
  prefixed "$out/scan_bytes/$n" "$(scan_name "$f")" "$f"
done

for t in "$out"/*/; do
  echo "seeded $(basename "$t"): $(find "$t" -type f | wc -l) files"
done
