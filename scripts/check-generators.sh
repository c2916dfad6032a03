#!/usr/bin/env bash
# Generates clients from api/openapi.yaml the way other language teams do, with
# plain default settings and pinned tools, and checks each one:
#   oapi-codegen  -generate types,client (default config): compiles
#   openapi-typescript: tsc --strict --noEmit of scripts/generators/testdata/ts/check.ts
#                       (open answer enums, closed request enums, required Status)
#   @hey-api/openapi-ts: no type renamed with a number (GetWalletResponse2); compiles with tsc --strict
#   orval (default axios client): no exported name declared twice; compiles with tsc --strict
#   ogen: compiles, and scripts/generators/testdata/ogenclient runs against the
#         simulator and decodes an activity whose type and status the spec lacks
# npm tools are installed into $GENERATOR_TOOLS (default .cache/generators, ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

OPENAPI_TYPESCRIPT=7.13.0
HEY_API=0.99.0
ORVAL=8.38.0
TYPESCRIPT=5.9.3
AXIOS=1.21.1 # the HTTP client of orval's default output, to type-check it
OGEN=v1.24.0
OAPI_RUNTIME=v1.8.0

tools=${GENERATOR_TOOLS:-$repo/.cache/generators}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
spec=$repo/api/openapi.yaml
fail=0
ok() { printf 'ok   %s\n' "$*"; }
bad() { printf 'FAIL %s\n' "$*"; fail=1; }

pins="openapi-typescript@$OPENAPI_TYPESCRIPT @hey-api/openapi-ts@$HEY_API orval@$ORVAL typescript@$TYPESCRIPT axios@$AXIOS"
if [ "$(cat "$tools/.pins" 2>/dev/null)" != "$pins" ]; then
  rm -rf "$tools" && mkdir -p "$tools"
  # hey-api and orval ask for Node 22 in their engines field but run on Node 20.
  (cd "$tools" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error $pins >/dev/null)
  echo "$pins" > "$tools/.pins"
fi
bin=$tools/node_modules/.bin

# 1. oapi-codegen with its default configuration.
mkdir -p "$work/oapi"
go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -generate types,client -package tk "$spec" > "$work/oapi/tk.go"
printf 'module oapicheck\n\ngo 1.26\n\nrequire github.com/oapi-codegen/runtime %s\n' "$OAPI_RUNTIME" > "$work/oapi/go.mod"
cp go.sum "$work/oapi/"
if (cd "$work/oapi" && GOFLAGS=-mod=mod go build ./... 2> build.log); then
  ok "oapi-codegen -generate types,client (default config) compiles"
else
  bad "oapi-codegen default config does not compile:"; head -20 "$work/oapi/build.log"
fi
if grep -qE '^\s+(All|In|Allow|Deny|Web|English|Bip32)\s' "$work/oapi/tk.go"; then
  bad "oapi-codegen default config emits bare enum constants"
else
  ok "oapi-codegen default config: every enum constant carries its type's name"
fi

# 2. openapi-typescript + tsc --strict.
mkdir -p "$work/ts"
"$bin/openapi-typescript" "$spec" -o "$work/ts/turnkey.ts" > "$work/ts/gen.log" 2>&1 || { cat "$work/ts/gen.log"; bad "openapi-typescript failed"; }
cp scripts/generators/testdata/ts/check.ts "$work/ts/"
if (cd "$work/ts" && "$bin/tsc" --strict --noEmit --target es2022 --module es2022 --moduleResolution bundler check.ts turnkey.ts); then
  ok "openapi-typescript types compile with tsc --strict (open answers, closed requests, required Status)"
else
  bad "tsc --strict on the openapi-typescript types"
fi

# 3. @hey-api/openapi-ts: no numbered renames.
"$bin/openapi-ts" -i "$spec" -o "$work/hey" > "$work/hey.log" 2>&1 || { cat "$work/hey.log"; bad "@hey-api/openapi-ts failed"; }
renamed=$(grep -ohE '\b[A-Z][A-Za-z0-9]*[a-z](Response|Responses|Data|Error|Errors)[0-9]+\b' "$work"/hey/*.ts | sort -u || true)
if [ -z "$renamed" ]; then ok "@hey-api/openapi-ts renames nothing"; else bad "@hey-api/openapi-ts renamed: $renamed"; fi
if (cd "$work" && "$bin/tsc" --strict --noEmit --skipLibCheck --target es2022 --module es2022 --moduleResolution bundler \
    --lib es2022,dom,dom.iterable hey/index.ts); then
  ok "@hey-api/openapi-ts client compiles with tsc --strict"
else
  bad "tsc --strict on the @hey-api/openapi-ts client"
fi

# 4. orval: every exported name declared once.
"$bin/orval" --input "$spec" --output "$work/orval/api.ts" > "$work/orval.log" 2>&1 || { cat "$work/orval.log"; bad "orval failed"; }
dups=$(grep -ohE '^export (type|interface|function) [A-Za-z0-9_]+' "$work/orval/api.ts" | awk '{print $3}' | sort | uniq -d)
if [ -z "$dups" ]; then ok "orval declares every name once"; else bad "orval declares twice: $(echo $dups | head -c 300)"; fi
ln -sfn "$tools/node_modules" "$work/orval/node_modules"
if (cd "$work/orval" && "$bin/tsc" --strict --noEmit --skipLibCheck --target es2022 --module es2022 --moduleResolution bundler \
    --lib es2022,dom,dom.iterable api.ts); then
  ok "orval client compiles with tsc --strict"
else
  bad "tsc --strict on the orval client"
fi

# 5. ogen: a strict Go client, run against the simulator.
og=$work/ogen
mkdir -p "$og"
cp scripts/generators/testdata/ogenclient/main.go "$og/"
cat > "$og/go.mod" <<MOD
module ogencheck

go 1.26

require github.com/turnkey-go/turnkey v0.0.0

replace github.com/turnkey-go/turnkey => $repo
MOD
cp go.sum "$og/"
(cd "$og" && go get "github.com/ogen-go/ogen@$OGEN" > gen.log 2>&1 &&
  GOFLAGS=-mod=mod go run github.com/ogen-go/ogen/cmd/ogen --target tk --package tk --clean "$spec" >> gen.log 2>&1) ||
  { tail -20 "$og/gen.log"; bad "ogen failed"; }
if (cd "$og" && go mod tidy > build.log 2>&1 && go build -o ogenclient . 2>> build.log); then
  ok "ogen client compiles"
  if (cd "$og" && ./ogenclient); then
    ok "ogen client works against the simulator and decodes unknown activity types and statuses"
  else
    bad "ogen client program"
  fi
else
  bad "ogen client does not compile:"; head -20 "$og/build.log"
fi

[ "$fail" = 0 ] && echo "generators: all checks passed" || { echo "generators: some checks FAILED"; exit 1; }
