#include "errors.h"

namespace iscam::capi {

namespace {
thread_local std::string t_last_error;
}

iscam_status fail(iscam_status status, const char* function, const std::string& message) noexcept {
    try {
        t_last_error = function ? std::string(function) + ": " + message : message;
    } catch (...) {
        t_last_error.clear();  // no memory left for the message: the status still tells
    }
    return status;
}

}  // namespace iscam::capi

extern "C" {

const char* iscam_last_error(void) { return iscam::capi::t_last_error.c_str(); }

const char* iscam_status_name(iscam_status status) {
    switch (status) {
        case ISCAM_OK: return "ok";
        case ISCAM_ERROR_ARGUMENT: return "argument";
        case ISCAM_ERROR_INPUT: return "input";
        case ISCAM_ERROR_CANCELLED: return "cancelled";
        case ISCAM_ERROR_MEMORY: return "memory";
        case ISCAM_ERROR_INTERNAL: return "internal";
    }
    return "unknown";
}

}  // extern "C"
