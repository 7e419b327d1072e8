"""Pure-Python building blocks: no Qt, no SQL."""
