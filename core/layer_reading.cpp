#include "layer_reading.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "error.h"

namespace iscam {

namespace {

std::string grid_text(int64_t h, int64_t w) { return std::to_string(h) + "×" + std::to_string(w); }

// Ops whose output is N×C×H×W by the ONNX definition.
const std::set<std::string>& channels_first_ops() {
    static const std::set<std::string> ops = {
        "Conv", "ConvTranspose", "ConvInteger", "QLinearConv", "MaxPool", "AveragePool", "LpPool",
        "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "BatchNormalization", "InstanceNormalization", "LRN",
        "DepthToSpace", "SpaceToDepth"};
    return ops;
}

// Ops whose output has the layout of their (non-constant) inputs.
const std::set<std::string>& layout_keeping_ops() {
    static const std::set<std::string> ops = {
        "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
        "Mish", "Gelu", "Erf", "Softplus", "Add", "Sub", "Mul", "Div", "Sum", "Max", "Min", "Concat", "Dropout",
        "Identity", "Cast", "Pad", "Resize", "Upsample", "QuantizeLinear", "DequantizeLinear", "MatMul",
        "LayerNormalization", "Softmax", "Neg", "Abs", "Sqrt", "Pow", "Exp"};
    return ops;
}

bool is_perm(const NodeDecl& n, std::initializer_list<int64_t> perm) {
    const auto* p = n.ints_attribute("perm");
    return p && std::equal(p->begin(), p->end(), perm.begin(), perm.end());
}

// Several sources agree, or the graph does not settle the layout.
struct Votes {
    bool nchw = false, nhwc = false;
    void add(std::optional<Layout> l) {
        if (l == Layout::NCHW) nchw = true;
        if (l == Layout::NHWC) nhwc = true;
    }
    std::optional<Layout> result() const {
        if (nchw == nhwc) return std::nullopt;
        return nchw ? Layout::NCHW : Layout::NHWC;
    }
};

class LayoutWalk {
public:
    LayoutWalk(const GraphInfo& g, Layout input_layout) : g_(g), input_layout_(input_layout) {
        for (const auto& n : g.nodes) {
            for (const auto& o : n.outputs) producers_[o] = &n;
            for (const auto& i : n.inputs) consumers_[i].push_back(&n);
        }
        for (const auto& i : g.initializers) constants_.insert(i.name);
        for (const auto& i : g.inputs) inputs_.insert(i.name);
    }

    std::optional<Layout> back(const std::string& t) {
        if (auto it = back_memo_.find(t); it != back_memo_.end()) return it->second;
        back_memo_[t] = std::nullopt;  // a cycle settles nothing
        return back_memo_[t] = back_uncached(t);
    }

    std::optional<Layout> forward(const std::string& t) {
        if (auto it = forward_memo_.find(t); it != forward_memo_.end()) return it->second;
        forward_memo_[t] = std::nullopt;
        return forward_memo_[t] = forward_uncached(t);
    }

    bool activation_product(const std::string& t) {
        if (auto it = product_memo_.find(t); it != product_memo_.end()) return it->second;
        product_memo_[t] = false;
        return product_memo_[t] = product_uncached(t);
    }

private:
    bool depends_on_input(const std::string& t) {
        if (inputs_.count(t)) return true;
        if (auto it = input_memo_.find(t); it != input_memo_.end()) return it->second;
        input_memo_[t] = false;
        auto it = producers_.find(t);
        bool depends = false;
        if (it != producers_.end())
            for (const auto& i : it->second->inputs) depends = depends || (!i.empty() && depends_on_input(i));
        return input_memo_[t] = depends;
    }

    bool product_uncached(const std::string& t) {
        auto it = producers_.find(t);
        if (it == producers_.end() || !it->second->domain.empty()) return false;
        const NodeDecl& p = *it->second;
        if (p.op_type == "MatMul")
            return p.inputs.size() == 2 && depends_on_input(p.inputs[0]) && depends_on_input(p.inputs[1]);
        if (p.op_type != "Transpose" && !layout_keeping_ops().count(p.op_type)) return false;
        for (const auto& i : p.inputs)
            if (!i.empty() && activation_product(i)) return true;
        return false;
    }

