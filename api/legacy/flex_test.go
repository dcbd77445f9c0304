package legacy

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestSauTimesAndTags(t *testing.T) {
	times := []struct {
		in   string
		want []string
		err  bool
	}{
		{`["10:00","18:30"]`, []string{"10:00", "18:30"}, false},
		{`[9, 18]`, []string{"09:00", "18:00"}, false},
		{`[10.5, 0]`, []string{"10:30", "00:00"}, false},
		{`["9", 7]`, []string{"9", "07:00"}, false},
		{`null`, nil, false},
		{`[]`, []string{}, false},
		{`[24]`, nil, true},
		{`[-1]`, nil, true},
		{`"10:00"`, nil, true},
		{`[true]`, nil, true},
	}
	for _, tt := range times {
		got, err := sauTimes(json.RawMessage(tt.in))
		if (err != nil) != tt.err || (!tt.err && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("sauTimes(%s) = %q, %v; want %q (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
	tags := map[string][]string{
		`"#a #b"`: {"a", "b"}, `"a b　c"`: {"a", "b", "c"}, `["a","#b"]`: {"a", "b"}, `["#x#y"]`: {"x", "y"},
		`""`: nil, `null`: nil, `"话题1,话题2"`: {"话题1", "话题2"},
	}
	for in, want := range tags {
		got, err := sauTags(json.RawMessage(in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("sauTags(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]bool{`true`: true, `1`: true, `"1"`: true, `"true"`: true, `0`: false, `false`: false, `null`: false, ``: false} {
		if got, err := flexBool(json.RawMessage(in)); err != nil || got != want {
			t.Errorf("flexBool(%s) = %v, %v", in, got, err)
		}
	}
	if _, err := flexBool(json.RawMessage(`2`)); err == nil {
		t.Error("flexBool(2) accepted")
	}
}
