package taskhandler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/job"
	"fanout/pkg/metrics"
	"fanout/pkg/platform"
	"fanout/pkg/postgres"
)

// errUnconfirmed: a retry after "submitted" did not find the post. Posting
// again could publish twice, so the task fails and says so.
var errUnconfirmed = errors.New("the publish button was clicked in an earlier attempt but the post is not on the platform's manage page; check the account before publishing again")

// progressOf maps a step to the task's overall progress percentage.
func progressOf(p platform.Progress) int {
	switch p.Step {
	case platform.StepOpened:
		return 5
	case platform.StepUploading:
		return 10 + p.Percent*6/10
	case platform.StepUploaded:
		return 70
	case platform.StepFilled:
		return 80
	case platform.StepSubmitted:
		return 90
	case platform.StepPublished:
		return 100
	}
	return 0
}

// PublishResult is a publish task's result.
type PublishResult struct {
	platform.PublishResult
	Artifacts []string `json:"artifacts,omitempty"`
	// CancelNote says a cancel came too late: the post went out.
	CancelNote string `json:"cancel_note,omitempty"`
	// Warnings are the steps the user did not ask for that failed and
	// were skipped.
	Warnings []platform.Warning `json:"warnings,omitempty"`
}

func (h *Handler) publish(ctx context.Context, log *slog.Logger, d platform.Driver, t job.Task, r *run) (any, error) {
	var spec job.PublishSpec
	if err := json.Unmarshal(t.Request, &spec); err != nil {
		return nil, permanent(job.CodeInvalidRequest, fmt.Errorf("stored request: %w", err))
	}
	images, err := h.imagePaths(ctx, spec.ImageFileIDs)
	if err != nil {
		return nil, err
	}
	var f job.File
	if images == nil {
		if f, err = h.store.TaskFile(ctx, spec.FileID); job.ErrorCode(err) == job.ENotFound {
			return nil, permanent(job.CodeInvalidRequest, errors.New("the video file was deleted"))
		} else if err != nil {
			return nil, err
		}
	}
	req := spec.PlatformRequest(h.files.Path(f.StoredName), "")
	if images != nil {
		req.VideoPath, req.ImagePaths = "", images
	}
	if spec.CoverFileID != "" {
		cf, err := h.store.TaskFile(ctx, spec.CoverFileID)
		if err != nil {
			return nil, permanent(job.CodeInvalidRequest, errors.New("the cover file was deleted"))
		}
		req.CoverPath = h.files.Path(cf.StoredName)
	}
	// What the platform cannot do is refused again here (the API refused it
	// already; a request stored before a rule changed still must not be
	// published some other way than asked).
	if !postgres.PastPublishClick(t.Step) {
		if rs := platform.CapabilitiesOf(t.Platform).Refusals(req, time.Now()); len(rs) > 0 {
			return nil, permanent(job.CodeInvalidRequest, fmt.Errorf("%s: %s: %s", t.Platform, rs[0].Field, rs[0].Reason))
		}
	}
	cookies, proxy, err := h.store.AccountSecrets(ctx, t.AccountID)
	if err != nil {
		return nil, err
	}
	if len(cookies) == 0 {
		return nil, fmt.Errorf("account has never logged in: %w", platform.ErrLoginRequired)
	}
	tab, release, err := h.publishSession(ctx, t, browser.SessionOptions{Cookies: cookies, Proxy: proxy})
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() { release(keep) }()
	tab = platform.WithAsker(tab, h.asker(t, r, log))
	var warnings []platform.Warning
	tab = platform.WithWarner(tab, h.warner(t, &warnings, log))

	var res platform.PublishResult
	if t.Step == string(platform.StepSubmitted) || t.Step == string(platform.StepPublished) {
		// An earlier attempt may have clicked publish: look, never post again.
		log.Info("earlier attempt reached submitted; verifying on the platform")
		found, ok, ferr := d.FindPublished(tab, req)
		switch {
		case ferr != nil:
			err = ferr
		case !ok:
			err = permanent(job.CodePublishUnconfirmed, errUnconfirmed)
		default:
			res, err = found, nil
			res.Verified = true
			// The verified post is the published step, as after a watched publish.
			if serr := h.store.SetStep(ctx, t.ID, h.cfg.WorkerID, string(platform.StepPublished), 100, "found on the platform"); serr != nil {
				log.Warn("record published step", "err", serr)
			}
		}
	} else {
		last, lastStep := time.Now(), ""
		res, err = d.Publish(tab, req, func(p platform.Progress) error {
			if string(p.Step) != lastStep {
				if lastStep != "" {
					metrics.Since(metrics.StepDuration.WithLabelValues(string(t.Platform), lastStep), last)
				}
				last, lastStep = time.Now(), string(p.Step)
			}
			r.at(string(p.Step), progressOf(p))
			if p.Step == platform.StepSubmitted {
				return h.beforeClick(ctx, t, r, p)
			}
			return h.store.SetStep(ctx, t.ID, h.cfg.WorkerID, string(p.Step), progressOf(p), p.Message)
		})
	}
	if err != nil {
		if errors.Is(err, platform.ErrLoginRequired) {
			if serr := h.expired(context.WithoutCancel(ctx), t.AccountID); serr != nil {
				log.Warn("mark account expired", "err", serr)
			}
		}
		return PublishResult{Artifacts: h.keepArtifacts(tab, t, err, log), Warnings: warnings}, err
	}
	h.saveCookies(ctx, tab, t, log)
	// The account's next publish already waits: hand it this context.
	if _, next, err := h.store.NextQueued(ctx, t.AccountID); err == nil && next {
		keep = true
	}
	return PublishResult{PublishResult: res, Warnings: warnings}, nil
}

// beforeClick is the last safe point of a publish: the driver reports
// StepSubmitted right before it clicks publish. A cancel seen here stops the
// attempt with nothing posted; after it, a cancel can no longer stop the post
// (see run). The step is recorded before the click, so a retry verifies.
func (h *Handler) beforeClick(ctx context.Context, t job.Task, r *run, p platform.Progress) error {
	canceled, err := h.store.Heartbeat(ctx, t.ID, h.cfg.WorkerID)
	if err != nil {
		return err
	}
	if canceled {
		r.userCancel()
		return errCanceled
	}
	if err := h.store.SetStep(ctx, t.ID, h.cfg.WorkerID, string(p.Step), progressOf(p), p.Message); err != nil {
		return err
	}
	return r.passClick()
}

// saveCookies stores the refreshed cookies after a successful task, so a
// session the platform extended stays extended.
func (h *Handler) saveCookies(ctx context.Context, tab context.Context, t job.Task, log *slog.Logger) {
	cookies, err := tabCookies(tab)
	if err == nil && len(cookies) > 0 {
		err = h.store.SaveCookies(ctx, t.AccountID, cookies, job.AccountActive, false)
	}
	if err != nil {
		log.Warn("save refreshed cookies", "err", err)
	}
}
