package job

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MinScheduleLead is how far ahead every platform requires a scheduled
// publish (定时发布) to be.
const MinScheduleLead = 2 * time.Hour

// ClockTime is a time of day, minute precision.
type ClockTime struct{ Hour, Minute int }

// ParseClock reads "HH:MM" (or "H").
func ParseClock(s string) (ClockTime, error) {
	h, m, found := strings.Cut(strings.TrimSpace(s), ":")
	hour, err := strconv.Atoi(h)
	if err != nil || hour < 0 || hour > 23 {
		return ClockTime{}, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	minute := 0
	if found {
		if minute, err = strconv.Atoi(m); err != nil || minute < 0 || minute > 59 || len(m) != 2 {
			return ClockTime{}, fmt.Errorf("%q is not a time of day (HH:MM)", s)
		}
	}
	return ClockTime{hour, minute}, nil
}

// DailySchedule spreads videos over days, as the original tool's
// generate_schedule_time_next_day: video i goes out on day
// i/VideosPerDay + StartDays + 1 (day 0 is today) at Times[i % VideosPerDay].
type DailySchedule struct {
	VideosPerDay int
	Times        []ClockTime
	StartDays    int
}

// Validate checks the schedule's own consistency; field names are relative to
// the schedule object.
func (d DailySchedule) Validate(fe *FieldErrors, prefix string) {
	if d.VideosPerDay <= 0 {
		fe.Add(prefix+"videos_per_day", "must be at least 1")
	}
	if len(d.Times) == 0 {
		fe.Add(prefix+"daily_times", "needs at least one time")
	} else if d.VideosPerDay > len(d.Times) {
		fe.Add(prefix+"daily_times", "needs at least videos_per_day (%d) times", d.VideosPerDay)
	}
	if d.StartDays < 0 || d.StartDays > 365 {
		fe.Add(prefix+"start_days", "must be between 0 and 365")
	}
}

// Times returns the publish time of each of n videos, in loc, counted from
// now's date in loc.
func (d DailySchedule) At(n int, now time.Time, loc *time.Location) []time.Time {
	now = now.In(loc)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	out := make([]time.Time, n)
	for i := range n {
		c := d.Times[i%d.VideosPerDay]
		day := midnight.AddDate(0, 0, i/d.VideosPerDay+d.StartDays+1)
		out[i] = time.Date(day.Year(), day.Month(), day.Day(), c.Hour, c.Minute, 0, 0, loc)
	}
	return out
}
