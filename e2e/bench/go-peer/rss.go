// The process's resident memory, as the kernel reports it in /proc/self/status.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// residentBytes returns VmRSS of this process.
func residentBytes() (int64, error) {
	file, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read RSS: %w", err)
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 3 && fields[0] == "VmRSS:" && fields[2] == "kB" {
			kib, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("read RSS: VmRSS %q: %w", fields[1], err)
			}
			return kib * 1024, nil
		}
	}
	if err := scanner.Err(); err != nil {
		return 0, fmt.Errorf("read RSS: %w", err)
	}
	return 0, fmt.Errorf("read RSS: no VmRSS line in /proc/self/status")
}
