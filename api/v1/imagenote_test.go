package v1_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"fanout/api/apitest"
	"fanout/pkg/job"
	"fanout/pkg/testenv"
)

// An image note through /api/v1 (every request and answer checked against
// the OpenAPI document): one task per account, the images in the request
// in order and the first as the task's file; a video among them is a 400.
func TestPublishImageNote(t *testing.T) {
	a := apitest.Setup(t)
	var ids []string
	for _, name := range []string{"note1.png", "note2.png", "note3.png"} {
		b, err := os.ReadFile(testenv.Testdata(name))
		if err != nil {
			t.Fatal(err)
		}
		r := a.Upload(name, b, "?kind=image")
		var f job.File
		r.JSON(t, &f)
		if r.Status != 201 || f.ContentType != "image/png" {
			t.Fatalf("upload %s: %d %s", name, r.Status, r.Body)
		}
		ids = append(ids, f.ID)
	}
	acc1, acc2 := a.Account("one"), a.Account("two")
	r := a.JSONDo("POST", "/api/v1/publish", map[string]any{"image_file_ids": ids, "account_ids": []string{acc1.ID, acc2.ID}, "title": "图文"})
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	r.JSON(t, &out)
	if r.Status != 202 || len(out.TaskIDs) != 2 {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	for _, id := range out.TaskIDs {
		tk, err := a.Store.GetTask(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		var spec job.PublishSpec
		_ = json.Unmarshal(tk.Request, &spec)
		if tk.FileID == nil || *tk.FileID != ids[0] || spec.FileID != "" || len(spec.ImageFileIDs) != 3 || spec.ImageFileIDs[2] != ids[2] {
			t.Fatalf("task %+v spec %+v", tk, spec)
		}
	}
	v := a.Video()
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"image_file_ids": []string{ids[0], v.ID}, "account_ids": []string{acc1.ID}, "title": "t"}).
		WantError(t, 400, job.EInvalid, "image_file_ids[1]")
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{v.ID}, "image_file_ids": ids, "account_ids": []string{acc1.ID}, "title": "t"}).
		WantError(t, 400, job.EInvalid, "image_file_ids")
}
