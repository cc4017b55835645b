"""Atomic builds: each build is written into a fresh folder and goes live in one step."""
