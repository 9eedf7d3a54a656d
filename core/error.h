#pragma once
#include <stdexcept>
#include <string>

namespace iscam {

// Bad input from the user (file, model, option): the CLI exits 2, the page shows the message.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace iscam
