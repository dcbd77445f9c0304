package filestore

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"fanout/pkg/testenv"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	mp4, err := os.ReadFile(testenv.Testdata("sample.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	png, _ := os.ReadFile(testenv.Testdata("cover.png"))
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"mp4", mp4, "video/mp4"},
		{"mov", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00"), "video/quicktime"},
		{"webm", append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x9f, 0x42, 0x86, 0x81, 0x01}, []byte("B\x82\x84webm")...), "video/webm"},
		{"mkv", append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x9f}, []byte("B\x82\x88matroska")...), "video/x-matroska"},
		{"flv", []byte("FLV\x01\x05\x00\x00\x00\x09"), "video/x-flv"},
		{"avi", []byte("RIFF\x00\x00\x00\x00AVI LIST"), "video/x-msvideo"},
		{"png", png, "image/png"},
		{"text", []byte("hello, this is not a video"), ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		if got, _ := Sniff(tt.head); got != tt.want {
			t.Errorf("%s: Sniff = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSaveStreamsHashesAndLimits(t *testing.T) {
	t.Parallel()
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mp4, _ := os.ReadFile(testenv.Testdata("sample.mp4"))
	saved, err := s.Save("id1", bytes.NewReader(mp4), Video, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Size != int64(len(mp4)) || saved.ContentType != "video/mp4" || saved.StoredName != "id1.mp4" || len(saved.SHA256) != 64 {
		t.Fatalf("saved = %+v", saved)
	}
	got, _ := os.ReadFile(s.Path(saved.StoredName))
	if !bytes.Equal(got, mp4) {
		t.Fatal("stored bytes differ")
	}
	if _, err := s.Save("id2", bytes.NewReader(mp4), Video, int64(len(mp4)-1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("over limit: err = %v, want ErrTooLarge", err)
	}
	if _, err := s.Save("id3", strings.NewReader("plain text pretending"), Video, 1<<20); !errors.Is(err, ErrType) {
		t.Fatalf("text: err = %v, want ErrType", err)
	}
	if _, err := s.Save("id4", bytes.NewReader(mp4), Image, 1<<20); !errors.Is(err, ErrType) {
		t.Fatalf("video as cover: err = %v, want ErrType", err)
	}
	entries, _ := os.ReadDir(s.Dir() + "/files")
	if len(entries) != 1 {
		t.Fatalf("files left on disk: %d, want 1 (failed saves must clean up)", len(entries))
	}
}

func TestCleanName(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"video.mp4":            "video.mp4",
		"../../etc/passwd.mp4": "passwd.mp4",
		`..\..\windows\a.mp4`:  "a.mp4",
		"/abs/path/b.mov":      "b.mov",
		"..":                   "",
		"../":                  "",
		".hidden.mp4":          "hidden.mp4",
		"a\x00b\nc.mp4":        "abc.mp4",
		"我的视频.mp4":             "我的视频.mp4",
		"what?<x>|y*.mp4":      "whatxy.mp4",
	}
	for in, want := range tests {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
