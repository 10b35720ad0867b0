# Writes OUTPUT, a C++ file defining `const char SYMBOL[]` in NAMESPACE with the text of INPUT,
# so that data files (the advisory list) are compiled into the binary. Run with cmake -P.
file(READ "${INPUT}" content)
string(FIND "${content}" ")mgdata\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )mgdata\"")
endif()
file(WRITE "${OUTPUT}.tmp"
     "// Generated from ${INPUT} by cmake/embed_text.cmake; do not edit.\n"
     "namespace ${NAMESPACE} {\n"
     "extern const char ${SYMBOL}[];\n"
     "const char ${SYMBOL}[] = R\"mgdata(${content})mgdata\";\n"
     "}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
