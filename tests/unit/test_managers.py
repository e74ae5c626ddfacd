"""Who manages a snapshot, from the tags AWS's services and snaptui leave on it."""

from __future__ import annotations

from snaptui.core.managers import manager_of
from snaptui.core.ownership import COPY_TAG, OWNER_TAG, POLICY_TAG


def test_dlm_and_backup_are_read_from_their_own_aws_tags_in_any_case() -> None:
    dlm = manager_of(
        {
            "AWS:DLM:Lifecycle-Policy-Id": "policy-0a1b",
            "aws:dlm:lifecycle-schedule-name": "Daily 14d",
        }
    )
    assert (dlm.kind, dlm.text) == ("dlm", "DLM policy policy-0a1b (Daily 14d)")
    assert "policy-0a1b" in dlm.warning and "keeps its own count" in dlm.warning
    arn = "arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc"
    backup = manager_of({"aws:backup:source-resource": arn})
    assert (backup.kind, backup.text) == ("backup", "AWS Backup (of vol-0abc)")
    assert "delete it in AWS Backup" in backup.warning


def test_ami_then_snaptui_then_a_person() -> None:
    assert manager_of({}, ["ami-1"]).kind == "ami"
    assert manager_of({POLICY_TAG: "nightly", OWNER_TAG: "x"}).text == "snaptui policy nightly"
    assert manager_of({COPY_TAG: "y"}).kind == "snaptui"
    person = manager_of({"Name": "before upgrade", "aws:dlm:x": ""})  # a stray aws: key
    assert person.kind == "person" and person.warning == ""
    # A user's own tag that merely looks like DLM's does not count: only aws: keys do.
    assert manager_of({"dlm:lifecycle-policy-id": "policy-0a1b"}).kind == "person"


def test_a_dlm_warning_names_the_policy_by_its_description_when_read() -> None:
    tags = {"aws:dlm:lifecycle-policy-id": "policy-0a1b"}
    assert '("web roots")' in manager_of(tags, (), "web roots").warning
    assert '("' not in manager_of(tags).warning
