package youtube

import (
	"context"

	"fanout/pkg/platform"
)

// Login implements platform.Driver by refusing: Google's sign-in asks for a
// password, often a second factor and a check that the browser is not
// automated, which the reference uploader leaves to a person in a headed
// browser (§3.8). The supported way in is importing the cookies of a
// browser logged in to YouTube Studio; the error says how. It is
// ErrInvalidRequest, so the login task fails at once and is not retried.
func (d *Driver) Login(ctx context.Context, _ func(platform.Challenge) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return page.Invalid("login: Google sign-in cannot be automated; import the cookies of a browser logged in to YouTube Studio " +
		"(PUT /api/v1/accounts/{id}/cookies with a Playwright storage state or a cookie array)")
}
