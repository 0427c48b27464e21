#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600) from its seeds, with the
# bounds the product promises: no input may take more than 10 s or 2 GB.
#   fuzz/run.sh TARGET [SECONDS]
# Targets: decode_clean segment readers html odt search. Findings land in
# fuzz/artifacts/TARGET/; the corpus grown is kept in fuzz/corpus/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
secs=${2:-600}
seeds=()
case $target in
  decode_clean) seeds=(fuzz/seeds/decode_clean crates/arkiv-cli/sample tests/fixtures/documents) ;;
  segment) seeds=(crates/arkiv-cli/sample tests/fixtures/documents) ;;
  readers) seeds=(fuzz/seeds/readers) ;;
  html) seeds=(fuzz/seeds/html) ;;
  odt) seeds=(fuzz/seeds/odt) ;;
  search) seeds=(fuzz/seeds/search) ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
dict=()
[ "$target" = search ] && dict=(-dict=fuzz/search.dict)
mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
exec cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" "${seeds[@]}" -- \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
  -artifact_prefix="fuzz/artifacts/$target/" -print_final_stats=1 "${dict[@]}"
