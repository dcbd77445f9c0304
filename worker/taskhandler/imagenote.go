package taskhandler

import (
	"context"
	"fmt"

	"fanout/pkg/job"
)

// imagePaths resolves an image note's images to their paths on disk, in
// order (nil for a video's task). An image deleted from under the task is
// a permanent invalid_request, as a deleted video is: the note cannot be
// published as asked.
func (h *Handler) imagePaths(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(ids))
	for i, id := range ids {
		f, err := h.store.TaskFile(ctx, id)
		if job.ErrorCode(err) == job.ENotFound {
			return nil, permanent(job.CodeInvalidRequest, fmt.Errorf("image %d of the note was deleted", i+1))
		}
		if err != nil {
			return nil, err
		}
		out = append(out, h.files.Path(f.StoredName))
	}
	return out, nil
}
