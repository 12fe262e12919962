"""The model: one configuration (`WizardConfig`), its settings, and what is known about it.

Everything here is pure: `config.py` (the pydantic model and the cross-field rules Azure
enforces), `names.py` (Azure naming rules), `fields.py` (each setting declared once for every
front end), `steps.py` (which settings the wizard asks together), `findings.py` (`Finding` and
`evaluate(draft)`), `rules.py` + `capacity.py` (risks Azure accepts, SNAT arithmetic),
`regions.py` + `lifecycle.py` (what regions offer, which Windows SKUs can be created),
`derived_names.py`, and `health.py` (a SNAT verdict from metric series). Nothing here reads a
file, talks to Azure or imports a front end.
"""
