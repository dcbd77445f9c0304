package filestore

import (
	"bytes"
	"io"
	"os"
	"testing"

	"fanout/pkg/testenv"
)

// BenchmarkSave measures streaming an upload to disk with hashing and type
// sniffing (bytes/s is the upload throughput the API can sustain per core).
func BenchmarkSave(b *testing.B) {
	mp4, err := os.ReadFile(testenv.Testdata("sample.mp4"))
	if err != nil {
		b.Fatal(err)
	}
	body := append(mp4[:len(mp4):len(mp4)], bytes.Repeat([]byte{0}, 8<<20)...)
	s, _ := New(b.TempDir())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		saved, err := s.Save("bench", io.MultiReader(bytes.NewReader(body)), Video, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Remove(saved.StoredName)
	}
}
