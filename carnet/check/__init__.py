"""`invoke check`: an editorial health report on the whole archive."""
