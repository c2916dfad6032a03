package sdk_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// The round-trip benchmarks run against a loopback httptest server in the same
// process that answers every request with a recorded answer of testdata/bench.
// Each Client benchmark has a floor next to it: the same POST made with plain
// net/http and a real P-256 stamp (SHA-256 and ECDSA from the standard
// library), reading the answer without decoding it. scripts/bench-ratio.sh
// runs them interleaved and prints the ratios.

const benchOrg = "04488540-f4c8-48ab-b3d1-3b3a98b600cd"

// fixtureServer answers every request with body, as Turnkey would, and counts
// the connections clients open to it.
type fixtureServer struct {
	*httptest.Server
	conns atomic.Int64
}

func newFixtureServer(b *testing.B, body []byte) *fixtureServer {
	fs := &fixtureServer{}
	fs.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	fs.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			fs.conns.Add(1)
		}
	}
	fs.Start()
	b.Cleanup(fs.Close)
	return fs
}

func benchClient(b *testing.B, url string, opts ...sdk.Option) *sdk.Client {
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(b, err)
	c, err := sdk.New(append([]sdk.Option{sdk.WithBaseURL(url), sdk.WithStamper(key), sdk.WithOrganizationID(benchOrg)}, opts...)...)
	require.NoError(b, err)
	return c
}

// rawStamper makes the X-Stamp header with nothing but the standard library.
type rawStamper struct {
	key *ecdsa.PrivateKey
	pub string
}

func newRawStamper(b *testing.B) *rawStamper {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(b, err)
	return &rawStamper{key: key, pub: hex.EncodeToString(elliptic.MarshalCompressed(elliptic.P256(), key.X, key.Y))}
}

func (s *rawStamper) stamp(body []byte) string {
	h := sha256.Sum256(body)
	sig, err := ecdsa.SignASN1(rand.Reader, s.key, h[:])
	if err != nil {
		panic(err)
	}
	st := `{"publicKey":"` + s.pub + `","scheme":"SIGNATURE_SCHEME_TK_API_P256","signature":"` + hex.EncodeToString(sig) + `"}`
	return base64.RawURLEncoding.EncodeToString([]byte(st))
}

// rawPost is the floor: one stamped POST with net/http, the answer read and
// discarded.
func rawPost(b *testing.B, hc *http.Client, s *rawStamper, url string, body []byte) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(stamp.Header, s.stamp(body))
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatal(resp.Status)
	}
}

var signParams = gen.SignRawPayloadIntentV2{
	SignWith:     "0xf568b36618C0C7f06f2C029DEa9198525528337B",
	Payload:      "d449acb92215ed502901c9e6f6a4dc6d28e6856fb6754892becd148dee1b3e85",
	Encoding:     gen.PayloadEncodingHexadecimal,
	HashFunction: gen.HashFunctionNoOp,
}

// The body a sign_raw_payload call sends, for the floor.
var signBody = []byte(`{"organizationId":"` + benchOrg + `","parameters":{"encoding":"PAYLOAD_ENCODING_HEXADECIMAL","hashFunction":"HASH_FUNCTION_NO_OP","payload":"d449acb92215ed502901c9e6f6a4dc6d28e6856fb6754892becd148dee1b3e85","signWith":"0xf568b36618C0C7f06f2C029DEa9198525528337B"},"timestampMs":"1700000000000","type":"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"}`)

