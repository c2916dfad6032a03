#!/usr/bin/env bash
# Applies a schema rename map (one "Old New" per line, e.g. scripts/renames-0.2.txt)
# to a checkout: schema names in api/openapi.yaml, gen.Old references in Go code
# outside gen/, and mentions in Markdown other than CHANGELOG.md. Regenerate after
# it (scripts/regen.sh). Usage: scripts/apply-renames.sh scripts/renames-0.2.txt
set -euo pipefail
map=${1:?usage: $0 RENAMES_FILE}
cd "$(dirname "$0")/.."
map=$(cd "$OLDPWD" && realpath "$map")
spec_expr= go_expr=
while read -r old new; do
  [ -n "${old:-}" ] || continue
  case "$old" in \#*) continue ;; esac
  spec_expr+="s/\\b${old}\\b/${new}/g;"
  go_expr+="s/\\bgen\\.${old}\\b/gen.${new}/g;"
done < "$map"
perl -pi -e "$spec_expr" api/openapi.yaml
git ls-files '*.go' | grep -v '^gen/' | xargs perl -pi -e "$go_expr"
git ls-files '*.md' | grep -v '^CHANGELOG.md$' | xargs -r perl -pi -e "$spec_expr"
