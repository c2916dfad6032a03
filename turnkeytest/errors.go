package turnkeytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// gRPC status codes used in error bodies and activity failures.
const (
	codeInvalidArgument    = 3
	codeNotFound           = 5
	codeAlreadyExists      = 6
	codePermissionDenied   = 7
	codeResourceExhausted  = 8
	codeFailedPrecondition = 9
	codeUnimplemented      = 12
	codeInternal           = 13
	codeUnauthenticated    = 16
)

// rpcError is an error answer (HTTP status and rpc status body), or the
// failure of an activity (code and message only).
type rpcError struct {
	status  int
	code    int32
	msg     string
	details []any // error answers only; nil: []
}

func (e *rpcError) Error() string { return e.msg }

func newRPCError(status int, code int32, format string, args ...any) *rpcError {
	return &rpcError{status: status, code: code, msg: "turnkeytest: " + fmt.Sprintf(format, args...)}
}

func invalidArgument(format string, args ...any) *rpcError {
	return newRPCError(http.StatusBadRequest, codeInvalidArgument, format, args...)
}

func notFound(format string, args ...any) *rpcError {
	return newRPCError(http.StatusNotFound, codeNotFound, format, args...)
}

func alreadyExists(format string, args ...any) *rpcError {
	return newRPCError(http.StatusConflict, codeAlreadyExists, format, args...)
}

func permissionDenied(format string, args ...any) *rpcError {
	return newRPCError(http.StatusForbidden, codePermissionDenied, format, args...)
}

func failedPrecondition(format string, args ...any) *rpcError {
	return newRPCError(http.StatusBadRequest, codeFailedPrecondition, format, args...)
}

func unauthenticated(format string, args ...any) *rpcError {
	return newRPCError(http.StatusUnauthorized, codeUnauthenticated, "unauthenticated: "+format, args...)
}

// notSimulated is the answer of every endpoint the simulator does not
// implement (see unimplemented.go).
func notSimulated(endpoint string) error {
	return newRPCError(http.StatusNotImplemented, codeUnimplemented, "%s is not simulated", endpoint)
}

// asRPCError returns err as an *rpcError; any other error is an internal one.
func asRPCError(err error) *rpcError {
	var re *rpcError
	if errors.As(err, &re) {
		return re
	}
	return newRPCError(http.StatusInternalServerError, codeInternal, "internal error: %v", err)
}

// statusBody is the JSON of an error answer: {"code", "message", "details"}.
type statusBody struct {
	Code    int32  `json:"code"`
	Message string `json:"message"`
	Details []any  `json:"details"`
}

// writeError answers err as an rpc status with its HTTP status code.
func writeError(w http.ResponseWriter, err error) {
	re := asRPCError(err)
	writeJSON(w, re.status, statusBody{Code: re.code, Message: re.msg, Details: append([]any{}, re.details...)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
