package legacy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"fanout/pkg/job"
)

// The original's JSON is loose: the seed and its real frontend send the same
// field as a string or a number, an array or one string, true or 1. These
// read each such field into one Go type.

func sauFieldErr(prefix, name, msg string) error {
	if prefix != "" {
		name = prefix + "." + name
	}
	var fe job.FieldErrors
	fe.Add(name, "%s", msg)
	return fe.Err()
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// rawScalar reads a JSON string, number or bool as text ("" for null or
// absent, and for arrays and objects).
func rawScalar(raw json.RawMessage) string {
	if isNull(raw) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return strconv.FormatBool(b)
	}
	return ""
}

// flexBool reads true/false, 0/1 or their string forms; absent is false.
func flexBool(raw json.RawMessage) (bool, error) {
	if isNull(raw) {
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(rawScalar(raw))) {
	case "true", "1":
		return true, nil
	case "false", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %s", raw)
}

// flexInt reads an integer or a string holding one; set is false when absent.
func flexInt(raw json.RawMessage) (n int, set bool, err error) {
	if isNull(raw) {
		return 0, false, nil
	}
	s := strings.TrimSpace(rawScalar(raw))
	if s == "" {
		return 0, false, nil
	}
	n, err = strconv.Atoi(s)
	return n, true, err
}

// stringList reads an array of strings (or numbers), or one string.
func stringList(raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one = strings.TrimSpace(one); one == "" {
			return nil, nil
		}
		return []string{one}, nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if v := strings.TrimSpace(rawScalar(e)); v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}

// sauTags reads tags as an array or one string, each split on spaces and
// '#' ("#a #b", "a b", ["a","#b"] are all [a b]).
func sauTags(raw json.RawMessage) ([]string, error) {
	list, err := stringList(raw)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range list {
		out = append(out, strings.FieldsFunc(t, func(r rune) bool {
			return unicode.IsSpace(r) || r == '#' || r == '＃' || r == ',' || r == '，'
		})...)
	}
	return out, nil
}

// sauTimes reads dailyTimes as "HH:MM" strings or hours as numbers (10.5 is
// 10:30, as in the original's generator) and returns "HH:MM" strings for the
// shared schedule validation.
func sauTimes(raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, fmt.Errorf("必须是时间数组，如 [\"10:00\"] 或 [10]")
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		var n float64
		if json.Unmarshal(e, &n) == nil {
			if n < 0 || n >= 24 || math.IsNaN(n) {
				return nil, fmt.Errorf("第 %d 个时间 %v 不是 0–23 点", i+1, n)
			}
			m := int(math.Round(n * 60))
			out = append(out, fmt.Sprintf("%02d:%02d", m/60, m%60))
			continue
		}
		var s string
		if json.Unmarshal(e, &s) != nil {
			return nil, fmt.Errorf("第 %d 个时间不是 \"HH:MM\" 或整点数字", i+1)
		}
		out = append(out, s)
	}
	return out, nil
}
