#pragma once
// The engine inside a JS `Explainer` (bind_explainer.cpp), for bindings of other areas that read
// a run (bind_teaching.cpp). The JS object must outlive the reference.
#include <emscripten/val.h>

#include "explainer.h"

namespace iscam::js {

// Throws (a JS BindingError) when `explainer` is not a live Explainer.
Explainer& engine_of(const emscripten::val& explainer);

}  // namespace iscam::js
