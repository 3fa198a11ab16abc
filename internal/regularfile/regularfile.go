// Package regularfile opens files whose names come from strangers (a
// path on the command line, a manifest's list, a quote's archive): it
// never waits on a named pipe, and it refuses anything but a regular file,
// so that a device or a FIFO given in place of a file is reported instead
// of read forever or waited on.
package regularfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/annals-project/annals/internal/english"
)

// ErrNotRegular is the error of a path that names a device, a named pipe,
// a socket or a folder.
var ErrNotRegular = errors.New("not a regular file")

// Open opens the file name for reading without waiting (a named pipe
// would otherwise wait for a writer), and returns it with what it was
// when opened, unless it is not a regular file (ErrNotRegular).
func Open(name string) (*os.File, os.FileInfo, error) {
	return checked(os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0))
}

// OpenIn is Open for a name inside root, which it cannot leave.
func OpenIn(root *os.Root, name string) (*os.File, os.FileInfo, error) {
	return checked(root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0))
}

func checked(f *os.File, err error) (*os.File, os.FileInfo, error) {
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, ErrNotRegular
	}
	return f, info, nil
}

// TooLargeError is the error of a file larger than a reader takes.
type TooLargeError struct {
	Name  string
	Limit int64 // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s, more than annals reads of it", e.Name, english.MiB(int(e.Limit)))
}

// ReadAll reads f to the end, unless it holds more than limit bytes
// (*TooLargeError): a file that grew after it was opened is caught too.
func ReadAll(f *os.File, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Name: f.Name(), Limit: limit}
	}
	return b, nil
}

// ReadFile reads a small file whole: opened as Open does, refused unless
// a regular file ("NAME is not a regular file", wrapping ErrNotRegular) of
// at most limit bytes (*TooLargeError).
func ReadFile(name string, limit int64) ([]byte, error) {
	f, info, err := Open(name)
	if errors.Is(err, ErrNotRegular) {
		return nil, fmt.Errorf("%s is %w", name, err)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	return ReadAll(f, limit)
}
