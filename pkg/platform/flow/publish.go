package flow

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// Reporter reports a publish step to the caller's progress callback; an
// error from the callback ends the publish.
type Reporter func(step platform.Step, pct int) error

// Run is one Publish call as its steps see it.
type Run struct {
	// Req is the request being published; it passed validation.
	Req platform.PublishRequest
	// FileInput is the selector of the input the video is chosen with.
	FileInput string
	// Report reports progress; Upload reports the upload's percentage.
	Report Reporter
}

// Steps are one platform's publish, in the order Publish runs them.
type Steps struct {
	// Rules are what the platform refuses before the page is touched,
	// beyond the checks every platform makes (see Page.Validate).
	Rules Rules
	// Validate, when set, checks what else the platform refuses before
	// the page is touched, once the request passed Rules.
	Validate func(req platform.PublishRequest, now time.Time) error
	// Landing is the upload page, which Publish opens (Page.OpenUpload)
	// to find the file input, unless Open is set.
	Landing Landing
	// Open, when set, opens the upload page instead and sets
	// Run.FileInput.
	Open func(ctx context.Context, r *Run) error
	// Form, when set, waits after the video was chosen until the form can
	// be filled.
	Form func(ctx context.Context, r *Run) error
	// Fill types the text while the video uploads.
	Fill func(ctx context.Context, r *Run) error
	// Upload waits for the upload to finish (see Page.WaitUpload).
	Upload func(ctx context.Context, r *Run) error
	// Options sets what the form needs after the upload (see
	// Page.FillOptions).
	Options func(ctx context.Context, r *Run) error
	// Submit makes the final click and returns the URL of the page that
	// confirms the publish (see Page.Submit).
	Submit func(ctx context.Context, r *Run) (string, error)
}

// Publish validates req and runs s in order: open the upload page, choose
// the video (in any frame when the page looks through frames), wait for the
// form, fill the text, wait for the upload, set the options, submit. It
// reports StepOpened, StepUploading, StepUploaded, StepFilled, then
// StepSubmitted before the final click (so an onProgress error aborts
// before anything is public) and StepPublished after it.
func (p *Page) Publish(ctx context.Context, to Timeouts, req platform.PublishRequest, onProgress func(platform.Progress) error, s Steps) (platform.PublishResult, error) {
	var res platform.PublishResult
	now := time.Now()
	if err := p.Validate(req, now, s.Rules); err != nil {
		return res, err
	}
	// What the platform cannot do (its capabilities, the same the API and
	// the worker check) is refused before the page is touched.
	if rs := platform.CapabilitiesOf(platform.Name(p.name)).Refusals(req, now); len(rs) > 0 {
		return res, p.Invalid("%s: %s", rs[0].Field, rs[0].Reason)
	}
	if s.Validate != nil {
		if err := s.Validate(req, now); err != nil {
			return res, err
		}
	}
	r := &Run{Req: req, Report: func(step platform.Step, pct int) error {
		if err := onProgress(platform.Progress{Step: step, Percent: pct}); err != nil {
			return fmt.Errorf("%s: publish: progress: %w", p.name, err)
		}
		return nil
	}}
	open := s.Open
	if open == nil {
		open = func(ctx context.Context, r *Run) (err error) {
			r.FileInput, err = p.OpenUpload(ctx, to, s.Landing)
			return err
		}
	}
	choose := func(ctx context.Context, r *Run) error {
		if err := p.setFiles(ctx, to.Element, "upload.file", r.FileInput, r.Req.Media()...); err != nil {
			return p.StepErr(ctx, "choose "+r.Req.MediaName(), err)
		}
		if s.Form == nil {
			return nil
		}
		return s.Form(ctx, r)
	}
	for _, step := range []struct {
		run    func(context.Context, *Run) error
		report platform.Step
		pct    int
	}{
		{open, platform.StepOpened, 0},
		{choose, platform.StepUploading, 0},
		{s.Fill, "", 0},
		{s.Upload, platform.StepUploaded, 100},
		{s.Options, platform.StepFilled, 0},
	} {
		if err := step.run(ctx, r); err != nil {
			return res, err
		}
		if step.report == "" {
			continue
		}
		if err := r.Report(step.report, step.pct); err != nil {
			return res, err
		}
	}
	if err := r.Report(platform.StepSubmitted, 0); err != nil {
		return res, err
	}
	url, err := s.Submit(ctx, r)
	if err != nil {
		return res, err
	}
	res.URL = url
	if err := r.Report(platform.StepPublished, 0); err != nil {
		return res, err
	}
	return res, nil
}

