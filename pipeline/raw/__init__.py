"""The raw archive: exact response bytes and metadata, written once."""
