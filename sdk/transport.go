package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/turnkey-go/turnkey/gen"
)

// The request path. A typed method encodes its request once and hands the
// bytes to the generated client (package gen), whose <Op>WithBody method
// builds the HTTP request for the operation's path. The generated client sends
// it through an exchange, the HttpRequestDoer of that one call, which stamps
// the bytes (innermost, afresh for every attempt), sends them, retries as the
// call's RetryOptions allow and turns error answers into *APIError. send then
// decodes the 2xx answer.

// maxResponseBytes bounds how much of an answer the client reads.
const maxResponseBytes = 32 << 20

// contentType is the media type of every request and answer.
const contentType = "application/json"

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// sender is a method of the generated client in its <Op>WithBody form, e.g.
// (*gen.Client).WhoamiWithBody: it builds the request for one operation's path
// around body and hands it to the client's doer.
type sender func(g *gen.Client, ctx context.Context, contentType string, body io.Reader, reqEditors ...gen.RequestEditorFn) (*http.Response, error)

// sendTo is the sender of the escape hatches (SubmitActivity, Query) for a
// path the spec may not know; the spec's operations use the generated client's
// methods instead.
func sendTo(path string) sender {
	return func(g *gen.Client, ctx context.Context, contentType string, body io.Reader, _ ...gen.RequestEditorFn) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(g.Server, "/")+path, body)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", contentType)
		return g.Client.Do(req)
	}
}

// send POSTs body to op through the generated client and decodes a 2xx answer
// into out. body is never changed: every attempt sends the same bytes and is
// stamped afresh over them.
func (c *Client) send(ctx context.Context, cc *callConfig, op *route, body []byte, out any) error {
	x := &exchange{c: c, cc: cc, op: op, body: body, ctx: ctx}
	defer x.release()
	g := gen.Client{Server: c.server, Client: x}
	// The first attempt's context is the request's: the generated client
	// builds the request with it.
	actx := x.beginAttempt(ctx)
	defer x.endAttempt()
	resp, err := op.send(&g, actx, contentType, bytes.NewReader(body))
	if err != nil {
		if !x.sent {
			return fmt.Errorf("sdk: %s: build request: %w", op.Name, err)
		}
		return err
	}
	_ = resp.Body.Close()
	if cc.raw != nil {
		*cc.raw = bytes.Clone(x.data)
	}
	if err := op.decode(x.data, out); err != nil {
		return fmt.Errorf("sdk: %s: decode response: %w", op.Name, err)
	}
	return nil
}

// exchange is the doer the generated client sends one call's request through.
type exchange struct {
	c     *Client
	cc    *callConfig
	op    *route
	ctx   context.Context // the call's context (an attempt's may end sooner)
	body  []byte          // the encoded request, sent by every attempt
	sent  bool            // Do was called: the request was built
	watch *watch          // the current attempt's, when the watchdog watches it
	state *attemptState   // the current attempt's context
	buf   *bytes.Buffer   // from bufPool; holds data
	data  []byte          // the 2xx answer's body, read in full
}

// Do sends req, stamped, as many times as the call's retry policy allows. It
// returns the first 2xx response, whose body has already been read into
// x.data (the returned response's Body is empty), or the last attempt's error.
func (x *exchange) Do(req *http.Request) (*http.Response, error) {
	x.sent = true
	ctx := x.ctx
	for attempt := 1; ; attempt++ {
		resp, err := x.attempt(ctx, req, attempt)
		if err == nil {
			return resp, nil
		}
		delay, ok := x.c.retryDelay(ctx, x.cc, err, attempt)
		if !ok {
			return nil, err
		}
		x.c.log(ctx, slog.LevelDebug, "sdk: retrying", slog.String("operation", x.op.Name),
			slog.Int("attempt", attempt), slog.Duration("delay", delay), slog.String("error", err.Error()))
		if serr := sleep(ctx, delay); serr != nil {
			return nil, err
		}
	}
}

