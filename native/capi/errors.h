#pragma once
// How the C API reports failures: every entry point runs its body through guarded(), which turns
// exceptions into an iscam_status and the thread's last error, so that none crosses into C.
#include <new>
#include <stdexcept>
#include <string>

#include "error.h"
#include "iscam/iscam.h"

namespace iscam::capi {

// Misuse by the calling program (NULL pointer, wrong size, out of range): ISCAM_ERROR_ARGUMENT.
class ArgumentError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// The progress callback asked to stop: ISCAM_ERROR_CANCELLED.
class Cancelled : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

iscam_status fail(iscam_status status, const char* function, const std::string& message) noexcept;

template <class F>
iscam_status guarded(const char* function, F&& body) noexcept {
    try {
        body();
        return ISCAM_OK;
    } catch (const ArgumentError& e) {
        return fail(ISCAM_ERROR_ARGUMENT, function, e.what());
    } catch (const InputError& e) {
        return fail(ISCAM_ERROR_INPUT, nullptr, e.what());
    } catch (const Cancelled& e) {
        return fail(ISCAM_ERROR_CANCELLED, nullptr, e.what());
    } catch (const std::bad_alloc&) {
        return fail(ISCAM_ERROR_MEMORY, function, "out of memory");
    } catch (const std::exception& e) {
        return fail(ISCAM_ERROR_INTERNAL, function, std::string("internal error: ") + e.what());
    } catch (...) {
        return fail(ISCAM_ERROR_INTERNAL, function, "internal error");
    }
}

// For getters that return a value: `fallback` (NULL, 0, -1) when the body throws.
template <class T, class F>
T guarded_value(const char* function, T fallback, F&& body) noexcept {
    T value = fallback;
    guarded(function, [&] { value = body(); });
    return value;
}

// Throws ArgumentError("<name> is NULL") when p is null.
template <class P>
P* require(P* p, const char* name) {
    if (!p) throw ArgumentError(std::string(name) + " is NULL");
    return p;
}

}  // namespace iscam::capi
