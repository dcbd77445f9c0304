package app

import (
	"context"
	"fmt"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// noteImageTypes are the content types an image note's images may have, as
// the upload recorded them from the file's first bytes (never its name).
var noteImageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/webp": true}

// maxNoteImages is the most images any platform takes in one note; each
// account's platform may take fewer (Capabilities.ImageNotesMax, refused
// per platform).
func maxNoteImages() int {
	n := 0
	for _, p := range platform.Names() {
		n = max(n, platform.CapabilitiesOf(p).ImageNotesMax)
	}
	return n
}

// checkNote validates the images of an image-note request — every one an
// uploaded png, jpeg or webp, none listed twice, at most maxNoteImages —
// and returns their ids in order. A request gives file_ids or
// image_file_ids, never both; a note's cover is its first image.
func (a *App) checkNote(ctx context.Context, fe *job.FieldErrors, req PublishRequest) []string {
	ids := req.ImageFileIDs
	if len(req.FileIDs) > 0 {
		fe.Add("image_file_ids", "give file_ids (videos) or image_file_ids (one image note), not both")
		return nil
	}
	if req.CoverFileID != "" {
		fe.Add("cover_file_id", "an image note's cover is its first image")
	}
	if m := maxNoteImages(); len(ids) > m {
		fe.Add("image_file_ids", "at most %d images", m)
		return nil
	}
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for i, id := range ids {
		field := fmt.Sprintf("image_file_ids[%d]", i)
		f, err := a.lookupFile(ctx, id)
		switch {
		case err != nil:
			fe.Add(field, "%s", err)
		case seen[f.ID]:
			fe.Add(field, "listed twice")
		case !noteImageTypes[f.ContentType]:
			fe.Add(field, "is not an image (png, jpeg or webp uploaded with kind=image)")
		default:
			seen[f.ID] = true
			out = append(out, f.ID)
		}
	}
	if len(out) != len(ids) {
		return nil
	}
	return out
}
