#!/usr/bin/env bash
# Breaking-change guard: compares api/openapi.yaml with the spec of a base
# revision using oasdiff (pinned below) and fails on breaking changes (level
# ERR). Additive changes pass: new endpoints, new activity versions, new
# optional fields, new enum values in requests and, by
# api/oasdiff-severity.txt, new enum values in responses and response enums
# made open (Turnkey adds values often and clients must accept values they
# do not know; oasdiff counts both as errors by default; the file's format
# allows no comments). Warnings are printed but do not fail.
#
# Usage: scripts/spec-breaking.sh [BASE]
#   BASE is a git revision or a spec file. Without it: the last release tag
#   (v*), else the merge base with origin/main (or main), else HEAD^.
# Environment: SPEC (default api/openapi.yaml), OASDIFF (the command to run).
set -euo pipefail
cd "$(dirname "$0")/.."

OASDIFF_VERSION=v1.37.0
oasdiff=${OASDIFF:-go run github.com/oasdiff/oasdiff@$OASDIFF_VERSION}
spec=${SPEC:-api/openapi.yaml}
levels=api/oasdiff-severity.txt

base=${1:-}
if [ -z "$base" ]; then
  if tag=$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null); then
    base=$tag
  else
    for main in origin/main main; do
      if git rev-parse --verify -q "$main" >/dev/null && mb=$(git merge-base HEAD "$main" 2>/dev/null) &&
        [ "$mb" != "$(git rev-parse HEAD)" ]; then
        base=$mb
        break
      fi
    done
    if [ -z "$base" ] && git rev-parse --verify -q HEAD^ >/dev/null; then
      base=HEAD^
    fi
  fi
fi
if [ -z "$base" ]; then
  echo "spec-breaking: no base revision (no tag, no main, no parent commit): nothing to compare" >&2
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -f "$base" ]; then
  cp "$base" "$work/base.yaml"
  what=$base
elif git cat-file -e "$base:api/openapi.yaml" 2>/dev/null; then
  git show "$base:api/openapi.yaml" > "$work/base.yaml"
  what="api/openapi.yaml at $base ($(git rev-parse --short "$base"))"
else
  echo "spec-breaking: $base has no api/openapi.yaml: nothing to compare" >&2
  exit 0
fi

echo "spec-breaking: $spec against $what (oasdiff $OASDIFF_VERSION)"
# oasdiff exits 1 when it finds a change at level ERR.
$oasdiff breaking --fail-on ERR --severity-levels "$levels" "$work/base.yaml" "$spec"
