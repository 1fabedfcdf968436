# `ehsim run FOLDER --resume`: the scenarios whose files this job already wrote are kept, not run again (a file of
# another job, here another seed, is not taken for one); the others run, each to the file one process writes.
#   PROGRAM  ehsim;  DATA  tests/data;  WORK  a scratch folder
file(REMOVE_RECURSE "${WORK}")
file(READ "${DATA}/minimal.yaml" minimal)
foreach(copy IN ITEMS first second)
  string(REGEX REPLACE "\nname: [^\n]*" "\nname: ${copy}" renamed "${minimal}")
  file(WRITE "${WORK}/folder/${copy}/baseline.yaml" "${renamed}")
endforeach()

function(run_folder)
  execute_process(COMMAND "${PROGRAM}" run folder -n 4 -y 1 --no-posterior --out out ${ARGN}
                  WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE error)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "run folder ${ARGN}: status ${status}:\n${output}${error}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run_folder()
file(SHA256 "${WORK}/out/first.h5" first_hash)
file(REMOVE "${WORK}/out/second.h5")
run_folder(--resume)
if(NOT output MATCHES "1/2 [^\n]*first/baseline.yaml: already written" OR NOT output MATCHES "2/2 [^\n]*second/baseline.yaml: 4 replications")
  message(FATAL_ERROR "--resume did not keep the first file and run the second:\n${output}")
endif()
file(SHA256 "${WORK}/out/first.h5" kept_hash)
if(NOT kept_hash STREQUAL first_hash)
  message(FATAL_ERROR "--resume rewrote a file it had already written")
endif()
run_folder(--resume --seed 2)
if(output MATCHES "already written")
  message(FATAL_ERROR "files of seed 1 were kept for a job of seed 2:\n${output}")
endif()
