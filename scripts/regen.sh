#!/usr/bin/env bash
# Regenerates everything derived from api/openapi.yaml:
#   gen/*.gen.go          oapi-codegen models and client (what the sdk compiles)
#   internal/genserver/   oapi-codegen strict server for the simulator, with
#                         aliases of gen's models (internal/cmd/genalias)
#   sdk/operations.gen.go the sdk's typed method per endpoint (internal/cmd/gensdk)
#   sdk/decode_activity.gen.go  reflection-free decoders of the answers that
#                         carry activities (internal/cmd/gensdk, from the models)
#   sdk/encode_request.gen.go   reflection-free encoders of the request types
#                         (internal/cmd/gensdk, from the models and the
#                         minimums of sdk/encode.go)
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
fi
generated="gen/*.gen.go internal/genserver/*.gen.go sdk/operations.gen.go sdk/decode_activity.gen.go sdk/encode_request.gen.go"

# Each config names its output; write it under $out instead.
for cfg in api/codegen/*.yaml; do
  target=$(sed -n 's/^output: *//p' "$cfg")
  mkdir -p "$out/$(dirname "$target")"
  sed "s#^output: .*#output: $out/$target#" "$cfg" > "$work/$(basename "$cfg")"
  go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config "$work/$(basename "$cfg")" "$spec"
done
go run ./internal/cmd/genalias -models "$out/gen/models.gen.go" -package genserver \
  -import github.com/turnkey-go/turnkey/gen -o "$out/internal/genserver/models.gen.go"
mkdir -p "$out/sdk"
go run ./internal/cmd/gensdk -spec "$spec" -models "$out/gen/models.gen.go" -o "$out/sdk/operations.gen.go" \
  -decode-o "$out/sdk/decode_activity.gen.go" -bounds sdk/encode.go -encode-o "$out/sdk/encode_request.gen.go"

if [ "$check" = 1 ]; then
  status=0
  # shellcheck disable=SC2086 # the globs are meant to expand
  for rel in $(cd "$out" && ls $generated); do
    if ! diff -u "$rel" "$out/$rel" >/dev/null 2>&1; then
      echo "out of date: $rel (run scripts/regen.sh)" >&2
      diff -u "$rel" "$out/$rel" | head -20 >&2 || true
      status=1
    fi
  done
  # shellcheck disable=SC2086
  for f in $(ls $generated 2>/dev/null); do
    [ -e "$out/$f" ] || { echo "stale generated file: $f (run scripts/regen.sh)" >&2; status=1; }
  done
  exit "$status"
fi
