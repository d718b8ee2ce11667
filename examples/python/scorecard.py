"""scorecard.py - the scorecard of examples/c/scorecard.c, through the C ABI with ctypes.

    SPM_LIBRARY=build/libspm.so python3 examples/python/scorecard.py examples/municipality.json

No C++ and no compiled extension: only libspm.so and the declarations of spm.h, written out
below. It prints the same bytes as the C program.
"""

import ctypes
import math
import os
import sys

SPM_OK = 0
KIND_PERSPECTIVE, KIND_GOAL, KIND_MEASURE = 1, 7, 9
SCORE_OPTIONS_VERSION = 1
SCORE_RESULT_VERSION = 1


class ScoreOptions(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("columns", ctypes.POINTER(ctypes.c_char_p)),
        ("column_count", ctypes.c_size_t),
        ("through", ctypes.c_char_p),
        ("trend_periods", ctypes.c_int),
        ("trend_dead_band", ctypes.c_double),
        ("on_track_share", ctypes.c_double),
    ]


class ScoreResult(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("score", ctypes.c_double),
        ("coverage", ctypes.c_double),
        ("status", ctypes.c_int),
        ("trend", ctypes.c_int),
        ("slope", ctypes.c_double),
    ]


def load_library():
    lib = ctypes.CDLL(os.environ.get("SPM_LIBRARY", "libspm.so.0"))
    vp, cp, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    signatures = {
        "spm_strerror": (cp, [ctypes.c_int]),
        "spm_error_last": (cp, []),
        "spm_model_load_file": (ctypes.c_int, [ctypes.POINTER(vp), cp]),
        "spm_model_free": (None, [vp]),
        "spm_model_count": (ctypes.c_int, [vp, ctypes.c_int, ctypes.POINTER(sz)]),
        "spm_model_entity_id": (ctypes.c_int, [vp, ctypes.c_int, sz, ctypes.POINTER(cp)]),
        "spm_model_entity_name": (ctypes.c_int, [vp, ctypes.c_int, sz, ctypes.POINTER(cp)]),
        "spm_model_last_actual_month": (ctypes.c_int, [vp, ctypes.c_char_p, sz, ctypes.POINTER(sz)]),
        "spm_cascade_compile": (ctypes.c_int, [ctypes.POINTER(vp), vp]),
        "spm_cascade_free": (None, [vp]),
        "spm_scorecard_evaluate": (
            ctypes.c_int, [ctypes.POINTER(vp), vp, ctypes.POINTER(ScoreOptions), vp]),
        "spm_scorecard_free": (None, [vp]),
        "spm_scorecard_column_count": (sz, [vp]),
        "spm_scorecard_column_label": (ctypes.c_int, [vp, sz, ctypes.POINTER(cp)]),
        "spm_scorecard_get": (ctypes.c_int, [vp, ctypes.c_int, cp, sz, ctypes.POINTER(ScoreResult)]),
        "spm_scorecard_get_organization": (ctypes.c_int, [vp, sz, ctypes.POINTER(ScoreResult)]),
        "spm_kind_name": (cp, [ctypes.c_int]),
        "spm_status_name": (cp, [ctypes.c_int]),
        "spm_trend_name": (cp, [ctypes.c_int]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


class SpmError(Exception):
    pass


def main(argv):
    if len(argv) != 2:
        print("usage: scorecard.py FILE.json", file=sys.stderr)
        return 2
    lib = load_library()

    def check(what, rc):
        if rc != SPM_OK:
            raise SpmError("scorecard: %s: %s: %s" % (
                what, lib.spm_strerror(rc).decode(), lib.spm_error_last().decode()))

    out = sys.stdout.buffer
    model, cascade, card = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    try:
        check(argv[1], lib.spm_model_load_file(ctypes.byref(model), argv[1].encode()))
        check("compile", lib.spm_cascade_compile(ctypes.byref(cascade), model))
        month = ctypes.create_string_buffer(16)
        check("last month", lib.spm_model_last_actual_month(model, month, 16, None))
        opts = ScoreOptions(SCORE_OPTIONS_VERSION, None, 0, month.value, 6, 0.01, 0.95)
        check("evaluate", lib.spm_scorecard_evaluate(ctypes.byref(card), cascade,
                                                     ctypes.byref(opts), None))
        columns = lib.spm_scorecard_column_count(card)
        last = columns - 1
        label = ctypes.c_char_p()
        check("column", lib.spm_scorecard_column_label(card, last, ctypes.byref(label)))
        out.write(b"scorecard\t%s\t%d columns\n" % (label.value, columns))

        def row(kind, ident, result, name):
            score = b"-" if math.isnan(result.score) else b"%.4f" % result.score
            out.write(b"\t".join([kind, ident, score, lib.spm_status_name(result.status),
                                  lib.spm_trend_name(result.trend), name]) + b"\n")

        org = ScoreResult(SCORE_RESULT_VERSION)
        check("organization", lib.spm_scorecard_get_organization(card, last, ctypes.byref(org)))
        row(b"organization", b"-", org, b"")
        for kind in (KIND_PERSPECTIVE, KIND_GOAL, KIND_MEASURE):
            n = ctypes.c_size_t()
            check("count", lib.spm_model_count(model, kind, ctypes.byref(n)))
            for i in range(n.value):
                ident, name = ctypes.c_char_p(), ctypes.c_char_p()
                check("id", lib.spm_model_entity_id(model, kind, i, ctypes.byref(ident)))
                check("name", lib.spm_model_entity_name(model, kind, i, ctypes.byref(name)))
                result = ScoreResult(SCORE_RESULT_VERSION)
                check(ident.value.decode(), lib.spm_scorecard_get(card, kind, ident.value, last,
                                                                  ctypes.byref(result)))
                row(lib.spm_kind_name(kind), ident.value, result, name.value)
        return 0
    except SpmError as e:
        print(e, file=sys.stderr)
        return 1
    finally:
        lib.spm_scorecard_free(card)
        lib.spm_cascade_free(cascade)
        lib.spm_model_free(model)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
