// The report in a real browser: `ehsim compare`, `ehsim run`, `ehsim calibrate` and `ehsim sensitivity` on the test
// scenarios, `ehsim report` on each, then headless Chromium opens the HTML file (offline: a file:// address under a
// policy that forbids fetching), lets the charts render, and dumps the document. Every chart must hold an SVG with
// marks, the page's error recorder (#report-status) must be empty and every chart counted as drawn, and the browser
// must have logged nothing from the page's console. A screenshot of each report is kept in the build folder
// (tests/output/report-browser/*.png) for a person to look at.
//
// Needs Debian's chromium (bash setup.sh test installs it; EHSIM_CHROMIUM names another binary). Without it the
// test fails: a report nobody has seen render is not tested.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs a shell command; its output goes to `log`.
int run(const std::string& command, const fs::path& log) {
    const std::string line = command + " > '" + log.string() + "' 2>&1";
    const int status = std::system(line.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// EHSIM_CHROMIUM, or chromium (Debian) or chromium-browser on the PATH; empty if there is none.
std::string find_chromium() {
    if (const char* named = std::getenv("EHSIM_CHROMIUM"); named != nullptr && *named != '\0') return named;
    const char* path = std::getenv("PATH");
    std::stringstream folders(path == nullptr ? "" : path);
    std::string folder;
    while (std::getline(folders, folder, ':')) {
        for (const char* name : {"chromium", "chromium-browser"}) {
            const fs::path candidate = fs::path(folder.empty() ? "." : folder) / name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        }
    }
    return "";
}

std::string attribute(const std::string& tag, const std::string& name) {
    const std::regex pattern(" " + name + "=\"([^\"]*)\"");
    std::smatch match;
    return std::regex_search(tag, match, pattern) ? match[1].str() : std::string("(absent)");
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
    return count;
}

class ReportInBrowser : public ::testing::Test {
protected:
    void SetUp() override {
        chromium_ = find_chromium();
        ASSERT_FALSE(chromium_.empty())
            << "chromium is not installed: the browser test needs Debian's chromium package "
               "(apt-get install chromium, or bash setup.sh test), or EHSIM_CHROMIUM naming a Chromium binary";
        ASSERT_EQ(::access(chromium_.c_str(), X_OK), 0)
            << "EHSIM_CHROMIUM names " << chromium_ << ", which is not an executable program";
        folder_ = fs::path(REPORT_BROWSER_OUTPUT);
        fs::create_directories(folder_);
    }

    fs::path at(const std::string& name) const { return folder_ / name; }

    // A kind of mark every chart must draw: what it stands for, and the pattern of its SVG element.
    struct Mark {
        std::string what;
        std::string pattern;
    };
    // The fan charts of run and comparison reports: areas (the bands) and lines (the medians), each an ARIA
    // graphics symbol with a shape.
    static std::vector<Mark> fan_marks() {
        return {
            {"no band (area mark)", "role=\"graphics-symbol\" aria-roledescription=\"area mark\" d=\"M[-0-9]"},
            {"no median (line mark)", "role=\"graphics-symbol\" aria-roledescription=\"line mark\"[^>]* d=\"M[-0-9]"}};
    }

    // The marks of each chart of run and comparison reports, by its id: bands and medians month by month (fans
    // and localities), stacked bars (where families go), interval bars and medians (published figures).
    static std::vector<Mark> report_marks(const std::string& id) {
        const Mark bar{"no bar (rect mark)", "role=\"graphics-symbol\" aria-roledescription=\"bar\" d=\"M[-0-9]"};
        if (id == "flow-chart") return {bar};
        if (id == "published-chart")
            return {bar,
                    {"no median (point)", "role=\"graphics-symbol\" aria-roledescription=\"point\"[^>]* d=\"M[-0-9]"}};
        return fan_marks();
    }

    // Opens `html` in headless Chromium and checks what it drew; `charts` is how many charts the report has.
    // Every chart must draw the marks `marks` gives (all charts alike), or else those report_marks gives for its id.
    void expect_rendered(const fs::path& html, std::size_t charts, const std::string& name,
                         const std::vector<Mark>& marks = {}) {
        SCOPED_TRACE(name);
        const std::string address = "file://" + fs::absolute(html).string();
        const std::string browser = "timeout 180 '" + chromium_ +
                                    "' --headless --disable-gpu --no-sandbox --no-first-run --disable-extensions "
                                    "--hide-scrollbars --user-data-dir='" +
                                    at("profile-" + name).string() + "' --enable-logging=stderr --v=0 ";
        const fs::path dom = at(name + ".dom.html"), log = at(name + ".chromium.log");
        const std::string dump = browser + "--window-size=1280,1600 --virtual-time-budget=30000 --dump-dom '" +
                                 address + "' 2> '" + log.string() + "'";
        ASSERT_EQ(run(dump, dom), 0) << "chromium failed on " << html << ": see " << log;
        const std::string document = read_text(dom);

        // The page's own record: no error, every chart drawn.
        std::smatch match;
        ASSERT_TRUE(std::regex_search(document, match, std::regex("<div id=\"report-status\"[^>]*>")))
            << "no #report-status in the page Chromium drew: see " << dom;
        const std::string status = match[0];
        EXPECT_EQ(attribute(status, "data-errors"), "") << "errors in the page";
        EXPECT_EQ(attribute(status, "data-warnings"), "") << "warnings in the page";
        EXPECT_EQ(attribute(status, "data-charts"), std::to_string(charts));
        EXPECT_EQ(attribute(status, "data-rendered"), std::to_string(charts)) << "charts drawn";

        // Every chart container holds Vega's SVG with marks of each kind asked for, each with a shape.
        const std::regex container("<div class=\"chart[^\"]*\" id=\"([^\"]+)\" data-chart[^>]*>");
        std::size_t found = 0;
        for (auto it = std::sregex_iterator(document.begin(), document.end(), container); it != std::sregex_iterator();
             ++it, ++found) {
            const std::string id = (*it)[1];
            const std::size_t begin = static_cast<std::size_t>(it->position()),
                              end = document.find("<figcaption", begin);
            ASSERT_NE(end, std::string::npos) << id;
            const std::string chart = document.substr(begin, end - begin);
            EXPECT_EQ(attribute((*it)[0], "data-rendered"), "true") << id;
            EXPECT_EQ(count_of(chart,
                               "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                               "version=\"1.1\" class=\"marks\""),
                      1u)
                << id << " has no chart SVG";
            for (const Mark& mark : marks.empty() ? report_marks(id) : marks)
                EXPECT_TRUE(std::regex_search(chart, std::regex(mark.pattern))) << id << " draws " << mark.what;
        }
        EXPECT_EQ(found, charts) << "chart containers in the page";

        // Chromium logs every console message of the page as "...:CONSOLE..."; the report writes none.
        std::stringstream lines(read_text(log));
        std::string line;
        while (std::getline(lines, line))
            if (line.find(":CONSOLE") != std::string::npos) ADD_FAILURE() << "console: " << line;

        // A screenshot, for a person to look at: a tall window takes in the summary and the first charts.
        const fs::path png = at(name + ".png");
        fs::remove(png);
        const std::string shot = browser + "--window-size=1280,2400 --virtual-time-budget=30000 --screenshot='" +
                                 png.string() + "' '" + address + "'";
        ASSERT_EQ(run(shot, at(name + ".screenshot.log")), 0) << "chromium could not take a screenshot";
        ASSERT_TRUE(fs::exists(png)) << png;
        EXPECT_EQ(read_text(png).substr(0, 8), "\x89PNG\r\n\x1a\n");
        EXPECT_GT(fs::file_size(png), 20000u) << png << " looks blank";
    }

    std::string chromium_;
    fs::path folder_;
};

TEST_F(ReportInBrowser, AComparisonReportDrawsEveryChartWithoutErrors) {
    const std::string data = EHSIM_TEST_DATA, ehsim = EHSIM_BINARY;
    const fs::path results = at("compare.h5"), html = at("compare.html");
    fs::remove(html);
    ASSERT_EQ(run(ehsim + " compare " + data + "/minimal.yaml " + data + "/no-change-option.yaml " + data +
                      "/dated-option.yaml -n 8 --seed 3 -q -o '" + results.string() + "'",
                  at("compare.log")),
              0)
        << read_text(at("compare.log"));
    ASSERT_EQ(run(ehsim + " report '" + results.string() + "' --out '" + html.string() + "'", at("report.log")), 0)
        << read_text(at("report.log"));
    // Fans (8), localities (2), where families go (1); the minimal scenario's council has no published figures.
    expect_rendered(html, 11, "compare");
    EXPECT_NE(read_text(html).find("No published figures were set beside these results"), std::string::npos);
}

TEST_F(ReportInBrowser, ARunReportDrawsEveryChartWithoutErrors) {
    const std::string data = EHSIM_TEST_DATA, ehsim = EHSIM_BINARY;
    const fs::path results = at("run.h5"), html = at("run.html");
    fs::remove(html);
    ASSERT_EQ(run(ehsim + " run " + data + "/minimal.yaml -n 5 --seed 4 -q --targets " + data +
                      "/recovery-targets.yaml -o '" + results.string() + "'",
                  at("run.log")),
              0)
        << read_text(at("run.log"));
    ASSERT_EQ(run(ehsim + " report '" + results.string() + "' --title 'Minimal: a run' -o '" + html.string() + "'",
                  at("run-report.log")),
              0)
        << read_text(at("run-report.log"));
    // Fans (8), localities (2), where families go (1), published figures (1).
    expect_rendered(html, 12, "run");
}

// `ehsim calibrate` on the minimal scenario (a few particles, two generations: about a second), then `ehsim
// report` on its calibration file: the published figures beside the model's and the parameters' prior and
// posterior, each drawn as interval bars with their medians (points or ticks).
TEST_F(ReportInBrowser, ACalibrationReportDrawsEveryChartWithoutErrors) {
    const std::string data = EHSIM_TEST_DATA, ehsim = EHSIM_BINARY;
    const fs::path results = at("calibration.nc"), html = at("calibration.html");
    fs::remove(html);
    ASSERT_EQ(
        run(ehsim + " calibrate " + data + "/minimal-calibration.yaml --threads 2 -q --out '" + results.string() + "'",
            at("calibrate.log")),
        0)
        << read_text(at("calibrate.log"));
    ASSERT_EQ(
        run(ehsim + " report '" + results.string() + "' --out '" + html.string() + "'", at("calibration-report.log")),
        0)
        << read_text(at("calibration-report.log"));
    const std::string page = read_text(html);
    EXPECT_NE(page.find("id=\"fit-table\""), std::string::npos);
    expect_rendered(html, 2, "calibration",
                    {{"no interval (bar)", "role=\"graphics-symbol\" aria-roledescription=\"bar\" d=\"M[-0-9]"},
                     {"no median (point or tick)",
                      "role=\"graphics-symbol\" aria-roledescription=\"(point|tick)\"[^>]* d=\"M[-0-9]"}});
}

// `ehsim sensitivity --method both --option` on the minimal calibration (a few points: seconds), with its report:
// per output a Morris chart (bars and sigma ticks) and a Sobol chart (bars and interval rules), three figures and
// three effects.
TEST_F(ReportInBrowser, ASensitivityReportDrawsEveryChartWithoutErrors) {
    const std::string data = EHSIM_TEST_DATA, ehsim = EHSIM_BINARY;
    const fs::path results = at("sensitivity.h5"), html = at("sensitivity.html");
    fs::remove(html);
    ASSERT_EQ(
        run(ehsim + " sensitivity " + data + "/minimal-calibration.yaml --method both --trajectories 3 --samples 4 " +
                "--bootstrap 50 -r 2 --option " + data + "/more-family-support-option.yaml -q --out '" +
                results.string() + "' --report '" + html.string() + "'",
            at("sensitivity.log")),
        0)
        << read_text(at("sensitivity.log"));
    expect_rendered(html, 12, "sensitivity",
                    {{"no bar", "role=\"graphics-symbol\" aria-roledescription=\"bar\" d=\"M[-0-9]"}});
}

}  // namespace
