package xiaohongshu

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// Image notes (XiaoHongShuNote, platform-flows.md §3.4 "Image note"; SAU
// X:771-822): the publish page with target=image, whose first image input
// takes every image (the video's input the fallback, X:780-782); the
// upload is over when the title input shows (X:788-797); the rest is the
// video's form and publish.
const (
	pathNote     = "/publish/publish?from=homepage&target=image"
	selNoteInput = `input[type="file"][accept*="image"]`
)

// notePage is the image note's publish page, which shows its image input
// (or, failing that, the video's) to a logged-in tab.
func (d *Driver) notePage() flow.Landing {
	return flow.Landing{URL: d.base + pathNote, Name: "image note page", What: selNoteInput,
		Found: fmt.Sprintf(`q(%[1]s) ? %[1]s : q(%[2]s) ? %[2]s : ''`, browser.JS(selNoteInput), browser.JS(selFileInput))}
}

// publishNote is Publish for an image note.
func (d *Driver) publishNote(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Rules: rules, Validate: validate, Landing: d.notePage(),
		Fill: nothingYet, Upload: d.waitNoteUpload, Options: d.fillForm, Submit: d.submit})
}

// waitNoteUpload waits, as long as an upload may take, for the title input
// the page shows once every image is in.
func (d *Driver) waitNoteUpload(ctx context.Context, _ *flow.Run) error {
	if err := page.Wait(ctx, d.to.Upload, "upload.images", selTitle, fmt.Sprintf(`qa(%s).some(vis)`, browser.JS(selTitle))); err != nil {
		return page.StepErr(ctx, "upload images", err)
	}
	return nil
}
