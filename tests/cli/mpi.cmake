# `mpirun -np N ehsim run|compare|calibrate|sensitivity` (built with -DEHSIM_MPI=ON): every dataset bit for bit the
# same for 1, 2, 3 and 8 ranks (oversubscribed on a small machine) and any thread count per rank, as one process
# writes it (the clock's readings, *_seconds, aside); only the manager writes and prints.
#   PROGRAM  ehsim;  MPIRUN  mpirun;  FINGERPRINT  hdf5_fingerprint;  DATA  tests/data;  WORK  a scratch folder
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
# OpenMPI refuses root unless told, and a CI container runs as root.
set(ENV{OMPI_ALLOW_RUN_AS_ROOT} 1)
set(ENV{OMPI_ALLOW_RUN_AS_ROOT_CONFIRM} 1)

function(fingerprint file variable)
  execute_process(COMMAND "${FINGERPRINT}" "${file}" RESULT_VARIABLE status OUTPUT_VARIABLE lines ERROR_VARIABLE error)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "cannot fingerprint ${file}: ${error}")
  endif()
  set(${variable} "${lines}" PARENT_SCOPE)
endfunction()

function(job name ranks threads)
  if(ranks EQUAL 0)
    set(launch "${PROGRAM}")
  else()
    set(launch "${MPIRUN}" --oversubscribe -np ${ranks} "${PROGRAM}")
  endif()
  execute_process(COMMAND ${launch} ${ARGN} --threads ${threads} --out "${WORK}/${name}.h5"
                  WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE error)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${name}: status ${status}:\n${output}${error}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

foreach(command IN ITEMS run compare calibrate sensitivity)
  if(command STREQUAL "run")
    set(arguments run "${DATA}/minimal.yaml" -n 11 -y 2 --no-posterior)
  elseif(command STREQUAL "compare")
    set(arguments compare "${DATA}/minimal.yaml" "${DATA}/more-family-support-option.yaml" -n 9 --no-posterior)
  elseif(command STREQUAL "calibrate")
    # History matching's waves, ABC-SMC's moves screened by the emulators, and the predictive runs.
    set(arguments calibrate "${DATA}/mpi-calibration.yaml")
  else()
    set(arguments sensitivity "${DATA}/minimal-calibration.yaml" --trajectories 4)
  endif()
  # One process, no MPI launcher: the reference.
  job(${command}-alone 0 1 ${arguments})
  string(REGEX MATCHALL "\n" alone_lines "${output}")
  fingerprint("${WORK}/${command}-alone.h5" reference)
  foreach(setting IN ITEMS "1;1" "2;1" "3;2" "8;1")
    list(GET setting 0 ranks)
    list(GET setting 1 threads)
    job(${command}-${ranks}-${threads} ${ranks} ${threads} ${arguments})
    # The table is printed once, by the manager.
    string(REGEX MATCHALL "\n" lines "${output}")
    list(LENGTH lines count)
    list(LENGTH alone_lines alone_count)
    if(NOT count EQUAL alone_count)
      message(FATAL_ERROR "${command} on ${ranks} ranks printed ${count} lines, alone ${alone_count}:\n${output}")
    endif()
    fingerprint("${WORK}/${command}-${ranks}-${threads}.h5" distributed)
    if(NOT distributed STREQUAL reference)
      message(FATAL_ERROR "${command} on ${ranks} ranks x ${threads} threads differs from one process:\n"
                          "${distributed}\nagainst\n${reference}")
    endif()
  endforeach()
endforeach()

# A rank lost mid-job (mpirun's newest child killed: a worker): OpenMPI ends the whole job, which fails, and no file is
# left, whole or partial (only the checkpoint of the replications finished, for --resume).
execute_process(COMMAND sh -c "\"${MPIRUN}\" --oversubscribe -np 3 \"${PROGRAM}\" run \"${DATA}/minimal.yaml\" -n 40000 -y 5 --no-posterior -q --out lost.h5 & job=$!; sleep 2; pkill -KILL -n -P $job; wait $job"
                WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE error)
file(GLOB left "${WORK}/lost.h5" "${WORK}/lost.h5.tmp-*")
if(status EQUAL 0 OR left)
  message(FATAL_ERROR "a job that lost a rank ended with status ${status} and left ${left}:\n${output}${error}")
endif()

