"""What each kind of source brings beside its tables (the units glossary)."""
