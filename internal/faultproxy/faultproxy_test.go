package faultproxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestEachKind: each fault does what its name says, and whether the
// request reached the server is as documented.
func TestEachKind(t *testing.T) {
	for _, tc := range []struct {
		kind      Kind
		status    int // 0: no answer
		forwarded bool
	}{
		{Refuse500, 500, false},
		{RateLimit429, 429, false},
		{ForwardDrop, 0, true},
		{Forward503, 503, true},
		{ForwardSlow, 0, true},
		{"", 200, true},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			var hits atomic.Int32
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				b, _ := io.ReadAll(r.Body)
				_, _ = w.Write(append([]byte("echo:"), b...))
			}))
			defer up.Close()
			rates := Rates{}
			if tc.kind != "" {
				rates[tc.kind] = 1
			}
			p, err := Start(up.URL, Config{Seed: 1, Rates: rates, SlowDelay: 5 * time.Second, RetryAfterSeconds: 7})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			client := &http.Client{Timeout: 300 * time.Millisecond}
			resp, err := client.Post(p.URL+"/x", "application/json", strings.NewReader("body"))
			switch {
			case tc.status == 0 && err == nil:
				resp.Body.Close()
				t.Fatalf("got HTTP %d, want no answer", resp.StatusCode)
			case tc.status != 0 && err != nil:
				t.Fatal(err)
			case tc.status != 0:
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.status {
					t.Errorf("HTTP %d, want %d", resp.StatusCode, tc.status)
				}
				if tc.kind == RateLimit429 && resp.Header.Get("Retry-After") != "7" {
					t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
				}
				if tc.kind == "" && string(b) != "echo:body" {
					t.Errorf("forwarded answer %q", b)
				}
			}
			if got := hits.Load() == 1; got != tc.forwarded {
				t.Errorf("forwarded %v, want %v", got, tc.forwarded)
			}
			if st := p.Stats(); tc.kind != "" && (st.Requests != 1 || st.Faults[tc.kind] != 1) {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// TestSeededAndCapped: the same seed draws the same faults, and MaxPerKind
// caps a kind.
func TestSeededAndCapped(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer up.Close()
	draws := func(cfg Config) []Kind {
		p, err := Start(up.URL, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		var out []Kind
		r := httptest.NewRequest("POST", "/", nil)
		for range 200 {
			k, _ := p.draw(r)
			out = append(out, k)
		}
		return out
	}
	cfg := Config{Seed: 42, Rates: Rates{Refuse500: 0.1, Forward503: 0.1}}
	a, b := draws(cfg), draws(cfg)
	if strings.Join(kindsText(a), ",") != strings.Join(kindsText(b), ",") {
		t.Error("the same seed drew different faults")
	}
	cfg.MaxPerKind = map[Kind]int{Refuse500: 3}
	n := 0
	for _, k := range draws(cfg) {
		if k == Refuse500 {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d faults of a kind capped at 3", n)
	}
	if _, err := Start(up.URL, Config{Rates: Rates{Refuse500: 0.7, Forward503: 0.7}}); err == nil {
		t.Error("rates above 1 in all were accepted")
	}
}

func kindsText(ks []Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}
