package stamp_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/turnkey-go/turnkey/stamp"
)

// Ed25519 signatures are deterministic, so this stamp is always the same.
func ExampleAPIKey_Stamp() {
	// The RFC 8032 test key; never use a published key for real.
	key, err := stamp.ParseAPIKey(stamp.CurveEd25519,
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"organizationId":"org"}`)
	header, value, err := key.Stamp(context.Background(), body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(header)
	fmt.Println(value)
	// Output:
	// X-Stamp
	// eyJwdWJsaWNLZXkiOiJkNzVhOTgwMTgyYjEwYWI3ZDU0YmZlZDNjOTY0MDczYTBlZTE3MmYzZGFhNjIzMjVhZjAyMWE2OGY3MDc1MTFhIiwic2NoZW1lIjoiU0lHTkFUVVJFX1NDSEVNRV9US19BUElfRUQyNTUxOSIsInNpZ25hdHVyZSI6IjM2NmM5ZTU4ODk4MTQ1YTM0Y2ExMWM2OTM2NWQ1Njg0MGU3ZjE3YWIzMzU0OTJkNDljZjdjN2E1MzEzN2I1Yzk0MmY2ZDg1MzU2MzIyOWY2ODg1OGNiYThiYzU0ZDM4NjVmMTVmNTc1ODhlYmE0OTZmNzYxMTY2YWY5N2ViNTA5In0
}

func ExampleVerify() {
	body := []byte(`{"organizationId":"org"}`)
	// The stamp of ExampleAPIKey_Stamp, as a server receives it.
	value := "eyJwdWJsaWNLZXkiOiJkNzVhOTgwMTgyYjEwYWI3ZDU0YmZlZDNjOTY0MDcz" +
		"YTBlZTE3MmYzZGFhNjIzMjVhZjAyMWE2OGY3MDc1MTFhIiwic2NoZW1lIjoiU0lHTkFUVVJFX1NDSEVNRV9US19BUElfRUQyNTUxOSIsInNpZ25hdHVyZSI6" +
		"IjM2NmM5ZTU4ODk4MTQ1YTM0Y2ExMWM2OTM2NWQ1Njg0MGU3ZjE3YWIzMzU0OTJkNDljZjdjN2E1MzEzN2I1Yzk0MmY2ZDg1MzU2MzIyOWY2ODg1OGNiYThi" +
		"YzU0ZDM4NjVmMTVmNTc1ODhlYmE0OTZmNzYxMTY2YWY5N2ViNTA5In0"
	v, err := stamp.Verify(body, value)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Scheme)
	fmt.Println(v.PublicKey)

	// Any change to the body breaks the stamp.
	_, err = stamp.Verify([]byte(`{"organizationId":"org2"}`), value)
	fmt.Println(errors.Is(err, stamp.ErrBadSignature))
	// Output:
	// SIGNATURE_SCHEME_TK_API_ED25519
	// d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
	// true
}

// ECDSA signatures are randomized, so only the outcome is printed.
func ExampleVerify_p256() {
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"type":"ACTIVITY_TYPE_CREATE_WALLET"}`)
	_, value, err := key.Stamp(context.Background(), body)
	if err != nil {
		log.Fatal(err)
	}
	v, err := stamp.Verify(body, value)
	fmt.Println("verified:", err == nil && v.PublicKey == key.PublicKey())
	// Output:
	// verified: true
}

func ExampleParseAPIKey() {
	// secp256k1 scalar 1, whose public key is the generator point.
	key, err := stamp.ParseAPIKey(stamp.CurveSecp256k1,
		"0000000000000000000000000000000000000000000000000000000000000001\n",
		stamp.WithExpectedPublicKey("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.Scheme())
	fmt.Println(key) // never prints the private key

	_, err = stamp.ParseAPIKey(stamp.CurveP256, "0x0000000000000000000000000000000000000000000000000000000000000001")
	fmt.Println(err)
	// Output:
	// SIGNATURE_SCHEME_TK_API_SECP256K1
	// APIKey{curve: secp256k1, publicKey: 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798}
	// stamp: parse key: privateKey: has a 0x prefix; give the bare hex digits
}

func ExampleSaveKeyFile() {
	dir, err := os.MkdirTemp("", "keys")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	key, err := stamp.GenerateAPIKey(stamp.CurveSecp256k1)
	if err != nil {
		log.Fatal(err)
	}
	if err := stamp.SaveKeyFile(dir, "ci", key); err != nil {
		log.Fatal(err)
	}
	loaded, err := stamp.LoadKeyFile(dir, "ci")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(loaded.PublicKey() == key.PublicKey())

	content, _ := os.ReadFile(filepath.Join(dir, "ci.private"))
	fmt.Println(strings.HasSuffix(string(content), ":secp256k1"))

	err = stamp.SaveKeyFile(dir, "ci", key)
	fmt.Println(errors.Is(err, stamp.ErrKeyExists))
	// Output:
	// true
	// true
	// true
}

// A Stamper can sign elsewhere, in a KMS or an HSM; StamperFunc adapts a
// function.
func ExampleStamperFunc() {
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	if err != nil {
		log.Fatal(err)
	}
	var s stamp.Stamper = stamp.StamperFunc(func(ctx context.Context, body []byte) (string, string, error) {
		// Call the KMS here; this one signs locally.
		return key.Stamp(ctx, body)
	})

	body := []byte(`{}`)
	req, err := http.NewRequest(http.MethodPost, "https://api.turnkey.com/public/v1/query/whoami", strings.NewReader(string(body)))
	if err != nil {
		log.Fatal(err)
	}
	header, value, err := s.Stamp(req.Context(), body)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set(header, value)
	_, err = stamp.Verify(body, req.Header.Get(stamp.Header))
	fmt.Println("verified:", err == nil)
	// Output:
	// verified: true
}
