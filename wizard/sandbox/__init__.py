"""The sandbox: an in-process emulator of Azure Resource Manager for the wizard's SDK clients.

    sandbox = Sandbox(speed=0)
    client = NetworkManagementClient(sandbox.credential(), sandbox.subscription_id,
                                     **sandbox.client_kwargs())

Environment: `AKS_NAT_WIZARD_SANDBOX_SPEED` (duration multiplier, 0 = instant) and
`AKS_NAT_WIZARD_SANDBOX_FAULTS` (fault rules, grammar in `wizard.sandbox.scenarios.faults`).
"""

from __future__ import annotations

from wizard.sandbox.app import Emulator, LoggedRequest
from wizard.sandbox.credential import SandboxCredential
from wizard.sandbox.errors import ArmError
from wizard.sandbox.router import Router
from wizard.sandbox.sandbox import BASE_URL, SUBSCRIPTION_ID, Sandbox
from wizard.sandbox.scenarios.faults import FAULTS_ENV, Fault, FaultPlan, FaultRule
from wizard.sandbox.timing import DEFAULT_DURATIONS, SPEED_ENV, VirtualClock
from wizard.sandbox.transport import SandboxTransport

__all__ = [
    "BASE_URL",
    "DEFAULT_DURATIONS",
    "FAULTS_ENV",
    "SPEED_ENV",
    "SUBSCRIPTION_ID",
    "ArmError",
    "Emulator",
    "Fault",
    "FaultPlan",
    "FaultRule",
    "LoggedRequest",
    "Router",
    "Sandbox",
    "SandboxCredential",
    "SandboxTransport",
    "VirtualClock",
]
