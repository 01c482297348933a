"""The labs: the learner writes the code — one notebook per step of the course, checked against the core.

- ``catalogue.py``: the labs in course order, each with the clips it practises.
- ``masters/N-slug.py``: one master notebook per lab (jupytext percent format) with the reference solutions;
  ``notebooks.py`` makes the learner's copy (blanks) and the teacher's (solutions) from it, in each language.
- ``check.py``: the checks' machinery — run the learner's function on cases the core computes and say what
  was tried, expected and returned, naming the likely mistake; ``<slug>.py``: each lab's exercises.
- ``lab.py``: what a notebook uses (``Lab("nudges").check(...)``); ``grade.py``: grading a folder of notebooks.

Labs use ``calcviz`` for every expected value, and never manim.
"""
