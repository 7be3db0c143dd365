# The web console's static files, embedded in qs_actors (actors/bridge/console_files.hpp).
# Included from actors/CMakeLists.txt; regenerated whenever a file changes.
set(QS_CONSOLE_DIR "${CMAKE_CURRENT_LIST_DIR}")
file(GLOB QS_CONSOLE_FILES CONFIGURE_DEPENDS
  "${QS_CONSOLE_DIR}/*.html" "${QS_CONSOLE_DIR}/*.css" "${QS_CONSOLE_DIR}/*.js" "${QS_CONSOLE_DIR}/*.ico")
set(QS_CONSOLE_CPP "${CMAKE_CURRENT_BINARY_DIR}/generated/console_files.cpp")
add_custom_command(
  OUTPUT "${QS_CONSOLE_CPP}"
  COMMAND "${CMAKE_COMMAND}" "-DDIR=${QS_CONSOLE_DIR}" "-DOUT=${QS_CONSOLE_CPP}"
          -P "${QS_CONSOLE_DIR}/embed.cmake"
  DEPENDS ${QS_CONSOLE_FILES} "${QS_CONSOLE_DIR}/embed.cmake"
  COMMENT "Embedding the web console's files"
  VERBATIM)
target_sources(qs_actors PRIVATE "${QS_CONSOLE_CPP}")
