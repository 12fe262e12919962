"""A seeded sandbox and a backend on it, for discovery, preflight and import tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wizard.azure.backend import AzureBackend
from wizard.azure.discovery import Discovery
from wizard.sandbox import Sandbox


@pytest.fixture
def demo() -> Sandbox:
    """The `demo` seed: demo-rg with demo-vnet (aks-, small-, shared-subnet), lb-cluster and
    byo-cluster (both outbound loadBalancer), NAT gateway shared-natgw on shared-subnet."""
    return Sandbox(speed=0, seed="demo")


@pytest.fixture
def backend(demo: Sandbox) -> Iterator[AzureBackend]:
    made = AzureBackend.for_sandbox(demo)
    yield made
    made.close()


@pytest.fixture
def discovery(backend: AzureBackend) -> Discovery:
    return Discovery(backend)
