package turnkeytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 4 << 20

// serveHTTP is the simulator: routing, fault injection, authentication, then
// the generated strict server.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	start := time.Now()
	s.stats.add(func(x *Stats) { x.Requests++ })

	sw := &statusWriter{ResponseWriter: w}
	if strings.HasPrefix(r.URL.Path, localPrefix) {
		s.serveLocal(sw, r)
		s.logRequest(r, sw.status, "", start)
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		if r.Method != http.MethodPost {
			writeError(sw, newRPCError(http.StatusMethodNotAllowed, codeUnimplemented, "method %s not allowed: the API takes POST only", r.Method))
		} else {
			writeError(sw, s.unknownEndpoint(r.URL.Path))
		}
		s.logRequest(r, sw.status, "", start)
		return
	}

	fault := s.faults.draw()
	if fault != "" {
		s.stats.add(func(x *Stats) { x.Faults[fault]++ })
	}
	switch fault {
	case FaultServerError, FaultRateLimit:
		s.faults.answerFault(sw, fault)
		s.logRequest(r, sw.status, fault, start)
		return
	case FaultSlow:
		t := time.NewTimer(s.faults.cfg.SlowDelay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}

	if fault == FaultDrop {
		buf := newBufferedWriter()
		s.handle(buf, r)
		s.logRequest(r, buf.status, fault, start)
		drop(w)
		return
	}
	s.handle(sw, r)
	s.logRequest(r, sw.status, fault, start)
}

// unknownEndpoint is the answer to a POST to a path that is no endpoint of
// the API: HTTP 404 like any unknown route, but rpc code 12 (UNIMPLEMENTED,
// the gRPC code of an unknown method) rather than 5, and a message naming
// the path, so that a client tells it from "organization not found". A
// name that exists under the other prefix (query/submit) is pointed to.
func (s *Server) unknownEndpoint(path string) error {
	name := path[strings.LastIndex(path, "/")+1:]
	for _, op := range s.ops {
		if op.Name == name && name != "" {
			return newRPCError(http.StatusNotFound, codeUnimplemented,
				"%s is not an endpoint of the Turnkey API: %s is POST %s", path, name, op.Path)
		}
	}
	return newRPCError(http.StatusNotFound, codeUnimplemented,
		"%s is not an endpoint of the Turnkey API (endpoints are POST /public/v1/query/<name> and /public/v1/submit/<name>)", path)
}

// handle reads and authenticates the request, then hands it to the strict
// server with the authenticated call in its context.
func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, newRPCError(http.StatusRequestEntityTooLarge, codeInvalidArgument, "request body larger than %d bytes", maxBodyBytes))
		} else {
			writeError(w, invalidArgument("reading request body: %v", err))
		}
		return
	}
	c, err := s.authenticate(r, body, time.Now())
	if err != nil {
		writeError(w, err)
		return
	}
	r2 := r.WithContext(context.WithValue(r.Context(), callKey{}, c))
	r2.Body = io.NopCloser(bytes.NewReader(body))
	s.mux.ServeHTTP(w, r2)
}

// withOperation is the strict server's middleware: it tells the handlers
// which operation of the spec they serve.
func (s *Server) withOperation(f gen.StrictHandlerFunc, operationID string) gen.StrictHandlerFunc {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
		op, ok := lookupOperation(s.ops, operationID)
		if !ok {
			return nil, fmt.Errorf("operation %s is not in the spec", operationID)
		}
		if c, ok := ctx.Value(callKey{}).(*call); ok {
			c.op = op
		}
		return f(ctx, w, r, req)
	}
}

func (s *Server) logRequest(r *http.Request, status int, fault FaultKind, start time.Time) {
	if fault != "" {
		s.logger.Info("turnkeytest: injected fault", "path", r.URL.Path, "fault", string(fault), "status", status)
		return
	}
	s.logger.Debug("turnkeytest: request", "path", r.URL.Path, "status", status, "duration", time.Since(start))
}

// statusWriter remembers the status code written, for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
