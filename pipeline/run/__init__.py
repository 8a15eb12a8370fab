"""Processing runs: raw records to rows, staging, reprocessing."""
