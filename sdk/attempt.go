package sdk

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http/httptrace"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Connections are dialed for requests, but a request takes whichever
// connection is ready first: when many calls overlap, a call that finds no
// idle connection dials one (often only because the connection its previous
// call used has not yet gone back to the pool: net/http's read loop returns
// it a moment after the body is read), a connection that comes free meanwhile
// is handed to it, and the dial, once done, adds a connection nobody needs to
// the pool (net/http's design). Over HTTP/1.1, 64 callers on a cold client
// opened up to 100 connections; against the real API each one is a TCP and a
// TLS handshake.
//
// So the transport New builds keeps a connBudget: the attempts in flight,
// the connections open and those being dialed. Every attempt carries an
// attemptState in its context (a dial's context keeps the values of the
// request it is for), which net/http's GotConn trace hook marks once the
// attempt's request has a connection. A dial (connBudget.dial) first waits,
// for at most dialHold, while there are as many connections, open or being
// dialed, as attempts in flight: one of them is about to serve its attempt.
// If the attempt has a connection by then the dial is left out
// (errConnNotNeeded, which net/http hands to no request); otherwise it goes
// ahead. A request the transport sends again after a connection failed under
// it (GetBody) is unmarked first, so its new dial is not left out.
//
// The request body stays an io.NopCloser around a *bytes.Reader: net/http
// writes the headers and body of such a known in-memory body in one packet,
// and any other type would cost a second one.

// attemptState is the context of one attempt: its parent, and whether the
// attempt's request has a connection.
type attemptState struct {
	context.Context
	budget *connBudget // the client's, counting this attempt; nil for a user's *http.Client
	ended  atomic.Bool
	body   []byte
	trace  httptrace.ClientTrace
	conn   atomic.Bool
}

// attemptKey is the context key of the attemptState.
type attemptKey struct{}

// newAttemptState returns the context of an attempt under parent that sends
// body: an attemptState, with the trace hook that marks it.
func newAttemptState(parent context.Context, budget *connBudget, body []byte) (*attemptState, context.Context) {
	s := &attemptState{Context: parent, budget: budget, body: body}
	if budget != nil {
		budget.inflight.Add(1)
	}
	s.trace.GotConn = func(httptrace.GotConnInfo) { s.conn.Store(true) }
	return s, httptrace.WithClientTrace(s, &s.trace)
}

// end ends the attempt: it no longer counts as in flight.
func (s *attemptState) end() {
	if s.budget != nil && s.ended.CompareAndSwap(false, true) {
		s.budget.inflight.Add(-1)
	}
}

// Value returns s for attemptKey and asks the parent otherwise.
func (s *attemptState) Value(key any) any {
	if key == (attemptKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// getBody is the request's GetBody: net/http calls it to send the request
// again on another connection, for which it may have to dial.
func (s *attemptState) getBody() (io.ReadCloser, error) {
	s.conn.Store(false)
	return io.NopCloser(bytes.NewReader(s.body)), nil
}

// attemptOf returns the attemptState in ctx, or nil.
func attemptOf(ctx context.Context) *attemptState {
	s, _ := ctx.Value(attemptKey{}).(*attemptState)
	return s
}

// errConnNotNeeded is what a dial for an attempt that got another connection
// meanwhile fails with; net/http hands it to no request.
var errConnNotNeeded = errors.New("sdk: connection not dialed: its request got another one")

// dialHold bounds how long a dial waits for a connection about to come free.
// Far shorter than a dial against the real API (a TCP and a TLS handshake),
// far longer than net/http takes to return a connection to its pool.
const dialHold = time.Millisecond

// connBudget counts, for one transport, the attempts in flight and the
// connections open or being dialed.
type connBudget struct {
	inflight, open, dialing atomic.Int64
}

// dial wraps dial as the comment at the top of this file says.
func (b *connBudget) dial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if s := attemptOf(ctx); s != nil {
			ours := s.budget == b
			deadline := time.Now().Add(dialHold)
			for i := 0; ; i++ {
				if s.conn.Load() {
					return nil, errConnNotNeeded
				}
				if i > 0 && (!ours || b.open.Load()+b.dialing.Load() < b.inflight.Load() || time.Now().After(deadline)) {
					break
				}
				if i < 3 {
					runtime.Gosched()
				} else {
					time.Sleep(20 * time.Microsecond)
				}
			}
		}
		b.dialing.Add(1)
		conn, err := dial(ctx, network, addr)
		if err == nil {
			b.open.Add(1)
			conn = &budgetConn{Conn: conn, b: b}
		}
		b.dialing.Add(-1)
		return conn, err
	}
}

// budgetConn is a connection counted in its connBudget until it is closed.
type budgetConn struct {
	net.Conn
	b    *connBudget
	once sync.Once
}

func (c *budgetConn) Close() error {
	c.once.Do(func() { c.b.open.Add(-1) })
	return c.Conn.Close()
}
