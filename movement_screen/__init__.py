"""Screen how athletes move."""
