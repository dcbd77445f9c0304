package kuaishou

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
)

// Image notes (KSNote, platform-flows.md §3.3 "Image note"): the tab
// containing 图文 in the upload page's tablist, then the upload button
// reading 上传图片, whose file chooser takes all the images; the rest is the
// video's flow.
const (
	selNoteTab      = `div[role="tablist"] div[role="tab"]`
	textNoteTab     = "图文"
	textUploadImage = "上传图片"
)

// noteTab is the tab containing 图文.
var noteTab = fmt.Sprintf(`qa(%s).find(t => vis(t) && (t.innerText || '').includes(%s)) || null`,
	browser.JS(selNoteTab), browser.JS(textNoteTab))

// imageButton is the upload button once it reads 上传图片.
var imageButton = fmt.Sprintf(`qa(%s).find(b => vis(b) && (b.innerText || '').includes(%s)) || null`,
	browser.JS(selUploadButton), browser.JS(textUploadImage))

// openNoteTab clicks the 图文 tab and returns the expression of the button
// that then opens the images' chooser, once it shows.
func (d *Driver) openNoteTab(ctx context.Context) (string, error) {
	if err := page.WaitClick(ctx, d.to.Element, "note.tab", selNoteTab+`:has-text("`+textNoteTab+`")`, noteTab); err != nil {
		return "", page.StepErr(ctx, "open image note", err)
	}
	if err := page.Wait(ctx, d.to.Element, "note.button", selUploadButton+`:has-text("`+textUploadImage+`")`, imageButton); err != nil {
		return "", page.StepErr(ctx, "open image note", err)
	}
	return imageButton, nil
}
