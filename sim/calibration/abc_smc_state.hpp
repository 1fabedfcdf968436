// What an ABC-SMC run carries from one generation to the next: the result so far and where it goes on from
// (shared by the algorithm and its checkpoints).
#pragma once

#include <cstddef>

#include "sim/calibration/abc_smc.hpp"

namespace ehsim::calibration {

struct AbcSmc::State {
    AbcResult result;
    std::size_t next_generation = 0;
    double elapsed_before = 0;  // wall seconds of the generations done before a resume
};

}  // namespace ehsim::calibration
