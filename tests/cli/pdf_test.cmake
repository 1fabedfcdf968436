# `ehsim report --pdf` as a user meets it. Makes a small run's results with PROGRAM (ehsim) on DATA/minimal.yaml in
# WORK (emptied first), then reports it with --pdf, in a folder whose name holds a space and a quote, in one MODE:
#   prints                   real Chromium (EHSIM_CHROMIUM or chromium on the PATH): exit 0, a PDF of several pages
#   no_chromium_on_path      no Chromium on the PATH: one line saying to install it
#   missing_chromium         EHSIM_CHROMIUM names a program that does not exist: one line naming it
#   failing_chromium         EHSIM_CHROMIUM is a script that writes half a PDF and exits 1: one line with its status
#                            and its last words
#   chromium_without_pdf     EHSIM_CHROMIUM is a script that exits 0 but writes no PDF: one line saying so
# Every failure: exit status 1, one line on standard error, the HTML report written, no PDF and no partial file
# beside it. Every mode: nothing left in the temporary folder (TMPDIR is WORK/tmp).
foreach(required PROGRAM DATA MODE WORK)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "pdf_test.cmake needs -D${required}=...")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
set(folder "${WORK}/a report's folder")
file(MAKE_DIRECTORY "${folder}" "${WORK}/tmp" "${WORK}/empty-bin")
set(ENV{TMPDIR} "${WORK}/tmp")
execute_process(COMMAND ${PROGRAM} run ${DATA}/minimal.yaml -n 3 -q --out ${WORK}/run.h5 RESULT_VARIABLE status
                ERROR_VARIABLE error)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "ehsim run failed (${status}): ${error}")
endif()

set(html "${folder}/run report.html")
set(pdf "${folder}/run report.pdf")
set(expected_status 1)
if(MODE STREQUAL "prints")
  set(expected_status 0)
elseif(MODE STREQUAL "no_chromium_on_path")
  unset(ENV{EHSIM_CHROMIUM})
  set(ENV{PATH} "${WORK}/empty-bin")
  set(expected_error "--pdf needs Chromium, which is not installed \\(on Debian: apt-get install chromium")
elseif(MODE STREQUAL "missing_chromium")
  set(ENV{EHSIM_CHROMIUM} "${WORK}/no-such-chromium")
  set(expected_error "EHSIM_CHROMIUM names '.*/no-such-chromium', which is not an executable program.*apt-get install chromium")
elseif(MODE STREQUAL "failing_chromium")
  file(WRITE "${WORK}/failing-chromium"
       "#!/bin/sh\n"
       "for argument; do case \"$argument\" in --print-to-pdf=*) printf '%%PDF-1.4 half' > \"\${argument#--print-to-pdf=}\";; esac; done\n"
       "echo 'pretend Chromium: cannot print' >&2\n"
       "exit 1\n")
  file(CHMOD "${WORK}/failing-chromium" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  set(ENV{EHSIM_CHROMIUM} "${WORK}/failing-chromium")
  set(expected_error "could not print .*: it exited with status 1 \\(its log ends: pretend Chromium: cannot print\\)")
elseif(MODE STREQUAL "chromium_without_pdf")
  file(WRITE "${WORK}/silent-chromium" "#!/bin/sh\nexit 0\n")
  file(CHMOD "${WORK}/silent-chromium" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  set(ENV{EHSIM_CHROMIUM} "${WORK}/silent-chromium")
  set(expected_error "could not print .*: it exited with status 0 but wrote no PDF")
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()

execute_process(COMMAND ${PROGRAM} report ${WORK}/run.h5 --out ${html} --pdf ${pdf} RESULT_VARIABLE status
                OUTPUT_VARIABLE output ERROR_VARIABLE error)
if(NOT status EQUAL expected_status)
  message(FATAL_ERROR "expected exit status ${expected_status}, got '${status}'; stdout: ${output}; stderr: ${error}")
endif()
if(NOT EXISTS "${html}")
  message(FATAL_ERROR "the HTML report was not written")
endif()

if(MODE STREQUAL "prints")
  if(NOT EXISTS "${pdf}")
    message(FATAL_ERROR "no PDF was written; stdout: ${output}; stderr: ${error}")
  endif()
  if(NOT output MATCHES "Report printed to PDF: .*run report.pdf")
    message(FATAL_ERROR "ehsim did not say it printed the PDF: ${output}")
  endif()
  file(READ "${pdf}" start LIMIT 5 HEX)
  if(NOT start STREQUAL "255044462d")
    message(FATAL_ERROR "${pdf} does not start with %PDF- (its first bytes in hexadecimal: ${start})")
  endif()
  # Each page is an object "<</Type /Page" (Skia writes no object streams); the report has a page per section.
  file(STRINGS "${pdf}" page_objects REGEX "/Type */Page([^s]|$)")
  list(LENGTH page_objects pages)
  file(SIZE "${pdf}" size)
  if(pages LESS 2)
    message(FATAL_ERROR "${pdf} has ${pages} page(s): expected one per section")
  endif()
  if(size LESS 20000)
    message(FATAL_ERROR "${pdf} is only ${size} bytes: the charts are missing")
  endif()
  message(STATUS "${pdf}: ${pages} pages, ${size} bytes")
else()
  string(REGEX MATCHALL "\n" newlines "${error}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL 1)
    message(FATAL_ERROR "expected one line on standard error, got ${lines}: ${error}")
  endif()
  if(NOT error MATCHES "^ehsim: error: .*${expected_error}")
    message(FATAL_ERROR "standard error does not match '${expected_error}': ${error}")
  endif()
  if(NOT error MATCHES "the HTML report .*run report.html was written and prints from any browser")
    message(FATAL_ERROR "standard error does not say that the HTML report was written: ${error}")
  endif()
  if(EXISTS "${pdf}")
    message(FATAL_ERROR "${pdf} exists: a failed print must leave no PDF")
  endif()
endif()

file(GLOB partial LIST_DIRECTORIES true "${folder}/.*printing*")
if(partial)
  message(FATAL_ERROR "a partial PDF was left: ${partial}")
endif()
file(GLOB left LIST_DIRECTORIES true "${WORK}/tmp/*")
if(left)
  message(FATAL_ERROR "temporary files were left: ${left}")
endif()
