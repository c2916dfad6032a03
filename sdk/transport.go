package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// maxResponseBytes bounds how much of an answer the client reads.
const maxResponseBytes = 32 << 20

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// send POSTs body to op and decodes a 2xx answer into out, retrying as cc.retry
// allows. body is never changed: every attempt sends the same bytes and is
// stamped afresh over them.
func (c *Client) send(ctx context.Context, cc *callConfig, op *Operation, body []byte, out any) error {
	for attempt := 1; ; attempt++ {
		err := c.attempt(ctx, cc, op, body, out)
		if err == nil {
			return nil
		}
		delay, ok := c.retryDelay(ctx, cc, err, attempt)
		if !ok {
			return err
		}
		c.log(ctx, slog.LevelDebug, "sdk: retrying", slog.String("operation", op.Name),
			slog.Int("attempt", attempt), slog.Duration("delay", delay), slog.String("error", err.Error()))
		if serr := sleep(ctx, delay); serr != nil {
			return err
		}
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

// attempt makes one stamped HTTP request.
func (c *Client) attempt(ctx context.Context, cc *callConfig, op *Operation, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+op.Path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sdk: %s: build request: %w", op.Name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	// Stamping is the last step before sending: the stamp covers exactly
	// these bytes, and a retry gets a stamp of its own.
	name, value, err := cc.stamper.Stamp(ctx, body)
	if err != nil {
		return fmt.Errorf("sdk: %s: stamp request: %w", op.Name, err)
	}
	req.Header.Set(name, value)

	resp, err := c.httpClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &TransportError{Operation: op.Name, Err: err}
	}
	defer resp.Body.Close()

	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if resp.ContentLength > 0 && resp.ContentLength <= maxResponseBytes {
		buf.Grow(int(resp.ContentLength) + 1)
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBytes)); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &TransportError{Operation: op.Name, Err: fmt.Errorf("read response: %w", err)}
	}
	data := buf.Bytes()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := newAPIError(op.Name, resp.StatusCode, bytes.Clone(data), parseRetryAfter(resp.Header.Get("Retry-After"), c.now()))
		c.log(ctx, slog.LevelWarn, "sdk: request failed", slog.String("operation", op.Name),
			slog.Int("status", resp.StatusCode), slog.Int("code", err.Code))
		return err
	}
	if cc.raw != nil {
		*cc.raw = bytes.Clone(data)
	}
	if err := decodeJSON(data, out); err != nil {
		return fmt.Errorf("sdk: %s: decode response: %w", op.Name, err)
	}
	return nil
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
