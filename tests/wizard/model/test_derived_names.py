"""Subnet and identity names follow the cluster name unless the user set them."""

from __future__ import annotations

from wizard import plan
from wizard.model import fields
from wizard.model.config import WizardConfig
from wizard.model.evaluation import evaluate
from wizard.storage import presets


def _user_assigned(name: str) -> dict[str, object]:
    data = fields.set_path(presets.to_data(WizardConfig()), "outbound.type", "user_assigned")
    return fields.set_path(data, "cluster.name", name)


def test_a_renamed_cluster_takes_its_subnet_and_identity_along() -> None:
    data = fields.set_text(presets.read("user-assigned").data, "cluster.name", "shop")
    config = evaluate(data).config
    assert config is not None
    assert (config.outbound.subnet_name, config.outbound.identity_name) == (  # type: ignore[union-attr]
        "shop", "shopId")


def test_renaming_before_choosing_user_assigned_also_follows() -> None:
    data = fields.set_path(presets.to_data(WizardConfig()), "cluster.name", "c2")
    data = fields.set_path(data, "outbound.type", "user_assigned")
    assert data["outbound"]["subnet_name"] == "c2"
    assert data["outbound"]["identity_name"] == "c2Id"


def test_a_name_the_user_set_stays() -> None:
    data = fields.set_path(_user_assigned("one"), "outbound.subnet_name", "shared-subnet")
    data = fields.set_path(data, "cluster.name", "two")
    assert data["outbound"]["subnet_name"] == "shared-subnet"
    assert data["outbound"]["identity_name"] == "twoId"


def test_the_model_derives_unset_names_so_two_clusters_in_one_group_do_not_collide() -> None:
    first = WizardConfig.model_validate({"cluster": {"name": "one"},
                                         "outbound": {"type": "user_assigned"}})
    second = WizardConfig.model_validate({"cluster": {"name": "two"},
                                          "outbound": {"type": "user_assigned"}})
    ids = [{step.resource_id for step in plan.build(config).steps
            if step.kind in ("subnet", "identity")} for config in (first, second)]
    assert len(ids[0]) == 2 and not ids[0] & ids[1]
