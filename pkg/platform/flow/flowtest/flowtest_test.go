package flowtest_test

import (
	"slices"
	"testing"
	"time"

	"fanout/pkg/platform/flow/flowtest"
)

func TestPostsCopiesFieldsByName(t *testing.T) {
	type fakePost struct {
		Title       string
		Tags        []string
		ScheduleAt  time.Time
		VideoSize   int64
		Declaration int // another type: left out
		Extra       string
	}
	at := time.Now()
	got := flowtest.Posts([]*fakePost{{Title: "标题", Tags: []string{"a"}, ScheduleAt: at, VideoSize: 7, Declaration: 1, Extra: "x"}})
	if len(got) != 1 {
		t.Fatalf("Posts = %+v, want one", got)
	}
	p := got[0]
	if p.Title != "标题" || !slices.Equal(p.Tags, []string{"a"}) || !p.ScheduleAt.Equal(at) || p.VideoSize != 7 || p.Declaration != "" {
		t.Errorf("post = %+v", p)
	}
}
