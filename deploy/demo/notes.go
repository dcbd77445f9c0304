package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"
)

// imageNote publishes one image note (图文) of three images to the
// platform's demo account and checks the fake holds exactly those images,
// in order.
func (d *demo) imageNote(ctx context.Context, p, fake, testdata string) ([]row, error) {
	var rows []row
	start := time.Now()
	var ids, sums []string
	for _, name := range []string{"note1.png", "note2.png", "note3.png"} {
		f, err := d.uploadKind(ctx, filepath.Join(testdata, name), "image")
		if err != nil {
			return rows, fmt.Errorf("upload %s: %w", name, err)
		}
		ids, sums = append(ids, f.ID), append(sums, f.SHA256)
	}
	rows = append(rows, row{Platform: p, Step: "upload images", Task: ids[0][:8], State: "stored", Detail: "3 images", Took: time.Since(start)})
	start = time.Now()
	title := "Fanout 图文笔记"
	var pub struct {
		TaskIDs []string `json:"task_ids"`
	}
	if err := d.call(ctx, "POST", "/api/v1/publish", map[string]any{"image_file_ids": ids, "account_ids": []string{d.accounts[p]},
		"title": title, "description": "由 Fanout 自动发布的图文", "tags": []string{"fanout"}}, &pub); err != nil {
		return rows, fmt.Errorf("publish: %w", err)
	}
	tk, _, arows, err := d.followPublish(ctx, p, fake, pub.TaskIDs[0])
	rows = append(rows, arows...)
	d.published = append(d.published, pub.TaskIDs[0])
	rows = append(rows, row{Platform: p, Step: "image note", Task: pub.TaskIDs[0][:8], State: tk.State, Detail: detail(tk), Took: time.Since(start)})
	if err != nil || tk.State != "succeeded" {
		return rows, fmt.Errorf("publish: %v %s", err, detail(tk))
	}
	var posts []struct {
		Title  string `json:"title"`
		Images []struct {
			SHA256 string `json:"sha256"`
		} `json:"images"`
	}
	if err := d.getJSON(ctx, fake+"/__fake__/published", &posts); err != nil {
		return rows, fmt.Errorf("read the fake's posts: %w", err)
	}
	n := 0
	for _, post := range posts {
		var got []string
		for _, im := range post.Images {
			got = append(got, im.SHA256)
		}
		if post.Title == title && slices.Equal(got, sums) {
			n++
		}
	}
	state := "verified"
	if n != 1 {
		state = "MISMATCH"
	}
	rows = append(rows, row{Platform: p, Step: "note on platform", State: state, Detail: fmt.Sprintf("%d post(s) with these 3 images in order", n)})
	if n != 1 {
		return rows, fmt.Errorf("the fake site holds %d matching notes, want 1", n)
	}
	return rows, nil
}
