package registry

import (
	"fmt"
	"strings"
	"time"
)

// plural picks a suffix by count.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// countsText renders severity counts from most to least severe.
func countsText(c map[string]int) string {
	var parts []string
	for _, s := range []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"} {
		if c[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", s, c[s]))
		}
	}
	return strings.Join(parts, ", ")
}

// timeUnit is the rounding unit for an age in messages.
func timeUnit(d time.Duration) time.Duration {
	if d > 48*time.Hour {
		return time.Hour
	}
	return time.Minute
}
