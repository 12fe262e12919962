"""What makes the sandbox's subscription more than empty: seed states (`seeds.py`), the outbound
traffic its clusters make for metrics (`traffic.py`), and injected faults (`faults.py`).
"""
