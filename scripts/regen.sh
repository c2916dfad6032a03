#!/usr/bin/env bash
# Regenerates everything derived from api/openapi.yaml:
#   gen/*.gen.go          oapi-codegen models, client and strict server
#   sdk/operations.gen.go the sdk's typed method per endpoint (internal/cmd/gensdk)
# Usage: scripts/regen.sh          write the generated files
#        scripts/regen.sh --check  exit 1 if the checked-in files differ from what the spec generates
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

spec=api/openapi.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=.
if [ "$check" = 1 ]; then
  out=$work/out
  mkdir -p "$out/gen" "$out/sdk"
fi

# Each config names its output; write it under $out instead.
for cfg in api/codegen/*.yaml; do
  target=$(sed -n 's/^output: *//p' "$cfg")
  sed "s#^output: .*#output: $out/$target#" "$cfg" > "$work/$(basename "$cfg")"
  go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config "$work/$(basename "$cfg")" "$spec"
done
if [ -d internal/cmd/gensdk ]; then
  go run ./internal/cmd/gensdk -spec "$spec" -models "$out/gen/models.gen.go" -o "$out/sdk/operations.gen.go"
fi

if [ "$check" = 1 ]; then
  status=0
  for f in "$out"/gen/*.go "$out"/sdk/*.go; do
    [ -e "$f" ] || continue
    rel=${f#"$out"/}
    if ! diff -u "$rel" "$f" >/dev/null 2>&1; then
      echo "out of date: $rel (run scripts/regen.sh)" >&2
      diff -u "$rel" "$f" | head -20 >&2 || true
      status=1
    fi
  done
  for f in gen/*.gen.go; do
    [ -e "$out/$f" ] || { echo "stale generated file: $f" >&2; status=1; }
  done
  exit "$status"
fi