// BenchmarkRoundTrip compares each Client call with its floor on the same
// server: RoundTrip/whoami/floor against RoundTrip/whoami/client, and the
// same for sign_raw_payload (a COMPLETED activity of 2.4 KB, decoded).
func BenchmarkRoundTrip(b *testing.B) {
	ctx := context.Background()
	b.Run("whoami", func(b *testing.B) {
		srv := newFixtureServer(b, sdk.BenchFixture(b, "whoami.json"))
		b.Run("floor", func(b *testing.B) {
			s, hc := newRawStamper(b), &http.Client{}
			body := []byte(`{"organizationId":"` + benchOrg + `"}`)
			b.ReportAllocs()
			for b.Loop() {
				rawPost(b, hc, s, srv.URL+"/public/v1/query/whoami", body)
			}
		})
		b.Run("client", func(b *testing.B) {
			c := benchClient(b, srv.URL)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Whoami(ctx, gen.WhoamiRequest{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("sign_raw_payload", func(b *testing.B) {
		srv := newFixtureServer(b, sdk.BenchFixture(b, "sign_raw_payload_completed.json"))
		b.Run("floor", func(b *testing.B) {
			s, hc := newRawStamper(b), &http.Client{}
			b.ReportAllocs()
			for b.Loop() {
				rawPost(b, hc, s, srv.URL+"/public/v1/submit/sign_raw_payload", signBody)
			}
		})
		b.Run("client", func(b *testing.B) {
			c := benchClient(b, srv.URL)
			b.ReportAllocs()
			for b.Loop() {
				res, _, err := c.SignRawPayload(ctx, signParams)
				if err != nil || res.R == "" {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkRawRoundTrip is a POST on loopback with no stamp and no decode.
func BenchmarkRawRoundTrip(b *testing.B) {
	srv := newFixtureServer(b, sdk.BenchFixture(b, "whoami.json"))
	body := []byte(`{"organizationId":"` + benchOrg + `"}`)
	hc := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := hc.Post(srv.URL+"/public/v1/query/whoami", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
}

func BenchmarkWhoami(b *testing.B) {
	c := benchClient(b, newFixtureServer(b, sdk.BenchFixture(b, "whoami.json")).URL)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Whoami(ctx, gen.WhoamiRequest{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignRawPayload(b *testing.B) {
	c := benchClient(b, newFixtureServer(b, sdk.BenchFixture(b, "sign_raw_payload_completed.json")).URL)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, _, err := c.SignRawPayload(ctx, signParams)
		if err != nil || res.R == "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkConcurrent makes b.N sign_raw_payload calls from many goroutines
// through one new Client, and reports how many connections the client opened
// per 1,000 calls (new-conns/1k-calls): with the transport New builds it
// stays at one per goroutine, since connections go back to the idle pool and
// a dial for a call that a connection coming free can serve is left out
// (sdk/attempt.go); with Go's default transport, which keeps 2 idle
// connections per host (transport=http.DefaultClient), most calls that
// overlap open a new one. warm-new-conns/1k-calls is a second round of b.N
// calls, untimed, on the connections the first one left.
func BenchmarkConcurrent(b *testing.B) {
	for _, transport := range []string{"sdk", "http.DefaultClient"} {
		for _, g := range []int{16, 64, 256} {
			b.Run(fmt.Sprintf("transport=%s/goroutines=%d", transport, g), func(b *testing.B) {
				srv := newFixtureServer(b, sdk.BenchFixture(b, "sign_raw_payload_completed.json"))
				var opts []sdk.Option
				if transport != "sdk" {
					opts = append(opts, sdk.WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}))
				}
				c := benchClient(b, srv.URL, opts...)
				ctx := context.Background()
				run := func(n int64) {
					var next atomic.Int64
					var wg sync.WaitGroup
					for range g {
						wg.Go(func() {
							for next.Add(1) <= n {
								if _, _, err := c.SignRawPayload(ctx, signParams); err != nil {
									b.Error(err)
									return
								}
							}
						})
					}
					wg.Wait()
				}
				b.ReportAllocs()
				b.ResetTimer()
				run(int64(b.N))
				b.StopTimer()
				cold := srv.conns.Load()
				b.ReportMetric(float64(cold)*1000/float64(b.N), "new-conns/1k-calls")
				// The same again, untimed, on the connections the first
				// round left: how many a warmed-up client still opens.
				run(int64(b.N))
				b.ReportMetric(float64(srv.conns.Load()-cold)*1000/float64(b.N), "warm-new-conns/1k-calls")
			})
		}
	}
}

// BenchmarkWhereTheTimeGoes splits the stamped floor: the bare POST, the
// P-256 stamp alone in a tight loop, the POST with the stamp, and the POST
// after a busy spin as long as the stamp. Run it with -cpu 1,2: with two
// Ps, any ~30 µs burst of work between network calls costs about 20 µs more
// than its own length (the POST+spin row shows it without any crypto), and
// at -cpu 1 the penalty is gone.
func BenchmarkWhereTheTimeGoes(b *testing.B) {
	srv := newFixtureServer(b, sdk.BenchFixture(b, "whoami.json"))
	url := srv.URL + "/public/v1/query/whoami"
	body := []byte(`{"organizationId":"` + benchOrg + `"}`)
	s := newRawStamper(b)
	// The stamp's length in a tight loop, for the spin.
	t0 := time.Now()
	for range 200 {
		_ = s.stamp(body)
	}
	stampTime := time.Since(t0) / 200
	post := func(b *testing.B, hc *http.Client, header string) {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(stamp.Header, header)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	b.Run("stamp", func(b *testing.B) {
		for b.Loop() {
			_ = s.stamp(body)
		}
	})
	b.Run("post", func(b *testing.B) {
		hc := &http.Client{}
		for b.Loop() {
			post(b, hc, "none")
		}
	})
	b.Run("post+stamp", func(b *testing.B) {
		hc := &http.Client{}
		for b.Loop() {
			post(b, hc, s.stamp(body))
		}
	})
	b.Run("post+spin", func(b *testing.B) {
		hc := &http.Client{}
		b.ReportMetric(float64(stampTime.Nanoseconds()), "spin-ns")
		for b.Loop() {
			for t := time.Now(); time.Since(t) < stampTime; {
			}
			post(b, hc, "none")
		}
	})
}

// BenchmarkInterleaved alternates, call by call, the floor and the Client on
// the same server (each goes first every other time), times every call, and
// reports the median of each and their ratio (client/floor). Per-call medians
// taken side by side hold up on a machine that other work slows down at
// random, where separate benchmarks do not.
func BenchmarkInterleaved(b *testing.B) {
	ctx := context.Background()
	cases := []struct {
		name, fixture, path string
		body                []byte
		call                func(c *sdk.Client) error
	}{
		{"whoami", "whoami.json", "/public/v1/query/whoami", []byte(`{"organizationId":"` + benchOrg + `"}`),
			func(c *sdk.Client) error { _, err := c.Whoami(ctx, gen.WhoamiRequest{}); return err }},
		{"sign_raw_payload", "sign_raw_payload_completed.json", "/public/v1/submit/sign_raw_payload", signBody,
			func(c *sdk.Client) error { _, _, err := c.SignRawPayload(ctx, signParams); return err }},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			srv := newFixtureServer(b, sdk.BenchFixture(b, tc.fixture))
			s, hc := newRawStamper(b), &http.Client{}
			c := benchClient(b, srv.URL)
			var floor, client []time.Duration
			floorCall := func() {
				t := time.Now()
				rawPost(b, hc, s, srv.URL+tc.path, tc.body)
				floor = append(floor, time.Since(t))
			}
			clientCall := func() {
				t := time.Now()
				if err := tc.call(c); err != nil {
					b.Fatal(err)
				}
				client = append(client, time.Since(t))
			}
			i := 0
			for b.Loop() {
				if i++; i%2 == 0 {
					floorCall()
					clientCall()
				} else {
					clientCall()
					floorCall()
				}
			}
			f, cl := median(floor), median(client)
			b.ReportMetric(float64(f.Nanoseconds())/1e3, "floor-µs")
			b.ReportMetric(float64(cl.Nanoseconds())/1e3, "client-µs")
			b.ReportMetric(float64(cl)/float64(f), "client/floor")
		})
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// fixedRT answers every request with its bytes without any network, for
// BenchmarkOverhead.
type fixedRT []byte

func (f fixedRT) RoundTrip(r *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, r.Body)
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(f)), ContentLength: int64(len(f))}, nil
}

// nopStamper stamps with a constant, for BenchmarkOverhead.
type nopStamper struct{}

func (nopStamper) Stamp(context.Context, []byte) (string, string, error) { return "X-Stamp", "x", nil }

// BenchmarkOverhead is the client's own work: the calls with an in-memory
// transport and a stamper that does nothing, next to the same POST made with
// plain net/http (floor).
func BenchmarkOverhead(b *testing.B) {
	ctx := context.Background()
	b.Run("whoami", func(b *testing.B) {
		c, _ := sdk.New(sdk.WithBaseURL("http://x"), sdk.WithStamper(nopStamper{}), sdk.WithOrganizationID(benchOrg), sdk.WithHTTPClient(&http.Client{Transport: fixedRT(sdk.BenchFixture(b, "whoami.json"))}))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Whoami(ctx, gen.WhoamiRequest{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sign_raw_payload", func(b *testing.B) {
		c, _ := sdk.New(sdk.WithBaseURL("http://x"), sdk.WithStamper(nopStamper{}), sdk.WithOrganizationID(benchOrg), sdk.WithHTTPClient(&http.Client{Transport: fixedRT(sdk.BenchFixture(b, "sign_raw_payload_completed.json"))}))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := c.SignRawPayload(ctx, signParams); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		hc := &http.Client{Transport: fixedRT(sdk.BenchFixture(b, "whoami.json"))}
		body := []byte(`{"organizationId":"` + benchOrg + `"}`)
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequest("POST", "http://x/public/v1/query/whoami", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Stamp", "x")
			resp, _ := hc.Do(req)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
