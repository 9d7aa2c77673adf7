"""Test and benchmark support code (not part of the package): synthetic plan generators."""
