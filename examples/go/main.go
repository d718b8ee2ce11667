// The scorecard of examples/c/scorecard.c, in Go through the C ABI with cgo: spm.h and
// libspm.so, no C++ in between. It prints the same bytes as the C program.
//
//	CGO_CFLAGS="-I capi" CGO_LDFLAGS="-L build -lspm" go build -o scorecard ./examples/go
//	./scorecard examples/municipality.json
package main

/*
#include <stdlib.h>
#include "spm.h"
*/
import "C"

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"unsafe"
)

type spmError struct {
	what string
	rc   C.int
}

func (e spmError) Error() string {
	return fmt.Sprintf("scorecard: %s: %s: %s", e.what, C.GoString(C.spm_strerror(e.rc)),
		C.GoString(C.spm_error_last()))
}

func check(what string, rc C.int) {
	if rc != C.SPM_OK {
		panic(spmError{what, rc})
	}
}

func newResult() C.spm_score_result {
	var r C.spm_score_result
	r.version = C.SPM_SCORE_RESULT_VERSION
	return r
}

func row(out *bufio.Writer, kind, id string, r *C.spm_score_result, name string) {
	score := "-"
	if !math.IsNaN(float64(r.score)) {
		score = fmt.Sprintf("%.4f", float64(r.score))
	}
	fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\n", kind, id, score,
		C.GoString(C.spm_status_name(r.status)), C.GoString(C.spm_trend_name(r.trend)), name)
}

func run(path string, out *bufio.Writer) (err error) {
	var model *C.spm_model
	var cascade *C.spm_cascade
	var card *C.spm_scorecard
	defer func() {
		C.spm_scorecard_free(card)
		C.spm_cascade_free(cascade)
		C.spm_model_free(model)
		if r := recover(); r != nil {
			if e, ok := r.(spmError); ok {
				err = e
				return
			}
			panic(r)
		}
	}()

	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	check(path, C.spm_model_load_file(&model, cpath))
	check("compile", C.spm_cascade_compile(&cascade, model))
	month := (*C.char)(C.malloc(16))
	defer C.free(unsafe.Pointer(month))
	check("last month", C.spm_model_last_actual_month(model, month, 16, nil))
	var opts C.spm_score_options
	check("options", C.spm_score_options_init(&opts, C.SPM_SCORE_OPTIONS_VERSION))
	opts.through = month
	check("evaluate", C.spm_scorecard_evaluate(&card, cascade, &opts, nil))
	columns := C.spm_scorecard_column_count(card)
	last := columns - 1
	var label *C.char
	check("column", C.spm_scorecard_column_label(card, last, &label))
	fmt.Fprintf(out, "scorecard\t%s\t%d columns\n", C.GoString(label), uint64(columns))

	org := newResult()
	check("organization", C.spm_scorecard_get_organization(card, last, &org))
	row(out, "organization", "-", &org, "")
	for _, kind := range []C.spm_entity_kind{C.SPM_KIND_PERSPECTIVE, C.SPM_KIND_GOAL,
		C.SPM_KIND_MEASURE} {
		var n C.size_t
		check("count", C.spm_model_count(model, kind, &n))
		for i := C.size_t(0); i < n; i++ {
			var id, name *C.char
			check("id", C.spm_model_entity_id(model, kind, i, &id))
			check("name", C.spm_model_entity_name(model, kind, i, &name))
			r := newResult()
			check(C.GoString(id), C.spm_scorecard_get(card, kind, id, last, &r))
			row(out, C.GoString(C.spm_kind_name(kind)), C.GoString(id), &r, C.GoString(name))
		}
	}
	return nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: scorecard FILE.json")
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	err := run(os.Args[1], out)
	out.Flush()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
