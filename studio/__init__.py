"""The production tools: the calcviz command, the renderer, publishing, the quality gate, the course page."""