    std::optional<Layout> back_uncached(const std::string& t) {
        if (inputs_.count(t)) return input_layout_;
        auto it = producers_.find(t);
        if (it == producers_.end()) return std::nullopt;
        const NodeDecl& p = *it->second;
        if (!p.domain.empty()) return std::nullopt;
        if (p.op_type == "Transpose") {
            if (is_perm(p, {0, 2, 3, 1})) return Layout::NHWC;
            if (is_perm(p, {0, 3, 1, 2})) return Layout::NCHW;
            return std::nullopt;
        }
        if (channels_first_ops().count(p.op_type)) return Layout::NCHW;
        if (!layout_keeping_ops().count(p.op_type)) return std::nullopt;
        Votes v;
        const size_t data_inputs = p.op_type == "MatMul" ? 1 : p.inputs.size();  // MatMul: the left operand
        for (size_t i = 0; i < data_inputs; ++i)
            if (!p.inputs[i].empty() && !constants_.count(p.inputs[i])) v.add(back(p.inputs[i]));
        return v.result();
    }

    std::optional<Layout> forward_uncached(const std::string& t) {
        Votes v;
        auto it = consumers_.find(t);
        if (it == consumers_.end()) return std::nullopt;
        for (const NodeDecl* c : it->second) {
            if (!c->domain.empty()) continue;
            if (c->op_type == "Transpose") {
                if (is_perm(*c, {0, 3, 1, 2})) v.add(Layout::NHWC);
                if (is_perm(*c, {0, 2, 3, 1})) v.add(Layout::NCHW);
            } else if (channels_first_ops().count(c->op_type)) {
                if (!c->inputs.empty() && c->inputs[0] == t) v.add(Layout::NCHW);
            } else if (layout_keeping_ops().count(c->op_type) && !c->outputs.empty()) {
                if (c->op_type == "MatMul" && (c->inputs.empty() || c->inputs[0] != t)) continue;
                v.add(forward(c->outputs[0]));
            }
        }
        return v.result();
    }

