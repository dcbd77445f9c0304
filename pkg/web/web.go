// Package web holds what the browser adapter and the site drivers must agree
// on without depending on each other: cookies (and the storage-state file
// that carries them between tools) and the error for an element that never
// appeared. It sits at the bottom of the import graph with job and platform,
// so pkg/browser needs nothing from pkg/platform.
package web

import "fmt"

// Cookie is a browser cookie in a form independent of the browser library, so
// it can be stored encrypted and loaded into any browser context.
type Cookie struct {
	Name     string  `json:"name"`
	Value    string  `json:"value"`
	Domain   string  `json:"domain"`
	Path     string  `json:"path"`
	Expires  float64 `json:"expires"` // Unix seconds; -1 or 0 for a session cookie
	HTTPOnly bool    `json:"httpOnly"`
	Secure   bool    `json:"secure"`
	SameSite string  `json:"sameSite,omitempty"`
}

// SelectorError reports that an element a step waits for did not appear in
// time: the page changed or never loaded. It names the step so the user (and
// whoever updates the selectors) knows where the flow broke.
type SelectorError struct {
	Step     string
	Selector string
	Err      error
}

// Error implements error.
func (e *SelectorError) Error() string {
	return fmt.Sprintf("platform: step %s: selector %q not found: %v", e.Step, e.Selector, e.Err)
}

// Unwrap returns the underlying cause (usually a deadline).
func (e *SelectorError) Unwrap() error { return e.Err }
