"""The migrations every export is checked with: each direction Azure supports today, as plans
without an imported cluster (the bodies then come from the config alone, so they are stable)."""

from __future__ import annotations

from collections.abc import Callable

from wizard.model.config import WizardConfig
from wizard.plan import migration as migrate

SUBNET_ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/corp-net/"
             "providers/Microsoft.Network/virtualNetworks/corp-vnet/subnets/aks")


def _config(outbound: dict[str, object]) -> WizardConfig:
    return WizardConfig.model_validate({
        "cluster": {"resource_group": "app-rg", "name": "web", "location": "eastus2"},
        "outbound": outbound})


MIGRATIONS: dict[str, Callable[[], migrate.MigrationPlan]] = {
    "migrate-lb-to-managed": lambda: migrate.plan_migration(
        _config({"type": "load_balancer", "ip_count": 2}), "managed"),
    "migrate-lb-to-user-assigned": lambda: migrate.plan_migration(
        _config({"type": "load_balancer", "vnet_subnet_id": SUBNET_ID}), "user_assigned"),
    "migrate-user-assigned-to-lb": lambda: migrate.plan_migration(
        _config({"type": "user_assigned"}), "load_balancer"),
    "migrate-managed-standard-to-v2": lambda: migrate.plan_migration(
        _config({"type": "managed", "sku": "Standard", "ip_count": 2}), "managed"),
}
