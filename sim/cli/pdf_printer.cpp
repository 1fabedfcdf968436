// Printing the HTML report to PDF: headless Chromium started without a shell (posix_spawn, arguments as a vector),
// in its own process group with a fresh profile and its output in a log, both in a temporary folder removed
// afterwards. Chromium prints to a temporary file beside the PDF, renamed onto it only when Chromium exited 0 and
// the file is a PDF; otherwise the temporary file is removed and one line names the failure.
#include "sim/cli/pdf_printer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "sim/cli/interruption.hpp"

extern char** environ;

namespace ehsim::cli {

namespace {

namespace fs = std::filesystem;

// How long Chromium may take to open, draw and print the report before it is stopped.
constexpr std::chrono::seconds print_timeout{120};
// Virtual time the page gets before printing, so that Vega's asynchronous drawing completes; idle virtual time
// passes at once, so this costs little wall time.
constexpr int virtual_time_budget_ms = 30000;

std::string written_html(const std::string& html_file) {
    return "the HTML report " + html_file + " was written and prints from any browser";
}

bool is_executable_file(const fs::path& path) {
    std::error_code error;
    return fs::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

// `name` itself if it holds a slash, else the first executable of that name in a folder of PATH; empty if none.
std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return is_executable_file(name) ? name : std::string();
    const char* path = std::getenv("PATH");
    std::stringstream folders(path == nullptr ? "" : path);
    std::string folder;
    while (std::getline(folders, folder, ':')) {
        const fs::path candidate = fs::path(folder.empty() ? "." : folder) / name;
        if (is_executable_file(candidate)) return candidate.string();
    }
    return "";
}

// EHSIM_CHROMIUM if set, else chromium (Debian) or chromium-browser on the PATH.
std::string find_chromium(const std::string& html_file) {
    if (const char* named = std::getenv("EHSIM_CHROMIUM"); named != nullptr && *named != '\0') {
        const std::string found = find_program(named);
        if (found.empty())
            throw std::runtime_error("--pdf: EHSIM_CHROMIUM names '" + std::string(named) +
                                     "', which is not an executable program (unset it to use chromium on the PATH; on "
                                     "Debian: apt-get install chromium); " +
                                     written_html(html_file));
        return found;
    }
    for (const char* name : {"chromium", "chromium-browser"})
        if (std::string found = find_program(name); !found.empty()) return found;
    throw std::runtime_error(
        "--pdf needs Chromium, which is not installed (on Debian: apt-get install chromium; or set EHSIM_CHROMIUM to a "
        "Chromium binary); " +
        written_html(html_file));
}

// file:// address of a local file, its path percent-encoded except for unreserved characters and slashes.
std::string file_address(const fs::path& file) {
    static const char hex[] = "0123456789ABCDEF";
    std::string address = "file://";
    for (const unsigned char c : fs::absolute(file).lexically_normal().string()) {
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '.' || c == '_' || c == '~' || c == '/';
        if (plain) {
            address += static_cast<char>(c);
        } else {
            address += '%';
            address += hex[c >> 4];
            address += hex[c & 0xF];
        }
    }
    return address;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The last line of Chromium's log that says something: not blank, not the usual complaints of a headless browser
// without a desktop session (D-Bus, the launcher script's warnings) or of its internal messaging (Mojo), without
// Chromium's "[process:thread:time:" prefix, shortened to one printable line.
std::string last_meaningful_line(const fs::path& log) {
    std::stringstream lines(read_text(log));
    std::string line, last;
    while (std::getline(lines, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        bool noise = false;
        for (const char* known : {"dbus", "D-Bus", "mojo/", "unexpected operator"})
            noise = noise || line.find(known) != std::string::npos;
        if (noise) continue;
        if (const auto end = line.find("] "); line.front() == '[' && end != std::string::npos) {
            // [12453:12453:1123/162422.361396:ERROR:components/.../headless_command_handler.cc:403] Page load failed
            const std::string prefix = line.substr(1, end - 1);
            const auto severity = prefix.find(":ERROR:") != std::string::npos     ? "error: "
                                  : prefix.find(":FATAL:") != std::string::npos   ? "fatal: "
                                  : prefix.find(":WARNING:") != std::string::npos ? "warning: "
                                                                                  : "";
            line = severity + line.substr(end + 2);
        }
        last = line;
    }
    for (char& c : last)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    if (const auto end = last.find_last_not_of(' '); end != std::string::npos) last.erase(end + 1);
    if (last.size() > 300) last = last.substr(0, 297) + "...";
    return last;
}

bool is_pdf(const fs::path& file) {
    std::error_code error;
    if (!fs::is_regular_file(file, error) || fs::file_size(file, error) == 0 || error) return false;
    char start[5] = {};
    std::ifstream in(file, std::ios::binary);
    in.read(start, sizeof start);
    return in.gcount() == 5 && std::memcmp(start, "%PDF-", 5) == 0;
}

// Removes, when it goes out of scope, the temporary folder (profile and log) and the partial PDF, if any.
struct Leftovers {
    fs::path folder, partial_pdf;
    ~Leftovers() {
        std::error_code ignored;
        if (!partial_pdf.empty()) fs::remove(partial_pdf, ignored);
        if (!folder.empty()) fs::remove_all(folder, ignored);
    }
};

fs::path make_temporary_folder() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        (tmp != nullptr && *tmp != '\0' ? std::string(tmp) : std::string("/tmp")) + "/ehsim-pdf-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("--pdf: cannot create a temporary folder " + pattern + ": " + std::strerror(errno));
    return pattern;
}

// An empty file beside `pdf_file` (same folder, so the rename is atomic) for Chromium to print into.
fs::path make_partial_pdf(const fs::path& pdf_file) {
    const fs::path folder = pdf_file.has_parent_path() ? pdf_file.parent_path() : fs::path(".");
    std::string pattern = (folder / ("." + pdf_file.filename().string() + ".printing-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        throw std::runtime_error(pdf_file.string() + ": cannot create a file beside it: " + std::strerror(errno));
    // mkstemp makes it private (0600); the PDF gets the usual permissions of a new file.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    ::close(fd);
    return fs::absolute(pattern);
}

struct Exit {
    bool timed_out = false;
    int status = 0;  // from waitpid
};

// Runs `arguments` (program first) in its own process group, stdin from /dev/null, stdout and stderr into `log`;
// waits for it at most `timeout`, then kills the group. Any process of the group still alive is killed at the end.
Exit run(const std::vector<std::string>& arguments, const fs::path& log, std::chrono::seconds timeout) {
    std::vector<char*> argv;
    for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_setpgroup(&attributes, 0);
    // Chromium should not inherit ehsim's blocked or ignored signals.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    const int error = ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) throw std::runtime_error("cannot start " + arguments[0] + ": " + std::strerror(error));
    stop_process_group_on_interruption(pid);

    Exit exit;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const pid_t done = ::waitpid(pid, &exit.status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) {
            exit.status = -1;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            exit.timed_out = true;
            ::kill(-pid, SIGKILL);
            while (::waitpid(pid, &exit.status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Chromium's helpers share its process group: none may outlive the print.
    ::kill(-pid, SIGKILL);
    stop_process_group_on_interruption(0);
    return exit;
}

std::string describe(const Exit& exit, std::chrono::seconds timeout) {
    if (exit.timed_out) return "did not finish within " + std::to_string(timeout.count()) + " s and was stopped";
    if (WIFEXITED(exit.status)) return "exited with status " + std::to_string(WEXITSTATUS(exit.status));
    if (WIFSIGNALED(exit.status)) return "was killed by signal " + std::to_string(WTERMSIG(exit.status));
    return "failed";
}

}  // namespace

bool chromium_available() {
    try {
        find_chromium("");
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

void print_to_pdf(const std::string& html_file, const std::string& pdf_file) {
    const std::string chromium = find_chromium(html_file);
    Leftovers leftovers;
    leftovers.folder = make_temporary_folder();
    const fs::path profile = leftovers.folder / "profile", log = leftovers.folder / "chromium.log";
    leftovers.partial_pdf = make_partial_pdf(pdf_file);
    remove_on_interruption(leftovers.partial_pdf.string());

    const std::vector<std::string> arguments = {chromium,
                                                "--headless",
                                                "--no-sandbox",
                                                "--disable-gpu",
                                                "--disable-dev-shm-usage",
                                                "--disable-quic",
                                                "--no-first-run",
                                                "--no-default-browser-check",
                                                "--disable-background-networking",
                                                "--disable-component-update",
                                                "--disable-sync",
                                                "--disable-extensions",
                                                "--user-data-dir=" + profile.string(),
                                                "--no-pdf-header-footer",
                                                "--run-all-compositor-stages-before-draw",
                                                "--virtual-time-budget=" + std::to_string(virtual_time_budget_ms),
                                                "--print-to-pdf=" + leftovers.partial_pdf.string(),
                                                file_address(html_file)};
    const Exit exit = run(arguments, log, print_timeout);

    const bool exited_well = !exit.timed_out && WIFEXITED(exit.status) && WEXITSTATUS(exit.status) == 0;
    if (!exited_well || !is_pdf(leftovers.partial_pdf)) {
        std::string what = exited_well ? "exited with status 0 but wrote no PDF" : describe(exit, print_timeout);
        if (const std::string line = last_meaningful_line(log); !line.empty()) what += " (its log ends: " + line + ")";
        throw std::runtime_error("--pdf: Chromium (" + chromium + ") could not print " + html_file + " to " + pdf_file +
                                 ": it " + what + "; " + written_html(html_file));
    }
    std::error_code error;
    fs::rename(leftovers.partial_pdf, pdf_file, error);
    if (error)
        throw std::runtime_error("--pdf: cannot write " + pdf_file + ": " + error.message() + "; " +
                                 written_html(html_file));
    leftovers.partial_pdf.clear();
}

}  // namespace ehsim::cli
