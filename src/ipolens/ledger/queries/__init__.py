"""Named queries: the only SQL outside the store and the schema. Each module serves one area and returns frames."""
