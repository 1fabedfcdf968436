# A command interrupted while it works (SIGNAL: INT as Ctrl-C sends, or TERM): it ends with the conventional status
# (128 + the signal's number), says so in one line naming any checkpoint kept, and leaves no result, report or
# temporary file. With CHECKPOINT, the signal is sent once that checkpoint exists (a complete step), the line must
# name it, and `--resume` (with RESUME_ARGUMENTS added) must then finish from it. With CHECKPOINT_BYTES, the signal
# waits until the checkpoint holds more than that many bytes (finished work kept, not only its header); with
# FINGERPRINT (tests/hdf5_fingerprint), the resumed result must be, dataset for dataset, the one the same command
# writes uninterrupted.
#   PROGRAM, ARGUMENTS  the command;  SIGNAL  INT or TERM;  WORK  a scratch folder (the command's working folder)
#   OUTPUTS  files that must not exist afterwards;  CHECKPOINT, RESUME_ARGUMENTS, CHECKPOINT_BYTES, FINGERPRINT  optional
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
if(NOT CHECKPOINT_BYTES)
  set(CHECKPOINT_BYTES -1)
endif()
if(CHECKPOINT)
  set(wait "i=0; while [ \"$(stat -c %s '${CHECKPOINT}' 2>/dev/null || echo -2)\" -le ${CHECKPOINT_BYTES} ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i+1)); done")
else()
  set(wait "sleep 1.5")
endif()
execute_process(COMMAND sh -c "\"$@\" >'${WORK}/stdout' 2>'${WORK}/stderr' & pid=$!; ${wait}; kill -s ${SIGNAL} $pid; wait $pid; echo $?"
                        sh "${PROGRAM}" ${ARGUMENTS}
                WORKING_DIRECTORY "${WORK}" OUTPUT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE)
file(READ "${WORK}/stderr" error)
if(SIGNAL STREQUAL "INT")
  set(expected_status 130)
else()
  set(expected_status 143)
endif()
if(NOT status STREQUAL expected_status)
  message(FATAL_ERROR "expected exit status ${expected_status} after SIG${SIGNAL}, got '${status}'; stderr:\n${error}")
endif()
string(STRIP "${error}" line)
if(NOT line MATCHES "^ehsim: interrupted \\(SIG${SIGNAL}\\): no results were written" OR line MATCHES "\n")
  message(FATAL_ERROR "expected one line saying the command was interrupted, got:\n${error}")
endif()
foreach(output IN LISTS OUTPUTS)
  if(EXISTS "${output}")
    message(FATAL_ERROR "${output} exists after the interruption")
  endif()
endforeach()
file(GLOB_RECURSE temporaries "${WORK}/*.tmp-*" "${WORK}/.*.printing-*")
if(temporaries)
  message(FATAL_ERROR "temporary files left after the interruption: ${temporaries}")
endif()
if(CHECKPOINT)
  string(FIND "${line}" "the checkpoint ${CHECKPOINT} holds the last complete step" named)
  if(named EQUAL -1)
    message(FATAL_ERROR "the line does not name the checkpoint ${CHECKPOINT}:\n${error}")
  endif()
  execute_process(COMMAND "${PROGRAM}" ${ARGUMENTS} --resume ${RESUME_ARGUMENTS} WORKING_DIRECTORY "${WORK}"
                  RESULT_VARIABLE resumed OUTPUT_VARIABLE out ERROR_VARIABLE err)
  list(GET OUTPUTS 0 result)
  if(NOT resumed EQUAL 0 OR NOT EXISTS "${result}")
    message(FATAL_ERROR "--resume from the checkpoint failed (status ${resumed}):\n${out}${err}")
  endif()
  if(FINGERPRINT)
    # run and compare remove their checkpoint once the results are written (calibrate keeps its own, to extend).
    if(EXISTS "${WORK}/${CHECKPOINT}")
      message(FATAL_ERROR "the checkpoint ${CHECKPOINT} is left after the resumed command finished")
    endif()
    get_filename_component(name "${result}" NAME)
    file(RENAME "${result}" "${WORK}/resumed-${name}")
    execute_process(COMMAND "${PROGRAM}" ${ARGUMENTS} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE whole_status
                    OUTPUT_QUIET ERROR_VARIABLE err)
    execute_process(COMMAND "${FINGERPRINT}" "${result}" OUTPUT_VARIABLE whole)
    execute_process(COMMAND "${FINGERPRINT}" "${WORK}/resumed-${name}" OUTPUT_VARIABLE resumed_lines)
    if(NOT whole_status EQUAL 0 OR whole STREQUAL "" OR NOT whole STREQUAL resumed_lines)
      message(FATAL_ERROR "the resumed ${name} differs from the uninterrupted one (status ${whole_status}):\n"
                          "${resumed_lines}\nagainst\n${whole}\n${err}")
    endif()
  endif()
endif()
