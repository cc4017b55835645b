from .script_guard import register as register
