package edtf

import (
	"testing"
	"time"
)

func TestDaysInAgreesWithTime(t *testing.T) {
	for y := int64(-800); y <= 2400; y++ {
		for m := 1; m <= 12; m++ {
			// Day 0 of the next month is the last day of this one.
			want := time.Date(int(y), time.Month(m+1), 0, 0, 0, 0, 0, time.UTC).Day()
			if got := int(daysIn(y, m)); got != want {
				t.Fatalf("daysIn(%d, %d) = %d, want %d", y, m, got, want)
			}
		}
	}
}

func TestCivilBefore(t *testing.T) {
	days := []civil{{-170000002, 12, 31}, {-1, 12, 31}, {0, 1, 1}, {1985, 4, 12}, {1985, 4, 13}, {1985, 5, 1}, {1986, 1, 1}}
	for i, a := range days {
		for j, b := range days {
			if got := a.before(b); got != (i < j) {
				t.Errorf("%v.before(%v) = %v", a, b, got)
			}
		}
	}
}

func TestSeasonBounds(t *testing.T) {
	for season := 21; season <= 24; season++ {
		for _, y := range []int64{-4, 1999, 2000, 2003, 2100} {
			lo, hi := seasonBounds(y, season)
			// Every season is three whole months.
			months := (hi.year-lo.year)*12 + int64(hi.month-lo.month) + 1
			if lo.day != 1 || hi.day != daysIn(hi.year, int(hi.month)) || months != 3 {
				t.Errorf("seasonBounds(%d, %d) = %v, %v", y, season, lo, hi)
			}
		}
	}
}
