package platform

import (
	"context"
	"errors"
)

// A person in the loop. When a site asks for something a headless browser
// cannot give (an SMS code, a real-name check, a captcha, a confirmation on
// the phone), the driver asks the person behind the task through the API and
// waits, and the same attempt goes on with the answer: no second upload, no
// second post.

// Verification kinds.
const (
	VerifySMSCode      = "sms_code"      // type the code the site sent by SMS
	VerifyRealName     = "real_name"     // finish a real-name check on the phone
	VerifyCaptcha      = "captcha"       // solve the captcha shown in the screenshot
	VerifyConfirmPhone = "confirm_phone" // confirm on the phone's app
)

// StepVerificationRequired is the step a task records while it waits for a
// person.
const StepVerificationRequired Step = "verification_required"

// Prompt is what a driver asks a person.
type Prompt struct {
	// Kind is one of the Verify* kinds.
	Kind string
	// Text is the site's own question, for the person.
	Text string
	// Screenshot is what the page shows, as a data URL (image/png).
	Screenshot string
}

// Answer is the person's reply: the code they typed, or Done for a check
// finished out of band (on the phone).
type Answer struct {
	Code string `json:"code,omitempty"`
	Done bool   `json:"done,omitempty"`
}

// Asker puts a prompt to a person and waits (bounded) for the answer.
type Asker func(ctx context.Context, p Prompt) (Answer, error)

// Errors of a verification.
var (
	// ErrVerificationTimeout: nobody answered in time. Permanent: the page
	// has moved on, the next attempt would ask again.
	ErrVerificationTimeout = errors.New("platform: verification not answered in time")
	// ErrNoAsker: the driver needs a person but nobody can be asked.
	ErrNoAsker = errors.New("platform: the site asks for a verification and nobody can be asked")
)

type askerKey struct{}

// WithAsker returns ctx carrying ask, for the driver running in it.
func WithAsker(ctx context.Context, ask Asker) context.Context {
	return context.WithValue(ctx, askerKey{}, ask)
}

// Ask puts p to the person behind the task running in ctx and waits for
// the answer. Without an asker it fails with ErrNoAsker.
func Ask(ctx context.Context, p Prompt) (Answer, error) {
	ask, _ := ctx.Value(askerKey{}).(Asker)
	if ask == nil {
		return Answer{}, ErrNoAsker
	}
	return ask(ctx, p)
}

// Warning is a step the user did not ask for (a default declaration or AI
// label, a disclosure, a topic with no suggestion, a cover crop) that failed
// and was skipped: the publish went on without it, and the task says so.
type Warning struct {
	Step   string `json:"step"`
	Reason string `json:"reason"`
	// Artifact names the screenshot taken when it failed, if any.
	Artifact string `json:"artifact,omitempty"`
}

// Warner records a warning for the task running in ctx.
type Warner func(ctx context.Context, w Warning)

type warnerKey struct{}

// WithWarner returns ctx carrying warn, for the driver running in it.
func WithWarner(ctx context.Context, warn Warner) context.Context {
	return context.WithValue(ctx, warnerKey{}, warn)
}

// Warn records that step failed for reason and was skipped. Without a
// warner (a driver run outside a task) it does nothing.
func Warn(ctx context.Context, step, reason string) {
	if w, _ := ctx.Value(warnerKey{}).(Warner); w != nil {
		w(ctx, Warning{Step: step, Reason: reason})
	}
}
