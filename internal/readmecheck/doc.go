// Package readmecheck holds the test that keeps the README's Go snippets
// true: every ```go block of README.md is compiled and vetted against this
// module (see readme_test.go). It has no code of its own.
package readmecheck
