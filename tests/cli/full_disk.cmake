# A command whose results cannot be written (a full disk, as the file-size limit makes it: `ulimit -f` with
# SIGXFSZ ignored, so write() fails with EFBIG as it would with ENOSPC): exit status 1, one line naming the file and
# the reason, and no result or temporary file left.
#   PROGRAM, ARGUMENTS  the command;  LIMIT  the file-size limit in 512-byte blocks;  WORK  the working folder;
#   OUTPUT  the file that must not exist afterwards
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND sh -c "trap '' XFSZ; ulimit -f ${LIMIT}; exec \"$@\"" sh "${PROGRAM}" ${ARGUMENTS}
                WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE error)
string(STRIP "${error}" line)
if(NOT status EQUAL 1 OR line MATCHES "\n" OR NOT line MATCHES "^ehsim: error: .*${OUTPUT}.*File too large")
  message(FATAL_ERROR "expected status 1 and one line naming ${OUTPUT} and 'File too large', got ${status}:\n${error}")
endif()
if(EXISTS "${WORK}/${OUTPUT}")
  message(FATAL_ERROR "${OUTPUT} exists after the failed write")
endif()
file(GLOB temporaries "${WORK}/*.tmp-*")
if(temporaries)
  message(FATAL_ERROR "temporary files left after the failed write: ${temporaries}")
endif()
