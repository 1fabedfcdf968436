// What every fuzzing harness shares: a scratch copy of the bundled scenarios and calibration files (so that a fuzzed
// file's relative paths, such as an option's `extends:` or a set-up's scenario, resolve as they would for a user),
// the input written to a file there and read through the command's own entry point, and the rule that a refused
// file is one line of error.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#ifndef EHSIM_SOURCE_DIR
#error "EHSIM_SOURCE_DIR must be defined"
#endif

namespace ehsim::fuzz {

// <temporary folder>/ehsim-fuzz-<pid>/{scenarios,calibration}, made once and removed at exit.
inline const std::filesystem::path& scratch() {
    static const std::filesystem::path folder = [] {
        const auto made = std::filesystem::temp_directory_path() / ("ehsim-fuzz-" + std::to_string(::getpid()));
        std::filesystem::remove_all(made);
        std::filesystem::create_directories(made);
        for (const char* part : {"scenarios", "calibration"})
            std::filesystem::copy(std::filesystem::path(EHSIM_SOURCE_DIR) / part, made / part,
                                  std::filesystem::copy_options::recursive);
        std::atexit([] { std::filesystem::remove_all(scratch()); });
        return made;
    }();
    return folder;
}

// Writes the input to `relative` under the scratch folder and returns its path.
inline std::string write_input(const std::string& relative, const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path path = scratch() / relative;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) {
        std::fprintf(stderr, "fuzz harness: cannot write %s\n", path.c_str());
        std::abort();
    }
    return path.string();
}

// Calls `read` and accepts what the program accepts or refuses in one line, naming the file; anything else (a
// crash, a leak, a timeout, an error of several lines or none) is a finding.
template <typename Read>
void expect_accepted_or_one_line(const std::string& file, Read read) {
    try {
        read();
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "finding: reading %s ran out of memory instead of refusing the file\n", file.c_str());
        std::abort();
    } catch (const std::exception& error) {
        const std::string message = error.what();
        const std::string name = std::filesystem::path(file).filename().string();
        if (message.empty() || message.find('\n') != std::string::npos || message.find(name) == std::string::npos) {
            std::fprintf(stderr, "finding: the error is not one line naming %s:\n%s\n", name.c_str(), message.c_str());
            std::abort();
        }
    }
}

// The same where a refusal may name any of `names` (a table or the authority asked for).
template <typename Read>
void expect_one_line_naming(const std::vector<std::string>& names, Read read) {
    try {
        read();
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "finding: ran out of memory instead of refusing the input\n");
        std::abort();
    } catch (const std::exception& error) {
        const std::string message = error.what();
        bool named = false;
        for (const std::string& name : names) named = named || message.find(name) != std::string::npos;
        if (message.empty() || message.find('\n') != std::string::npos || !named) {
            std::fprintf(stderr, "finding: the error is not one line naming the input:\n%s\n", message.c_str());
            std::abort();
        }
    }
}

// Calls `load` on text ehsim generated itself: any refusal is a finding (a user must never meet it).
template <typename Load>
void expect_loads(const std::string& text, Load load) {
    try {
        load();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "finding: ehsim refuses a file it generated:\n%s\n--- the file:\n%s\n", error.what(),
                     text.c_str());
        std::abort();
    }
}

}  // namespace ehsim::fuzz
