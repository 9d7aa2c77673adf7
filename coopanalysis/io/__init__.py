"""Reading and writing files safely: bounded reads, atomic writes, YAML, encodings, the layout of an ingested folder."""
