"""Running a plan: the one door between the front ends and the executor.

A front end (the CLI, the `--simple` prompts, the Textual app) never builds a journal or an
executor itself. It asks `service` to prepare an apply, a resume or a rollback, which connects
to the `target`, reads what it must (preflight, the journal, what still exists) and returns a
preparation: data to show and a question to ask. Once the user confirms, the preparation
starts the run and the front end only renders its events.
"""
