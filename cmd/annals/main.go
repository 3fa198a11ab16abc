// Command annals validates hand-curated records of events and statements
// and converts them between formats. See the README for a tour.
package main

import "os"

func main() { os.Exit(Main()) }
