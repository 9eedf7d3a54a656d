#include "ort_session.h"

#include <algorithm>
#include <stdexcept>

#include "error.h"
#ifdef ISCAM_CUDA
#include "cuda/device.h"
#endif

namespace iscam {

namespace {
// ONNX Runtime's messages span lines; the CLI promises a one-line reason.
std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

// Without VNNI, ONNX Runtime's x86 int8 kernels sum pairs of u8·s8 products in 16 bits and overflow
// without a word; with AVX-512 VNNI they are exact, and its exact u8·u8 kernels there cost 2.5 times
// as much. Other CPUs (AVX-VNNI without AVX-512 among them) get the exact kernels.
bool int8_sums_can_overflow() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool overflow = !__builtin_cpu_supports("avx512vnni");
    return overflow;
#else
    return false;
#endif
}
}  // namespace

Ort::Env& OrtSession::env() {
    static Ort::Env env(ORT_LOGGING_LEVEL_FATAL, "iscam");  // errors reach the user as exceptions
    return env;
}

size_t OutputTensor::count() const {
    size_t n = 1;
    for (int64_t d : shape) n *= size_t(std::max<int64_t>(d, 0));
    return n;
}

OrtSession::OrtSession(const std::string& model_bytes, const RuntimeOptions& options, const std::string& data_folder) {
    if (options.device == Device::Cuda) {
#ifdef ISCAM_CUDA
        gpu::require_device();
#else
        throw InputError("--device cuda: this build has no CUDA path (configure with -DISCAM_CUDA=ON where nvcc is found)");
#endif
    }
    try {
        Ort::SessionOptions so;
        if (options.threads > 0) so.SetIntraOpNumThreads(options.threads);
        so.SetInterOpNumThreads(1);
        // Idle ONNX Runtime threads would spin on the cores the engine writes the next batch with.
        so.AddConfigEntry("session.intra_op.allow_spinning", "0");
        so.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
        // An int8 model's class and maps must not hang on the CPU.
        if (int8_sums_can_overflow()) so.AddConfigEntry("session.x64quantprecision", "1");
        // A session made from bytes has no folder of its own to find external data in.
        if (!data_folder.empty()) so.AddConfigEntry("session.model_external_initializers_file_folder_path", data_folder.c_str());
        if (options.device == Device::Cuda) {
            OrtCUDAProviderOptions cuda{};
            cuda.device_id = 0;
            cuda.cudnn_conv_algo_search = OrtCudnnConvAlgoSearchExhaustive;
            try {
                so.AppendExecutionProvider_CUDA(cuda);
            } catch (const Ort::Exception& e) {
                throw InputError(std::string("--device cuda: ONNX Runtime's CUDA provider does not load "
                                             "(scripts/install-cuda-deps.sh; CUDA 13 and cuDNN 9 on LD_LIBRARY_PATH): ") +
                                 one_line(e.what()));
            }
        }
        session_ = std::make_unique<Ort::Session>(env(), model_bytes.data(), model_bytes.size(), so);
        Ort::AllocatorWithDefaultOptions alloc;
        input_name_ = session_->GetInputNameAllocated(0, alloc).get();
        for (size_t i = 0; i < session_->GetOutputCount(); ++i)
            output_names_.push_back(session_->GetOutputNameAllocated(i, alloc).get());
    } catch (const Ort::Exception& e) {
        throw InputError(std::string("ONNX Runtime cannot load the model: ") + one_line(e.what()));
    }
}

std::vector<OutputTensor> OrtSession::run(const float* input, const std::vector<int64_t>& shape,
                                          const std::vector<std::string>& outputs) {
    static const Ort::MemoryInfo cpu = Ort::MemoryInfo::CreateCpu(OrtDeviceAllocator, OrtMemTypeDefault);
    if (outputs.empty()) throw std::logic_error("OrtSession::run without an output to fetch");
    size_t count = 1;
    for (int64_t d : shape) count *= size_t(d);
    const char* in_name = input_name_.c_str();
    std::vector<const char*> out_names;
    for (const auto& o : outputs) out_names.push_back(o.c_str());
    std::vector<OutputTensor> result;
    converted_.clear();
    try {
        Ort::Value in = Ort::Value::CreateTensor<float>(cpu, const_cast<float*>(input), count, shape.data(), shape.size());
        last_ = session_->Run(Ort::RunOptions{nullptr}, &in_name, &in, 1, out_names.data(), out_names.size());
        for (auto& v : last_) {
            if (!v.IsTensor()) {
                result.push_back({{}, nullptr});
                continue;
            }
            auto info = v.GetTensorTypeAndShapeInfo();
            OutputTensor t{info.GetShape(), nullptr};
            switch (info.GetElementType()) {
                case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: t.data = v.GetTensorData<float>(); break;
                case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: {
                    const Ort::Float16_t* h = v.GetTensorData<Ort::Float16_t>();
                    auto& f = converted_.emplace_back(info.GetElementCount());
                    for (size_t i = 0; i < f.size(); ++i) f[i] = h[i].ToFloat();
                    t.data = f.data();
                    break;
                }
                case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE: {
                    const double* d = v.GetTensorData<double>();
                    t.data = converted_.emplace_back(d, d + info.GetElementCount()).data();
                    break;
                }
                default: break;
            }
            result.push_back(std::move(t));
        }
    } catch (const Ort::Exception& e) {
        throw InputError(std::string("ONNX Runtime failed to run the model: ") + one_line(e.what()));
    }
    return result;
}

OutputTensor OrtSession::run_on_device(const float* input, const std::vector<int64_t>& shape,
                                       const std::string& output) {
    static const Ort::MemoryInfo cuda("Cuda", OrtDeviceAllocator, 0, OrtMemTypeDefault);
    size_t count = 1;
    for (int64_t d : shape) count *= size_t(d);
    try {
        Ort::Value in = Ort::Value::CreateTensor<float>(cuda, const_cast<float*>(input), count, shape.data(), shape.size());
        if (!binding_) binding_ = std::make_unique<Ort::IoBinding>(*session_);
        binding_->ClearBoundInputs();
        binding_->ClearBoundOutputs();
        binding_->BindInput(input_name_.c_str(), in);
        binding_->BindOutput(output.c_str(), cuda);
        session_->Run(Ort::RunOptions{nullptr}, *binding_);
        binding_->SynchronizeOutputs();
        last_ = binding_->GetOutputValues();
    } catch (const Ort::Exception& e) {
        throw InputError(std::string("ONNX Runtime failed to run the model: ") + one_line(e.what()));
    }
    auto info = last_[0].GetTensorTypeAndShapeInfo();
    if (info.GetElementType() != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) throw InputError("the model's output is not float32");
    return {info.GetShape(), last_[0].GetTensorData<float>()};
}

}  // namespace iscam
