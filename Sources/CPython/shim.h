// CPython's embedding API (Debian's libpython3.11), plus inline helpers for what Python.h
// defines as macros, which Swift cannot call.
#ifndef OUTFLOW_CPYTHON_SHIM_H
#define OUTFLOW_CPYTHON_SHIM_H

// The C library's headers come first, parsed with the same macros as Foundation's and Dispatch's
// copies: pyconfig.h defines _GNU_SOURCE and friends, and Clang refuses two modules whose fd_set
// (and other types) were read under different macros.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <pthread.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/select.h>
#include <wchar.h>
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <ctype.h>
#include <locale.h>

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

/// Starts the interpreter once per process, isolated from the environment: no PYTHONHOME,
/// PYTHONPATH or user site, no signal handlers (Ctrl-C stays Outflow's), the stdlib of `home`.
/// Releases the GIL before returning. 0 on success; otherwise `error` holds the reason.
static inline int outflow_py_initialize(const char *home, const char *executable, char *error, size_t errorSize) {
    PyConfig *config = (PyConfig *)malloc(sizeof(PyConfig));
    if (config == NULL) {
        snprintf(error, errorSize, "out of memory");
        return 1;
    }
    PyConfig_InitPythonConfig(config);
    config->use_environment = 0;
    config->user_site_directory = 0;
    config->install_signal_handlers = 0;
    config->parse_argv = 0;
    config->buffered_stdio = 0;
    PyStatus status = PyConfig_SetBytesString(config, &config->home, home);
    if (!PyStatus_Exception(status)) status = PyConfig_SetBytesString(config, &config->executable, executable);
    if (!PyStatus_Exception(status)) status = PyConfig_SetBytesString(config, &config->program_name, executable);
    if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(config);
    PyConfig_Clear(config);
    free(config);
    if (PyStatus_Exception(status)) {
        snprintf(error, errorSize, "%s%s%s", status.func ? status.func : "", status.func ? ": " : "", status.err_msg ? status.err_msg : "unknown error");
        return 1;
    }
    PyEval_SaveThread();
    return 0;
}

static inline void outflow_py_incref(PyObject *object) { Py_INCREF(object); }
static inline void outflow_py_decref(PyObject *object) { Py_DECREF(object); }
static inline void outflow_py_xdecref(PyObject *object) { Py_XDECREF(object); }

/// A new reference to None.
static inline PyObject *outflow_py_none(void) { Py_INCREF(Py_None); return Py_None; }
static inline int outflow_py_is_none(PyObject *object) { return object == Py_None; }

/// The object's exact type.
static inline PyTypeObject *outflow_py_type(PyObject *object) { return Py_TYPE(object); }

static inline int outflow_py_is_bool(PyObject *object) { return PyBool_Check(object); }
static inline int outflow_py_is_int(PyObject *object) { return PyLong_Check(object); }
static inline int outflow_py_is_float(PyObject *object) { return PyFloat_Check(object); }
static inline int outflow_py_is_str(PyObject *object) { return PyUnicode_Check(object); }
static inline int outflow_py_is_dict(PyObject *object) { return PyDict_Check(object); }
static inline int outflow_py_is_list(PyObject *object) { return PyList_Check(object); }
static inline int outflow_py_is_tuple(PyObject *object) { return PyTuple_Check(object); }

static inline PyObject *outflow_py_list_item(PyObject *list, Py_ssize_t index) { return PyList_GET_ITEM(list, index); }
static inline PyObject *outflow_py_tuple_item(PyObject *tuple, Py_ssize_t index) { return PyTuple_GET_ITEM(tuple, index); }

/// The datetime module's C API (a `PyDateTime_CAPI *`), or NULL with an error set. Needs the GIL.
static inline void *outflow_py_datetime_api(void) { return PyCapsule_Import(PyDateTime_CAPSULE_NAME, 0); }

/// A new aware datetime in UTC, made without running Python code.
static inline PyObject *outflow_py_utc_datetime(void *capi, int year, int month, int day, int hour, int minute, int second, int microsecond) {
    PyDateTime_CAPI *api = (PyDateTime_CAPI *)capi;
    return api->DateTime_FromDateAndTime(year, month, day, hour, minute, second, microsecond, api->TimeZone_UTC, api->DateTimeType);
}

/// For a datetime that is naive or in the UTC singleton zone: 1 and its fields (year, month, day,
/// hour, minute, second, microsecond) in `fields`; 0 for anything else (other zones, not a datetime).
static inline int outflow_py_utc_fields(void *capi, PyObject *object, int *fields) {
    PyDateTime_CAPI *api = (PyDateTime_CAPI *)capi;
    if (!PyObject_TypeCheck(object, api->DateTimeType)) return 0;
    PyObject *zone = PyDateTime_DATE_GET_TZINFO(object);
    if (zone != Py_None && zone != api->TimeZone_UTC) return 0;
    fields[0] = PyDateTime_GET_YEAR(object);
    fields[1] = PyDateTime_GET_MONTH(object);
    fields[2] = PyDateTime_GET_DAY(object);
    fields[3] = PyDateTime_DATE_GET_HOUR(object);
    fields[4] = PyDateTime_DATE_GET_MINUTE(object);
    fields[5] = PyDateTime_DATE_GET_SECOND(object);
    fields[6] = PyDateTime_DATE_GET_MICROSECOND(object);
    return 1;
}

static inline PyObject *outflow_py_true(void) { Py_INCREF(Py_True); return Py_True; }
static inline PyObject *outflow_py_false(void) { Py_INCREF(Py_False); return Py_False; }

// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), declared in <spawn.h> only under
// _GNU_SOURCE, which the C library's module is not built with. The function worker's spawn needs it
// (FunctionWorker.spawn: close every inherited descriptor before exec); the action set is passed
// untyped so this header needs no <spawn.h>.
extern int outflow_spawn_file_actions_addclosefrom(void *actions, int from) __asm__("posix_spawn_file_actions_addclosefrom_np");

#endif