// setFiles sets the files of the file input css, waiting for it at most
// timeout; on a page that looks through frames the input may be in any of
// them.
func (p *Page) setFiles(ctx context.Context, timeout time.Duration, step, css string, paths ...string) error {
	if p.frames {
		return browser.SetFilesJS(ctx, timeout, step, css, p.Expr(fmt.Sprintf(`q(%s)`, browser.JS(css))), paths...)
	}
	return browser.SetFiles(ctx, timeout, step, css, paths...)
}

// Option is one step of the form after the upload.
type Option struct {
	// Op names the step in errors and warnings ("cover").
	Op string
	// When is whether the step runs.
	When bool
	// Default marks a step the user did not ask for (a default the driver
	// applies, such as the AI declaration): when it fails it is skipped
	// and recorded as a warning (platform.Warn) instead of failing the
	// publish. A step the user asked for that fails fails the publish,
	// naming the step.
	Default bool
	// Run fills the step.
	Run func(ctx context.Context) error
}

// FillOptions runs the options whose When is true, in order. A failed
// Default step is skipped with a warning (after clear(), which closes what
// it left open); any other failure is reported as the step's (see StepErr).
// A session that expired or a cancel is never skipped.
func (p *Page) FillOptions(ctx context.Context, opts ...Option) error {
	for _, o := range opts {
		if !o.When {
			continue
		}
		err := o.Run(ctx)
		if err == nil {
			continue
		}
		err = p.StepErr(ctx, o.Op, err)
		if !o.Default || ctx.Err() != nil || errors.Is(err, platform.ErrLoginRequired) {
			return err
		}
		platform.Warn(ctx, o.Op, err.Error())
		_, _ = Eval[bool](ctx, p, `(clear(), true)`)
	}
	return nil
}

// Declare is the option that picks the declaration decl with declare; an
// empty decl means none. asked says whether the request named it (else it
// is the driver's default, skipped with a warning if it fails).
func Declare(decl string, asked bool, declare func(ctx context.Context, decl string) error) Option {
	return Option{Op: "declaration", When: decl != "", Default: !asked,
		Run: func(ctx context.Context) error { return declare(ctx, decl) }}
}

// Cover is the option that uploads the request's cover with cover, when it
// names one.
func Cover(req platform.PublishRequest, cover func(ctx context.Context, path string) error) Option {
	return Option{Op: "cover", When: req.CoverPath != "", Run: func(ctx context.Context) error { return cover(ctx, req.CoverPath) }}
}

// Schedule is the option that sets the request's schedule with schedule,
// when it has one.
func Schedule(req platform.PublishRequest, schedule func(ctx context.Context, at time.Time) error) Option {
	return Option{Op: "schedule", When: !req.ScheduleAt.IsZero(), Run: func(ctx context.Context) error { return schedule(ctx, req.ScheduleAt) }}
}

// Landing is a page only a logged-in tab can use, and how to tell.
type Landing struct {
	// URL is the page.
	URL string
	// What names what the page should show, in the *web.SelectorError
	// of a timeout.
	What string
	// Found is a JavaScript expression yielding a non-empty string (such
	// as the selector of the file input it found) once the page shows what
	// a logged-in tab sees, "" until then.
	Found string
	// Login is a JavaScript expression, true when the tab shows a login
	// page instead. Default isLogin().
	Login string
	// Name names the page in OpenUpload's errors ("upload page").
	Name string
}

