# `cmake --install` into a scratch prefix: the installed ehsim finds its data from its own path (share/ehsim
# beside bin/), works from any folder, and still does when the whole prefix is moved.
#   BUILD  the build folder;  WORK  a scratch folder
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/elsewhere")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD}" --prefix "${WORK}/prefix"
                RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE error)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${error}")
endif()
foreach(file IN ITEMS bin/ehsim share/ehsim/scenarios/walsall/baseline.yaml share/ehsim/calibration/walsall-2016.yaml
                      share/ehsim/calibration/posteriors/walsall-2016.h5 share/ehsim/calibration/targets
                      share/ehsim/docs/scenario-reference.md share/ehsim/README.md)
  if(NOT EXISTS "${WORK}/prefix/${file}")
    message(FATAL_ERROR "cmake --install did not install ${file}")
  endif()
endforeach()

function(expect_version program folder)
  execute_process(COMMAND "${program}" --version RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0 OR NOT out MATCHES "data: ${folder} \\(installed with the program\\)")
    message(FATAL_ERROR "${program} --version (status ${status}) does not name ${folder}:\n${out}${err}")
  endif()
endfunction()
expect_version("${WORK}/prefix/bin/ehsim" "${WORK}/prefix/share/ehsim")

# Moved: the same program, a new prefix, from a folder holding nothing of ehsim's.
file(RENAME "${WORK}/prefix" "${WORK}/moved")
expect_version("${WORK}/moved/bin/ehsim" "${WORK}/moved/share/ehsim")
execute_process(COMMAND "${WORK}/moved/bin/ehsim" run -n 2 -y 1 --out run.h5 --report run.html
                WORKING_DIRECTORY "${WORK}/elsewhere" RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the installed ehsim's default run failed (status ${status}):\n${out}${err}")
endif()
foreach(file IN ITEMS run.h5 run.html)
  if(NOT EXISTS "${WORK}/elsewhere/${file}")
    message(FATAL_ERROR "the installed ehsim's default run wrote no ${file}:\n${out}${err}")
  endif()
endforeach()
# The default scenario, its shipped posterior and its published figures all come from the moved prefix.
foreach(expected IN ITEMS "moved/share/ehsim/scenarios/walsall/baseline.yaml"
                          "moved/share/ehsim/calibration/posteriors/walsall-2016.h5")
  string(FIND "${out}${err}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the installed ehsim's default run does not name ${expected}:\n${out}${err}")
  endif()
endforeach()
file(READ "${WORK}/elsewhere/run.html" report)
if(NOT report MATCHES "vega-embed" OR NOT report MATCHES "Children in need")
  message(FATAL_ERROR "the installed ehsim's report lacks its chart libraries or its indicators")
endif()

# `new-scenario` from the moved prefix: its template and, when the source tree had them, DfE's tables.
if(EXISTS "${WORK}/moved/share/ehsim/dfe/b1_children_in_need.csv")
  execute_process(COMMAND "${WORK}/moved/bin/ehsim" new-scenario --authority Walsall --out walsall.yaml
                  WORKING_DIRECTORY "${WORK}/elsewhere" RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0 OR NOT EXISTS "${WORK}/elsewhere/walsall.yaml" OR NOT EXISTS "${WORK}/elsewhere/walsall-targets.yaml")
    message(FATAL_ERROR "the installed ehsim's new-scenario failed (status ${status}):\n${out}${err}")
  endif()
endif()
