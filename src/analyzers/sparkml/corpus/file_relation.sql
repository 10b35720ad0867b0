SELECT * FROM text.`/etc/passwd`, parquet.s3a://b/k -- tail \
continued