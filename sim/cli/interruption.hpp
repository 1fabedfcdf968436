// Ctrl-C (SIGINT) or SIGTERM while a command works: the temporary files of the results it was writing are removed
// (the results themselves appear only by a rename once complete, so none is ever partial), one line on standard
// error says so and names any checkpoint kept for --resume, and the process ends by the same signal, so that its
// exit status is the conventional one (130 for Ctrl-C, 143 for SIGTERM, as a shell reports them).
#pragma once

#include <cstddef>
#include <string>

namespace ehsim::cli {

// Installs the handlers (main, before any command runs).
void install_interruption_handlers();

// `output` will be written through a temporary `<output>.tmp-<pid>` (ehsim's writers all do): removed if the
// command is interrupted. Call before the work starts; up to 16 files in all.
void remove_temporary_on_interruption(const std::string& output);

// `path` itself is removed if the command is interrupted (a partial file with a name of its own).
void remove_on_interruption(const std::string& path);

// The files registered while it lives are forgotten when it ends (their writing is over): for work written file by
// file, as `new-scenario --all`, which registers more than the 16 files one command may hold at once.
class RemovalsWhileWriting {
public:
    RemovalsWhileWriting();
    ~RemovalsWhileWriting();
    RemovalsWhileWriting(const RemovalsWhileWriting&) = delete;
    RemovalsWhileWriting& operator=(const RemovalsWhileWriting&) = delete;

private:
    std::size_t registered_before_;
};

// An MPI job's worker rank: interrupted, it ends by the signal without a word (the manager speaks for the job).
void interrupt_silently();

// A child process group (Chromium printing a PDF, in a group of its own so that a terminal's Ctrl-C does not reach
// it) killed if the command is interrupted; 0: none.
void stop_process_group_on_interruption(int group);

// A checkpoint the command keeps after each complete step: if it exists when the command is interrupted, the
// message names it and says `how_to_resume`.
void name_checkpoint_on_interruption(const std::string& checkpoint, const std::string& how_to_resume);

}  // namespace ehsim::cli
