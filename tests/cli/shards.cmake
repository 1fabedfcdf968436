# `ehsim run --shard K/N` and `ehsim merge`: the merged file's every dataset is the one a single process writes
# (the bundled Walsall scenario: its shipped posterior and its published figures too); a merge of shards that do
# not make one whole job is one line, with no file written.
#   PROGRAM  ehsim;  FINGERPRINT  hdf5_fingerprint;  SCENARIO  a scenario;  OPTION  an option of it;  WORK  a scratch folder
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(ehsim expected_status)
  execute_process(COMMAND "${PROGRAM}" ${ARGN} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE status
                  OUTPUT_VARIABLE output ERROR_VARIABLE error)
  string(STRIP "${error}" error)
  if(NOT status EQUAL expected_status OR (expected_status EQUAL 1 AND error MATCHES "\n"))
    message(FATAL_ERROR "ehsim ${ARGN}: expected status ${expected_status} (one line if 1), got ${status}:\n${output}${error}")
  endif()
  set(error "${error}" PARENT_SCOPE)
endfunction()

function(fingerprint file variable)
  execute_process(COMMAND "${FINGERPRINT}" "${WORK}/${file}" RESULT_VARIABLE status OUTPUT_VARIABLE lines)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "cannot fingerprint ${file}")
  endif()
  set(${variable} "${lines}" PARENT_SCOPE)
endfunction()

ehsim(0 run "${SCENARIO}" -n 7 -y 1 -q --out whole.h5)
foreach(k 1 2 3)
  ehsim(0 run "${SCENARIO}" -n 7 -y 1 -q --shard ${k}/3 --out part${k}.h5)
endforeach()
ehsim(0 merge part3.h5 part1.h5 part2.h5 --out merged.h5)
fingerprint(whole.h5 whole)
fingerprint(merged.h5 merged)
if(NOT whole STREQUAL merged)
  message(FATAL_ERROR "the merged shards differ from one process's file:\n${merged}\nagainst\n${whole}")
endif()
if(NOT whole MATCHES "published")
  message(FATAL_ERROR "the scenario's run has no published figures to merge")
endif()

foreach(case "part1.h5;part2.h5|shard 3 of 3 is missing"
             "part1.h5;part1.h5;part2.h5;part3.h5|part1.h5: shard 1 of 3 given twice"
             "whole.h5;part1.h5|whole.h5: not a shard")
  string(REPLACE "|" ";" parts "${case}")
  list(POP_BACK parts expected)
  ehsim(1 merge ${parts} --out refused.h5)
  if(NOT error MATCHES "${expected}" OR EXISTS "${WORK}/refused.h5")
    message(FATAL_ERROR "merge ${parts}: expected '${expected}' and no file, got: ${error}")
  endif()
endforeach()
ehsim(0 run "${SCENARIO}" -n 7 -y 1 -q --seed 2 --shard 3/3 --out other-seed.h5)
ehsim(1 merge part1.h5 part2.h5 other-seed.h5 --out refused.h5)
if(NOT error MATCHES "other-seed.h5: a shard of another job" OR EXISTS "${WORK}/refused.h5")
  message(FATAL_ERROR "a shard of another seed was not refused: ${error}")
endif()
ehsim(2 run "${SCENARIO}" -n 7 --shard 0/3)

# `ehsim compare --shard K/N` likewise (OPTION extends SCENARIO): the merged comparison, its paired differences
# and summary recomputed from the merged records, is the file one process writes; a run's shard with a
# comparison's is refused.
ehsim(0 compare "${SCENARIO}" "${OPTION}" -n 5 -q --out compare-whole.h5)
foreach(k 1 2)
  ehsim(0 compare "${SCENARIO}" "${OPTION}" -n 5 -q --shard ${k}/2 --out compare-part${k}.h5)
endforeach()
ehsim(0 merge compare-part2.h5 compare-part1.h5 --out compare-merged.h5)
fingerprint(compare-whole.h5 whole)
fingerprint(compare-merged.h5 merged)
if(NOT whole STREQUAL merged OR NOT whole MATCHES "differences")
  message(FATAL_ERROR "the merged comparison shards differ from one process's file:\n${merged}\nagainst\n${whole}")
endif()
ehsim(1 merge compare-part1.h5 part2.h5 --out refused.h5)
if(NOT error MATCHES "part2.h5: not a shard of the same kind of job" OR EXISTS "${WORK}/refused.h5")
  message(FATAL_ERROR "a run's shard merged with a comparison's was not refused: ${error}")
endif()
ehsim(1 merge compare-part1.h5 --out refused.h5)
if(NOT error MATCHES "shard 2 of 2 is missing" OR EXISTS "${WORK}/refused.h5")
  message(FATAL_ERROR "a comparison missing a shard was not refused: ${error}")
endif()