// attempt makes one stamped HTTP request: req itself the first time, a copy
// with a fresh reader over the same bytes after that.
func (x *exchange) attempt(ctx context.Context, req *http.Request, n int) (*http.Response, error) {
	if n > 1 {
		req = req.Clone(x.beginAttempt(ctx))
		req.Body = io.NopCloser(bytes.NewReader(x.body))
	}
	defer x.endAttempt()
	req.Header.Set("Accept", contentType)
	req.Header.Set("User-Agent", x.c.userAgent)
	// Stamping is the last step before sending: the stamp covers exactly
	// these bytes, and a retry gets a stamp of its own.
	name, value, err := x.cc.stamper.Stamp(ctx, x.body)
	if err != nil {
		return nil, fmt.Errorf("sdk: %s: stamp request: %w", x.op.Name, err)
	}
	req.Header.Set(name, value)

	resp, err := x.roundTrip(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &TransportError{Operation: x.op.Name, Err: err}
	}
	defer resp.Body.Close()

	if x.buf == nil {
		x.buf = bufPool.Get().(*bytes.Buffer)
	}
	buf := x.buf
	buf.Reset()
	if resp.ContentLength > 0 && resp.ContentLength <= maxResponseBytes {
		buf.Grow(int(resp.ContentLength) + 1)
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBytes)); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &TransportError{Operation: x.op.Name, Err: fmt.Errorf("read response: %w", err)}
	}
	data := buf.Bytes()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := newAPIError(x.op.Name, resp.StatusCode, bytes.Clone(data), parseRetryAfter(resp.Header.Get("Retry-After"), x.c.now()))
		x.c.log(ctx, slog.LevelWarn, "sdk: request failed", slog.String("operation", x.op.Name),
			slog.Int("status", resp.StatusCode), slog.Int("code", err.Code))
		return nil, err
	}
	x.data = data
	resp.Body = http.NoBody // the deferred Close closes the body just read
	return resp, nil
}

// roundTrip sends req once. A user's *http.Client is called through its Do,
// as given (its Timeout, Jar and transport apply; redirects are refused by
// withoutRedirects). The *http.Client New built is called through its
// transport directly: what Do would add is, for that client, nothing but
// work (it has no Jar and follows no redirect), and its timeouts are applied
// by the watchdog, which covers reading the body too, as http.Client.Timeout
// does.
func (x *exchange) roundTrip(req *http.Request) (*http.Response, error) {
	c := x.c
	if c.direct == nil {
		return c.httpClient.Do(req)
	}
	resp, err := c.direct(req)
	if err != nil {
		if cause := context.Cause(req.Context()); cause != nil && cause != context.Canceled {
			err = cause
		}
		return nil, &url.Error{Op: "Post", URL: req.URL.String(), Err: err}
	}
	x.watch.gotHeaders()
	return resp, nil
}

// beginAttempt returns the context of the next attempt under the call's ctx:
// for the *http.Client New built, an attemptState (counted by its dialer)
// under a context its watchdog cuts off at the attempt timeouts; for a
// user's, ctx itself (its own Timeout applies).
func (x *exchange) beginAttempt(ctx context.Context) context.Context {
	x.endAttempt()
	if x.c.watchdog == nil {
		return ctx
	}
	ctx, x.watch = x.c.watchdog().begin(ctx)
	x.state = newAttemptState(ctx, x.c.conns())
	return x.state
}

// endAttempt ends the current attempt and its watch, if any.
func (x *exchange) endAttempt() {
	if x.state != nil {
		x.state.end()
		x.state = nil
	}
	if x.watch != nil {
		x.c.watchdog().end(x.watch)
		x.watch = nil
	}
}

// release returns the exchange's buffer to the pool; x.data is invalid after.
func (x *exchange) release() {
	if x.buf != nil {
		bufPool.Put(x.buf)
		x.buf, x.data = nil, nil
	}
}

// retryDelay decides whether err is worth another attempt and after how long.
func (c *Client) retryDelay(ctx context.Context, cc *callConfig, err error, attempt int) (time.Duration, bool) {
	if attempt >= cc.retry.MaxAttempts || ctx.Err() != nil {
		return 0, false
	}
	var apiErr *APIError
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		if !apiErr.retryable() {
			return 0, false
		}
		if apiErr.RetryAfter > 0 {
			if apiErr.RetryAfter > cc.retry.MaxRetryAfter {
				return 0, false
			}
			return apiErr.RetryAfter, true
		}
	case errors.As(err, &tErr):
	default:
		return 0, false
	}
	return cc.retry.backoff(attempt), true
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
