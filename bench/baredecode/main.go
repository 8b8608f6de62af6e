// Command baredecode is the floor of the scan benchmark: it decodes every
// YAML document of the files named on standard input with sigs.k8s.io/yaml
// in strict mode (the API server's library), in parallel, and does nothing
// else. bench/scan.sh compares immutcheck's full scan with it.
//
// With -ok it instead prints the files whose documents all decode, so the
// benchmark can give every tool the same input that all of them accept.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"sigs.k8s.io/yaml"
)

func main() {
	okOnly := flag.Bool("ok", false, "print the files that decode without error, nothing else")
	flag.Parse()
	if *okOnly {
		listOK()
		return
	}
	var files []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		files = append(files, sc.Text())
	}
	var docs, errs atomic.Int64
	ch := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range ch {
				data, err := os.ReadFile(f)
				if err != nil {
					errs.Add(1)
					continue
				}
				for _, doc := range bytes.Split(data, []byte("\n---")) {
					var v map[string]any
					if err := yaml.UnmarshalStrict(doc, &v); err != nil {
						errs.Add(1)
					}
					docs.Add(1)
				}
			}
		}()
	}
	for _, f := range files {
		ch <- f
	}
	close(ch)
	wg.Wait()
	fmt.Fprintf(os.Stderr, "baredecode: %d files, %d documents, %d errors\n", len(files), docs.Load(), errs.Load())
}

// listOK prints the files named on standard input whose documents all
// decode strictly.
func listOK() {
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		data, err := os.ReadFile(sc.Text())
		if err != nil {
			continue
		}
		ok := true
		for _, doc := range bytes.Split(data, []byte("\n---")) {
			var v map[string]any
			if yaml.UnmarshalStrict(doc, &v) != nil {
				ok = false
				break
			}
		}
		if ok {
			fmt.Println(sc.Text())
		}
	}
}
