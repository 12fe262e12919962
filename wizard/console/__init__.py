"""Terminal output shared by the CLI and `--simple`: Rich tables of a plan, live progress of a run,
and running one apply or one migration phase in a terminal.
"""
