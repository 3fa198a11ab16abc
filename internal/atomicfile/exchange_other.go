//go:build !linux

package atomicfile

import "errors"

// exchange is not available here: Commit renames in two steps.
func exchange(a, b string) error {
	return errors.New("atomicfile: cannot exchange directories on this system")
}
