# A corrupted HDF5 file given to `report` and to `run --posterior`: one line on standard error naming the file,
# exit status 1, no output file, and no HDF5 clean-up noise after the line (HDF5 could not evict a corrupted
# file's cached metadata at exit and printed "infinite loop closing library"; main() now skips that clean-up).
#   PROGRAM  the ehsim binary;  SOURCE  a valid posterior file;  SCENARIO  the scenario it was fitted to;
#   WORK  a scratch folder
file(MAKE_DIRECTORY "${WORK}")
set(corrupt "${WORK}/corrupt-posterior.h5")
file(REMOVE "${corrupt}")
# Eight bytes of 0xff over the metadata 2,000 bytes in: the file still opens, a group's checksum then fails.
execute_process(COMMAND sh -c "cp '${SOURCE}' '${corrupt}' && printf '\\377\\377\\377\\377\\377\\377\\377\\377' | dd of='${corrupt}' bs=1 seek=2000 conv=notrunc 2>/dev/null"
                RESULT_VARIABLE made)
if(NOT made EQUAL 0)
  message(FATAL_ERROR "could not make the corrupted copy of ${SOURCE}")
endif()
set(EXPECTED_STATUS 1)
set(EXPECTED_ERROR "corrupt-posterior.h5: .*checksum")
set(MUST_NOT_EXIST "${WORK}/corrupt-report.html")
set(ARGUMENTS report "${corrupt}" --out "${WORK}/corrupt-report.html")
include("${CMAKE_CURRENT_LIST_DIR}/run_and_check.cmake")
set(MUST_NOT_EXIST "${WORK}/corrupt-run.h5")
set(ARGUMENTS run "${SCENARIO}" -n 2 -y 1 -q --posterior "${corrupt}" --out "${WORK}/corrupt-run.h5")
include("${CMAKE_CURRENT_LIST_DIR}/run_and_check.cmake")
