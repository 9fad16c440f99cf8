"""Core layer: the scene model, time base, math and undo commands. Imports nothing above it."""
