package flow

import (
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform"
)

// MinScheduleLead is how far ahead a scheduled publish must be on every
// platform: the reference uploader's two hours.
const MinScheduleLead = 2 * time.Hour

// Rules are what a platform refuses before its page is touched, beyond the
// checks every platform makes.
type Rules struct {
	// MaxScheduleLead is how far ahead a schedule may be; zero means no
	// limit.
	MaxScheduleLead time.Duration
	// NoDrafts, when set, is the reason the platform refuses drafts.
	NoDrafts string
	// NoScheduledDrafts, when set, is the reason the platform refuses a
	// draft with a schedule; it is checked before anything else.
	NoScheduledDrafts string
}

// Invalid returns a platform.ErrInvalidRequest error prefixed with the
// platform name.
func (p *Page) Invalid(format string, args ...any) error {
	return fmt.Errorf("%s: %s: %w", p.name, fmt.Sprintf(format, args...), platform.ErrInvalidRequest)
}

// Validate checks req against the rules every platform applies and r, so a
// request that can never succeed fails fast and permanently: a video that
// exists (or an image note's images), a cover that exists when one is named, a title, no draft where
// drafts are refused, and a schedule between MinScheduleLead and
// r.MaxScheduleLead after now.
func (p *Page) Validate(req platform.PublishRequest, now time.Time, r Rules) error {
	if req.Draft && !req.ScheduleAt.IsZero() && r.NoScheduledDrafts != "" {
		return p.Invalid("%s", r.NoScheduledDrafts)
	}
	if req.VideoPath == "" && len(req.ImagePaths) == 0 {
		return p.Invalid("no video file")
	}
	if req.Draft && r.NoDrafts != "" {
		// Publishing publicly when a draft was asked for cannot be undone.
		return p.Invalid("%s", r.NoDrafts)
	}
	for i, path := range req.ImagePaths {
		if _, err := os.Stat(path); err != nil {
			return p.Invalid("image %d: %v", i+1, err)
		}
	}
	if len(req.ImagePaths) == 0 {
		if _, err := os.Stat(req.VideoPath); err != nil {
			return p.Invalid("video file: %v", err)
		}
	}
	if req.CoverPath != "" {
		if _, err := os.Stat(req.CoverPath); err != nil {
			return p.Invalid("cover file: %v", err)
		}
	}
	if strings.TrimSpace(req.Title) == "" {
		return p.Invalid("empty title")
	}
	if at := req.ScheduleAt; !at.IsZero() {
		if at.Before(now.Add(MinScheduleLead)) {
			return p.Invalid("schedule %s is less than %s ahead", at.Format(time.RFC3339), MinScheduleLead)
		}
		if r.MaxScheduleLead > 0 && at.After(now.Add(r.MaxScheduleLead)) {
			return p.Invalid("schedule %s is more than %d days ahead", at.Format(time.RFC3339), r.MaxScheduleLead/(24*time.Hour))
		}
	}
	return nil
}

// Truncate cuts s to its first n characters (runes).
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Tags returns the tags a driver types: without '#' (or the full-width
// '＃') or white space, no empties, at most max.
func Tags(tags []string, max int) []string {
	var out []string
	for _, t := range tags {
		t = strings.Join(strings.Fields(strings.TrimLeft(strings.TrimSpace(t), "#＃")), "")
		if t != "" && len(out) < max {
			out = append(out, t)
		}
	}
	return out
}

// Declaration returns the declaration a request asks for: decl, or def when
// decl is empty, both trimmed; another platform's wording of the same
// declaration (a key of aliases) becomes this site's, so one declaration
// serves a publish to several platforms.
func Declaration(decl, def string, aliases map[string]string) string {
	decl = strings.TrimSpace(decl)
	if decl == "" {
		decl = strings.TrimSpace(def)
	}
	if a, ok := aliases[decl]; ok {
		return a
	}
	return decl
}
