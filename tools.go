//go:build tools

// Package tools pins the code generators this module runs, so that
// `go run` uses the exact versions recorded in go.mod and go.sum
// (scripts/regen.sh runs oapi-codegen this way).
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
