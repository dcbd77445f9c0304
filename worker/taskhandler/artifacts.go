package taskhandler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

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
