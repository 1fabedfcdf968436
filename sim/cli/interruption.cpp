#include "sim/cli/interruption.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>

namespace ehsim::cli {
namespace {

// Only async-signal-safe calls happen in the handler (unlink, access, write, signal, raise); it reads texts made
// before it could run, published through atomics. The texts live as long as the process.
constexpr std::size_t kMostTemporaries = 16;
std::array<std::atomic<const char*>, kMostTemporaries> temporaries{};
std::atomic<std::size_t> temporaries_count{0};
std::atomic<int> child_group{0};
std::atomic<const char*> checkpoint_path{nullptr};
std::atomic<const char*> checkpoint_message{nullptr};
std::atomic<bool> silent{false};
std::deque<std::string> texts;  // owns what the atomics point to

const char* keep(std::string text) { return texts.emplace_back(std::move(text)).c_str(); }

void say(const char* text) {
    std::size_t left = std::strlen(text);
    while (left > 0) {
        const ssize_t written = ::write(STDERR_FILENO, text, left);
        if (written <= 0) return;
        text += written;
        left -= static_cast<std::size_t>(written);
    }
}

extern "C" void on_interruption(int signal_number) {
    if (const int group = child_group.load(); group > 0) ::kill(-group, SIGKILL);
    const std::size_t count = temporaries_count.load();
    for (std::size_t i = 0; i < count && i < kMostTemporaries; ++i)
        if (const char* path = temporaries[i].load()) ::unlink(path);
    if (silent.load()) {
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
        return;
    }
    if (::isatty(STDERR_FILENO)) say("\n");  // after a progress bar
    say(signal_number == SIGINT ? "ehsim: interrupted (SIGINT): no results were written"
                                : "ehsim: interrupted (SIGTERM): no results were written");
    const char* checkpoint = checkpoint_path.load();
    if (checkpoint != nullptr && ::access(checkpoint, F_OK) == 0) say(checkpoint_message.load());
    say("\n");
    // Ended by the signal itself, with its default action: the exit status a shell and a scheduler expect.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

}  // namespace

void install_interruption_handlers() {
    for (const int signal_number : {SIGINT, SIGTERM}) {
        struct sigaction action {};
        action.sa_handler = on_interruption;
        // A second Ctrl-C or a SIGTERM while the handler runs waits for it (and then finds the default action).
        sigemptyset(&action.sa_mask);
        sigaddset(&action.sa_mask, SIGINT);
        sigaddset(&action.sa_mask, SIGTERM);
        ::sigaction(signal_number, &action, nullptr);
    }
}

void remove_on_interruption(const std::string& path) {
    const std::size_t at = temporaries_count.load();
    if (at >= kMostTemporaries) throw std::logic_error("more than 16 files to remove on interruption");
    temporaries[at].store(keep(path));
    temporaries_count.store(at + 1);
}

void remove_temporary_on_interruption(const std::string& output) {
    remove_on_interruption(output + ".tmp-" + std::to_string(::getpid()));
}

RemovalsWhileWriting::RemovalsWhileWriting() : registered_before_(temporaries_count.load()) {}

RemovalsWhileWriting::~RemovalsWhileWriting() { temporaries_count.store(registered_before_); }

void interrupt_silently() { silent.store(true); }

void stop_process_group_on_interruption(int group) { child_group.store(group); }

void name_checkpoint_on_interruption(const std::string& checkpoint, const std::string& how_to_resume) {
    remove_temporary_on_interruption(checkpoint);
    checkpoint_message.store(
        keep("; the checkpoint " + checkpoint + " holds the last complete step: " + how_to_resume));
    checkpoint_path.store(keep(checkpoint));
}

}  // namespace ehsim::cli
