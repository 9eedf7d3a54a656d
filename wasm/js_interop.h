#pragma once
// What every binding needs: C++ exceptions turned into JS Errors, and copies between JS arrays
// and C++ memory.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "colormap.h"
#include "error.h"
#include "image.h"
#include "methods.h"

namespace iscam::js {

using emscripten::val;

[[noreturn]] inline void throw_js_error(const char* name, const std::string& message) {
    val error = val::global("Error").new_(message);
    error.set("name", std::string(name));
    error.throw_();
}

// Runs f; a C++ exception becomes a JS Error thrown once the C++ catch has ended (so the
// exception object is freed). The JS throw unwinds the wasm frames without their epilogues,
// which costs 16 bytes of the 5 MiB stack per error: harmless at the rate people err.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
    const char* name = "Error";
    std::string message;
    try {
        return f();
    } catch (const InputError& e) {
        name = "InputError";
        message = e.what();
    } catch (const std::exception& e) {
        message = e.what();
    }
    throw_js_error(name, message);
}

// Copies a JS typed array (or array of numbers) into C++ memory with one TypedArray.set.
template <class T>
std::vector<T> to_vector(const val& array) {
    std::vector<T> out(array["length"].as<size_t>());
    val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
    return out;
}

inline std::string to_bytes(const val& array) {
    std::string out(array["length"].as<size_t>(), '\0');
    val(emscripten::typed_memory_view(out.size(), reinterpret_cast<uint8_t*>(out.data()))).call<void>("set", array);
    return out;
}

// A JS-owned copy of C++ memory (`kind` is the typed array constructor's name).
template <class T>
val to_typed_array(const char* kind, const T* data, size_t n) {
    return val::global(kind).new_(emscripten::typed_memory_view(n, data));
}

inline val to_js(const Image& image) {
    val out = val::object();
    out.set("width", image.width);
    out.set("height", image.height);
    out.set("rgb", to_typed_array("Uint8Array", image.rgb.data(), image.rgb.size()));
    return out;
}

inline Image image_from_js(const val& image) {
    Image out;
    out.width = image["width"].as<int>();
    out.height = image["height"].as<int>();
    out.rgb = to_vector<uint8_t>(image["rgb"]);
    if (out.width < 1 || out.height < 1 || out.rgb.size() != size_t(out.width) * out.height * 3)
        throw InputError("the image's size does not match its pixels");
    return out;
}

inline val strings_to_js(const std::vector<std::string>& v) {
    val out = val::array();
    for (const auto& s : v) out.call<void>("push", s);
    return out;
}

inline std::vector<std::string> strings_from_js(const val& array) {
    std::vector<std::string> out;
    const size_t n = array["length"].as<size_t>();
    for (size_t i = 0; i < n; ++i) out.push_back(array[i].as<std::string>());
    return out;
}

inline Colormap colormap_from(const std::string& name) {
    auto c = parse_colormap(name);
    if (!c) throw InputError("unknown colour map '" + name + "'");
    return *c;
}

// A seed from JS: a whole number from 0 to 2^53 − 1 (the integers a JS number holds exactly).
inline uint64_t seed_from(double seed) {
    if (!(seed >= 0 && seed <= 9007199254740991.0 && seed == std::floor(seed)))
        throw InputError("the seed must be a whole number from 0 to 2^53 − 1");
    return uint64_t(seed);
}

inline Method method_from(const std::string& name) {
    auto m = parse_method(name);
    if (!m) throw InputError("unknown method '" + name + "' (known: " + method_names() + ")");
    return *m;
}

inline std::vector<Method> methods_from(const val& names) {
    std::vector<Method> out;
    for (const std::string& name : strings_from_js(names)) out.push_back(method_from(name));
    return out;
}

// {sscamSamples, sscamSigma, seed, iscamSamples; channels, select ('variance' or 'screen'),
// screenChannels (fast mode) and shortcuts optional}
inline ExplainOptions options_from(const val& options) {
    ExplainOptions o;
    o.sscam_samples = options["sscamSamples"].as<int>();
    o.sscam_sigma = options["sscamSigma"].as<float>();
    o.seed = uint64_t(options["seed"].as<double>());
    o.iscam_samples = options["iscamSamples"].as<int>();
    if (options["channels"].isNumber()) o.channels = options["channels"].as<int>();
    if (options["select"].isString()) {
        const std::string select = options["select"].as<std::string>();
        const std::optional<ChannelSelect> s = parse_select(select);
        if (!s) throw InputError("select must be 'variance' or 'screen', not '" + select + "'");
        o.select = *s;
    }
    if (options["screenChannels"].isNumber()) o.screen_channels = options["screenChannels"].as<int>();
    if (!options["shortcuts"].isUndefined()) o.shortcuts = options["shortcuts"].as<bool>();
    return o;
}

}  // namespace iscam::js
