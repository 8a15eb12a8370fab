"""Tables stage: pyarrow schemas, rows, the atomic Parquet store, data dictionary and loader."""
