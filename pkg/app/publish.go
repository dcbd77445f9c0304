package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/task"
)

// PublishRequest is one publish as a client asks for it: every file to
// every account, with one title, description, tags and schedule.
type PublishRequest struct {
	FileIDs []string `json:"file_ids"`
	// ImageFileIDs, instead of FileIDs, make the publish one image note
	// (图文) of these images in order on every account.
	ImageFileIDs []string         `json:"image_file_ids"`
	AccountIDs   []string         `json:"account_ids"`
	Title        string           `json:"title"`
	Description  string           `json:"description"`
	Tags         []string         `json:"tags"`
	CoverFileID  string           `json:"cover_file_id"`
	Schedule     *ScheduleRequest `json:"schedule"`
	Options      PublishOptions   `json:"options"`
}

type ScheduleRequest struct {
	At           *time.Time `json:"at"`
	VideosPerDay *int       `json:"videos_per_day"`
	DailyTimes   []string   `json:"daily_times"`
	StartDays    int        `json:"start_days"`
}

type PublishOptions struct {
	Declaration  string `json:"declaration"`
	ProductLink  string `json:"product_link"`
	ProductTitle string `json:"product_title"`
	ShortTitle   string `json:"short_title"`
	Category     string `json:"category"`
	Draft        bool   `json:"draft"`
	// Collection is the collection (合集) the post joins, by name.
	Collection string `json:"collection"`
	// Visibility (public, unlisted, private) and MadeForKids are YouTube's
	// questions; other platforms refuse them.
	Visibility  string `json:"visibility"`
	MadeForKids *bool  `json:"made_for_kids"`
}

// Limits of one publish request, so one call cannot queue an unbounded batch.
const (
	maxPublishFiles    = 100
	maxPublishAccounts = 100
	maxTitleRunes      = 100
	maxDescRunes       = 5000
	maxTags            = 30
)

