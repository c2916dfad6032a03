#!/usr/bin/env bash
# Measures what a program that uses only sdk.Client.Whoami pays for the SDK:
# cold build time (empty GOCACHE), stripped binary size (-ldflags='-s -w') and
# the modules it links (go version -m), next to a stdlib-only program that
# makes the same stamped POST with net/http + crypto/ecdsa. Runs are
# interleaved; the median of RUNS (default 3) cold builds is printed.
# Usage: scripts/consumer-size.sh [RUNS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/sdk" "$work/stdlib"
cat > "$work/sdk/main.go" <<'GO'
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
cd "$work/sdk"
go mod init example.com/whoami >/dev/null 2>&1
go mod edit -replace github.com/turnkey-go/turnkey="$repo" -require github.com/turnkey-go/turnkey@v0.0.0
cp "$repo/go.sum" .
GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1
cd "$work/stdlib"
go mod init example.com/stdlib >/dev/null 2>&1

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

: > "$work/sdk.times"; : > "$work/stdlib.times"
for _ in $(seq "$runs"); do
  cold sdk >> "$work/sdk.times"
  cold stdlib >> "$work/stdlib.times"
done
for name in sdk stdlib; do
  size=$(stat -c %s "$work/$name.bin")
  mods=$(go version -m "$work/$name.bin" | awk '$1=="dep"' | wc -l)
  printf '%-7s cold build %6.2f s (median of %d)  stripped binary %5.2f MB  modules linked %d\n' \
    "$name" "$(median < "$work/$name.times")" "$runs" "$(echo "$size/1000000" | bc -l)" "$mods"
done
echo "modules linked by the sdk consumer:"
go version -m "$work/sdk.bin" | awk '$1=="dep" {print "  " $2 " " $3}'
