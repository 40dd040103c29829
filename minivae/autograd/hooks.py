"""Where a tracer plugs into the engine (see :mod:`minivae.tracing`).

``tracer`` is None except inside ``minivae.trace``: then every op application,
every module call and every step of the backward walk is reported to it. When it
is None the engine pays one check per op and per module call, and nothing else.
"""
tracer = None
