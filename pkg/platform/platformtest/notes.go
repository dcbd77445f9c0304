package platformtest

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fanout/pkg/platform"
	"fanout/pkg/testenv"
)

// NoteImages returns n image paths for an image note: the fixtures
// testdata/note1.png … note3.png first, then distinct generated PNGs in a
// temporary directory (for a request over a platform's limit).
func NoteImages(t testing.TB, n int) []string {
	t.Helper()
	out := make([]string, 0, n)
	for i := range n {
		if i < 3 {
			out = append(out, testenv.Testdata(fmt.Sprintf("note%d.png", i+1)))
			continue
		}
		img := image.NewRGBA(image.Rect(0, 0, 4, 4))
		img.Set(0, 0, color.RGBA{uint8(i), uint8(i >> 8), 7, 255})
		path := filepath.Join(t.TempDir(), fmt.Sprintf("note%d.png", i+1))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		out = append(out, path)
	}
	return out
}

// NoteRequest returns a publish request for an image note of n images with
// title (no video).
func NoteRequest(t testing.TB, title string, n int) platform.PublishRequest {
	req := Request(title)
	req.VideoPath, req.ImagePaths = "", NoteImages(t, n)
	return req
}

// NoteImagesMatch reports how the images a site recorded (their SHA-256s,
// in order) differ from the files at paths; "" when they are the same.
func NoteImagesMatch(t testing.TB, got []string, paths []string) string {
	t.Helper()
	if len(got) != len(paths) {
		return fmt.Sprintf("%d images recorded, want %d", len(got), len(paths))
	}
	for i, p := range paths {
		if want := FileSHA256(t, p); got[i] != want {
			return fmt.Sprintf("image %d is %s, want %s (%s)", i+1, got[i], want, filepath.Base(p))
		}
	}
	return ""
}
