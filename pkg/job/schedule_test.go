package job

import (
	"testing"
	"time"
)

func TestDailyScheduleMatchesOriginalGenerator(t *testing.T) {
	t.Parallel()
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 10, 15, 42, 17, 0, sh)
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, sh) }
	tests := []struct {
		name  string
		n     int
		sched DailySchedule
		want  []time.Time
	}{
		{"seed example two per day", 5, DailySchedule{VideosPerDay: 2, Times: []ClockTime{{9, 0}, {18, 0}}},
			[]time.Time{at(11, 9, 0), at(11, 18, 0), at(12, 9, 0), at(12, 18, 0), at(13, 9, 0)}},
		{"seed example start_days honoured", 3, DailySchedule{VideosPerDay: 1, Times: []ClockTime{{20, 0}}, StartDays: 1},
			[]time.Time{at(12, 20, 0), at(13, 20, 0), at(14, 20, 0)}},
		{"seed example defaults", 2, DailySchedule{VideosPerDay: 1, Times: []ClockTime{{6, 0}, {11, 0}}},
			[]time.Time{at(11, 6, 0), at(12, 6, 0)}},
		{"minutes kept", 1, DailySchedule{VideosPerDay: 1, Times: []ClockTime{{10, 30}}}, []time.Time{at(11, 10, 30)}},
		{"only first videos_per_day times used", 3, DailySchedule{VideosPerDay: 1, Times: []ClockTime{{7, 0}, {23, 0}}},
			[]time.Time{at(11, 7, 0), at(12, 7, 0), at(13, 7, 0)}},
		{"seed request: two per day from the day after tomorrow", 4, DailySchedule{VideosPerDay: 2, Times: []ClockTime{{12, 0}, {18, 0}}, StartDays: 1},
			[]time.Time{at(12, 12, 0), at(12, 18, 0), at(13, 12, 0), at(13, 18, 0)}},
		{"original default times, five per day", 6, DailySchedule{VideosPerDay: 5, Times: []ClockTime{{6, 0}, {11, 0}, {14, 0}, {16, 0}, {22, 0}}},
			[]time.Time{at(11, 6, 0), at(11, 11, 0), at(11, 14, 0), at(11, 16, 0), at(11, 22, 0), at(12, 6, 0)}},
		{"three per day, uneven last day", 4, DailySchedule{VideosPerDay: 3, Times: []ClockTime{{8, 0}, {12, 15}, {20, 45}}, StartDays: 2},
			[]time.Time{at(13, 8, 0), at(13, 12, 15), at(13, 20, 45), at(14, 8, 0)}},
		{"times need not be sorted", 2, DailySchedule{VideosPerDay: 2, Times: []ClockTime{{21, 0}, {9, 0}}},
			[]time.Time{at(11, 21, 0), at(11, 9, 0)}},
		{"across the month end", 2, DailySchedule{VideosPerDay: 1, Times: []ClockTime{{0, 0}}, StartDays: 20},
			[]time.Time{at(31, 0, 0), time.Date(2026, 4, 1, 0, 0, 0, 0, sh)}},
		{"no videos", 0, DailySchedule{VideosPerDay: 1, Times: []ClockTime{{9, 0}}}, []time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.sched.At(tt.n, now, sh)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d times, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if !got[i].Equal(tt.want[i]) {
					t.Errorf("video %d at %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestDailyScheduleUsesZoneNotUTC(t *testing.T) {
	t.Parallel()
	sh, _ := time.LoadLocation("Asia/Shanghai")
	// 2026-03-10 20:00 UTC is already 03-11 04:00 in Shanghai.
	now := time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC)
	got := DailySchedule{VideosPerDay: 1, Times: []ClockTime{{9, 0}}}.At(1, now, sh)[0]
	if want := time.Date(2026, 3, 12, 9, 0, 0, 0, sh); !got.Equal(want) {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestDailyScheduleValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		sched  DailySchedule
		fields []string
	}{
		{"ok", DailySchedule{VideosPerDay: 1, Times: []ClockTime{{9, 0}}}, nil},
		{"zero per day", DailySchedule{VideosPerDay: 0, Times: []ClockTime{{9, 0}}}, []string{"s.videos_per_day"}},
		{"more per day than times", DailySchedule{VideosPerDay: 2, Times: []ClockTime{{9, 0}}}, []string{"s.daily_times"}},
		{"no times", DailySchedule{VideosPerDay: 1}, []string{"s.daily_times"}},
		{"negative start", DailySchedule{VideosPerDay: 1, Times: []ClockTime{{9, 0}}, StartDays: -1}, []string{"s.start_days"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fe FieldErrors
			tt.sched.Validate(&fe, "s.")
			if len(fe) != len(tt.fields) {
				t.Fatalf("errors %v, want fields %v", fe, tt.fields)
			}
			for i, f := range tt.fields {
				if fe[i].Field != f {
					t.Errorf("field %q, want %q", fe[i].Field, f)
				}
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	t.Parallel()
	good := map[string]ClockTime{"10:00": {10, 0}, "9:05": {9, 5}, "23:59": {23, 59}, "7": {7, 0}, " 08:30 ": {8, 30}}
	for in, want := range good {
		got, err := ParseClock(in)
		if err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "24:00", "10:60", "ab", "10:5", "-1:00", "10:00:00"} {
		if _, err := ParseClock(in); err == nil {
			t.Errorf("ParseClock(%q) succeeded, want error", in)
		}
	}
}