# The job stopped by its scheduler (SIGTERM to mpirun, which passes it on): no file, and at most one line, the
# manager's.
execute_process(COMMAND sh -c "\"${MPIRUN}\" --oversubscribe -np 3 \"${PROGRAM}\" run \"${DATA}/minimal.yaml\" -n 40000 -y 5 --no-posterior -q --out stopped.h5 & job=$!; sleep 3; kill -TERM $job; wait $job"
                WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE error)
file(GLOB left "${WORK}/stopped.h5" "${WORK}/stopped.h5.tmp-*")
string(REGEX MATCHALL "interrupted \\(SIGTERM\\)" said "${error}")
list(LENGTH said times)
# (A signal that comes while MPI is still starting, on a loaded machine, ends the ranks before their handlers are in
# place: no word then, and still no file.)
if(status EQUAL 0 OR left OR times GREATER 1)
  message(FATAL_ERROR "a stopped job ended with status ${status}, left '${left}', said:\n${error}")
endif()

# Stopped once the manager's checkpoint holds finished replications, the job resumed on another number of ranks
# writes the file one uninterrupted process writes, and removes the checkpoint.
set(resumable run "${DATA}/minimal.yaml" -n 6000 -y 5 --no-posterior -q --out resumed.h5)
execute_process(COMMAND sh -c "\"${MPIRUN}\" --oversubscribe -np 3 \"$@\" & job=$!; i=0; while [ \"$(stat -c %s resumed.h5.checkpoint 2>/dev/null || echo 0)\" -le 500000 ] && [ $i -lt 3000 ]; do sleep 0.05; i=$((i+1)); done; kill -TERM $job; wait $job"
                        sh "${PROGRAM}" ${resumable} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status ERROR_VARIABLE error)
if(status EQUAL 0 OR EXISTS "${WORK}/resumed.h5" OR NOT EXISTS "${WORK}/resumed.h5.checkpoint")
  message(FATAL_ERROR "the stopped job ended with status ${status}, without its checkpoint or with a file:\n${error}")
endif()
execute_process(COMMAND "${MPIRUN}" --oversubscribe -np 2 "${PROGRAM}" ${resumable} --resume WORKING_DIRECTORY "${WORK}"
                RESULT_VARIABLE status ERROR_VARIABLE error)
if(NOT status EQUAL 0 OR EXISTS "${WORK}/resumed.h5.checkpoint")
  message(FATAL_ERROR "--resume on 2 ranks: status ${status}, checkpoint left or not:\n${error}")
endif()
file(RENAME "${WORK}/resumed.h5" "${WORK}/resumed-on-ranks.h5")
execute_process(COMMAND "${PROGRAM}" ${resumable} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status)
fingerprint("${WORK}/resumed.h5" reference)
fingerprint("${WORK}/resumed-on-ranks.h5" distributed)
if(NOT distributed STREQUAL reference)
  message(FATAL_ERROR "the job resumed on 2 ranks differs from one uninterrupted process:\n${distributed}\nagainst\n${reference}")
endif()

# Several scenarios in one job (a folder of baselines): each file as one process writes it.
file(READ "${DATA}/minimal.yaml" minimal)
foreach(copy IN ITEMS first second)
  string(REGEX REPLACE "\nname: [^\n]*" "\nname: ${copy}" renamed "${minimal}")
  file(WRITE "${WORK}/folder/${copy}/baseline.yaml" "${renamed}")
endforeach()
execute_process(COMMAND "${PROGRAM}" run folder -n 5 -y 1 --no-posterior -q --out alone WORKING_DIRECTORY "${WORK}"
                RESULT_VARIABLE alone_status)
execute_process(COMMAND "${MPIRUN}" --oversubscribe -np 3 "${PROGRAM}" run folder -n 5 -y 1 --no-posterior -q
                        --out spread WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE spread_status)
foreach(copy IN ITEMS first second)
  fingerprint("${WORK}/alone/${copy}.h5" reference)
  fingerprint("${WORK}/spread/${copy}.h5" distributed)
  if(NOT alone_status EQUAL 0 OR NOT spread_status EQUAL 0 OR NOT distributed STREQUAL reference)
    message(FATAL_ERROR "a folder run on 3 ranks (status ${spread_status}) differs from one process's (${alone_status})")
  endif()
endforeach()
