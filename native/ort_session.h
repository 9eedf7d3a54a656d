#pragma once
// One ONNX Runtime session over model bytes, run on float inputs the caller owns (no copies).
#include <onnxruntime_cxx_api.h>

#include <memory>
#include <string>
#include <vector>

namespace iscam {

enum class Device { Cpu, Cuda };

struct RuntimeOptions {
    int threads = 0;  // 0: ONNX Runtime's default (one per core)
    Device device = Device::Cpu;
};

struct OutputTensor {
    std::vector<int64_t> shape;
    const float* data;  // nullptr when the tensor is not float32 (float16 and float64 are converted)
    size_t count() const;
};

class OrtSession {
public:
    // Throws InputError when ONNX Runtime rejects the model. `data_folder`: where the model's
    // external data files are ("": it has none).
    OrtSession(const std::string& model_bytes, const RuntimeOptions& options, const std::string& data_folder = "");

    const std::string& input_name() const { return input_name_; }
    const std::vector<std::string>& output_names() const { return output_names_; }

    // Runs `input` (shape given, data owned by the caller) and returns the named outputs;
    // the returned views live until the next run. Throws InputError with ORT's reason.
    std::vector<OutputTensor> run(const float* input, const std::vector<int64_t>& shape,
                                  const std::vector<std::string>& outputs);
    // The same for an input already in CUDA device memory (I/O binding); `output` stays on the
    // device too: the view's data is a device pointer, valid until the next run.
    OutputTensor run_on_device(const float* input, const std::vector<int64_t>& shape, const std::string& output);

    static Ort::Env& env();

private:
    std::unique_ptr<Ort::Session> session_;
    std::string input_name_;
    std::vector<std::string> output_names_;
    std::vector<Ort::Value> last_;
    std::vector<std::vector<float>> converted_;  // float32 copies of float16/float64 outputs
    std::unique_ptr<Ort::IoBinding> binding_;
};

}  // namespace iscam
