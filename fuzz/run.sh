#!/usr/bin/env bash
# Seeds (fuzz/seed.sh) and runs every fuzz target for SECONDS each (default 60),
# one after the other, then prints per target the runs, the time and whether it
# crashed. Exits non-zero when any target crashed, hung or ran out of memory;
# the input that did it is the `artifact:` path printed (replay it with
# `cargo +nightly fuzz run <target> <artifact>`, shrink it with `cargo +nightly fuzz tmin`).
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}

# Target and its -max_len: room for the largest seed of its kind (archives and
# .evtx samples up to 128 KiB, logs up to 64 KiB, rule files up to 16 KiB).
targets=(
  "decode 65536"
  "parse 65536"
  "archive 131072"
  "rule_load 16384"
  "rule_test_load 16384"
  "scan_bytes 131072"
)

./seed.sh >/dev/null
echo "== fuzz: building the targets"
cargo +nightly fuzz build

logs=target/fuzz-logs
mkdir -p "$logs"
summary=()
failed=0
for entry in "${targets[@]}"; do
  read -r target max_len <<<"$entry"
  echo "== fuzz: $target for ${seconds}s (-max_len=$max_len)"
  log="$logs/$target.log"
  start=$SECONDS
  status=0
  cargo +nightly fuzz run "$target" -- \
    -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 \
    -timeout=30 -print_final_stats=1 >"$log" 2>&1 || status=$?
  took=$((SECONDS - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [ "$status" -eq 0 ]; then
    result="ok"
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    reason=$(grep -m 1 -E "^==[0-9]+== ?ERROR|^thread '.*' panicked|panicked at|ERROR: libFuzzer" "$log" || true)
    result="CRASHED (exit $status): ${reason:-see $log}; artifact: ${artifact:-none written}"
    tail -n 40 "$log"
  fi
  summary+=("$(printf '%-15s runs %-10s %4ss  %s' "$target" "${runs:-?}" "$took" "$result")")
done

echo "== fuzz: summary (${seconds}s per target; logs in fuzz/$logs/)"
printf '%s\n' "${summary[@]}"
exit "$failed"
