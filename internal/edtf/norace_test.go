//go:build !race

package edtf_test

const raceEnabled = false