// OpenState is what a Landing shows.
type OpenState struct {
	URL   string `json:"url"`
	Ready bool   `json:"ready"`
	Login bool   `json:"login"`
	Found string `json:"found"`
}

// Open navigates to l.URL and waits, for at most to.Element, until the page
// shows l.Found or, loaded, a login page. Errors are the navigation's or
// the wait's, unwrapped.
func (p *Page) Open(ctx context.Context, to Timeouts, step string, l Landing) (OpenState, error) {
	if err := browser.Navigate(ctx, to.Page, step, l.URL); err != nil {
		return OpenState{}, err
	}
	return p.Await(ctx, to, step, l)
}

// Await is Open on the page the tab already shows.
func (p *Page) Await(ctx context.Context, to Timeouts, step string, l Landing) (OpenState, error) {
	login := l.Login
	if login == "" {
		login = "isLogin()"
	}
	probe := fmt.Sprintf(`({url: location.href, ready: document.readyState !== 'loading', login: !!(%s), found: (%s) || ''})`, login, l.Found)
	var st OpenState
	err := browser.Until(ctx, to.Element, step, l.What, func(ctx context.Context) (bool, error) {
		var err error
		st, err = Eval[OpenState](ctx, p, probe)
		return err == nil && (st.Found != "" || (st.Ready && st.Login)), err
	})
	return st, err
}

// CheckLogin implements platform.Driver's CheckLogin for a site whose
// landing l shows a logged-in tab: the session is valid when l shows what
// it should and no login page.
func (p *Page) CheckLogin(ctx context.Context, to Timeouts, l Landing) (bool, error) {
	l.What += " or login page"
	st, err := p.Open(ctx, to, "check-login", l)
	if err != nil {
		return false, fmt.Errorf("%s: check login: %w", p.name, err)
	}
	return st.Found != "" && !st.Login, nil
}

// OpenUpload opens the upload page l and returns what l.Found found; a
// redirect to a login page is platform.ErrLoginRequired.
func (p *Page) OpenUpload(ctx context.Context, to Timeouts, l Landing) (string, error) {
	op := "open " + l.Name
	if err := browser.Navigate(ctx, to.Page, "upload.open", l.URL); err != nil {
		return "", fmt.Errorf("%s: %s: %w", p.name, op, err)
	}
	st, err := p.Await(ctx, to, "upload.open", l)
	if err != nil {
		return "", p.StepErr(ctx, op, err)
	}
	if st.Found == "" {
		return "", fmt.Errorf("%s: %s: redirected to %s: %w", p.name, op, st.URL, platform.ErrLoginRequired)
	}
	return st.Found, nil
}

// UploadState is one look at an upload in progress.
type UploadState struct {
	// Done: the upload and processing are over.
	Done bool `json:"done"`
	// Failed: the page shows a failure not seen before (probes mark the
	// failure they report so that a retry is not triggered twice).
	Failed bool `json:"failed"`
	// Login: the tab was sent to the login page.
	Login bool `json:"login"`
	// Blocked: the page asks for something only a person can do (see
	// Upload.Blocked).
	Blocked bool `json:"blocked"`
	// Progress is the text that shows the percentage, if any.
	Progress string `json:"progress"`
}

// Upload is how to watch one site's upload.
type Upload struct {
	// What names the awaited state in the *web.SelectorError of a
	// timeout.
	What string
	// Probe is a JavaScript expression yielding an UploadState.
	Probe string
	// Percent finds the percentage in UploadState.Progress (its first
	// group).
	Percent *regexp.Regexp
	// Failure names the failure in the error after the last retry.
	Failure string
	// Retry chooses the file again after a failure.
	Retry func(ctx context.Context) error
	// Blocked is the error for UploadState.Blocked, given the step.
	Blocked func(op string) error
}

