package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const pkg = "example.com/m"

func events(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func TestCheck(t *testing.T) {
	allowed := map[string]bool{pkg + " TestMachine": true}
	for name, tc := range map[string]struct {
		in         string
		ok         bool
		unexpected []string
	}{
		"all passed": {events(
			`{"Action":"run","Package":"`+pkg+`","Test":"TestA"}`,
			`{"Action":"pass","Package":"`+pkg+`","Test":"TestA"}`,
			`{"Action":"pass","Package":"`+pkg+`"}`,
		), true, nil},
		"allowed skip": {events(
			`{"Action":"skip","Package":"`+pkg+`","Test":"TestMachine"}`,
			`{"Action":"pass","Package":"`+pkg+`"}`,
		), true, nil},
		"unexpected skip": {events(
			`{"Action":"output","Package":"`+pkg+`","Test":"TestSeeds","Output":"    x_test.go:9: seeds not found\n"}`,
			`{"Action":"skip","Package":"`+pkg+`","Test":"TestSeeds"}`,
			`{"Action":"pass","Package":"`+pkg+`"}`,
		), false, []string{pkg + " TestSeeds"}},
		"skipped benchmark": {events(
			`{"Action":"output","Package":"`+pkg+`","Output":"--- SKIP: BenchmarkWhoami\n"}`,
			`{"Action":"pass","Package":"`+pkg+`"}`,
		), false, []string{pkg + " BenchmarkWhoami"}},
		"failure": {events(
			`{"Action":"fail","Package":"`+pkg+`","Test":"TestA"}`,
			`{"Action":"fail","Package":"`+pkg+`"}`,
		), false, nil},
		"build failure": {events(
			`{"ImportPath":"`+pkg+` [`+pkg+`.test]","Action":"build-output","Output":"x_test.go:3:1: syntax error\n"}`,
			`{"Action":"fail","Package":"`+pkg+`","FailedBuild":"`+pkg+` [`+pkg+`.test]"}`,
		), false, nil},
		"package without tests": {events(
			`{"Action":"skip","Package":"` + pkg + `"}`,
		), true, nil},
	} {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			res, err := check(strings.NewReader(tc.in), &out, allowed)
			require.NoError(t, err)
			assert.Equal(t, tc.ok, res.ok(), out.String())
			assert.Equal(t, tc.unexpected, res.unexpectedSkips)
		})
	}
}

func TestAllowListParses(t *testing.T) {
	allowed, err := readAllowed("allowed.txt")
	require.NoError(t, err)
	assert.NotEmpty(t, allowed)
}

func TestBuildErrorsShown(t *testing.T) {
	in := events(
		`{"ImportPath":"`+pkg+` [`+pkg+`.test]","Action":"build-output","Output":"x_test.go:3:1: syntax error\n"}`,
		`{"Action":"fail","Package":"`+pkg+`","FailedBuild":"`+pkg+` [`+pkg+`.test]"}`,
	)
	var out strings.Builder
	res, err := check(strings.NewReader(in), &out, nil)
	require.NoError(t, err)
	assert.False(t, res.ok())
	assert.Contains(t, out.String(), "x_test.go:3:1: syntax error")
	assert.Contains(t, out.String(), "FAIL\t"+pkg)
}
