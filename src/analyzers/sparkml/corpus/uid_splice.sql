@SQL--x
SELECT a FROM __THIS__ /*
, reflect('java.lang.System', 'exit', 1) AS r
-- */
