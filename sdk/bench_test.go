package sdk_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// fixtureServer answers every request with body, as Turnkey would.
func fixtureServer(b *testing.B, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, url string) *sdk.Client {
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(b, err)
	c, err := sdk.New(sdk.WithBaseURL(url), sdk.WithStamper(key), sdk.WithOrganizationID("e87cb45c-05ad-489d-a890-4ea398345c24"))
	require.NoError(b, err)
	return c
}

// BenchmarkRawRoundTrip is the floor: a POST on loopback with no stamp and no decode.
func BenchmarkRawRoundTrip(b *testing.B) {
	srv := fixtureServer(b, sdk.BenchFixture(b, "whoami.json"))
	body := []byte(`{"organizationId":"e87cb45c-05ad-489d-a890-4ea398345c24"}`)
	hc := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := hc.Post(srv.URL+"/public/v1/query/whoami", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func BenchmarkWhoami(b *testing.B) {
	c := benchClient(b, fixtureServer(b, sdk.BenchFixture(b, "whoami.json")).URL)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Whoami(ctx, gen.WhoamiRequest{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignRawPayload(b *testing.B) {
	c := benchClient(b, fixtureServer(b, sdk.BenchFixture(b, "sign_raw_payload_completed.json")).URL)
	ctx := context.Background()
	params := gen.SignRawPayloadIntentV2{
		SignWith:     "0xc7e2a8589c3e3a98f13448a46c8e3380b75ce076",
		Payload:      "d449acb92215ed502901c9e6f6a4dc6d28e6856fb6754892becd148dee1b3e85",
		Encoding:     gen.PayloadEncodingHexadecimal,
		HashFunction: gen.HashFunctionNoOp,
	}
	b.ReportAllocs()
	for b.Loop() {
		res, _, err := c.SignRawPayload(ctx, params)
		if err != nil || res.R == "" {
			b.Fatal(err)
		}
	}
}