// WaitUpload waits, for at most timeout in all, until the upload is done,
// reporting each new percentage the page shows as StepUploading. Each time
// the page shows a failure it runs u.Retry, up to retries times; then it
// fails with platform.ErrUploadFailed. The login page is
// platform.ErrLoginRequired.
func (p *Page) WaitUpload(ctx context.Context, timeout time.Duration, retries int, u Upload, report Reporter) error {
	deadline := time.Now().Add(timeout)
	last := -1
	for retried := 0; ; retried++ {
		var (
			st   UploadState
			stop error
		)
		err := browser.Until(ctx, time.Until(deadline), "upload.wait", u.What, func(ctx context.Context) (bool, error) {
			var err error
			st, err = Eval[UploadState](ctx, p, u.Probe)
			if err != nil {
				return false, err
			}
			if st.Done || st.Failed || st.Login || st.Blocked {
				return true, nil
			}
			if m := u.Percent.FindStringSubmatch(st.Progress); m != nil {
				if pct, _ := strconv.Atoi(m[1]); pct != last && pct <= 100 {
					last = pct
					if err := report(platform.StepUploading, pct); err != nil {
						stop = err
						return true, nil
					}
				}
			}
			return false, nil
		})
		switch {
		case stop != nil:
			return stop
		case err != nil:
			return p.StepErr(ctx, "upload", err)
		case st.Login:
			return fmt.Errorf("%s: upload: redirected to the login page: %w", p.name, platform.ErrLoginRequired)
		case st.Blocked:
			return blockedErr(p, u.Blocked, "upload")
		case st.Done:
			return nil
		}
		if retried >= retries {
			return fmt.Errorf("%s: upload: %s after %d retries: %w", p.name, u.Failure, retried, platform.ErrUploadFailed)
		}
		if err := u.Retry(ctx); err != nil {
			return p.StepErr(ctx, "retry upload", err)
		}
	}
}

// Find is where one site lists its posts.
type Find struct {
	// URL is the page that lists the posts.
	URL string
	// Loaded is the CSS of an element that is there once the list is.
	Loaded string
	// Items is the CSS of the elements holding each post's text.
	Items string
	// Links means the items are links to the posts: the result's URL is
	// the link rather than the list page's.
	Links bool
	// Match reports whether an item's text is the post being looked for.
	Match func(text string) bool
}

type listState struct {
	URL    string `json:"url"`
	Login  bool   `json:"login"`
	Loaded bool   `json:"loaded"`
	Posts  []struct {
		Text string `json:"text"`
		Href string `json:"href"`
	} `json:"posts"`
}

// FindPublished implements platform.Driver's FindPublished: it opens the
// list and looks for an item f.Match accepts.
func (p *Page) FindPublished(ctx context.Context, to Timeouts, f Find) (platform.PublishResult, bool, error) {
	var res platform.PublishResult
	if err := browser.Navigate(ctx, to.Page, "find.open", f.URL); err != nil {
		return res, false, fmt.Errorf("%s: find published: %w", p.name, err)
	}
	probe := fmt.Sprintf(`({url: location.href, login: isLogin(), loaded: !!q(%s),
posts: qa(%s).map(el => ({text: (el.innerText || '').trim(), href: %t ? (el.href || '') : ''}))})`,
		browser.JS(f.Loaded), browser.JS(f.Items), f.Links)
	var st listState
	err := browser.Until(ctx, to.Element, "find.list", f.Loaded, func(ctx context.Context) (bool, error) {
		var err error
		st, err = Eval[listState](ctx, p, probe)
		return err == nil && (st.Login || st.Loaded), err
	})
	if err != nil {
		return res, false, p.StepErr(ctx, "find published", err)
	}
	if st.Login {
		return res, false, fmt.Errorf("%s: find published: redirected to the login page: %w", p.name, platform.ErrLoginRequired)
	}
	for _, post := range st.Posts {
		if f.Match(post.Text) {
			url := post.Href
			if url == "" {
				url = st.URL
			}
			return platform.PublishResult{URL: url, Verified: true}, true, nil
		}
	}
	return res, false, nil
}
