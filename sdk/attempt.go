package sdk

import (
	"context"
	"errors"
	"net"
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
// the connections open and those being dialed. Every attempt of that client
// carries its attemptState in its context (a dial's context keeps the values
// of the request it is for). A dial (connBudget.dial) first lets other goroutines
// run, then, while there are as many connections, open or being dialed, as
// attempts in flight, waits for at most dialHold: some connection is idle or
// about to be, and serves the attempt. If the attempt has ended by then, the
// dial is left out (errConnNotNeeded, which net/http hands to no request);
// otherwise it goes ahead. The wait delays no request that the count is right
// about, since that request is served meanwhile; dialHold only bounds how
// long a dial waits if it is wrong.
//
// The attempt's end is the signal, not net/http's GotConn trace hook, which
// would come sooner: the trace costs every call about 1.5 µs (the transport's
// traced paths), more than all the rest of this. Nor does the attempt's body
// mark it: net/http writes the headers and body of an io.NopCloser around a
// *bytes.Reader in one packet, and any other type would cost a second one.

// attemptState is the context of one attempt: its parent, and whether the
// attempt has ended.
type attemptState struct {
	context.Context
	budget *connBudget // the dialer's that counts this attempt
	ended  atomic.Bool
}

// attemptKey is the context key of the attemptState.
type attemptKey struct{}

// newAttemptState returns the state of an attempt under parent, counted in
// budget. It is the attempt's context too.
func newAttemptState(parent context.Context, budget *connBudget) *attemptState {
	budget.inflight.Add(1)
	return &attemptState{Context: parent, budget: budget}
}

// end ends the attempt: it no longer counts as in flight, and no dial is
// made for it. It may be called more than once.
func (s *attemptState) end() {
	if s.ended.CompareAndSwap(false, true) {
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

// attemptOf returns the attemptState in ctx, or nil.
func attemptOf(ctx context.Context) *attemptState {
	s, _ := ctx.Value(attemptKey{}).(*attemptState)
	return s
}

// errConnNotNeeded is what a dial for an attempt that has ended fails with;
// net/http hands it to no request.
var errConnNotNeeded = errors.New("sdk: connection not dialed: its request was served by another one")

// dialHold bounds how long a dial waits while the count says a connection is
// coming free (see above): long enough for a loaded client's round trip to
// end (about 5 ms for each of 64 goroutines sharing two cores), and it only
// matters if the count is wrong.
const dialHold = 20 * time.Millisecond

// connBudget counts, for one transport, the attempts in flight and the
// connections open or being dialed.
type connBudget struct {
	inflight, open, dialing atomic.Int64
	hold                    time.Duration // 0: dialHold
}

// dial wraps dial as the comment at the top of this file says.
func (b *connBudget) dial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		// An attempt of the client that owns this transport; any other dial
		// (a user's client given NewHTTPClient) goes ahead at once.
		if s := attemptOf(ctx); s != nil && s.budget == b {
			hold := b.hold
			if hold == 0 {
				hold = dialHold
			}
			deadline := time.Now().Add(hold)
			for i := 0; ; i++ {
				if s.ended.Load() {
					return nil, errConnNotNeeded
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				if i > 0 && (b.open.Load()+b.dialing.Load() < b.inflight.Load() || time.Now().After(deadline)) {
					break
				}
				if i < 3 {
					runtime.Gosched()
				} else {
					time.Sleep(min(time.Duration(i-2)*20*time.Microsecond, time.Millisecond))
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
