package sdk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/stamp"
)

// StampRequests returns a request editor that stamps every request of the
// generated client (package gen) over its exact body, for code that uses
// gen.Client or gen.ClientWithResponses directly:
//
//	c, err := gen.NewClientWithResponses(sdk.DefaultBaseURL,
//		gen.WithRequestEditorFn(sdk.StampRequests(key)))
//
// The generated client is plain: it does not poll, retry or turn error
// answers into errors (a 4xx comes back as a response with a nil error).
// Prefer Client unless you need exactly that.
func StampRequests(s stamp.Stamper) gen.RequestEditorFn {
	return func(ctx context.Context, req *http.Request) error {
		if s == nil {
			return errors.New("sdk: StampRequests: nil stamper")
		}
		var body []byte
		if req.Body != nil && req.Body != http.NoBody {
			b, err := io.ReadAll(req.Body)
			if err != nil {
				return fmt.Errorf("sdk: StampRequests: read body: %w", err)
			}
			_ = req.Body.Close()
			body = b
			req.Body = io.NopCloser(bytes.NewReader(body))
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			req.ContentLength = int64(len(body))
		}
		name, value, err := s.Stamp(ctx, body)
		if err != nil {
			return fmt.Errorf("sdk: StampRequests: %w", err)
		}
		req.Header.Set(name, value)
		return nil
	}
}
