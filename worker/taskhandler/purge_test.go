package taskhandler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"

	"fanout/pkg/job"
)

// The sweeper removes the bytes of every purged file and goes on past one
// it cannot remove; a failed purge removes nothing.
func TestSweeperPurgesDeletedFiles(t *testing.T) {
	var removed []string
	purged := []job.File{{ID: "1", StoredName: "a.mp4"}, {ID: "2", StoredName: "b.mp4"}, {ID: "3", StoredName: "c.mp4"}}
	s := &Sweeper{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Files: &FilePurge{
		Purge: func(context.Context) ([]job.File, error) { return purged, nil },
		Remove: func(name string) error {
			removed = append(removed, name)
			if name == "b.mp4" {
				return errors.New("disk says no")
			}
			return nil
		},
	}}
	s.purgeFiles(context.Background())
	if !slices.Equal(removed, []string{"a.mp4", "b.mp4", "c.mp4"}) {
		t.Fatalf("removed %v", removed)
	}
	removed = nil
	s.Files.Purge = func(context.Context) ([]job.File, error) { return nil, errors.New("database down") }
	s.purgeFiles(context.Background())
	if len(removed) != 0 {
		t.Fatalf("removed %v after a failed purge", removed)
	}
	(&Sweeper{}).purgeFiles(context.Background()) // no Files: nothing to do, no panic
}
