"""What lessons draw with: style, the lesson base class, settings, drawing helpers, the 3-D surface.

Import from the module that holds a name (``scenes.kit.style``, ``scenes.kit.draw``, …), not from
here: the renderer's cache follows which kit modules a scene imports.
"""
