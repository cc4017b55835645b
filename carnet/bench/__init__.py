"""`invoke bench`: the project measured against plain Pelican on a synthetic archive."""
