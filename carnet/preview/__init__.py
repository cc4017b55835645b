"""`invoke livereload`: the author's live preview. `debounce` decides when to rebuild,
`watching` sees the saves, `server` serves output/ and tells the browsers to reload."""
