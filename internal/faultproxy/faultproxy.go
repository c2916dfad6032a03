// Package faultproxy is an HTTP reverse proxy for tests that injects the
// faults a client of the Turnkey API meets on real networks: answers that
// never reached the server, and answers lost after the server acted. It
// listens on loopback only and draws faults from a seeded generator, in the
// order requests arrive.
package faultproxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Kind is a kind of fault.
type Kind string

// The kinds of faults. The first two never reach the server; the last three
// are applied by the server and then their answer is lost.
const (
	// Refuse500 answers HTTP 500 without forwarding the request.
	Refuse500 Kind = "refuse_500"
	// RateLimit429 answers HTTP 429 with a Retry-After header without
	// forwarding the request.
	RateLimit429 Kind = "rate_limit_429"
	// ForwardDrop forwards the request, then closes the client's connection
	// without an answer.
	ForwardDrop Kind = "forward_drop"
	// ForwardSlow forwards the request, then holds the answer for SlowDelay
	// or until the client gives up, whichever is first.
	ForwardSlow Kind = "forward_slow"
	// Forward503 forwards the request, then answers HTTP 503 instead of the
	// server's answer.
	Forward503 Kind = "forward_503"
)

// Kinds lists every kind of fault.
var Kinds = []Kind{Refuse500, RateLimit429, ForwardDrop, ForwardSlow, Forward503}

// Rates gives each kind of fault its probability per request; their sum must
// not exceed 1.
type Rates map[Kind]float64

// Config configures a Proxy.
type Config struct {
	// Seed seeds the generator that draws a fault for each request.
	Seed uint64
	// Rates are the probabilities of the faults.
	Rates Rates
	// RetryAfterSeconds is the Retry-After of RateLimit429 answers (default 1).
	RetryAfterSeconds int
	// SlowDelay is the longest a ForwardSlow answer is held (default 1s).
	SlowDelay time.Duration
	// Only, if set, limits faults to the requests it returns true for.
	Only func(*http.Request) bool
	// MaxPerKind, if set, caps how many faults of a kind are injected; a
	// request drawing a kind that reached its cap is not faulted.
	MaxPerKind map[Kind]int
}

// Stats counts what the proxy did.
type Stats struct {
	Requests int
	Faults   map[Kind]int
}

// Proxy is a running fault-injecting proxy. Close it when done.
type Proxy struct {
	// URL is the proxy's base URL, http://127.0.0.1:<port>.
	URL string

	target   string
	srv      *httptest.Server
	upstream *http.Client

	mu    sync.Mutex
	cfg   Config
	rng   *rand.Rand
	stats Stats
}

// Start starts a proxy in front of target, a base URL such as
// "http://127.0.0.1:8080".
func Start(target string, cfg Config) (*Proxy, error) {
	if err := validate(cfg.Rates); err != nil {
		return nil, err
	}
	p := &Proxy{target: target, upstream: &http.Client{Timeout: time.Minute},
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), stats: Stats{Faults: map[Kind]int{}}}
	p.cfg = withDefaults(cfg)
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve)) // 127.0.0.1 only
	p.URL = p.srv.URL
	return p, nil
}

func withDefaults(cfg Config) Config {
	if cfg.RetryAfterSeconds <= 0 {
		cfg.RetryAfterSeconds = 1
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = time.Second
	}
	return cfg
}

func validate(r Rates) error {
	sum := 0.0
	for k, v := range r {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return fmt.Errorf("faultproxy: rate of %s %v must be between 0 and 1", k, v)
		}
		sum += v
	}
	if sum > 1+1e-9 {
		return fmt.Errorf("faultproxy: rates add up to %v, more than 1", sum)
	}
	return nil
}

// SetRates replaces the fault rates, e.g. to end an outage.
func (p *Proxy) SetRates(r Rates) error {
	if err := validate(r); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg.Rates = r
	return nil
}

// Stats returns a copy of the counts so far.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Stats{Requests: p.stats.Requests, Faults: map[Kind]int{}}
	for k, v := range p.stats.Faults {
		s.Faults[k] = v
	}
	return s
}

// Close stops the proxy and waits for its requests to end.
func (p *Proxy) Close() { p.srv.Close() }

// draw picks the fault of the next request, "" for none.
func (p *Proxy) draw(r *http.Request) (Kind, Config) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.Requests++
	x := p.rng.Float64() // drawn for every request, so the sequence is the seed's
	if p.cfg.Only != nil && !p.cfg.Only(r) {
		return "", p.cfg
	}
	for _, k := range Kinds {
		if x < p.cfg.Rates[k] {
			if limit, ok := p.cfg.MaxPerKind[k]; ok && p.stats.Faults[k] >= limit {
				return "", p.cfg
			}
			p.stats.Faults[k]++
			return k, p.cfg
		}
		x -= p.cfg.Rates[k]
	}
	return "", p.cfg
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away
	}
	kind, cfg := p.draw(r)
	switch kind {
	case Refuse500:
		writeStatus(w, http.StatusInternalServerError, 13, "faultproxy: injected server error", nil)
		return
	case RateLimit429:
		writeStatus(w, http.StatusTooManyRequests, 8, "faultproxy: injected rate limit",
			map[string]string{"Retry-After": strconv.Itoa(cfg.RetryAfterSeconds)})
		return
	}
	// Forwarded on a context of its own: the server acts on the request even
	// if the client gives up meanwhile, as a real server would.
	status, header, answer, err := p.forward(r, body)
	if err != nil {
		writeStatus(w, http.StatusBadGateway, 14, "faultproxy: upstream: "+err.Error(), nil)
		return
	}
	switch kind {
	case ForwardDrop:
		panic(http.ErrAbortHandler) // closes the connection unanswered
	case Forward503:
		writeStatus(w, http.StatusServiceUnavailable, 14, "faultproxy: injected unavailable after forwarding", nil)
		return
	case ForwardSlow:
		t := time.NewTimer(cfg.SlowDelay)
		select {
		case <-t.C:
		case <-r.Context().Done(): // the client's attempt timed out
			t.Stop()
			return
		}
	}
	for k, vs := range header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(answer)
}

func (p *Proxy) forward(r *http.Request, body []byte) (int, http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header = r.Header.Clone()
	resp, err := p.upstream.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, errors.Join(errors.New("read answer"), err)
	}
	h := resp.Header.Clone()
	h.Del("Content-Length")
	return resp.StatusCode, h, answer, nil
}

func writeStatus(w http.ResponseWriter, status, code int, msg string, header map[string]string) {
	for k, v := range header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"code":%d,"message":%q,"details":[]}`, code, msg)
}
