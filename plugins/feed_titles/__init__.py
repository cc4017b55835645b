from .feed_titles import register as register
