package main

import (
	"bytes"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform/platformtest"
)

// uploadImage uploads the image at path with kind=image.
func (s *stack) uploadImage(path string) job.File {
	s.t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatal(err)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, _ := w.CreateFormFile("file", filepath.Base(path))
	_, _ = part.Write(b)
	_ = w.Close()
	var f job.File
	if st := s.call("POST", "/api/v1/files?kind=image", multipartBody{&buf, w.FormDataContentType()}, &f); st != 201 {
		s.t.Fatalf("upload %s: %d", path, st)
	}
	return f
}

// An image note through the API: one task per account, each publishing the
// images in order; an image deleted while the tasks wait keeps its bytes
// until they end, then the sweeper removes it.
func TestImageNotePublishesOneTaskPerAccount(t *testing.T) {
	s := newStack(t)
	paths := platformtest.NoteImages(t, 3)
	var ids []string
	for _, p := range paths {
		ids = append(ids, s.uploadImage(p).ID)
	}
	a1, a2 := s.newAccount("note-1"), s.newAccount("note-2")
	s.loggedIn(a1)
	s.loggedIn(a2)
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	if st := s.call("POST", "/api/v1/publish", map[string]any{"image_file_ids": ids, "account_ids": []string{a1.ID, a2.ID},
		"title": "图文笔记", "tags": []string{"图文"}}, &out); st != 202 || len(out.TaskIDs) != 2 {
		t.Fatalf("publish: %d %v", st, out)
	}
	if tk := s.task(out.TaskIDs[0]); tk.FileID == nil || *tk.FileID != ids[0] {
		t.Errorf("task file_id = %v, want the first image %s", tk.FileID, ids[0])
	}
	// Deleted while queued: it leaves the library, its bytes stay.
	if st := s.call("DELETE", "/api/v1/files/"+ids[1], nil, nil); st != 204 {
		t.Fatalf("delete image: %d", st)
	}
	s.startWorker()
	for _, id := range out.TaskIDs {
		if tk := s.waitTask(id, 90*time.Second, "the note published", terminal); tk.State != job.StateSucceeded {
			t.Fatalf("task %s: %s %+v", id, tk.State, tk.Error)
		}
	}
	posts := s.site.Published()
	if len(posts) != 2 {
		t.Fatalf("%d posts, want 2", len(posts))
	}
	for _, p := range posts {
		var got []string
		for _, im := range p.Images {
			got = append(got, im.SHA256)
		}
		if why := platformtest.NoteImagesMatch(t, got, paths); why != "" || p.Title != "图文笔记" {
			t.Errorf("post %q: %s", p.Title, why)
		}
	}
	// Both tasks ended: the sweeper purges the deleted image.
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := s.store.TaskFile(t.Context(), ids[1]); job.ErrorCode(err) == job.ENotFound {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the deleted image was not purged after its tasks ended")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// What an image note may not be is a 400 naming the field, and nothing is
// queued.
func TestImageNoteRefusals(t *testing.T) {
	s := newStack(t)
	img := s.uploadImage(platformtest.NoteImages(t, 1)[0])
	video := s.uploadSample()
	dy := s.newAccount("note-refusals")
	var ch job.Account
	s.call("POST", "/api/v1/accounts", map[string]string{"platform": "channels", "name": "note-channels"}, &ch)
	many := make([]string, 36)
	for i := range many {
		many[i] = uuid.NewString()
	}
	for name, c := range map[string]struct {
		body  map[string]any
		field string
	}{
		"both lists":      {map[string]any{"file_ids": []string{video.ID}, "image_file_ids": []string{img.ID}}, "image_file_ids"},
		"a video":         {map[string]any{"image_file_ids": []string{img.ID, video.ID}}, "image_file_ids[1]"},
		"listed twice":    {map[string]any{"image_file_ids": []string{img.ID, img.ID}}, "image_file_ids[1]"},
		"36 images":       {map[string]any{"image_file_ids": many}, "image_file_ids"},
		"no image notes":  {map[string]any{"image_file_ids": []string{img.ID}, "account_ids": []string{ch.ID}}, "image_file_ids"},
		"a cover":         {map[string]any{"image_file_ids": []string{img.ID}, "cover_file_id": img.ID}, "cover_file_id"},
		"neither of them": {map[string]any{}, "file_ids"},
	} {
		body := map[string]any{"account_ids": []string{dy.ID}, "title": "图文"}
		for k, v := range c.body {
			body[k] = v
		}
		var e struct {
			Error job.Error `json:"error"`
		}
		if st := s.call("POST", "/api/v1/publish", body, &e); st != 400 {
			t.Errorf("%s: %d, want 400", name, st)
			continue
		}
		found := false
		for _, f := range e.Error.Fields {
			found = found || f.Field == c.field
		}
		if !found {
			t.Errorf("%s: fields %+v, want one on %s", name, e.Error.Fields, c.field)
		}
		if name == "no image notes" && !strings.Contains(e.Error.Fields[0].Message, "channels") {
			t.Errorf("%s: %+v does not name the platform", name, e.Error.Fields)
		}
	}
	var page struct {
		Items []job.Task `json:"items"`
	}
	if s.call("GET", "/api/v1/tasks", nil, &page); len(page.Items) != 0 {
		t.Fatalf("%d tasks queued", len(page.Items))
	}
}
