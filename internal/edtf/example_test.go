package edtf_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/annals-project/annals/internal/edtf"
)

func ExampleParse() {
	d, err := edtf.Parse("2021-12-23?")
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, _ := d.Earliest()
	hi, _ := d.Latest()
	fmt.Println(d.Precision(), lo.Format(time.DateOnly), hi.Format(time.DateOnly), d.Uncertain())
	// Output: day 2021-12-23 2021-12-23 true
}

func ExampleParse_interval() {
	d, _ := edtf.Parse("2004-02-01/2005-02")
	lo, _ := d.Earliest()
	hi, _ := d.Latest()
	fmt.Println(d.Precision(), lo.Format(time.DateOnly), hi.Format(time.DateOnly))
	// Output: month 2004-02-01 2005-02-28
}

func ExampleParse_unspecified() {
	d, _ := edtf.Parse("201X")
	lo, _ := d.Earliest()
	hi, _ := d.Latest()
	fmt.Println(d.Precision(), lo.Format(time.DateOnly), hi.Format(time.DateOnly))
	// Output: year 2010-01-01 2019-12-31
}

func ExampleParse_season() {
	// Winter runs from December into February of the following year.
	d, _ := edtf.Parse("2003-24")
	lo, _ := d.Earliest()
	hi, _ := d.Latest()
	fmt.Println(d.Precision(), lo.Format(time.DateOnly), hi.Format(time.DateOnly))
	// Output: season 2003-12-01 2004-02-29
}

func ExampleDate_Latest_open() {
	d, _ := edtf.Parse("1985-04-12/..")
	lo, okLo := d.Earliest()
	_, okHi := d.Latest()
	fmt.Println(lo.Format(time.DateOnly), okLo, okHi)
	// Output: 1985-04-12 true false
}

func ExampleDate_Earliest_dateTime() {
	// The day as written in its own offset, not converted to UTC.
	d, _ := edtf.Parse("2021-12-27T23:30:00-05:00")
	lo, _ := d.Earliest()
	fmt.Println(d.Precision(), lo.Format(time.DateOnly), d.IsPlainISO())
	// Output: second 2021-12-27 true
}

func ExampleError() {
	for _, s := range []string{"2022-01-10/2022-01-09", "2021-02-29", "2022?-01"} {
		_, err := edtf.Parse(s)
		var e *edtf.Error
		if errors.As(err, &e) {
			fmt.Printf("%v at byte %d: %v\n", e.Kind, e.Offset, err)
		}
	}
	// Output:
	// reversed at byte 11: "2022-01-10/2022-01-09" is not an EDTF date: interval ends (2022-01-09) before it starts (2022-01-10)
	// range at byte 8: "2021-02-29" is not an EDTF date: day 29 does not exist in 2021-02: 2021 is not a leap year
	// unsupported at byte 4: "2022?-01" is not an EDTF date: a qualifier inside a date is an EDTF level 2 feature; at level 1 it can only end the date
}
