package taskhandler

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

// keepArtifacts saves what the page showed when a step failed (a screenshot
// and the HTML) under ArtifactsDir/<task id>/, so a changed page can be
// diagnosed without re-running. It returns the saved file names.
func (h *Handler) keepArtifacts(tab context.Context, t job.Task, runErr error, log *slog.Logger) []string {
	var se *web.SelectorError
	if h.cfg.ArtifactsDir == "" || (!errors.As(runErr, &se) && !errors.Is(runErr, platform.ErrRejected) && !errors.Is(runErr, platform.ErrUploadFailed)) {
		return nil
	}
	if s, ok := platform.HTTPSessionFrom(tab); ok {
		return h.keepHTTPArtifact(s, t, runErr, log)
	}
	png, html, err := browser.Artifacts(tab)
	if err != nil && png == nil {
		log.Warn("capture artifacts", "err", err)
		return nil
	}
	dir := filepath.Join(h.cfg.ArtifactsDir, t.ID)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		log.Warn("artifacts dir", "err", err)
		return nil
	}
	var names []string
	for name, data := range map[string][]byte{
		fmt.Sprintf("attempt-%d-screenshot.png", t.Attempts): png,
		fmt.Sprintf("attempt-%d-page.html", t.Attempts):      []byte(html),
	} {
		if len(data) == 0 {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o640); err != nil {
			log.Warn("write artifact", "err", err)
			continue
		}
		names = append(names, name)
	}
	return names
}

// warner records the warnings of task t's publish (steps it skipped) in
// into, each with a screenshot of the page when it was skipped.
func (h *Handler) warner(t job.Task, into *[]platform.Warning, log *slog.Logger) platform.Warner {
	return func(tab context.Context, w platform.Warning) {
		log.Warn("optional step skipped", "step", w.Step, "reason", w.Reason)
		if _, isHTTP := platform.HTTPSessionFrom(tab); h.cfg.ArtifactsDir != "" && !isHTTP {
			if shot, err := browser.Screenshot(tab); err == nil {
				name := fmt.Sprintf("attempt-%d-warning-%d-%s.png", t.Attempts, len(*into)+1, safeName(w.Step))
				if b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(shot, "data:image/png;base64,")); err == nil {
					dir := filepath.Join(h.cfg.ArtifactsDir, t.ID)
					if os.MkdirAll(dir, 0o750) == nil && os.WriteFile(filepath.Join(dir, name), b, 0o640) == nil {
						w.Artifact = name
					}
				}
			}
		}
		*into = append(*into, w)
	}
}

// safeName keeps letters, digits, dots and dashes of s, for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, s)
}
