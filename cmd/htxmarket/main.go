// Command htxmarket is the HTX Market server and its tools: serve, worker,
// migrate, user and version. Run `htxmarket --help` for the list.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"htxmarket/internal/app"
)

func main() {
	if err := app.Run(context.Background(), os.Args[1:], app.OSEnv()); err != nil {
		if !errors.Is(err, app.ErrUsage) {
			fmt.Fprintln(os.Stderr, "htxmarket:", err)
		}
		os.Exit(1)
	}
}
