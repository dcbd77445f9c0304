package douyin

import (
	"context"
	"fmt"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// Image notes (DouYinNote, platform-flows.md §3.1 "Image note"): on the
// upload page the text 发布图文 (exact) switches to the note's upload, whose
// image input takes all the images at once; the site uploads them and
// moves to the note's form at /content/post/image?, which is filled like a
// video's with a title of at most 20 characters.
const (
	textNoteTab   = "发布图文"
	selNoteInput  = `div[class^='container'] input[accept*='image']`
	pathNoteForm  = "/creator-micro/content/post/image"
	selNoteTitle  = `input[placeholder*="填写作品标题"], input[placeholder*="添加作品标题"]` // #275: the note's placeholder
	maxNoteTitle  = 20
	noteTabTarget = `(el => el && vis(el) ? el : null)(findText(` + "\"" + textNoteTab + "\"" + `, true))`
)

// NoteTitle returns an image note's title as the site stores it: trimmed
// and cut to 20 characters.
func NoteTitle(title string) string { return flow.Truncate(strings.TrimSpace(title), maxNoteTitle) }

// title returns req's title as Publish types it: a note's or a video's.
func title(req platform.PublishRequest) string {
	if len(req.ImagePaths) > 0 {
		return NoteTitle(req.Title)
	}
	return Title(req.Title)
}

// publishNote is Publish for an image note: flow's sequence with the note's
// tab, images and form; the options and the submit are the video's.
func (d *Driver) publishNote(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	return page.Publish(ctx, d.to, req, onProgress, flow.Steps{Rules: rules, Open: d.openNote, Form: d.waitNoteForm,
		Fill: d.fillText, Upload: func(context.Context, *flow.Run) error { return nil }, Options: d.fillOptions, Submit: d.submit})
}

// openNote opens the upload page and clicks 发布图文, after which the image
// input is the one the images are chosen with.
func (d *Driver) openNote(ctx context.Context, r *flow.Run) error {
	if _, err := page.OpenUpload(ctx, d.to, d.uploadPage()); err != nil {
		return err
	}
	if err := page.WaitClick(ctx, d.to.Element, "note.tab", `text="`+textNoteTab+`"`, noteTabTarget); err != nil {
		return page.StepErr(ctx, "open image note", err)
	}
	r.FileInput = selNoteInput
	return nil
}

// waitNoteForm waits, as long as an upload may take, for the note's form,
// which the site shows once every image is uploaded.
func (d *Driver) waitNoteForm(ctx context.Context, _ *flow.Run) error {
	if err := page.Wait(ctx, d.to.Upload, "upload.images", "url~"+pathNoteForm,
		fmt.Sprintf(`location.pathname.startsWith(%s)`, browser.JS(pathNoteForm))); err != nil {
		return page.StepErr(ctx, "upload images", err)
	}
	return nil
}
