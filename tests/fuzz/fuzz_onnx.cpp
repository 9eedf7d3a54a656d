// libFuzzer: the ONNX reader and patcher on arbitrary bytes. Malformed bytes must end in an
// InputError; a model the reader accepts must patch, and the patched bytes must read back.
#include <cstdint>
#include <string>

#include "error.h"
#include "model_adapter.h"
#include "onnx_graph.h"

using namespace iscam;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    GraphInfo g;
    try {
        g = read_onnx(bytes);
    } catch (const InputError&) {
        return 0;
    }
    // The patch the layer listing makes: every probe exposed, the batch made symbolic.
    PatchOptions probe;
    probe.extra_outputs = layer_probe_names(g);
    probe.symbolic_batch = true;
    std::string patched;
    try {
        patched = patch_onnx(bytes, g, probe);
    } catch (const InputError&) {
        return 0;  // malformed data the reader skipped, met by the patcher: refused, fine
    }
    read_onnx(patched);  // an InputError here escapes: the patcher broke a model the reader accepted
    // The engine model the explainer runs.
    try {
        const ModelPlan plan = plan_model(g);
        EngineOptions options;
        for (const ProbeLayer& p : plan.probes) options.layers.push_back(p.name);
        options.symbolic_batch = true;
        read_onnx(engine_model(bytes, g, plan, options));
    } catch (const InputError&) {
    }
    return 0;
}
