//go:build tools

// Package tools pins the code generators this module runs, so that
// `go run` uses the exact versions recorded in go.mod and go.sum.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"

	// Temporary while the packages that use them are being written.
	_ "github.com/decred/dcrd/dcrec/secp256k1/v4"
	_ "github.com/getkin/kin-openapi/openapi3"
	_ "github.com/oapi-codegen/runtime"
	_ "github.com/stretchr/testify/require"
)
