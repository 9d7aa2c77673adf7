"""Thai text, numbers, fiscal years and the words shown to readers (no pandas)."""
