#!/usr/bin/env bash
# Measures what a program pays for the SDK: cold build time (empty GOCACHE),
# stripped binary size (-ldflags='-s -w') and the modules it links
# (go version -m) of
#   whoami  a program that calls sdk.Client.Whoami only
#   sign    the same plus SignRawPayload (links the activity decoder)
#   stdlib  a program that makes the same stamped POST with net/http and
#           crypto/ecdsa only
#   base    (with BASE=<git revision>) the whoami program built against this
#           repository at that revision, for a before/after comparison
# Cold builds are interleaved; the median of RUNS (default 3) is printed.
# Usage: [BASE=rev] scripts/consumer-size.sh [RUNS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/whoami" "$work/sign" "$work/stdlib"
cat > "$work/whoami/main.go" <<'GO'
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

func main() {
	c, err := sdk.NewFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	who, err := c.Whoami(context.Background(), gen.WhoamiRequest{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(who.UserID, who.OrganizationID)
}
GO
cat > "$work/stdlib/main.go" <<'GO'
package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

func main() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	body, _ := json.Marshal(map[string]string{"organizationId": os.Getenv("TURNKEY_ORGANIZATION_ID")})
	h := sha256.Sum256(body)
	sig, _ := ecdsa.SignASN1(rand.Reader, key, h[:])
	pub := elliptic.MarshalCompressed(elliptic.P256(), key.X, key.Y)
	st, _ := json.Marshal(map[string]string{"publicKey": hex.EncodeToString(pub), "scheme": "SIGNATURE_SCHEME_TK_API_P256", "signature": hex.EncodeToString(sig)})
	req, _ := http.NewRequest("POST", "https://api.turnkey.com/public/v1/query/whoami", bytes.NewReader(body))
	req.Header.Set("X-Stamp", base64.RawURLEncoding.EncodeToString(st))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	var who struct{ UserID, OrganizationID string }
	_ = json.NewDecoder(resp.Body).Decode(&who)
	fmt.Println(who.UserID, who.OrganizationID)
}
GO
sed -e 's#fmt.Println(who.UserID, who.OrganizationID)#sig, _, err := c.SignRawPayload(context.Background(), gen.SignRawPayloadIntentV2{SignWith: os.Getenv("SIGN_WITH"), Payload: "00", Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNoOp})\n\tfmt.Println(who.UserID, sig, err)#' \
  "$work/whoami/main.go" > "$work/sign/main.go"

# module DIR SRC: a module in DIR that uses the sdk at SRC.
module() {
  (cd "$1" && go mod init "example.com/$(basename "$1")" >/dev/null 2>&1 &&
    go mod edit -replace github.com/turnkey-go/turnkey="$2" -require github.com/turnkey-go/turnkey@v0.0.0 &&
    cp "$2/go.sum" . && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1)
}
module "$work/whoami" "$repo"
module "$work/sign" "$repo"
(cd "$work/stdlib" && go mod init example.com/stdlib >/dev/null 2>&1)
names="whoami sign stdlib"
if [ -n "${BASE:-}" ]; then
  mkdir -p "$work/base-src" "$work/base"
  git -C "$repo" archive "$BASE" | tar -x -C "$work/base-src"
  cp "$work/whoami/main.go" "$work/base/"
  module "$work/base" "$work/base-src"
  names="$names base"
fi

# cold NAME: seconds of one `go build` with an empty build cache.
cold() {
  local dir=$work/$1 cache
  cache=$(mktemp -d)
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$dir" && GOCACHE=$cache go build -trimpath -ldflags='-s -w' -o "$work/$1.bin" .)
  t1=$(date +%s.%N)
  rm -rf "$cache"
  echo "$t1 - $t0" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for _ in $(seq "$runs"); do
  for name in $names; do
    cold "$name" >> "$work/$name.times"
  done
done
for name in $names; do
  size=$(stat -c %s "$work/$name.bin")
  mods=$(go version -m "$work/$name.bin" | awk '$1=="dep"' | wc -l)
  printf '%-7s cold build %6.2f s (median of %d)  stripped binary %5.2f MB  modules linked %d\n' \
    "$name" "$(median < "$work/$name.times")" "$runs" "$(echo "$size/1000000" | bc -l)" "$mods"
done
echo "modules linked by the whoami program:"
go version -m "$work/whoami.bin" | awk '$1=="dep" {print "  " $2 " " $3}'

# Budgets (issue 14): the whoami program's stripped binary no larger than
# Turnkey's Go SDK v2 equivalent (7.52 MB measured on this kind of machine),
# at most 6 modules linked.
size=$(stat -c %s "$work/whoami.bin")
mods=$(go version -m "$work/whoami.bin" | awk '$1=="dep"' | wc -l)
if [ "$size" -gt 7520000 ] || [ "$mods" -gt 6 ]; then
  echo "whoami program over budget: $size bytes (max 7520000), $mods modules (max 6)" >&2
  exit 1
fi
