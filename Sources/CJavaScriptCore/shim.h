// JavaScriptCore's C API as Debian's libjavascriptcoregtk-4.1-dev installs it, plus the two
// functions of JSContextRefPrivate.h that the library exports but the package does not install.
#ifndef OUTFLOW_CJAVASCRIPTCORE_SHIM_H
#define OUTFLOW_CJAVASCRIPTCORE_SHIM_H

#include <JavaScriptCore/JavaScript.h>
#include <stdbool.h>

/// Called when a script of the group has run longer than the limit; returning true terminates it.
typedef bool (*JSShouldTerminateCallback)(JSContextRef ctx, void *context);

/// Limits how long a script of `group` may run (seconds of wall time per entry into the VM).
void JSContextGroupSetExecutionTimeLimit(JSContextGroupRef group, double limit, JSShouldTerminateCallback callback, void *context);

/// Removes the limit set by JSContextGroupSetExecutionTimeLimit.
void JSContextGroupClearExecutionTimeLimit(JSContextGroupRef group);

/// A callback for JSContextGroupSetExecutionTimeLimit that always terminates the script.
static inline bool outflow_js_terminate(JSContextRef ctx, void *context) {
    (void)ctx;
    (void)context;
    return true;
}

#endif