    const GraphInfo& g_;
    Layout input_layout_;
    std::unordered_map<std::string, const NodeDecl*> producers_;
    std::unordered_map<std::string, std::vector<const NodeDecl*>> consumers_;
    std::set<std::string> constants_, inputs_;
    std::unordered_map<std::string, std::optional<Layout>> back_memo_, forward_memo_;
    std::unordered_map<std::string, bool> input_memo_, product_memo_;
};

// A map of h×w looks like one of an H×W input: within a pixel of the input's aspect ratio.
bool fits_input(int64_t h, int64_t w, int64_t H, int64_t W) {
    if (h < 1 || w < 1 || h > H || w > W || h * w <= 1) return false;
    return std::abs(double(w) - double(W) * h / H) <= 1.0 && std::abs(double(h) - double(H) * w / W) <= 1.0;
}

// The h×w grids of n patches an H×W input makes with square patches of some size p
// (floor: no padding, ceil: padded).
std::vector<std::pair<int64_t, int64_t>> patch_grids(int64_t n, int64_t H, int64_t W) {
    std::vector<std::pair<int64_t, int64_t>> grids;
    for (int64_t p = 1; p <= std::max(H, W); ++p)
        for (auto [h, w] : {std::pair{H / p, W / p}, std::pair{(H + p - 1) / p, (W + p - 1) / p}})
            if (h >= 1 && w >= 1 && h * w == n && std::find(grids.begin(), grids.end(), std::pair{h, w}) == grids.end())
                grids.push_back({h, w});
    return grids;
}

LayerVerdict refused(std::string problem, bool offered) { return {std::nullopt, std::move(problem), offered}; }

LayerVerdict read_maps(const std::vector<int64_t>& s, const GraphLayout& graph, int64_t H, int64_t W,
                       const LayerChoices& choices) {
    const std::string what = dims_text(s);
    if (s[0] != 1) return refused(what + " is not the maps of one input", false);
    if (graph.activation_product)
        return refused(what + " is a product of two activations (attention scores), not maps of the input", false);
    const auto reading = [&](Layout l, bool by_shape) {
        LayerReading r;
        r.form = l == Layout::NCHW ? LayerForm::ChannelsFirst : LayerForm::ChannelsLast;
        r.channels = l == Layout::NCHW ? s[1] : s[3];
        r.height = l == Layout::NCHW ? s[2] : s[1];
        r.width = l == Layout::NCHW ? s[3] : s[2];
        r.by_shape = by_shape;
        return r;
    };
    if (const auto layout = choices.layout ? choices.layout : graph.layout) {
        LayerReading r = reading(*layout, false);
        if (r.height * r.width <= 1) return refused(what + " read " + layout_name(*layout) + " has a 1×1 map", false);
        return {r, "", true};
    }
    const bool nchw = fits_input(s[2], s[3], H, W), nhwc = fits_input(s[1], s[2], H, W);
    if (nchw != nhwc) return {reading(nchw ? Layout::NCHW : Layout::NHWC, true), "", true};
    const std::string input = grid_text(H, W) + " input";
    if (nchw)
        return refused("the graph does not tell whether " + what + " is N×C×H×W or N×H×W×C and both fit the " + input +
                           ": give the layer layout (--layer-layout nchw or nhwc)",
                       true);
    return refused(what + " fits the " + input + " neither as N×C×H×W nor as N×H×W×C and the graph does not settle it",
                   false);
}

LayerVerdict read_tokens(const std::vector<int64_t>& s, int64_t H, int64_t W, const LayerChoices& choices) {
    const std::string what = dims_text(s);
    LayerReading r;
    if (s[0] == 1 && s[1] > 1) r.form = LayerForm::Tokens;
    else if (s[1] == 1 && s[0] > 1) r.form = LayerForm::TokenMajor;
    else return refused(what + " is not the tokens of one input ([1, T, D] or [T, 1, D])", false);
    const int64_t T = r.form == LayerForm::Tokens ? s[1] : s[0];
    r.channels = s[2];
    const std::string tokens = std::to_string(T) + " tokens";
    if (choices.extra_tokens && (*choices.extra_tokens < 0 || *choices.extra_tokens >= T))
        return refused(what + ": " + std::to_string(*choices.extra_tokens) + " extra tokens leave no patch tokens of " +
                           tokens,
                       true);
    std::vector<LayerReading> fits;
    if (choices.grid) {
        const auto [h, w] = *choices.grid;
        const int64_t e = choices.extra_tokens.value_or(T - h * w);
        const bool fits_rule = choices.extra_tokens || (e >= 0 && e <= 2);  // without --tokens, e is the rule's
        if (h < 1 || w < 1 || h * w + e != T || !fits_rule)
            return refused(what + ": a " + grid_text(h, w) + " grid" +
                               (choices.extra_tokens ? " and " + std::to_string(e) + " extra tokens do not make "
                                                     : " does not make ") +
                               tokens + (choices.extra_tokens ? "" : " with 0, 1 or 2 extra tokens (--tokens)"),
                           true);
        fits.push_back(r);
        fits.back().extra_tokens = e;
        fits.back().height = h;
        fits.back().width = w;
    } else {
        std::vector<int64_t> extras = choices.extra_tokens ? std::vector<int64_t>{*choices.extra_tokens}
                                                           : std::vector<int64_t>{0, 1, 2};
        for (int64_t e : extras) {
            if (T - e < 2) continue;
            for (auto [h, w] : patch_grids(T - e, H, W)) {
                fits.push_back(r);
                fits.back().extra_tokens = e;
                fits.back().height = h;
                fits.back().width = w;
            }
        }
        const std::string rule = choices.extra_tokens ? "with " + std::to_string(*choices.extra_tokens) + " extra tokens"
                                                      : "with 0, 1 or 2 extra tokens";
        if (fits.empty())
            return refused(what + ": " + tokens + " make no grid of the " + grid_text(H, W) + " input's aspect ratio " +
                               rule + ": give the extra tokens and the grid (--tokens, --grid)",
                           true);
        if (fits.size() > 1)
            return refused(what + ": " + tokens + " fit more than one grid of the " + grid_text(H, W) + " input (" +
                               grid_text(fits[0].height, fits[0].width) + " and " +
                               grid_text(fits[1].height, fits[1].width) + ") " + rule + ": give the grid (--grid)",
                           true);
    }
    return {fits[0], "", true};
}

}  // namespace

std::string LayerReading::description() const {
    const std::string shape_note = by_shape ? " (by shape)" : "";
    switch (form) {
        case LayerForm::ChannelsFirst: return "channels-first" + shape_note;
        case LayerForm::ChannelsLast: return "channels-last" + shape_note;
        case LayerForm::Tokens:
        case LayerForm::TokenMajor: break;
    }
    std::string extra = extra_tokens == 0   ? ""
                        : extra_tokens == 1 ? "CLS + "
                        : extra_tokens == 2 ? "CLS + distillation + "
                                            : std::to_string(extra_tokens) + " extra + ";
    return std::string(form == LayerForm::TokenMajor ? "tokens (token-major): " : "tokens: ") + extra +
           grid_text(height, width) + " grid";
}

std::vector<GraphLayout> graph_layouts(const GraphInfo& g, const std::vector<std::string>& tensors, Layout input_layout) {
    LayoutWalk walk(g, input_layout);
    std::vector<GraphLayout> layouts;
    for (const std::string& t : tensors) {
        Votes v;
        v.add(walk.back(t));
        v.add(walk.forward(t));
        layouts.push_back({v.result(), walk.activation_product(t)});
    }
    return layouts;
}

LayerVerdict read_layer(const std::vector<int64_t>& shape, const GraphLayout& graph, int64_t input_height,
                        int64_t input_width, const LayerChoices& choices) {
    if (input_height < 1 || input_width < 1) throw std::logic_error("read_layer without the input's size");
    if (shape.size() == 4) return read_maps(shape, graph, input_height, input_width, choices);
    if (shape.size() == 3) return read_tokens(shape, input_height, input_width, choices);
    return refused(dims_text(shape) + " is neither a 4-D map nor a 3-D token sequence", false);
}

Tensor to_maps(const LayerReading& r, const float* data, size_t count) {
    const size_t K = size_t(r.channels), h = size_t(r.height), w = size_t(r.width), hw = h * w;
    const size_t expected = r.tokens() ? (size_t(r.extra_tokens) + hw) * K : K * hw;
    if (count != expected)
        throw InputError("the layer has " + std::to_string(count) + " values, not the " + std::to_string(expected) +
                         " it was read with (" + r.description() + ")");
    Tensor out({1, int64_t(K), int64_t(h), int64_t(w)});
    float* o = out.data.data();
    switch (r.form) {
        case LayerForm::ChannelsFirst: std::copy(data, data + count, o); break;
        case LayerForm::ChannelsLast:
            for (size_t p = 0; p < hw; ++p)
                for (size_t k = 0; k < K; ++k) o[k * hw + p] = data[p * K + k];
            break;
        case LayerForm::Tokens:
        case LayerForm::TokenMajor:  // one input: [1, T, D] and [T, 1, D] hold the same values in the same order
            for (size_t p = 0; p < hw; ++p)
                for (size_t k = 0; k < K; ++k) o[k * hw + p] = data[(size_t(r.extra_tokens) + p) * K + k];
            break;
    }
    return out;
}

size_t default_layer_index(const std::vector<LayerInfo>& layers, const GraphInfo& g) {
    std::vector<size_t> read;
    for (size_t i = 0; i < layers.size(); ++i)
        if (layers[i].reading) read.push_back(i);
    if (read.empty()) {
        std::string why = layers.empty() ? "" : " (" + layers.back().name + ": " + layers.back().problem + ")";
        throw InputError("the model has no layer that reads as maps of the input to explain" + why);
    }
    if (!layers[read.back()].reading->tokens()) return read.back();
    const auto computed = [&](const std::string& t) {
        const NodeDecl* p = g.producer(t);
        return p && p->op_type != "Constant";
    };
    for (auto it = read.rbegin(); it != read.rend(); ++it) {
        const LayerInfo& l = layers[*it];
        if (!l.reading->tokens() || l.op_type != "Add") continue;
        const NodeDecl* add = g.producer(l.name);
        if (add && add->inputs.size() == 2 && computed(add->inputs[0]) && computed(add->inputs[1])) return *it;
    }
    return read.back();
}

}  // namespace iscam
