"""TriDesk."""
