SELECT a /* /* */ , java_method('java.lang.System', 'exit', 1) AS b -- */
FROM __THIS__ /* x /*+ y */ z */
