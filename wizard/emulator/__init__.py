"""The sandbox: an in-process emulator of Azure Resource Manager for the wizard's SDK clients.

    sandbox = Sandbox(speed=0)
    client = NetworkManagementClient(sandbox.credential(), sandbox.subscription_id,
                                     **sandbox.client_kwargs())

Environment: `AKS_NAT_WIZARD_SANDBOX_SPEED` (duration multiplier, 0 = instant) and
`AKS_NAT_WIZARD_SANDBOX_FAULTS` (fault rules, grammar in `wizard.emulator.faults`).
"""

from __future__ import annotations

from wizard.emulator.app import Emulator, LoggedRequest
from wizard.emulator.credential import SandboxCredential
from wizard.emulator.errors import ArmError
from wizard.emulator.faults import FAULTS_ENV, Fault, FaultPlan, FaultRule
from wizard.emulator.router import Router
from wizard.emulator.sandbox import BASE_URL, SUBSCRIPTION_ID, Sandbox
from wizard.emulator.timing import DEFAULT_DURATIONS, SPEED_ENV, VirtualClock
from wizard.emulator.transport import SandboxTransport

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
