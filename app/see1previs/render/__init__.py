"""Rendering: camera point-of-view frames and storyboards (offscreen, no window needed)."""