// Publish is the one way a publish enters Fanout: POST /api/v1/publish
// and the original web API's /postVideo and /postVideoBatch all call it. It
// validates every request and only when all are valid commits their tasks
// (one per file and account) in one transaction and enqueues them, returning
// the task IDs in order. With more than one request each field name is
// prefixed with the request's index ("[1].title").
func (a *App) Publish(ctx context.Context, reqs ...PublishRequest) ([]string, error) {
	// Refuse a flood before looking anything up.
	total := 0
	for _, req := range reqs {
		total += max(len(req.FileIDs), min(len(req.ImageFileIDs), 1)) * len(req.AccountIDs)
	}
	if total > a.cfg.MaxTasks {
		field := "file_ids"
		if len(reqs) > 1 {
			field = "[]"
		}
		return nil, invalid(field, fmt.Sprintf("this request would create %d tasks (files × accounts); at most %d per request", total, a.cfg.MaxTasks))
	}
	var fe job.FieldErrors
	var nts []job.NewTask
	for i, req := range reqs {
		var one job.FieldErrors
		tasks := a.planPublish(ctx, &one, req)
		for _, f := range one {
			if len(reqs) > 1 {
				f.Field = fmt.Sprintf("[%d].%s", i, f.Field)
			}
			fe = append(fe, f)
		}
		nts = append(nts, tasks...)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	ts, err := a.submit(ctx, nts)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids, nil
}

// planPublish validates one request, adding every problem to fe, and returns
// the tasks it becomes (meaningful only when fe stayed empty). It writes
// nothing.
func (a *App) planPublish(ctx context.Context, fe *job.FieldErrors, req PublishRequest) []job.NewTask {
	var files []job.File
	var images []string
	if len(req.ImageFileIDs) > 0 {
		images = a.checkNote(ctx, fe, req)
	} else {
		files = a.checkFiles(ctx, fe, req.FileIDs)
	}
	accounts := a.checkAccounts(ctx, fe, req.AccountIDs)
	title := strings.TrimSpace(req.Title)
	switch {
	case title == "":
		fe.Add("title", "required")
	case utf8.RuneCountInString(title) > maxTitleRunes:
		fe.Add("title", "at most %d characters", maxTitleRunes)
	default:
		checkText(fe, "title", title, false)
	}
	if utf8.RuneCountInString(req.Description) > maxDescRunes {
		fe.Add("description", "at most %d characters", maxDescRunes)
	} else {
		checkText(fe, "description", req.Description, true)
	}
	tags := cleanTags(fe, req.Tags)
	if req.CoverFileID != "" {
		if f, err := a.lookupFile(ctx, req.CoverFileID); err != nil {
			fe.Add("cover_file_id", "%s", err)
		} else if !strings.HasPrefix(f.ContentType, "image/") {
			fe.Add("cover_file_id", "must be an image uploaded with kind=cover")
		}
	}
	schedule := a.scheduleTimes(fe, req.Schedule, max(len(req.FileIDs), min(len(images), 1)))
	if u := req.Options.ProductLink; u != "" {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			fe.Add("options.product_link", "must be an http(s) URL")
		}
		if strings.TrimSpace(req.Options.ProductTitle) == "" {
			fe.Add("options.product_title", "required with options.product_link")
		}
	}
	for _, o := range []struct{ field, value string }{
		{"options.declaration", req.Options.Declaration}, {"options.short_title", req.Options.ShortTitle},
		{"options.category", req.Options.Category}, {"options.product_title", req.Options.ProductTitle},
		{"options.collection", req.Options.Collection},
	} {
		if utf8.RuneCountInString(o.value) > 50 {
			fe.Add(o.field, "at most 50 characters")
		} else {
			checkText(fe, o.field, o.value, false)
		}
	}
	switch req.Options.Visibility {
	case "", "public", "unlisted", "private":
	default:
		fe.Add("options.visibility", "must be public, unlisted or private")
	}
	if len(req.Options.ProductLink) > 2048 {
		fe.Add("options.product_link", "at most 2048 characters")
	}
	if len(*fe) > 0 {
		return nil
	}
	var nts []job.NewTask
	refused := map[string]bool{}
	if images != nil {
		// An image note is one post: its first image stands in the task's
		// file_id (listings, the file's soft delete), all of them in the
		// request's image_file_ids.
		files = []job.File{{ID: images[0]}}
	}
	for i, f := range files {
		spec := job.PublishSpec{FileID: f.ID, ImageFileIDs: images, Title: title, Description: req.Description, Tags: tags,
			CoverFileID: req.CoverFileID, Declaration: req.Options.Declaration,
			ProductLink: req.Options.ProductLink, ProductTitle: strings.TrimSpace(req.Options.ProductTitle),
			ShortTitle: strings.TrimSpace(req.Options.ShortTitle), Category: strings.TrimSpace(req.Options.Category), Draft: req.Options.Draft,
			Collection: strings.TrimSpace(req.Options.Collection), Visibility: req.Options.Visibility,
			MadeForKids: req.Options.MadeForKids}
		if images != nil {
			spec.FileID = ""
		}
		if schedule != nil {
			at := schedule[i].UTC()
			spec.ScheduleAt = &at
		}
		a.refuse(fe, refused, spec, accounts, req.Schedule)
		for _, a := range accounts {
			fileID := f.ID
			nts = append(nts, job.NewTask{ID: uuid.NewString(), Kind: job.KindPublish, Platform: a.Platform,
				AccountID: a.ID, FileID: &fileID, Request: spec, MaxAttempts: task.Policies[job.KindPublish].MaxAttempts})
		}
	}
	if len(*fe) > 0 {
		return nil
	}
	return nts
}

// refuse adds what the accounts' platforms cannot do with spec (a draft
// where there are none, a schedule out of the platform's window or off its
// grid…), once per field and platform, so nothing is published some other
// way than asked.
func (a *App) refuse(fe *job.FieldErrors, seen map[string]bool, spec job.PublishSpec, accounts []job.Account, sr *ScheduleRequest) {
	for _, acc := range accounts {
		req := spec.PlatformRequest("", spec.CoverFileID)
		req.ImagePaths = spec.ImageFileIDs // only their number counts here
		for _, r := range platform.CapabilitiesOf(acc.Platform).Refusals(req, a.cfg.Now()) {
			field := r.Field
			if field == "schedule" {
				field = "schedule.daily_times"
				if sr != nil && sr.At != nil {
					field = "schedule.at"
				}
			}
			msg := fmt.Sprintf("%s: %s", acc.Platform, r.Reason)
			if !seen[field+msg] {
				seen[field+msg] = true
				fe.Add(field, "%s", msg)
			}
		}
	}
}

func (a *App) lookupFile(ctx context.Context, id string) (job.File, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return job.File{}, fmt.Errorf("not a UUID")
	}
	f, err := a.store.GetFile(ctx, u.String())
	if job.ErrorCode(err) == job.ENotFound {
		return f, fmt.Errorf("no such file")
	}
	return f, err
}

