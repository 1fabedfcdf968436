# `ehsim compare`'s one-line baseline summary names each figure rightly: its staff cost and total cost are the
# baseline's final-year values in the year-by-year table's rows of those names (the line once printed the
# staff cost as "total cost").
#   -DPROGRAM=ehsim -DBASELINE=... -DOPTION=... -DOUT=<results file>
execute_process(COMMAND ${PROGRAM} compare ${BASELINE} ${OPTION} -n 4 --out ${OUT} RESULT_VARIABLE status
                OUTPUT_VARIABLE output ERROR_VARIABLE error)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "ehsim compare failed (${status}): ${error}")
endif()
set(number "[0-9.]+[km]?")
if(NOT output MATCHES "Baseline, same year: [^\n]*staff cost (${number}), total cost (${number})\\.\n")
  message(FATAL_ERROR "no staff and total cost in the summary line:\n${output}")
endif()
set(summary_staff "${CMAKE_MATCH_1}")
set(summary_total "${CMAKE_MATCH_2}")
foreach(row IN ITEMS staff total)
  # The row's second line holds "baseline -> option" per year; the last pair is the final year's.
  if(NOT output MATCHES "\n${row} cost \\(GBP\\)[^\n]*\n[^\n]* (${number}) -> [^\n]*\n")
    message(FATAL_ERROR "no '${row} cost (GBP)' row in the year-by-year table:\n${output}")
  endif()
  if(NOT CMAKE_MATCH_1 STREQUAL summary_${row})
    message(FATAL_ERROR "the summary's ${row} cost is ${summary_${row}}, the table's final-year baseline ${CMAKE_MATCH_1}")
  endif()
endforeach()
if(summary_staff STREQUAL summary_total)
  message(FATAL_ERROR "staff cost and total cost are the same figure (${summary_total})")
endif()