func (a *App) checkFiles(ctx context.Context, fe *job.FieldErrors, ids []string) []job.File {
	if len(ids) == 0 {
		fe.Add("file_ids", "at least one file is required")
		return nil
	}
	if len(ids) > maxPublishFiles {
		fe.Add("file_ids", "at most %d files per request", maxPublishFiles)
		return nil
	}
	out := make([]job.File, 0, len(ids))
	seen := map[string]bool{}
	for i, id := range ids {
		f, err := a.lookupFile(ctx, id)
		switch {
		case err != nil:
			fe.Add(fmt.Sprintf("file_ids[%d]", i), "%s", err)
		case seen[f.ID]:
			// The same video twice to the same accounts is a double post.
			fe.Add(fmt.Sprintf("file_ids[%d]", i), "listed twice")
		case !strings.HasPrefix(f.ContentType, "video/"):
			fe.Add(fmt.Sprintf("file_ids[%d]", i), "is not a video")
		default:
			seen[f.ID] = true
			out = append(out, f)
		}
	}
	return out
}

func (a *App) checkAccounts(ctx context.Context, fe *job.FieldErrors, ids []string) []job.Account {
	if len(ids) == 0 {
		fe.Add("account_ids", "at least one account is required")
		return nil
	}
	if len(ids) > maxPublishAccounts {
		fe.Add("account_ids", "at most %d accounts per request", maxPublishAccounts)
		return nil
	}
	seen := map[string]bool{}
	out := make([]job.Account, 0, len(ids))
	for i, id := range ids {
		field := fmt.Sprintf("account_ids[%d]", i)
		u, err := uuid.Parse(id)
		if err != nil {
			fe.Add(field, "not a UUID")
			continue
		}
		if seen[u.String()] {
			fe.Add(field, "listed twice")
			continue
		}
		seen[u.String()] = true
		a, err := a.store.GetAccount(ctx, u.String())
		if err != nil {
			fe.Add(field, "no such account")
			continue
		}
		out = append(out, a)
	}
	return out
}

// cleanTags strips a leading '#', drops empty entries and checks limits.
func cleanTags(fe *job.FieldErrors, in []string) []string {
	if len(in) > maxTags {
		fe.Add("tags", "at most %d tags", maxTags)
		return nil
	}
	var out []string
	for i, t := range in {
		t = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(t), "#＃"))
		switch {
		case t == "":
			fe.Add(fmt.Sprintf("tags[%d]", i), "empty tag")
		case strings.IndexFunc(t, unicode.IsSpace) >= 0 || strings.ContainsAny(t, "#＃"):
			fe.Add(fmt.Sprintf("tags[%d]", i), "a tag is one word without spaces or #")
		case utf8.RuneCountInString(t) > 50:
			fe.Add(fmt.Sprintf("tags[%d]", i), "at most 50 characters")
		case !checkText(fe, fmt.Sprintf("tags[%d]", i), t, false):
		default:
			out = append(out, t)
		}
	}
	return out
}

// scheduleTimes returns one publish time per file, or nil for "now". Every
// time must be at least job.MinScheduleLead ahead, the platforms' minimum.
func (a *App) scheduleTimes(fe *job.FieldErrors, r *ScheduleRequest, n int) []time.Time {
	if r == nil {
		return nil
	}
	now := a.cfg.Now()
	earliest := now.Add(job.MinScheduleLead)
	daily := r.VideosPerDay != nil || len(r.DailyTimes) > 0
	switch {
	case r.At != nil && daily:
		fe.Add("schedule", "give either at or videos_per_day/daily_times, not both")
		return nil
	case r.At != nil:
		if r.At.Before(earliest) {
			fe.Add("schedule.at", "must be at least %s in the future (earliest %s)", job.MinScheduleLead, earliest.In(a.cfg.Location).Format(time.RFC3339))
			return nil
		}
		out := make([]time.Time, n)
		for i := range out {
			out[i] = *r.At
		}
		return out
	case daily:
		d := job.DailySchedule{StartDays: r.StartDays}
		if r.VideosPerDay != nil {
			d.VideosPerDay = *r.VideosPerDay
		}
		for i, t := range r.DailyTimes {
			ct, err := job.ParseClock(t)
			if err != nil {
				fe.Add(fmt.Sprintf("schedule.daily_times[%d]", i), "%s", err)
				continue
			}
			d.Times = append(d.Times, ct)
		}
		before := len(*fe)
		d.Validate(fe, "schedule.")
		if len(*fe) > before || len(d.Times) != len(r.DailyTimes) {
			return nil
		}
		out := d.At(n, now, a.cfg.Location)
		for _, t := range out {
			if t.Before(earliest) {
				fe.Add("schedule.daily_times", "%s is less than %s ahead; use start_days or a later time", t.Format("2006-01-02 15:04"), job.MinScheduleLead)
				return nil
			}
		}
		return out
	default:
		fe.Add("schedule", "give at, or videos_per_day and daily_times")
		return nil
	}
}
